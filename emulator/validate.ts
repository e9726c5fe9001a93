/**
 * Body validation driven by per-model field specs, so every family rejects bad input with the same status and
 * wording. The specs are written by hand from the official schema; the fidelity test compares them with it.
 */
import { badRequest, invalidField, missingField } from "./errors";

export type FieldType = "string" | "text" | "integer" | "boolean" | "ipv4" | "ipBlock" | "object" | "object[]" | "string[]" | "ipBlock[]";

export interface FieldSpec {
  type: FieldType;
  /** Name of the schema enum, used in messages (`BalanceHTTPEnum`). */
  enumName?: string;
  enum?: readonly string[];
  min?: number;
  max?: number;
  nullable?: boolean;
  /** Required on create (POST). */
  required?: boolean;
  /** Read-only: accepted unchanged in PUT bodies (terraform re-sends them), rejected when different. */
  readOnly?: boolean;
  /** Nested object fields (for `object`). */
  fields?: Record<string, FieldSpec>;
}

export type ModelSpec = Record<string, FieldSpec>;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: unknown): value is string {
  return typeof value === "string" && IPV4.test(value);
}

export function isIpBlock(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const [ip, bits, ...rest] = value.split("/");
  return rest.length === 0 && isIpv4(ip) && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32));
}

function checkValue(name: string, spec: FieldSpec, value: unknown): unknown {
  if (value === null) {
    if (spec.nullable || !spec.required) return null;
    throw missingField(name);
  }
  switch (spec.type) {
    case "string":
    case "text":
      if (typeof value !== "string") throw invalidField(name, value, "is not valid for type string");
      if (spec.enum && !spec.enum.includes(value)) {
        throw invalidField(name, value, `does not belong to the ${spec.enumName ?? name} enumeration`);
      }
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw invalidField(name, value, "is not valid for type long");
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw badRequest(`[${name}] Value ${value} is out of range [${spec.min ?? ""}..${spec.max ?? ""}]`);
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw invalidField(name, value, "is not valid for type boolean");
      return value;
    case "ipv4":
      if (!isIpv4(value)) throw invalidField(name, value, "is not valid for type ipv4");
      return value;
    case "ipBlock":
      if (!isIpBlock(value)) throw invalidField(name, value, "is not valid for type ipBlock");
      return value;
    case "string[]":
    case "ipBlock[]": {
      if (!Array.isArray(value)) throw invalidField(name, value, `is not valid for type ${spec.type}`);
      const itemOk = spec.type === "string[]" ? (v: unknown) => typeof v === "string" : isIpBlock;
      const bad = value.find((v) => !itemOk(v));
      if (bad !== undefined) throw invalidField(name, bad, `is not valid for type ${spec.type.slice(0, -2)}`);
      return [...value];
    }
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) throw invalidField(name, value, "is not valid for type object");
      return validateFields(spec.fields ?? {}, value as Record<string, unknown>, "nested", name + ".");
    }
    case "object[]": {
      if (!Array.isArray(value)) throw invalidField(name, value, "is not valid for type object[]");
      return value.map((item) => checkValue(name, { type: "object", fields: spec.fields }, item));
    }
  }
}

function validateFields(
  specs: ModelSpec,
  body: Record<string, unknown>,
  mode: "create" | "update" | "nested",
  prefix = "",
  current?: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (!Object.prototype.hasOwnProperty.call(specs, key)) throw badRequest(`[${prefix}${key}] Unknown property`);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const present = Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined;
    if (!present) {
      if (mode === "create" && spec.required) throw missingField(prefix + key);
      continue;
    }
    const value = checkValue(prefix + key, spec, body[key]);
    if (spec.readOnly) {
      const unchanged = mode === "update" && current !== undefined && JSON.stringify(current[key]) === JSON.stringify(value);
      if (!unchanged) throw badRequest(`[${prefix}${key}] This property is read-only`);
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** Validates a POST body: required fields, types, enums, ranges; read-only fields refused. */
export function validateCreate(specs: ModelSpec, body: unknown): Record<string, unknown> {
  return validateFields(specs, asObject(body), "create");
}

/** Validates a PUT body against the current object: only writable fields change; read-only ones may repeat unchanged. */
export function validateUpdate(specs: ModelSpec, body: unknown, current: Record<string, unknown>): Record<string, unknown> {
  return validateFields(specs, asObject(body), "update", "", current);
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Invalid body: a JSON object is expected");
  return body as Record<string, unknown>;
}

/** The full model for a new object: every schema field present, `null` when not given (as GET returns them). */
export function withNulls(specs: ModelSpec, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(specs)) out[key] = values[key] ?? null;
  return out;
}

/** Parses an id path parameter; anything but a positive integer is an unknown object. */
export function idParam(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

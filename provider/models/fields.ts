// The validation and diff vocabulary shared by the models. Inputs reach check() straight from the
// engine (or from untyped JavaScript), so every checker takes `unknown` and reports a failure instead
// of throwing. Each reason starts with the property path and names the value and the allowed values,
// so it reads on its own in a log or a policy report (Pulumi shows the property next to it as well).

import { isIpv4 } from "./ipv4";

/**
 * What an unknown value (an Output not yet resolved, during preview) looks like in the inputs a
 * dynamic provider receives: check() and diff() get the raw struct, not deserialized values
 * (@pulumi/pulumi cmd/dynamic-provider, `req.getNews().toJavaScript()`; runtime/rpc `unknownValue`).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** A check() failure as the Pulumi engine expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Validates one present, non-null, known value; returns [] when it is fine. */
export type Checker = (property: string, value: unknown) => CheckFailure[];

export function failure(property: string, detail: string): CheckFailure {
  return { property, reason: `${property}: ${detail}` };
}

/** A short rendering of a user value for messages: strings quoted, objects not dumped. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(typeof value);
}

export function enumOf(values: readonly string[]): Checker {
  return (property, value) =>
    typeof value === "string" && values.includes(value)
      ? []
      : [failure(property, `${formatValue(value)} is not one of ${values.join(", ")}`)];
}

/**
 * Integers only: "80" (a string) and 80.5 are failures, and say which integers are allowed. Without max, only the
 * minimum applies.
 */
export function intRange(min: number, max?: number): Checker {
  const allowed = max === undefined ? `${min} or more` : `${min}..${max}`;
  return (property, value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return [failure(property, `${formatValue(value)} is not an integer (allowed: ${allowed})`)];
    }
    if (max === undefined) return value < min ? [failure(property, `${value} is less than ${min}`)] : [];
    return value < min || value > max ? [failure(property, `${value} is out of range ${min}..${max}`)] : [];
  };
}

/** Farm, server and probe ports (schema descriptions and the OVH guide). */
export const MIN_PORT = 1;
export const MAX_PORT = 49151;
export const port: Checker = intRange(MIN_PORT, MAX_PORT);

/** Dotted-quad IPv4 without leading zeros (the schema's `ipv4`; servers take no IPv6). */
export const ipv4: Checker = (property, value) =>
  typeof value === "string" && isIpv4(value) ? [] : [failure(property, `${formatValue(value)} is not an IPv4 address`)];

export const bool: Checker = (property, value) =>
  typeof value === "boolean" ? [] : [failure(property, `${formatValue(value)} is not a boolean`)];

/** An empty string and no value are the same thing to users (a display name, a redirect). */
export function emptyAsNull(value: unknown): unknown {
  return value === undefined || value === "" ? null : value;
}

export interface StringRules {
  nonEmpty?: boolean;
  maxLength?: number;
  /** with the end of the message when the value does not match, e.g. "is not a zone name" */
  pattern?: { re: RegExp; hint: string };
}

export function str(rules: StringRules = {}): Checker {
  // A value that is not a string, or empty, is described by the pattern's hint when there is one: `zone: "" is not a
  // zone name (...)` says what is allowed, "must not be empty" does not.
  return (property, value) => {
    if (typeof value !== "string" || (rules.nonEmpty && value === "")) {
      if (rules.pattern) return [failure(property, `${formatValue(value)} ${rules.pattern.hint}`)];
      return [failure(property, typeof value !== "string" ? `${formatValue(value)} is not a string` : "must not be empty")];
    }
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      return [failure(property, `is ${value.length} characters long, more than ${rules.maxLength}`)];
    }
    if (rules.pattern && !rules.pattern.re.test(value)) return [failure(property, `${formatValue(value)} ${rules.pattern.hint}`)];
    return [];
  };
}

/** Zone names (`gra`, `rbx`, ... or `all`): lower-case letters. */
export const ZONE_PATTERN = /^[a-z]+$/;
export const zone: Checker = str({ nonEmpty: true, pattern: { re: ZONE_PATTERN, hint: "is not a zone name (lower-case letters such as gra, or all)" } });

/**
 * How one input is validated. Absent means `undefined`; `null` is "clear it" and needs `nullable`. A `null` where it is
 * not allowed (untyped JavaScript) is reported by the checker itself (`status: null is not one of active, inactive`),
 * so the reason names what is allowed.
 */
export interface FieldRule {
  check: Checker;
  required?: boolean;
  nullable?: boolean;
}
export type RuleTable = Readonly<Record<string, FieldRule>>;

export interface CheckFieldsOptions {
  /** path prefix for nested objects, e.g. "probe" gives "probe.port" */
  prefix?: string;
  /** fields that exist for other types of the object, with the reason they are refused here */
  unsupported?: Readonly<Record<string, string>>;
  /** keys left alone, such as `__provider` (the serialized provider the engine adds) */
  passThrough?: readonly string[];
}

/** Validates an object against a rule table and reports every failure, in a stable order. */
export function checkFields(obj: Record<string, unknown>, rules: RuleTable, opts: CheckFieldsOptions = {}): CheckFailure[] {
  const path = (key: string) => (opts.prefix ? `${opts.prefix}.${key}` : key);
  const failures = checkUnknownFields(obj, Object.keys(rules), opts);
  for (const [key, rule] of Object.entries(rules)) {
    const value = obj[key];
    if (value === undefined) {
      if (rule.required) failures.push(failure(path(key), "a value is required"));
    } else if (value === null) {
      if (!rule.nullable) failures.push(...rule.check(path(key), null));
    } else if (!containsUnknown(value)) {
      failures.push(...rule.check(path(key), value));
    }
  }
  return failures;
}

/** Rejects keys outside `allowed`, listing the allowed ones. Keys whose value is undefined are absent. */
export function checkUnknownFields(
  obj: Record<string, unknown>, allowed: readonly string[], opts: CheckFieldsOptions = {},
): CheckFailure[] {
  const path = (key: string) => (opts.prefix ? `${opts.prefix}.${key}` : key);
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || opts.passThrough?.includes(key) || obj[key] === undefined) continue;
    const reason = opts.unsupported?.[key];
    if (reason !== undefined) {
      if (obj[key] !== null) failures.push(failure(path(key), reason));
    } else {
      failures.push(failure(path(key), `unknown field; allowed fields: ${allowed.join(", ")}`));
    }
  }
  return failures;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * How a change of one field is applied: `update` in place (PUT), `replace` by a new object (the API
 * makes the field read-only, or it is part of the path), `ignore` never (adoption inputs, read-only state).
 */
export type ChangeKind = "update" | "replace" | "ignore";

export interface FieldSpec {
  change: ChangeKind;
  /**
   * The value the API acts on, so that "absent" and "what the API reports by default" compare equal
   * (`balance` null is roundrobin). `whole` is the object the value belongs to. Defaults to `cleared`.
   */
  effective?: (value: unknown, whole: Readonly<Record<string, unknown>>) => unknown;
  /** What to send when the desired value is absent or null: null clears; booleans send false. */
  cleared?: null | false;
  /** When the desired value is absent, the field is not managed and never diffs (server `cookie`). */
  unmanagedWhenAbsent?: boolean;
  /** Turns a desired value into its request form (the probe object). */
  wire?: (value: unknown) => unknown;
}
export type FieldTable = Readonly<Record<string, FieldSpec>>;

export interface PropertyDiff {
  kind: "update" | "update-replace" | "add" | "delete";
  inputDiff: boolean;
}

/** The shape of a dynamic provider's DiffResult (the 3.248 host reads only changes and replaces). */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  diffs: string[];
  detailedDiff: Record<string, PropertyDiff>;
}

type Obj = Readonly<Record<string, unknown>>;

/** Compares desired inputs with the live object field by field, on effective values. */
export function diffFields(table: FieldTable, desired: Obj, live: Obj): DiffResult {
  const result: DiffResult = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
  for (const [name, spec] of Object.entries(table)) {
    const details = fieldDiffs(name, spec, desired, live);
    if (Object.keys(details).length === 0) continue;
    result.changes = true;
    result.diffs.push(name);
    if (spec.change === "replace") result.replaces.push(name);
    Object.assign(result.detailedDiff, details);
  }
  return result;
}

/** The object is gone (deleted outside Pulumi): replacing it re-creates it. */
export function goneDiff(idField: string): DiffResult {
  return {
    changes: true,
    replaces: [idField],
    diffs: [idField],
    detailedDiff: { [idField]: { kind: "update-replace", inputDiff: true } },
  };
}

/** The PUT body: only the `update` fields whose effective value changed; absent ones are cleared. */
export function updateBody(table: FieldTable, desired: Obj, live: Obj): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    if (spec.change !== "update" || Object.keys(fieldDiffs(name, spec, desired, live)).length === 0) continue;
    const value = desired[name];
    body[name] = isNil(value) ? (spec.cleared ?? null) : spec.wire ? spec.wire(value) : value;
  }
  return body;
}

/** The POST body: the given fields that are set (null on create is the API default anyway). */
export function createBody(table: FieldTable, fields: readonly string[], inputs: Obj): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of fields) {
    const value = inputs[name];
    if (isNil(value)) continue;
    const wire = table[name]?.wire;
    body[name] = wire ? wire(value) : value;
  }
  return body;
}

function fieldDiffs(name: string, spec: FieldSpec, desired: Obj, live: Obj): Record<string, PropertyDiff> {
  const d = desired[name];
  const l = live[name];
  if (spec.change === "ignore" || (spec.unmanagedWhenAbsent && isNil(d))) return {};
  const kind = (base: PropertyDiff["kind"]): PropertyDiff => ({
    kind: spec.change === "replace" ? "update-replace" : base,
    inputDiff: true,
  });
  if (containsUnknown(d)) return { [name]: kind("update") };
  const effective = spec.effective ?? ((v: unknown) => (isNil(v) ? (spec.cleared ?? null) : v));
  const de = effective(d, desired);
  const le = effective(l, live);
  if (deepEqual(de, le)) return {};
  if (isPlainObject(de) && isPlainObject(le) && !isNil(d) && !isNil(l)) {
    const keys = [...new Set([...Object.keys(de), ...Object.keys(le)])].filter((k) => !deepEqual(de[k], le[k]));
    return Object.fromEntries(keys.map((k) => [`${name}.${k}`, kind("update")]));
  }
  return { [name]: kind(isNil(l) ? "add" : isNil(d) ? "delete" : "update") };
}

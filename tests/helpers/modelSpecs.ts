/**
 * Finds the emulator's hand-written model specs (emulator/models/*.ts) and compares them with the official schema.
 * Discovery follows the models' own conventions: any exported `ModelTable` (`{schemaModel, spec, createOnly}`, also
 * inside an exported record such as `FARM_MODELS.http`), and any `X_SCHEMA_MODEL` string exported next to `X_SPEC`.
 */
import * as fs from "fs";
import * as path from "path";
import type { FieldSpec, ModelSpec } from "../../emulator/validate";
import { Document, Operation, requestSchema, resolve, responseSchema } from "./openapi";

export interface FoundSpec {
  label: string;
  schemaModel: string;
  spec: ModelSpec;
  createOnly?: readonly string[];
}

type Json = Record<string, any>;
const isTable = (v: unknown): v is FoundSpec => !!v && typeof v === "object" && typeof (v as Json).schemaModel === "string" && typeof (v as Json).spec === "object";

export function discoverModelSpecs(modelsDir: string): FoundSpec[] {
  const found: FoundSpec[] = [];
  for (const file of fs.readdirSync(modelsDir).filter((f) => f.endsWith(".ts")).sort()) {
    const mod = require(path.join(modelsDir, file)) as Json;
    for (const [name, value] of Object.entries(mod)) {
      const label = `models/${file} ${name}`;
      if (isTable(value)) found.push({ ...value, label });
      else if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value as Json)) if (isTable(inner)) found.push({ ...inner, label: `${label}.${key}` });
      }
      const m = /^(.*)_SCHEMA_MODEL$/.exec(name);
      if (m && typeof value === "string" && mod[`${m[1]}_SPEC`]) found.push({ label: `models/${file} ${m[1]}_SPEC`, schemaModel: value, spec: mod[`${m[1]}_SPEC`] });
    }
  }
  return found;
}

const SCHEMA_TYPE: Record<FieldSpec["type"], string> = {
  string: "string", text: "string", ipv4: "string", ipBlock: "string", integer: "integer", boolean: "boolean",
  object: "object", "object[]": "array of object", "string[]": "array of string", "ipBlock[]": "array of string",
};

function schemaType(doc: Document, prop: Json): string {
  const r = resolve(doc, prop);
  return r.type === "array" ? `array of ${resolve(doc, r.items ?? {}).type}` : r.type ?? "any";
}

/** Differences between a spec and a schema model's properties: names, type, readOnly (= writable), nullable, enum. */
export function compareFields(doc: Document, spec: ModelSpec, properties: Record<string, Json>, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(spec)) if (!(key in properties)) problems.push(`${where}${key}: in the spec, not in the schema`);
  for (const [key, prop] of Object.entries(properties)) {
    const field = spec[key];
    if (!field) {
      problems.push(`${where}${key}: in the schema (${schemaType(doc, prop)}${resolve(doc, prop).readOnly ? ", read-only" : ""}), missing from the spec`);
      continue;
    }
    const r = resolve(doc, prop);
    const at = `${where}${key}`;
    if (SCHEMA_TYPE[field.type] !== schemaType(doc, prop)) problems.push(`${at}: spec type ${field.type}, schema ${schemaType(doc, prop)}`);
    if (!!field.readOnly !== r.readOnly) problems.push(`${at}: ${r.readOnly ? "read-only" : "writable"} in the schema, ${field.readOnly ? "read-only" : "writable"} in the spec`);
    if (!!field.nullable !== r.nullable) problems.push(`${at}: ${r.nullable ? "nullable" : "not nullable"} in the schema, ${field.nullable ? "nullable" : "not nullable"} in the spec`);
    const schemaEnum = r.enum ?? (r.type === "array" ? resolve(doc, r.items ?? {}).enum : undefined);
    const sorted = (e?: readonly unknown[]) => (e ? [...e].map(String).sort().join(", ") : "none");
    if (sorted(schemaEnum) !== sorted(field.enum)) problems.push(`${at}: enum ${sorted(field.enum)} in the spec, ${sorted(schemaEnum)} in the schema (${r.name ?? "inline"})`);
    if (field.fields) {
      const nested = resolve(doc, r.type === "array" ? r.items ?? {} : prop);
      problems.push(...compareFields(doc, field.fields, nested.properties ?? {}, `${at}.`));
    }
  }
  return problems;
}

/** The in-scope POST whose answer is this model (the create call), to compare `required` and the accepted fields. */
export function createOperation(ops: Operation[], schemaModel: string): Operation | undefined {
  return ops.find((op) => op.method === "POST" && responseSchema(op)?.$ref === `#/components/schemas/${schemaModel}`);
}

export function compareSpec(doc: Document, ops: Operation[], found: FoundSpec): string[] {
  const model = doc.schemas[found.schemaModel];
  if (!model) return [`${found.schemaModel}: no such model in ${doc.file}`];
  const problems = compareFields(doc, found.spec, resolve(doc, model).properties ?? {}, "");
  const create = found.createOnly ? createOperation(ops, found.schemaModel) : undefined;
  if (create) {
    const body = resolve(doc, requestSchema(create) ?? {});
    const accepted = Object.keys(found.spec).filter((k) => !found.spec[k].readOnly || found.createOnly!.includes(k)).sort();
    const bodyFields = Object.keys(body.properties ?? {}).sort();
    if (accepted.join() !== bodyFields.join()) problems.push(`POST ${create.path} body: spec accepts [${accepted.join(", ")}], schema body has [${bodyFields.join(", ")}]`);
    const required = Object.keys(found.spec).filter((k) => found.spec[k].required).sort();
    const schemaRequired = [...(body.required ?? [])].sort();
    if (required.join() !== schemaRequired.join()) problems.push(`POST ${create.path} required: spec [${required.join(", ")}], schema [${schemaRequired.join(", ")}]`);
  }
  return problems;
}

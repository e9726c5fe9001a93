// The diff vocabulary of the models: how each field changes (update in place, replace, ignore), what it means when
// absent, and the diff, PUT body and POST body a field table gives. Re-exported by fields.ts.
import { containsUnknown, deepEqual, isNil, isPlainObject } from "./values";

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

// Plain values as the engine hands them to a provider: unknowns (a preview's unresolved Outputs), nil, plain objects,
// and deep equality. Shared by checks (fields.ts) and diffs (fieldDiff.ts).

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

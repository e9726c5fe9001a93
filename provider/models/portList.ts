// The `port` of a frontend: the API takes a string, one port ("80"), a range ("8000-8010") or a comma list of both
// ("80,443,8000-8010"), each port 1..49151 (schema, POST .../frontend). Users may also write a number (80) or an
// array of ports and ranges ([80, 443, "8000-8010"]); check() turns those into the API's string, in the user's order.
//
// Two port strings that open the same ports are the same frontend: "443,80" is "80,443", and "80-82" is "80,81,82".
// The diff compares `canonicalPorts` (sorted, merged), so reordering a list never causes an update.
// Overlapping entries ("80,80" or "8000-8010,8005") are refused: the API's handling of them is not documented, and
// they are always a slip (two frontends meant as one, a range typed wrong).
import * as fields from "./fields";

/** What users may write: the API's string, one port, or a list of ports and `a-b` ranges. */
export type PortInput = number | string | readonly (number | string)[];

/** An inclusive port range; a single port is [p, p]. */
export type PortRange = readonly [number, number];

const ALLOWED = `a port (${fields.MIN_PORT}..${fields.MAX_PORT}), a range a-b or a comma-separated list of them, e.g. "80,443,8000-8010"`;

/** The entries of a port input as strings, or undefined when its shape is wrong (not a string, number or list). */
function entries(value: unknown): string[] | undefined {
  if (typeof value === "number") return [String(value)];
  if (typeof value === "string") return value.split(",").map((part) => part.trim());
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number" || typeof v === "string")) {
    return value.flatMap((v) => (typeof v === "number" ? [String(v)] : v.split(",").map((part) => part.trim())));
  }
  return undefined;
}

/** One entry ("80" or "8000-8010") as a range, or the reason it is not one. */
function parseEntry(entry: string): PortRange | string {
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(entry);
  if (!m) return `${fields.formatValue(entry)} is not ${ALLOWED}`;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  const outside = [low, high].find((p) => p < fields.MIN_PORT || p > fields.MAX_PORT);
  if (outside !== undefined) return `${outside} is out of range ${fields.MIN_PORT}..${fields.MAX_PORT}`;
  if (low > high) return `${fields.formatValue(entry)} is not a range: ${low} is higher than ${high}`;
  return [low, high];
}

const render = ([low, high]: PortRange): string => (low === high ? String(low) : `${low}-${high}`);

/** The ranges of a valid port input, in the user's order; failures name every bad entry and every overlap. */
export function parsePorts(property: string, value: unknown): { ranges: PortRange[]; failures: fields.CheckFailure[] } {
  if (Array.isArray(value) && value.length === 0) return { ranges: [], failures: [fields.failure(property, `an empty list opens no port; give ${ALLOWED}`)] };
  const parts = entries(value);
  if (!parts) return { ranges: [], failures: [fields.failure(property, `${fields.formatValue(value)} is not ${ALLOWED}`)] };
  const ranges: PortRange[] = [];
  const failures: fields.CheckFailure[] = [];
  for (const part of parts) {
    const parsed = parseEntry(part);
    if (typeof parsed === "string") failures.push(fields.failure(property, parsed));
    else ranges.push(parsed);
  }
  for (const [a, b] of overlaps(ranges)) {
    const what = a[0] === b[0] && a[1] === b[1] ? `${render(b)} is listed twice` : `${render(b)} overlaps ${render(a)}`;
    failures.push(fields.failure(property, `${what}; list each port once`));
  }
  return { ranges, failures };
}

function overlaps(ranges: readonly PortRange[]): [PortRange, PortRange][] {
  const found: [PortRange, PortRange][] = [];
  ranges.forEach((b, i) => {
    const a = ranges.slice(0, i).find(([low, high]) => b[0] <= high && low <= b[1]);
    if (a) found.push([a, b]);
  });
  return found;
}

/** A port `Checker` for rule tables. */
export const checkPorts: fields.Checker = (property, value) => parsePorts(property, value).failures;

/** The API's string for a valid port input, in the user's order: 80 -> "80", [80, "8000-8010"] -> "80,8000-8010". */
export function portString(value: unknown): string {
  const { ranges, failures } = parsePorts("port", value);
  if (failures.length > 0) return String(value);
  return ranges.map(render).join(",");
}

/**
 * The ports a frontend listens on, as one canonical string: sorted, touching ranges merged ("443,80-81,82" ->
 * "80-82,443"). A value that does not parse (an API answer this code does not understand) is kept as it is, so it
 * still compares unequal to anything valid.
 */
export function canonicalPorts(value: unknown): unknown {
  const parts = entries(value);
  if (!parts) return value ?? null;
  const ranges = parts.map(parseEntry);
  if (ranges.some((r) => typeof r === "string")) return typeof value === "string" ? value : JSON.stringify(value);
  const sorted = (ranges as PortRange[]).slice().sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged.map(render).join(",");
}

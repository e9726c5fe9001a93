// Address, range and name arithmetic for the policies' allow-lists. Pure functions: unparseable config entries are
// reported by the policies that use them (a typo in a CIDR must not silently allow or forbid everything).

import { ipv4ToNumber } from "../../provider/models/ipv4";

export interface Cidr {
  text: string;
  first: number;
  last: number;
}

/** `10.0.0.0/8`, or a bare address (= /32), as its first and last address; undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const [address, bitsText, ...rest] = text.trim().split("/");
  const base = ipv4ToNumber(address);
  const bits = bitsText === undefined ? 32 : /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (rest.length > 0 || base === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return { text: text.trim(), first, last: first + size - 1 };
}

/** The allow-list entry that contains all of `range`, if any. */
export function containing(range: Cidr, allowed: readonly Cidr[]): Cidr | undefined {
  return allowed.find((a) => a.first <= range.first && range.last <= a.last);
}

export interface PortRange {
  text: string;
  min: number;
  max: number;
}

/** `8080` or `8000-8999`; undefined when it is neither. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(text);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return min <= max ? { text: text.trim(), min, max } : undefined;
}

/** Lower-case, without the trailing dot of an absolute DNS name. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** true when `name` is `suffix` itself or a name under it (`www.example.com` under `example.com`, not `badexample.com`). */
export function isUnderDomain(name: string, suffix: string): boolean {
  const n = normalizeName(name);
  const s = normalizeName(suffix).replace(/^\*?\./, "");
  return s !== "" && (n === s || n.endsWith(`.${s}`));
}

/** Parses every entry; returns the parsed ones and the entries that could not be read. */
export function parseAll<T>(entries: readonly unknown[], parse: (text: string) => T | undefined): { parsed: T[]; invalid: string[] } {
  const parsed: T[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const value = typeof entry === "string" ? parse(entry) : typeof entry === "number" ? parse(String(entry)) : undefined;
    if (value === undefined) invalid.push(String(entry));
    else parsed.push(value);
  }
  return { parsed, invalid };
}

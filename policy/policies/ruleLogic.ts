// What route rules can match, judged from their values alone: a rule that no request satisfies, rules of one route
// that no request satisfies together (a route acts only when every one of its rules matches), and rules that every
// request satisfies. Pure functions; routes.ts relates rules to routes and words the findings.
//
// What check() already refuses (provider/models/routeRule.ts) is not repeated: a field, match or subField the
// protocol does not offer, a missing pattern, a source that is not an IPv4 network, a method or protocol outside its
// list. The judgements stay on the safe side, so that the advice is never wrong:
// - Across rules, only fields with one value per request are compared (source, protocol, method, host, uri, sni). A
//   header, cookie or query parameter may come several times and HAProxy tests every occurrence, so `header X is a`
//   and `header X is b` may both hold; for those only "absent" (negated exists) and "present" contradict.
// - Un-negated rules compare text without case and negated ones with case: whether OVH compares host names or paths
//   case-insensitively is not documented, and either way this only lets more requests match, never fewer.
// - `matches` patterns are regular expressions for HAProxy's engine (PCRE), which is not the one Node runs: they never
//   take part in a contradiction, and a pattern is flagged only when no engine compiles it (regexProblem).
// - `negate` with `exists` means "absent": a rule that can match, not flagged.
import { ROUTE_RULES } from "../../provider/models/routeRule";
import { parseCidr } from "./net";

type RuleSpec = (typeof ROUTE_RULES)[number];

/** A rule's values as the API keeps them (all known). */
export interface Rule {
  protocol: "http" | "tcp";
  field: string;
  subField: string | null;
  match: string;
  negate: boolean;
  pattern: string | null;
}

const specOf = (r: Rule): RuleSpec | undefined => ROUTE_RULES.find((s) => s.type === r.protocol && s.name === r.field);

/** `host is "a.example.com"`, `not header X-Env exists`: a rule as messages show it. */
export function describeRule(r: Rule): string {
  const field = r.subField ? `${r.field} ${r.subField}` : r.field;
  return `${r.negate ? "not " : ""}${field} ${r.match}${r.pattern !== null ? ` "${r.pattern}"` : ""}`;
}

/** The values a pattern names: each non-empty entry of an `in` list, else the pattern itself. */
function valuesOf(r: Rule): string[] {
  if (r.pattern === null) return [];
  return r.match === "in" ? r.pattern.split(",").map((v) => v.trim()).filter((v) => v !== "") : [r.pattern];
}

/** The index of the `]` that closes the class opened at `open` (a `]` first in the class is a member), or -1. */
function classEnd(pattern: string, open: number): number {
  let j = open + (pattern[open + 1] === "^" ? 2 : 1);
  if (pattern[j] === "]") j++;
  for (; j < pattern.length; j++) {
    if (pattern[j] === "\\") j++;
    else if (pattern[j] === "]") return j;
  }
  return -1;
}

/**
 * Why `pattern` does not work as a regular expression for HAProxy, built with PCRE (most builds) or the libc's POSIX
 * regex: a lone trailing backslash, a character class or group that never closes, a `)` without its `(` (both refuse
 * these), or a quantifier with nothing before it (PCRE refuses it; POSIX takes it as a literal `*`, which is not what
 * a glob such as `*.example.com` meant either). Anything subtler is left alone (PCRE's `(?P<name>...)`, `(*UTF)`...).
 */
export function regexProblem(pattern: string): string | undefined {
  let depth = 0;
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (i + 1 === pattern.length) return "it ends with a lone backslash";
      i++;
    } else if (c === "[") {
      const close = classEnd(pattern, i);
      if (close < 0) return `the [ at position ${i + 1} opens a character class that never closes`;
      i = close;
    } else if (c === "(") {
      depth++;
      // `(?...)` and PCRE's `(*VERB)` are group syntax, not a quantifier.
      if (pattern[i + 1] !== "?" && pattern[i + 1] !== "*") {
        atStart = true;
        continue;
      }
    } else if (c === ")") {
      if (depth === 0) return `the ) at position ${i + 1} closes a group that was never opened`;
      depth--;
    } else if (c === "|") {
      atStart = true;
      continue;
    } else if ("*+?".includes(c) && atStart) {
      return `the ${c} at position ${i + 1} repeats nothing (a glob such as *.example.com is written .*\\.example\\.com)`;
    }
    atStart = false;
  }
  return depth > 0 ? "a ( opens a group that never closes" : undefined;
}

const TEXT_MATCHES = ["is", "in", "startswith", "endswith", "contains"];

/** Why no request carries `value` in `field` for this match, if none does. */
function impossibleValue(field: string, match: string, value: string): string | undefined {
  if (field === "host" && /[/\s]/.test(value)) return "a Host header holds a host name and maybe a port, never a scheme, a path or a space";
  if (field === "sni" && /[/\s:]/.test(value)) return "a TLS server name is a bare host name: no scheme, port, path or space";
  if (field === "sni" && (match === "is" || match === "in") && parseCidr(value) && !value.includes("/")) {
    return "RFC 6066 (section 3) forbids an IP address as the TLS server name, so clients send none";
  }
  const pathMatch = match === "is" || match === "in" || match === "startswith";
  if (field === "uri" && pathMatch && !/^(\/|\*$|https?:\/\/)/i.test(value)) return "a request's path always starts with /";
  return undefined;
}

/** Why the rule, un-negated, holds for no request; undefined when some request may satisfy it. */
function impossible(r: Rule): string | undefined {
  if (!TEXT_MATCHES.includes(r.match)) return undefined;
  const values = valuesOf(r);
  if (r.match === "in" && values.length === 0) return "its in list holds no value";
  const reasons = values.map((v) => impossibleValue(r.field, r.match, v));
  return reasons.length > 0 && reasons.every((x) => x !== undefined) ? reasons[0] : undefined;
}

// Client addresses as ranges of IPv4 numbers: sorted, disjoint, inclusive.
type Ranges = [number, number][];
const LAST_ADDRESS = 2 ** 32 - 1;
const ALL: Ranges = [[0, LAST_ADDRESS]];

function merge(ranges: Ranges): Ranges {
  const out: Ranges = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  for (const [a1, a2] of a) {
    for (const [b1, b2] of b) if (Math.max(a1, b1) <= Math.min(a2, b2)) out.push([Math.max(a1, b1), Math.min(a2, b2)]);
  }
  return merge(out);
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of merge(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  return next <= LAST_ADDRESS ? [...out, [next, LAST_ADDRESS]] : out;
}

/** The addresses a source rule admits (negation included). */
function admitted(r: Rule): Ranges {
  const blocks = merge(valuesOf(r).flatMap((v): Ranges => {
    const c = parseCidr(v);
    return c ? [[c.first, c.last]] : [];
  }));
  return r.negate ? complement(blocks) : blocks;
}

/** Why the rule, un-negated, holds for every request; undefined when it may not. */
function universal(r: Rule): string | undefined {
  const spec = specOf(r);
  if (!spec || (r.match !== "is" && r.match !== "in" && r.match !== "matches")) return undefined;
  if (spec.pattern === "cidr") return complement(admitted({ ...r, negate: false })).length === 0 ? "every client address is in it" : undefined;
  const values = valuesOf(r);
  if (spec.enum && spec.enum.every((e) => values.includes(e))) return `it lists every ${r.field} (${spec.enum.join(", ")})`;
  // Not `uri startswith "/"`: `OPTIONS *` and proxy-form requests (`GET http://...`) have paths that do not.
  if (r.field === "uri" && r.match === "matches" && /^\^?(\.\*)?\$?$/.test(r.pattern ?? "")) return "the expression matches any path";
  return undefined;
}

/** Why no request ever matches this rule; undefined when some may. */
export function neverMatches(r: Rule): string | undefined {
  if (r.match === "matches" && r.pattern !== null) {
    const problem = regexProblem(r.pattern);
    if (problem) return `its pattern is no regular expression: ${problem}`;
  }
  if (!r.negate) return impossible(r);
  const all = universal(r);
  return all && `it is negated, and ${all}`;
}

/** Why every request matches this rule; undefined when some may not. */
export function alwaysMatches(r: Rule): string | undefined {
  if (r.match === "matches" && r.pattern !== null && regexProblem(r.pattern)) return undefined;
  if (!r.negate) return universal(r);
  const none = impossible(r);
  return none && `it is negated, and ${none}`;
}

/** Rules on the same value of a request: the field, and for header, cookie, param the name (header names without case). */
function sameValueKey(r: Rule): string | undefined {
  const spec = specOf(r);
  if (!spec) return undefined;
  if (!spec.hasSubField) return r.field;
  return r.subField === null ? undefined : `${r.field} ${r.field === "header" ? r.subField.toLowerCase() : r.subField}`;
}

const fold = (s: string) => s.toLowerCase();
const exact = (s: string) => s;

/** Whether `value` satisfies the rule's match (negation aside); undefined when this cannot tell (`matches`, `exists`). */
function holds(r: Rule, value: string, norm: (s: string) => string): boolean | undefined {
  const p = r.pattern === null ? undefined : norm(r.pattern);
  const v = norm(value);
  if (r.match === "is" || r.match === "in") return valuesOf(r).some((x) => norm(x) === v);
  if (p === undefined) return undefined;
  return r.match === "startswith" ? v.startsWith(p) : r.match === "endswith" ? v.endsWith(p) : r.match === "contains" ? v.includes(p) : undefined;
}

/** Whether every value the positive rule `p` admits is one the negated rule `n` excludes (compared with case). */
function implies(p: Rule, n: Rule): boolean {
  if (p.pattern === null || n.pattern === null || !["startswith", "endswith", "contains"].includes(p.match)) return false;
  if (n.match === "contains") return p.pattern.includes(n.pattern);
  if (n.match !== p.match) return false;
  return p.match === "startswith" ? p.pattern.startsWith(n.pattern) : p.match === "endswith" && p.pattern.endsWith(n.pattern);
}

/** Two prefixes (or suffixes) neither of which extends the other: no value has both. */
function clash(patterns: string[], ends: boolean): boolean {
  const has = (a: string, b: string) => (ends ? fold(a).endsWith(fold(b)) : fold(a).startsWith(fold(b)));
  return patterns.some((a) => patterns.some((b) => !has(a, b) && !has(b, a)));
}

/** Whether no value of a single-valued text or enum field satisfies all these rules (`universe`: the enum's values). */
function textConflict(rules: Rule[], universe: readonly string[] | null): boolean {
  const positives = rules.filter((r) => !r.negate && r.match !== "matches");
  const negatives = rules.filter((r) => r.negate && r.match !== "matches");
  let candidates = universe ? [...universe] : null;
  for (const r of positives.filter((x) => x.match === "is" || x.match === "in")) {
    candidates = (candidates ?? valuesOf(r)).filter((c) => holds(r, c, fold));
  }
  if (candidates) {
    const survives = (c: string) => positives.every((r) => holds(r, c, fold) !== false) && !negatives.some((r) => holds(r, c, exact) === true);
    return !candidates.some(survives);
  }
  const patterns = (match: string) => positives.filter((r) => r.match === match && r.pattern !== null).map((r) => r.pattern as string);
  return clash(patterns("startswith"), false) || clash(patterns("endswith"), true) || positives.some((p) => negatives.some((n) => implies(p, n)));
}

export interface Conflict {
  /** `host`, `header x-env`: what the rules test. */
  what: string;
  rules: Rule[];
  why: string;
}

/** Rules of one route that no request satisfies together; rules that can never match on their own are left out. */
export function conflict(rules: readonly Rule[]): Conflict | undefined {
  const groups = new Map<string, Rule[]>();
  for (const r of rules.filter((x) => neverMatches(x) === undefined)) {
    const key = sameValueKey(r);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [what, group] of [...groups].filter(([, g]) => g.length > 1)) {
    const spec = specOf(group[0]) as RuleSpec;
    if (spec.hasSubField) {
      const absent = group.some((r) => r.negate && r.match === "exists");
      if (absent && group.some((r) => !r.negate)) return { what, rules: group, why: `the ${what} cannot be both absent and present` };
    } else if (spec.pattern === "cidr") {
      const space = group.reduce((left, r) => intersect(left, admitted(r)), ALL);
      if (space.length === 0) return { what, rules: group, why: "no client address is admitted by all of them" };
    } else if (textConflict(group, spec.enum)) {
      return { what, rules: group, why: `a request has one ${what}, and no ${what} satisfies all of them` };
    }
  }
  return undefined;
}

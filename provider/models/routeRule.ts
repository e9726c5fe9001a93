// Rules of HTTP and TCP routes in one model (schema: `ipLoadbalancing.RouteRule.RouteRule`, the POST body of
// `/ipLoadbalancing/{serviceName}/{http,tcp}/route/{routeId}/rule` and `ipLoadbalancing.RouteAvailableRule`).
//
// Semantics of the inputs:
// - `serviceName` and `routeId` (parts of the path) replace; the PUT body is the whole rule model, so `field`,
//   `subField`, `match`, `negate`, `pattern` and `displayName` are updated in place.
// - Checked before any call against what `availableRouteRules` offers (ROUTE_RULES below, compared with the
//   emulator's answer by tests/provider/routeRule.test.ts): the field per protocol, the match per field, a subField
//   exactly for the fields that have one, a pattern for every match but `exists` (which takes none), of the field's
//   kind: IPv4 addresses or network blocks for `cidr`, the enum's values for `enum` (each value of an `in` list,
//   comma-separated), one line of text for `string`.
// - Values the API may normalise are compared on what they mean, so that no perpetual diff appears. ASSUMED (the
//   schema and the guide are silent; the emulator stores values as sent): the match may come back in another case
//   (compared lower-case); a cidr address may come back as `a.b.c.d/32` (bare = /32); an `in` list may come back
//   re-ordered or re-spaced (compared as a sorted set of trimmed values); `negate` absent is false; "" is none.
// - Zones: a rule runs with its route, in the zone of the route's frontend (`all` without one). The API's rule lacks
//   it (and its route id), so the provider adds `routeId` and `zone`, read from the route (providers/routeRule.ts).
// - Rules of a route are separate resources: their order in the route's `rules` never enters any diff.
// - `adoptRuleId` takes over an existing rule of the route on create; it never diffs.
import type { Query } from "../api/client";
import { IplbError } from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import * as fields from "./fields";
import { networkOf, normalizeBlock } from "./ipBlocks";
import type { Checked, ObjectModel } from "./model";
import { parseResourceId } from "./resourceId";

type RouteType = wire.RouteType;
type Obj = Readonly<Record<string, unknown>>;
const LABELS: Readonly<Record<RouteType, string>> = { http: "HTTP", tcp: "TCP" };
export const ROUTE_RULE_CLASS_NAMES: Readonly<Record<RouteType, string>> = { http: "HttpRouteRule", tcp: "TcpRouteRule" };

/** `ipLoadbalancing.RouteRuleMatchesEnum`. */
export type RouteRuleMatch = "contains" | "endswith" | "exists" | "in" | "internal" | "is" | "matches" | "startswith";
const TEXT: RouteRuleMatch[] = ["is", "in", "contains", "startswith", "endswith", "matches"];
const LIST: RouteRuleMatch[] = ["is", "in"];
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE"];
const rule = (type: RouteType, name: string, matches: RouteRuleMatch[], pattern: string, more: Partial<wire.RouteAvailableRule> = {}): wire.RouteAvailableRule =>
  ({ type, name, hasSubField: false, matches, pattern, enum: null, ...more });

/**
 * What `GET /ipLoadbalancing/{serviceName}/availableRouteRules` answers, per the OVH routes guide ("Available rules",
 * ovh/docs pages/network/load_balancer/create_route/guide.en-gb.md); `exists` on param, header and cookie, and TCP's
 * `sni`, as the emulator assumes them (emulator/models/route.ts).
 */
export const ROUTE_RULES: readonly wire.RouteAvailableRule[] = [
  rule("http", "source", LIST, "cidr"),
  rule("http", "protocol", LIST, "enum", { enum: ["http", "https", "tcp", "tls"] }),
  rule("http", "method", LIST, "enum", { enum: METHODS }),
  rule("http", "host", TEXT, "string"),
  rule("http", "uri", TEXT, "string"),
  rule("http", "param", [...TEXT, "exists"], "string", { hasSubField: true }),
  rule("http", "header", [...TEXT, "exists"], "string", { hasSubField: true }),
  rule("http", "cookie", [...TEXT, "exists"], "string", { hasSubField: true }),
  rule("tcp", "source", LIST, "cidr"),
  rule("tcp", "protocol", LIST, "enum", { enum: ["http", "http/2.0", "https", "tcp", "tls"] }),
  rule("tcp", "sni", TEXT, "string"),
];

const rulesOf = (type: RouteType) => ROUTE_RULES.filter((r) => r.type === type);
const specOf = (type: RouteType, field: unknown) => rulesOf(type).find((r) => r.name === field);

/** Inputs of a route rule resource, as check() returns them. */
export type RouteRuleInputs = {
  serviceName: string;
  routeId: number;
  field: string;
  subField?: string | null;
  match: RouteRuleMatch;
  negate?: boolean | null;
  pattern?: string | null;
  displayName?: string | null;
  adoptRuleId?: number | null;
  __provider?: string;
};

/** Outputs: the rule as the API reports it, its id, its route, and the zone it runs in (its route's). */
export type RouteRuleOutputs = Omit<RouteRuleInputs, "adoptRuleId" | "__provider"> & {
  ruleId: number;
  negate: boolean;
  zone?: string | null;
};

const unset = (v: unknown) => fields.isNil(v) || v === "";
/** The values of a pattern: each entry of an `in` list (comma-separated, trimmed), else the pattern itself. */
const valuesOf = (match: unknown, pattern: string) => (match === "in" ? pattern.split(",").map((v) => v.trim()) : [pattern]);
const patternText = fields.str({ nonEmpty: true, singleLine: true, maxLength: 2048 });

function cidrFailures(what: string, values: string[]): fields.CheckFailure[] {
  for (const v of values) {
    const block = normalizeBlock(v);
    if (block === undefined) return [fields.failure("pattern", `${fields.formatValue(v)} is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32) for ${what}`)];
    if (networkOf(block) !== block) return [fields.failure("pattern", `${fields.formatValue(v)} is not a network address; the block is "${networkOf(block)}"`)];
  }
  return [];
}

/** The pattern against the match and the field's kind (spec known, match valid). */
function patternFailures(type: RouteType, spec: wire.RouteAvailableRule, match: string, pattern: unknown): fields.CheckFailure[] {
  if (fields.containsUnknown(pattern)) return [];
  if (match === "exists") return unset(pattern) ? [] : [fields.failure("pattern", "the exists match takes no pattern (it tests that the subField is present)")];
  if (unset(pattern)) return [fields.failure("pattern", `a value is required for the ${match} match${spec.enum ? ` (one of ${spec.enum.join(", ")})` : ""}`)];
  const text = patternText("pattern", pattern);
  if (text.length > 0) return text;
  const values = valuesOf(match, pattern as string);
  const what = `the ${LABELS[type]} rule field ${spec.name}`;
  if (spec.pattern === "cidr") return cidrFailures(what, values);
  const allowed = spec.enum;
  const bad = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
  return allowed && bad !== undefined ? [fields.failure("pattern", `${fields.formatValue(bad)} is not a value of ${what} (allowed: ${allowed.join(", ")})`)] : [];
}

/** match, subField and pattern against the field's entry of availableRouteRules. */
function ruleFailures(type: RouteType, news: Obj): fields.CheckFailure[] {
  const spec = specOf(type, news.field);
  if (!spec || fields.containsUnknown(news.match) || typeof news.match !== "string") return [];
  const what = `the ${LABELS[type]} rule field ${spec.name}`;
  if (!spec.matches.includes(news.match)) return [fields.failure("match", `${fields.formatValue(news.match)} is not available for ${what} (allowed: ${spec.matches.join(", ")})`)];
  const failures: fields.CheckFailure[] = [];
  if (!fields.containsUnknown(news.subField)) {
    if (spec.hasSubField && unset(news.subField)) failures.push(fields.failure("subField", `${what} needs a subField (the ${spec.name} name)`));
    if (!spec.hasSubField && !unset(news.subField)) failures.push(fields.failure("subField", `${what} takes no subField (only ${rulesOf(type).filter((r) => r.hasSubField).map((r) => r.name).join(", ") || "none"} do)`));
  }
  return [...failures, ...patternFailures(type, spec, news.match, news.pattern)];
}

function fieldCheck(type: RouteType): fields.Checker {
  const names = rulesOf(type).map((r) => r.name);
  return (property, value) => (specOf(type, value) ? [] : [fields.failure(property, `${fields.formatValue(value)} is not one of ${names.join(", ")} (${LABELS[type]} route rules)`)]);
}

const MATCHES: RouteRuleMatch[] = ["contains", "endswith", "exists", "in", "internal", "is", "matches", "startswith"];

function ruleTable(type: RouteType): fields.RuleTable {
  return {
    serviceName: { check: fields.serviceName, required: true },
    routeId: { check: fields.intRange(1), required: true },
    field: { check: fieldCheck(type), required: true },
    subField: { check: fields.str({ singleLine: true, maxLength: 255 }), nullable: true },
    match: { check: fields.enumOf(MATCHES), required: true },
    negate: { check: fields.bool, nullable: true },
    pattern: { check: () => [], nullable: true }, // checked with the field and match (ruleFailures)
    displayName: { check: fields.text, nullable: true },
    adoptRuleId: { check: fields.intRange(1), nullable: true },
  };
}

/** Validates the inputs of a rule; every failure is reported, none is thrown. */
export function checkRouteRule(type: RouteType, news: Record<string, unknown>): Checked<RouteRuleInputs> {
  const failures = fields.checkFields(news, ruleTable(type), { passThrough: ["__provider"] });
  const named = new Set(failures.map((f) => f.property));
  const more = named.has("field") || named.has("match") ? [] : ruleFailures(type, news).filter((f) => !named.has(f.property));
  return { inputs: news as RouteRuleInputs, failures: [...failures, ...more] };
}

/** The pattern as the API acts on it: cidr values as blocks, an `in` list as a sorted set; none as null. */
export function effectivePattern(type: RouteType, pattern: unknown, rule: Obj): unknown {
  if (unset(pattern) || typeof pattern !== "string") return unset(pattern) ? null : pattern;
  const match = typeof rule.match === "string" ? rule.match.toLowerCase() : rule.match;
  const cidr = specOf(type, rule.field)?.pattern === "cidr";
  const values = valuesOf(match, pattern).map((v) => (cidr ? (normalizeBlock(v) ?? v) : v));
  return match === "in" ? [...new Set(values)].sort().join(",") : values[0];
}

function fieldTable(type: RouteType): fields.FieldTable {
  return {
    serviceName: { change: "replace" },
    routeId: { change: "replace" },
    field: { change: "update" },
    subField: { change: "update", effective: fields.emptyAsNull },
    match: { change: "update", effective: (v) => (typeof v === "string" ? v.toLowerCase() : v) },
    negate: { change: "update", effective: (v) => v ?? false, cleared: false },
    pattern: { change: "update", effective: (v, whole) => effectivePattern(type, v, whole) },
    displayName: { change: "update", effective: fields.emptyAsNull },
    adoptRuleId: { change: "ignore" },
  };
}

/** Desired inputs against the rule as the API reports it now, or undefined when it is gone (replace re-creates it). */
export function diffRouteRule(type: RouteType, desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("ruleId");
  return fields.diffFields(fieldTable(type), desired, live);
}

/** POST body: field and match, negate always (so a recovery's natural key compares like with like), the rest when set. */
export function routeRuleCreateBody(type: RouteType, inputs: Obj): Record<string, unknown> {
  const body = fields.createBody(fieldTable(type), ["field", "subField", "match", "negate", "pattern", "displayName"], inputs);
  for (const k of ["subField", "pattern", "displayName"]) if (body[k] === "") delete body[k];
  return { ...body, negate: inputs.negate ?? false };
}

/** PUT body: only the changed fields; null clears, a cleared negate is false. */
export function routeRuleUpdateBody(type: RouteType, desired: Obj, live: Obj): Record<string, unknown> {
  return fields.updateBody(fieldTable(type), desired, live);
}

/** The rule as outputs (its routeId and zone come from providers/routeRule.ts): every field, null where the API says null. */
export function routeRuleOutputs(serviceName: string, r: wire.RouteRuleObject): Omit<RouteRuleOutputs, "routeId"> {
  return {
    ruleId: r.ruleId, serviceName, field: r.field, subField: r.subField ?? null, match: r.match as RouteRuleMatch,
    negate: r.negate ?? false, pattern: r.pattern ?? null, displayName: r.displayName ?? null,
  };
}

/** Zones a change to the rule touches: its route's zone, or every zone when it is not known. */
export function routeRuleZones(outs: Obj): string[] {
  return typeof outs.zone === "string" ? [outs.zone] : ["all"];
}

export type RouteRuleKey = { serviceName: string; routeId: number; ruleId: number };

/** The Pulumi id of a rule, also its import id: `serviceName/routeId/ruleId`. */
export function routeRuleResourceId(key: RouteRuleKey): string {
  return `${key.serviceName}/${key.routeId}/${key.ruleId}`;
}

/** Parses `serviceName/routeId/ruleId`; throws an IplbError naming the expected format otherwise. */
export function parseRouteRuleResourceId(id: string): RouteRuleKey {
  const ids = parseResourceId(id, 2);
  if (!ids) throw new IplbError(`invalid route rule id ${JSON.stringify(id)}: expected <serviceName>/<routeId>/<ruleId>, e.g. loadbalancer-abc/7/12`);
  return { serviceName: ids.serviceName, routeId: ids.numbers[0], ruleId: ids.numbers[1] };
}

/** The rule family of one protocol, with the verbs every object model has (model.ts). */
export function routeRuleModel(type: RouteType): ObjectModel<RouteRuleInputs, RouteRuleOutputs, wire.RouteRuleObject, RouteRuleKey> {
  if (!(type in LABELS)) throw new IplbError(`unknown route type ${JSON.stringify(type)} (expected one of http, tcp)`);
  return {
    name: ROUTE_RULE_CLASS_NAMES[type],
    check: (news) => checkRouteRule(type, news),
    diff: (desired, live) => diffRouteRule(type, desired, live),
    toCreate: (inputs) => routeRuleCreateBody(type, inputs),
    toUpdate: (desired, live) => routeRuleUpdateBody(type, desired, live),
    // routeId is not in the API's rule: the provider's hooks add it from the key (providers/routeRule.ts).
    fromApi: (serviceName, object) => routeRuleOutputs(serviceName, object) as RouteRuleOutputs,
    id: routeRuleResourceId,
    parseId: parseRouteRuleResourceId,
    collection: (inputs) => paths.routeRules(inputs.serviceName, type, inputs.routeId),
    path: (key) => paths.routeRule(key.serviceName, type, key.routeId, key.ruleId),
    keyFor: (inputs, ruleId) => ({ serviceName: inputs.serviceName, routeId: inputs.routeId, ruleId }),
    describe: (key) => `rule ${key.ruleId} of ${LABELS[type]} route ${key.routeId} on ${key.serviceName}`,
    adoptField: "adoptRuleId",
    // A rule an interrupted deployment made (same field, subField, match, pattern and negate in the route) is taken over.
    naturalKey: "routeRule",
    listQuery: (): Query => ({}),
    zones: routeRuleZones,
  };
}

/**
 * Route and rule models (`ipLoadbalancing.RouteHttp.RouteHttp`, `ipLoadbalancing.RouteTcp.RouteTcp`,
 * `ipLoadbalancing.RouteRule.RouteRule`), and what `availableRouteActions` / `availableRouteRules` advertise: the
 * handlers enforce exactly these lists, so what the API advertises is what it accepts.
 *
 * Values: the OVH routes guide, ovh/docs `pages/network/load_balancer/create_route/guide.en-gb.md`, sections
 * "Actions available" and "Available rules". Where the guide is silent, these are assumptions (marked ASSUMED below):
 * - `destination` (the kind of `action.target`): `backend` for `farm` (a farm id; "backend" is one of the pattern kinds
 *   the schema names), `string` for `redirect` (a URL template), null for `reject` (the guide: "target not available").
 * - `exists` is offered for `param`, `header` and `cookie`: the guide's tables omit it, but its own cookie example
 *   uses `match: exists`, and the three sections say the rule "filters requests depending on their existence".
 * - TCP's rule on the TLS server name is named `sni` (terraform-provider-ovh's tcp route rule example); the guide
 *   only says that `host` works "in TCP" through SNI.
 * - `protocol` takes `tcp`, `tls`, `http`, `https` (the guide's list), TCP routes also `http/2.0` (its note).
 */
import { badRequest, invalidField } from "../errors";
import { isIpBlock, ModelSpec } from "../validate";
import type { ModelTable } from "./spec";

export type RouteProtocol = "http" | "tcp";
export const ROUTE_PROTOCOLS: readonly RouteProtocol[] = ["http", "tcp"];

export const ROUTE_MATCHES = ["contains", "endswith", "exists", "in", "internal", "is", "matches", "startswith"] as const;
export const ROUTE_STATUSES = ["creating", "deleting", "internal", "ok", "updating"] as const;
const match = { type: "string", required: true, enum: ROUTE_MATCHES, enumName: "ipLoadbalancing.RouteRuleMatchesEnum" } as const;

/** A rule inside a route's `rules` (`ipLoadbalancing.RouteRule`: no displayName, and `ruleId` is not read-only there). */
const RULE_IN_ROUTE: ModelSpec = {
  field: { type: "string" },
  match: { type: "string", enum: ROUTE_MATCHES, enumName: match.enumName },
  negate: { type: "boolean" },
  pattern: { type: "string", nullable: true },
  ruleId: { type: "integer" },
  subField: { type: "string", nullable: true },
};

/** `ipLoadbalancing.RouteHttpAction` / `RouteTcpAction`: `type` is required by the handlers (nested fields are not). */
export const ACTION_SPECS: Record<RouteProtocol, ModelSpec> = {
  http: { status: { type: "integer", nullable: true }, target: { type: "string", nullable: true }, type: { type: "string" } },
  tcp: { target: { type: "string", nullable: true }, type: { type: "string" } },
};

const routeSpec = (proto: RouteProtocol): ModelSpec => ({
  action: { type: "object", required: true, fields: ACTION_SPECS[proto] },
  displayName: { type: "string", nullable: true },
  frontendId: { type: "integer", nullable: true },
  routeId: { type: "integer", readOnly: true },
  rules: { type: "object[]", readOnly: true, fields: RULE_IN_ROUTE },
  status: { type: "string", readOnly: true, enum: ROUTE_STATUSES, enumName: "ipLoadbalancing.RouteStatusEnum" },
  // "Route priority ([0..255]). 0 if null."
  weight: { type: "integer", min: 0, max: 255 },
});

export const ROUTE_MODELS: Record<RouteProtocol, ModelTable> = {
  http: { schemaModel: "ipLoadbalancing.RouteHttp.RouteHttp", spec: routeSpec("http"), createOnly: [], defaults: { weight: 0 } },
  tcp: { schemaModel: "ipLoadbalancing.RouteTcp.RouteTcp", spec: routeSpec("tcp"), createOnly: [], defaults: { weight: 0 } },
};

/** Computed on every read, never stored: the route's rules, and its status. */
export const ROUTE_COMPUTED = ["rules", "status"] as const;

export const RULE_MODEL: ModelTable = {
  schemaModel: "ipLoadbalancing.RouteRule.RouteRule",
  spec: {
    displayName: { type: "string", nullable: true },
    field: { type: "string", required: true },
    match,
    negate: { type: "boolean" },
    pattern: { type: "string", nullable: true },
    ruleId: { type: "integer", readOnly: true },
    subField: { type: "string", nullable: true },
  },
  createOnly: [],
  defaults: { negate: false },
};

/** List filters of `GET .../route`. */
export const ROUTE_FILTERS = { frontendId: "integer" } as const;

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
export const REJECT_STATUSES = [200, 400, 403, 405, 408, 429, 500, 502, 503, 504];

export interface AvailableAction {
  type: RouteProtocol;
  name: string;
  destination: string | null;
  status: number[] | null;
}

/** `GET .../availableRouteActions` (`ipLoadbalancing.RouteAvailableAction[]`). TCP `reject` has no status (guide). */
export const AVAILABLE_ROUTE_ACTIONS: readonly AvailableAction[] = [
  { type: "http", name: "farm", destination: "backend", status: null }, // destination ASSUMED
  { type: "http", name: "redirect", destination: "string", status: REDIRECT_STATUSES }, // destination ASSUMED
  { type: "http", name: "reject", destination: null, status: REJECT_STATUSES },
  { type: "tcp", name: "farm", destination: "backend", status: null }, // destination ASSUMED
  { type: "tcp", name: "reject", destination: null, status: null },
];

export interface AvailableRule {
  type: RouteProtocol;
  name: string;
  hasSubField: boolean;
  matches: string[];
  pattern: "cidr" | "enum" | "string";
  enum: string[] | null;
}

const TEXT_MATCHES = ["is", "in", "contains", "startswith", "endswith", "matches"];
const LIST_MATCHES = ["is", "in"];
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE"];
const rule = (type: RouteProtocol, name: string, matches: string[], pattern: AvailableRule["pattern"], more: Partial<AvailableRule> = {}): AvailableRule =>
  ({ type, name, hasSubField: false, matches, pattern, enum: null, ...more });

/** `GET .../availableRouteRules` (`ipLoadbalancing.RouteAvailableRule[]`), per the guide's "Available rules". */
export const AVAILABLE_ROUTE_RULES: readonly AvailableRule[] = [
  rule("http", "source", LIST_MATCHES, "cidr"),
  rule("http", "protocol", LIST_MATCHES, "enum", { enum: ["http", "https", "tcp", "tls"] }),
  rule("http", "method", LIST_MATCHES, "enum", { enum: METHODS }),
  rule("http", "host", TEXT_MATCHES, "string"),
  rule("http", "uri", TEXT_MATCHES, "string"),
  rule("http", "param", [...TEXT_MATCHES, "exists"], "string", { hasSubField: true }), // exists ASSUMED
  rule("http", "header", [...TEXT_MATCHES, "exists"], "string", { hasSubField: true }), // exists ASSUMED
  rule("http", "cookie", [...TEXT_MATCHES, "exists"], "string", { hasSubField: true }), // exists ASSUMED
  rule("tcp", "source", LIST_MATCHES, "cidr"),
  rule("tcp", "protocol", LIST_MATCHES, "enum", { enum: ["http", "http/2.0", "https", "tcp", "tls"] }),
  rule("tcp", "sni", TEXT_MATCHES, "string"), // name ASSUMED
];

const unset = (value: unknown) => value === null || value === undefined || value === "";

/**
 * A rule as it would be after the write, against `availableRouteRules`: the field must exist for the protocol, the
 * match be one it lists, a subField be given exactly when it has one, and the pattern (needed by every match but
 * `exists`) be of its kind: each value of an `in` list (comma-separated) one of the enum, or an address/block for cidr.
 */
export function checkRule(proto: RouteProtocol, r: Record<string, unknown>): void {
  const available = AVAILABLE_ROUTE_RULES.filter((a) => a.type === proto);
  const spec = available.find((a) => a.name === r.field);
  if (!spec) throw invalidField("field", r.field, `is not an available ${proto} route rule field (${available.map((a) => a.name).join(", ")})`);
  const m = r.match as string;
  if (!spec.matches.includes(m)) throw invalidField("match", m, `is not available for the ${proto} rule field ${spec.name} (${spec.matches.join(", ")})`);
  if (spec.hasSubField && unset(r.subField)) throw badRequest(`[subField] The ${proto} rule field ${spec.name} needs a subField (the ${spec.name} name)`);
  if (!spec.hasSubField && !unset(r.subField)) throw invalidField("subField", r.subField, `is not applicable: the ${proto} rule field ${spec.name} has no subField`);
  if (m === "exists") return;
  if (unset(r.pattern)) throw badRequest(`[pattern] Property is mandatory for the ${m} match`);
  const values = m === "in" ? (r.pattern as string).split(",").map((v) => v.trim()) : [r.pattern as string];
  const allowed = spec.enum;
  const badEnum = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
  if (allowed && badEnum !== undefined) throw invalidField("pattern", badEnum, `is not a ${proto} ${spec.name} value (${allowed.join(", ")})`);
  const badCidr = spec.pattern === "cidr" ? values.find((v) => !isIpBlock(v)) : undefined;
  if (badCidr !== undefined) throw invalidField("pattern", badCidr, "is not an IPv4 address or block (a.b.c.d or a.b.c.d/z)");
}

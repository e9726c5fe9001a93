// Routes and their rules (schema `ipLoadbalancing.Route*`), re-exported by wire.ts.

/** Route protocols: UDP frontends have no routes. */
export type RouteType = "http" | "tcp";
/** `ipLoadbalancing.RouteHttpAction` (`RouteTcpAction` has no status). `target`: a farm id or a URL template. */
export interface RouteAction {
  type: string;
  target?: string | null;
  status?: number | null;
}
/** `ipLoadbalancing.RouteRule`, as a route lists its rules. */
export interface RouteRule {
  ruleId: number;
  field: string;
  match: string;
  negate: boolean;
  pattern: string | null;
  subField: string | null;
}
/** `ipLoadbalancing.RouteHttp.RouteHttp` / `RouteTcp.RouteTcp`; `rules` and `status` are read-only. */
export interface Route {
  routeId: number;
  action: RouteAction;
  displayName: string | null;
  frontendId: number | null;
  weight: number;
  rules: RouteRule[];
  status: "creating" | "deleting" | "internal" | "ok" | "updating";
}
/** `ipLoadbalancing.RouteAvailableAction` (`GET .../availableRouteActions`). */
export interface RouteAvailableAction {
  type: RouteType;
  name: string;
  destination: string | null;
  status: number[] | null;
}
/** `ipLoadbalancing.RouteRule.RouteRule`: one rule read at `.../route/{routeId}/rule/{ruleId}` (displayName included). */
export interface RouteRuleObject extends RouteRule {
  displayName: string | null;
}
/** The POST body of `.../route/{routeId}/rule` (field and match required) and the PUT body (any subset). */
export type RouteRuleBody = Partial<Omit<RouteRuleObject, "ruleId">>;
/**
 * `ipLoadbalancing.RouteAvailableRule` (`GET .../availableRouteRules`): per protocol, a rule field, whether it takes a
 * subField, its matches, the kind of its pattern (`cidr`, `enum`, `string`...), the enum's values.
 */
export interface RouteAvailableRule {
  type: RouteType;
  name: string;
  hasSubField: boolean;
  matches: string[];
  pattern: string;
  enum: string[] | null;
}

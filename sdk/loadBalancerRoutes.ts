/**
 * The routes of the `LoadBalancer` component: their args (a route names its frontend and farm by key, its rules are
 * keyed by name) and the `HttpRoute`/`TcpRoute` and rule children built from them, members of the component's batch.
 * The cross-references are checked before anything is built (sdk/loadBalancerModel.ts), so the keys used here exist.
 *
 * Why rules are a record and not an array: a rule's key is part of its resource's name (`<lb>-rule-<route>-<key>`).
 * With an index instead, removing the first of three rules would rename the two after it: the engine would see rule 1
 * "changed" into rule 2's fields, and delete the last, writing to rules that did not change.
 */
import * as pulumi from "@pulumi/pulumi";
import * as model from "./loadBalancerModel";
import type { Refresh } from "./refresh";
import { HttpRouteRule, TcpRouteRule } from "./routeRules";
import type { HttpRouteRuleArgs, HttpRouteRuleField, RouteRuleMatch, TcpRouteRuleArgs, TcpRouteRuleField } from "./routeRules";
import { HttpRoute, TcpRoute } from "./routes";
import type { HttpRouteAction, RouteRedirectStatus, RouteRejectStatus, TcpRouteAction } from "./routes";

/** A rule of a route (`HttpRouteRule`/`TcpRouteRule`, per the route's frontend); the route acts when all of them match. */
export interface LoadBalancerRouteRule {
  /** What is compared: HTTP `source`, `protocol`, `method`, `host`, `uri`, `param`, `header`, `cookie`; TCP `source`, `protocol`, `sni`. */
  field: pulumi.Input<HttpRouteRuleField | TcpRouteRuleField>;
  /** The cookie, header or query parameter name, for `param`, `header`, `cookie` only. */
  subField?: pulumi.Input<string | null>;
  /** How `pattern` is compared (`is`, `in`, `contains`, `startswith`, `endswith`, `matches`, `exists`). */
  match: pulumi.Input<RouteRuleMatch>;
  /** Invert the match; false when absent. */
  negate?: pulumi.Input<boolean | null>;
  /** What to match (an IPv4 block for `source`, a comma list for `in`, a regular expression for `matches`); none for `exists`. */
  pattern?: pulumi.Input<string | null>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
}

/** What a route does when its rules match. TCP routes take `farm` and `reject` (without a status) only. */
export type LoadBalancerRouteAction =
  /** Send to this farm, named by key: a farm of the frontend's protocol, in the frontend's zone or `all`. */
  | { type: "farm"; farm: string }
  /** HTTP only: redirect to this URL template (`${protocol}`, `${domain}`, `${host}`, `${port}`, `${path}`, `${arguments}` are replaced). */
  | { type: "redirect"; target: pulumi.Input<string>; status?: pulumi.Input<RouteRedirectStatus | null> }
  /** Answer with this status (HTTP only) and no backend. */
  | { type: "reject"; status?: pulumi.Input<RouteRejectStatus | null> };

/** A route of one frontend; its protocol and zone are its frontend's (HTTP or TCP: UDP frontends have no routes). */
export interface LoadBalancerRoute {
  /** The key of the frontend whose traffic the route sees. Changing it moves the route in place. */
  frontend: string;
  action: LoadBalancerRouteAction;
  /** Priority 0..255, 0 when absent; routes of higher weight are evaluated later, the first match acts. */
  weight?: pulumi.Input<number | null>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
  /**
   * The route's rules by key (each its own resource, `<lb>-rule-<route>-<key>`): adding or removing one never touches
   * the others. None: the route always matches.
   */
  rules?: Record<string, LoadBalancerRouteRule>;
}

export type AnyRoute = HttpRoute | TcpRoute;
export type AnyRouteRule = HttpRouteRule | TcpRouteRule;

/** What the routes reference, already built by the component. */
export interface RouteContext {
  lb: string;
  batch: { serviceName: pulumi.Input<string>; refresh: Refresh };
  opts: pulumi.CustomResourceOptions;
  frontends: Record<string, { type: "http" | "tcp" | "udp"; frontendId: pulumi.Output<number> }>;
  farmIds: Record<string, pulumi.Output<number>>;
}

/** The component's action with its farm key turned into the farm's id, as the route classes take it. */
function actionOf(action: LoadBalancerRouteAction, farmIds: RouteContext["farmIds"]): HttpRouteAction {
  return action.type === "farm" ? { type: "farm", target: farmIds[action.farm] } : action;
}

/** Builds each route and its rules; `routes` and `rules` are filled by key (rules by route key, then rule key). */
export function addRoutes(
  routes: Record<string, LoadBalancerRoute>, ctx: RouteContext, made: { routes: Record<string, AnyRoute>; rules: Record<string, Record<string, AnyRouteRule>> },
): void {
  const { lb, batch, opts } = ctx;
  for (const [key, { frontend, action, rules = {}, ...rest }] of Object.entries(routes)) {
    const fe = ctx.frontends[frontend];
    const args = { ...batch, ...rest, frontendId: fe.frontendId, action: actionOf(action, ctx.farmIds) };
    // A TCP route given a redirect (or a status) is refused by TcpRoute's own check, with the allowed actions.
    const route: AnyRoute = fe.type === "tcp"
      ? new TcpRoute(model.childNames.route(lb, key), { ...args, action: args.action as TcpRouteAction }, opts)
      : new HttpRoute(model.childNames.route(lb, key), args, opts);
    made.routes[key] = route;
    made.rules[key] = {};
    for (const [ruleKey, rule] of Object.entries(rules)) {
      const name = model.childNames.rule(lb, key, ruleKey);
      const ruleArgs = { ...batch, ...rule, routeId: route.routeId };
      made.rules[key][ruleKey] = fe.type === "tcp"
        ? new TcpRouteRule(name, ruleArgs as TcpRouteRuleArgs, opts)
        : new HttpRouteRule(name, ruleArgs as HttpRouteRuleArgs, opts);
    }
  }
}

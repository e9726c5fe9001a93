/**
 * Routes of a running frontend against one request (HTTP) or connection (TCP), as the OVH routes guide says (ovh/docs
 * pages/network/load_balancer/create_route/guide.en-gb.md):
 * - order: "firstly, reject and rewrite routes, then the farm routes; within categories ... ascending weight; if two
 *   routes are the same weight, the first route created is evaluated first" (handlers/routes.ts `evaluationOrder`);
 * - a route applies when all its rules match ("If a second rule is added to the same route, the two rules need to be
 *   validated"); a route without rules always applies; "only the first action ... is executed";
 * - fields: `source` (client address in a.b.c.d/z blocks), `protocol` (http/https on HTTP frontends; tcp/tls on TCP
 *   ones), `method`, `host` ("without the port number"), `uri` (the path, before `?`), `param` (the first occurrence
 *   of the query parameter `subField`), `header` (`subField`), `cookie` (`subField`), TCP `sni` (the TLS server name);
 * - matches: `is`, `in` (comma-separated list, spaces allowed), `contains`, `startswith`, `endswith`, `matches` (a
 *   regular expression, JavaScript's dialect here, PCRE on OVH), `exists`; `negate` inverts. A value the request
 *   lacks matches nothing but `exists` (so a negated rule on it matches, as in HAProxy). Comparisons are
 *   case-sensitive (the guide's websocket example: "case-sensitive"), `source` compares addresses.
 * Not modelled: TCP `protocol` values `http`, `https` and `http/2.0` (they need content or ALPN inspection).
 */
import type { IncomingHttpHeaders } from "http";
import { evaluationOrder } from "../handlers/routes";
import { Config, Model, routesOf, StoredRoute } from "../store";
import { inAnyBlock, inBlock } from "./sources";

export interface RequestFacts {
  source: string;
  protocol: string;
  method?: string;
  host?: string;
  uri?: string;
  query?: URLSearchParams;
  headers?: IncomingHttpHeaders;
  cookies?: Map<string, string>;
  sni?: string;
}

export type RouteAction =
  | { type: "farm"; farmId: number; routeId: number }
  | { type: "redirect"; status: number; target: string; routeId: number }
  | { type: "reject"; status: number; routeId: number };

/** The running routes of a frontend, in evaluation order. */
export function frontendRoutes(config: Config, frontendId: number, type: string): StoredRoute[] {
  const routes = routesOf(config);
  const ids = Object.keys(routes)
    .map(Number)
    .filter((id) => routes[id].type === type && routes[id].data.frontendId === frontendId);
  return ids.sort(evaluationOrder(routes)).map((id) => routes[id]);
}

function ruleValue(rule: Model, facts: RequestFacts): string | undefined {
  const sub = typeof rule.subField === "string" ? rule.subField : "";
  switch (rule.field) {
    case "source":
      return facts.source;
    case "protocol":
      return facts.protocol;
    case "method":
      return facts.method;
    case "host":
      return facts.host;
    case "uri":
      return facts.uri;
    case "sni":
      return facts.sni;
    case "param":
      return facts.query?.get(sub) ?? undefined;
    case "header": {
      const value = facts.headers?.[sub.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    }
    case "cookie":
      return facts.cookies?.get(sub);
    default:
      return undefined;
  }
}

function compare(match: unknown, field: unknown, value: string, pattern: string): boolean {
  const list = () => pattern.split(",").map((p) => p.trim());
  switch (match) {
    case "is":
      return field === "source" ? inBlock(value, pattern) : value === pattern;
    case "in":
      return field === "source" ? inAnyBlock(value, list()) : list().includes(value);
    case "contains":
      return value.includes(pattern);
    case "startswith":
      return value.startsWith(pattern);
    case "endswith":
      return value.endsWith(pattern);
    case "matches":
      try {
        return new RegExp(pattern).test(value);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

export function ruleMatches(rule: Model, facts: RequestFacts): boolean {
  const value = ruleValue(rule, facts);
  const found = rule.match === "exists" ? value !== undefined : value !== undefined && compare(rule.match, rule.field, value, String(rule.pattern ?? ""));
  return found !== (rule.negate === true);
}

function actionOf(route: StoredRoute): RouteAction | undefined {
  const action = route.data.action as Model;
  const routeId = route.data.routeId as number;
  const status = typeof action.status === "number" ? action.status : undefined;
  // The guide's defaults: 302 for a redirect, 403 for a reject.
  if (action.type === "redirect") return { type: "redirect", status: status ?? 302, target: String(action.target ?? ""), routeId };
  if (action.type === "reject") return { type: "reject", status: status ?? 403, routeId };
  if (action.type === "farm" && /^\d+$/.test(String(action.target))) return { type: "farm", farmId: Number(action.target), routeId };
  return undefined;
}

/** The action of the first route whose rules all match, if any. */
export function routeFor(routes: readonly StoredRoute[], facts: RequestFacts): RouteAction | undefined {
  for (const route of routes) {
    if (Object.values(route.rules).every((rule) => ruleMatches(rule, facts))) {
      const action = actionOf(route);
      if (action) return action;
    }
  }
  return undefined;
}

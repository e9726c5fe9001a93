/**
 * `/ipLoadbalancing/{serviceName}/{http|tcp}/route[/{routeId}[/rule[/{ruleId}]]]`, `availableRouteActions`,
 * `availableRouteRules` and `definedRoutes` (OVH routes guide: ovh/docs pages/network/load_balancer/create_route).
 * Routes and their rules are staged like farms and frontends: every write is one pending change in the zone of the
 * route's frontend, or in every zone when the route has no frontend or its frontend is in `all`; a refresh makes the
 * zone run them (`Config.routes`, rules included).
 *
 * Checks beyond field types, made on the route as it would be after the write (so nothing changes when one fails);
 * 400 rather than 404 for references, for the reason frontends.ts gives:
 * - `frontendId` names a frontend of the route's protocol.
 * - `action.type` is one of the protocol's `availableRouteActions` (http: farm, redirect, reject; tcp: farm, reject).
 *   `farm` needs `target` = the id of a farm of the same protocol whose zone covers the frontend's (its zone or `all`,
 *   as for a frontend's `defaultFarmId`); `redirect` needs a target (the URL template); `reject` takes none. `status`
 *   must be one the action lists; left out, it stays null (the guide's defaults, 302 and 403, are not filled in).
 *   An `action` in a PUT replaces the whole action, like a farm's probe.
 * - Rules: `checkRule` (models/route.ts) against `availableRouteRules`, on the whole rule after each write.
 * - `rules` and `status` are computed on each read: the route's rules (ids ascending), and `ok` (ASSUMED: the schema's
 *   other states describe OVH's processing of a write, which the emulator does at once).
 * - The list answers ids in evaluation order (the guide: "This call returns the routes in the order in which they will
 *   be evaluated"): redirect and reject routes before farm routes, then ascending weight, then creation order (id).
 * - A route or rule id of the other protocol, or a rule of another route, is unknown on this path (404).
 * - Deleting a route deletes its rules. A farm that a route targets, or a frontend that a route belongs to, is not
 *   deleted (400, farms.ts and frontends.ts): the route would be left pointing nowhere.
 * Not modelled: the guide's limits (50 routes per load balancer, 5 rules per route).
 */
import { badRequest, invalidField, missingField } from "../errors";
import {
  ACTION_SPECS, AVAILABLE_ROUTE_ACTIONS, AVAILABLE_ROUTE_RULES, checkRule, ROUTE_COMPUTED, ROUTE_FILTERS, ROUTE_MODELS,
  ROUTE_PROTOCOLS, RouteProtocol, RULE_MODEL,
} from "../models/route";
import { checkFilters, createValues, fullModel, updateValues } from "../models/spec";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { clone, Model, routesOf, ServiceState, StoredRoute } from "../store";
import { Ctx, filterIds, idIn, idOfType, serviceOf } from "./common";

const has = (table: object, id: unknown) => Object.prototype.hasOwnProperty.call(table, String(id));
const unset = (value: unknown) => value === null || value === undefined || value === "";

function routeOf(ctx: Ctx, svc: ServiceState, proto: RouteProtocol): { id: number; route: StoredRoute } {
  const { id, item } = idOfType(routesOf(svc.staged), ctx, "routeId", proto);
  return { id, route: item };
}

/** The rule named by `{ruleId}` among the rules of the route named by `{routeId}`; 404 otherwise. */
function ruleOf(ctx: Ctx, svc: ServiceState, proto: RouteProtocol): { route: StoredRoute; id: number; rule: Model } {
  const { route } = routeOf(ctx, svc, proto);
  const { id, item } = idIn(route.rules, ctx, "ruleId");
  return { route, id, rule: item };
}

const ruleIds = (route: StoredRoute) => Object.keys(route.rules).map(Number).sort((a, b) => a - b);

/** The route as GET returns it: its fields, its rules as `ipLoadbalancing.RouteRule` (no displayName), its status. */
function view(route: StoredRoute): Model {
  const rules = ruleIds(route).map((id) => {
    const { displayName, ...rule } = route.rules[id];
    void displayName;
    return clone(rule);
  });
  return { ...clone(route.data), rules, status: "ok" };
}

/** The action as stored: every field of the protocol's action model, `null` when not given; `type` is mandatory. */
function fullAction(proto: RouteProtocol, action: Model): Model {
  if (unset(action.type)) throw missingField("action.type");
  return Object.fromEntries(Object.keys(ACTION_SPECS[proto]).map((key) => [key, action[key] ?? null]));
}

/** The zone of the route's frontend (null without one); 400 when it is not a frontend of this protocol. */
function frontendZone(svc: ServiceState, proto: RouteProtocol, frontendId: unknown): string | null {
  if (frontendId === null) return null;
  const frontend = has(svc.staged.frontends, frontendId) ? svc.staged.frontends[frontendId as number] : undefined;
  if (!frontend || frontend.type !== proto) throw badRequest(`[frontendId] ${proto} frontend ${String(frontendId)} does not exist`);
  return frontend.data.zone as string;
}

function checkFarmTarget(svc: ServiceState, proto: RouteProtocol, target: string, zone: string | null): void {
  const farm = /^\d+$/.test(target) && has(svc.staged.farms, target) ? svc.staged.farms[Number(target)] : undefined;
  if (!farm || farm.type !== proto) throw badRequest(`[action.target] ${proto} farm ${target} does not exist`);
  if (zone !== null && farm.data.zone !== "all" && farm.data.zone !== zone) {
    throw badRequest(`[action.target] Farm ${target} is in zone ${String(farm.data.zone)} and can not serve a route of a frontend in zone ${zone}`);
  }
}

/** The action against the protocol's `availableRouteActions`; `zone` is the route's frontend's. */
function checkAction(svc: ServiceState, proto: RouteProtocol, action: Model, zone: string | null): void {
  const available = AVAILABLE_ROUTE_ACTIONS.filter((a) => a.type === proto);
  const spec = available.find((a) => a.name === action.type);
  if (!spec) throw invalidField("action.type", action.type, `is not an available ${proto} route action (${available.map((a) => a.name).join(", ")})`);
  const what = `${proto} ${spec.name} actions`;
  const status = action.status ?? null;
  if (status !== null && !spec.status) throw invalidField("action.status", status, `is not applicable: ${what} take no status`);
  if (status !== null && spec.status && !spec.status.includes(status as number)) {
    throw invalidField("action.status", status, `is not a status of ${what} (${spec.status.join(", ")})`);
  }
  if (spec.destination === null && !unset(action.target)) throw invalidField("action.target", action.target, `is not applicable: ${what} take no target`);
  if (spec.destination !== null && unset(action.target)) throw badRequest(`[action.target] Property is mandatory for ${what}`);
  if (spec.name === "farm") checkFarmTarget(svc, proto, action.target as string, zone);
}

/** Checks the route `next` would become; `written` = the fields this request writes. */
function checkRoute(svc: ServiceState, proto: RouteProtocol, next: Model, written: string[]): void {
  if (!written.some((f) => f === "frontendId" || f === "action")) return;
  checkAction(svc, proto, next.action as Model, frontendZone(svc, proto, next.frontendId));
}

/** Evaluation order: redirect and reject before farm routes, then weight, then creation (id); the data plane's too. */
export function evaluationOrder(routes: Record<string, StoredRoute>): (a: number, b: number) => number {
  const key = (id: number) => [(routes[id].data.action as Model).type === "farm" ? 1 : 0, routes[id].data.weight as number, id];
  return (a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  };
}

function list(ctx: Ctx, proto: RouteProtocol): number[] {
  const svc = serviceOf(ctx);
  checkFilters(ctx.query, ROUTE_FILTERS);
  const routes = routesOf(svc.staged);
  const ofProto = Object.entries(routes).filter(([, r]) => r.type === proto);
  return filterIds(ofProto, ctx.query, { frontendId: { field: (r) => r.data.frontendId, op: "=" } }).sort(evaluationOrder(routes));
}

function create(ctx: Ctx, proto: RouteProtocol): Model {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const table = ROUTE_MODELS[proto];
  const values = createValues(table, ctx.body);
  values.action = fullAction(proto, values.action as Model);
  checkRoute(svc, proto, fullModel(table, values, ROUTE_COMPUTED), Object.keys(table.spec));
  const routeId = rt.store.nextId();
  rt.store.addRoute(svc, proto, fullModel(table, { ...values, routeId }, ROUTE_COMPUTED));
  return view(routesOf(svc.staged)[routeId]);
}

function update(ctx: Ctx, proto: RouteProtocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { route } = routeOf(ctx, svc, proto);
  const changes = updateValues(ROUTE_MODELS[proto].spec, ctx.body, view(route));
  if (changes.action !== undefined) changes.action = fullAction(proto, changes.action as Model);
  checkRoute(svc, proto, { ...route.data, ...changes }, Object.keys(changes));
  rt.store.updateRoute(svc, route, changes);
  return null;
}

function remove(ctx: Ctx, proto: RouteProtocol): null {
  const svc = serviceOf(ctx);
  const { id } = routeOf(ctx, svc, proto);
  ctx.state.store.removeRoute(svc, id);
  return null;
}

function createRule(ctx: Ctx, proto: RouteProtocol): Model {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { route } = routeOf(ctx, svc, proto);
  const values = createValues(RULE_MODEL, ctx.body);
  checkRule(proto, fullModel(RULE_MODEL, values));
  const data = fullModel(RULE_MODEL, { ...values, ruleId: rt.store.nextId() });
  rt.store.writeRules(svc, route, (rules) => void (rules[data.ruleId as number] = data));
  return clone(data);
}

function updateRule(ctx: Ctx, proto: RouteProtocol): null {
  const svc = serviceOf(ctx);
  const { route, rule } = ruleOf(ctx, svc, proto);
  const changes = updateValues(RULE_MODEL.spec, ctx.body, rule);
  checkRule(proto, { ...rule, ...changes });
  ctx.state.store.writeRules(svc, route, () => void Object.assign(rule, changes));
  return null;
}

function removeRule(ctx: Ctx, proto: RouteProtocol): null {
  const svc = serviceOf(ctx);
  const { route, id } = ruleOf(ctx, svc, proto);
  ctx.state.store.writeRules(svc, route, (rules) => void delete rules[id]);
  return null;
}

/** `definedRoutes`: every route of both protocols, ids ascending. */
function definedRoutes(ctx: Ctx): Model[] {
  const routes = routesOf(serviceOf(ctx).staged);
  return Object.keys(routes).map(Number).sort((a, b) => a - b)
    .map((routeId) => ({ type: routes[routeId].type, routeId, displayName: routes[routeId].data.displayName }));
}

export function register(router: Router<Runtime>): void {
  const S = "/ipLoadbalancing/{serviceName}";
  for (const proto of ROUTE_PROTOCOLS) {
    const routes = `${S}/${proto}/route`;
    const route = `${routes}/{routeId}`;
    const rules = `${route}/rule`;
    const rule = `${rules}/{ruleId}`;
    router
      .add("GET", routes, (ctx) => list(ctx, proto))
      .add("POST", routes, (ctx) => create(ctx, proto))
      .add("GET", route, (ctx) => view(routeOf(ctx, serviceOf(ctx), proto).route))
      .add("PUT", route, (ctx) => update(ctx, proto))
      .add("DELETE", route, (ctx) => remove(ctx, proto))
      .add("GET", rules, (ctx) => ruleIds(routeOf(ctx, serviceOf(ctx), proto).route))
      .add("POST", rules, (ctx) => createRule(ctx, proto))
      .add("GET", rule, (ctx) => clone(ruleOf(ctx, serviceOf(ctx), proto).rule))
      .add("PUT", rule, (ctx) => updateRule(ctx, proto))
      .add("DELETE", rule, (ctx) => removeRule(ctx, proto));
  }
  router
    .add("GET", `${S}/availableRouteActions`, (ctx) => (serviceOf(ctx), AVAILABLE_ROUTE_ACTIONS))
    .add("GET", `${S}/availableRouteRules`, (ctx) => (serviceOf(ctx), AVAILABLE_ROUTE_RULES))
    .add("GET", `${S}/definedRoutes`, definedRoutes);
}

// HTTP and TCP routes in one model (schema: `ipLoadbalancing.RouteHttp.RouteHttp`, `RouteTcp.RouteTcp`, their POST
// bodies and `RouteHttpAction` / `RouteTcpAction`).
//
// Semantics of the inputs:
// - Only `serviceName` (part of the path) replaces: the PUT body is the whole route model, so `frontendId`, `action`,
//   `weight` and `displayName` are updated in place (a route moved to a frontend of another zone is a change in both).
// - `action` is what `availableRouteActions` offers (ROUTE_ACTIONS below, checked against the emulator's answer by
//   tests/provider/route.test.ts): its type, whether it takes a target (a farm id, or a redirect URL template) and
//   which statuses. It is compared and sent as a whole (a PUT replaces the whole action), absent target/status = null.
//   A farm target may be given as a number (`farm.farmId`); check() returns the API's string.
// - `weight` absent is 0 ("0 if null", schema); `displayName` "" is none. Absent or null clears.
// - The farm a `farm` action targets must be of the route's protocol, in the zone of the route's frontend or `all`;
//   only the API knows the farms, so the provider reads them (providers/route.ts), like a frontend's defaultFarmId.
// - Zones: a route runs where its frontend runs, everywhere without one. The API's route lacks the zone, so the
//   provider adds `zone` (read from the frontend) and `zoneFrontendId` (the frontend it was read from); when they
//   no longer match (`frontendId` changed), every zone is made live.
// - `adoptRouteId` takes over an existing route on create; it never diffs.
import type { Query } from "../api/client";
import { IplbError } from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { defaultFarmProblem, type FoundFarm } from "./frontend";
import * as fields from "./fields";
import type { Checked, ObjectModel } from "./model";
import { parseResourceId } from "./resourceId";

type RouteType = wire.RouteType;
type Obj = Readonly<Record<string, unknown>>;

export const ROUTE_TYPES: readonly RouteType[] = ["http", "tcp"];
const LABELS: Readonly<Record<RouteType, string>> = { http: "HTTP", tcp: "TCP" };
export const ROUTE_CLASS_NAMES: Readonly<Record<RouteType, string>> = { http: "HttpRoute", tcp: "TcpRoute" };

/**
 * What `GET /ipLoadbalancing/{serviceName}/availableRouteActions` answers: per protocol, each action, the kind of its
 * target (`backend`: a farm id, `string`: a URL template, null: none) and its statuses (null: none). From the OVH
 * routes guide (ovh/docs pages/network/load_balancer/create_route/guide.en-gb.md, "Actions available"): HTTP
 * redirect 301, 302, 303, 307, 308; HTTP reject 200, 400, 403, 405, 408, 429, 500, 502, 503, 504; TCP has no
 * redirect, and its reject no status.
 */
export const ROUTE_ACTIONS: readonly wire.RouteAvailableAction[] = [
  { type: "http", name: "farm", destination: "backend", status: null },
  { type: "http", name: "redirect", destination: "string", status: [301, 302, 303, 307, 308] },
  { type: "http", name: "reject", destination: null, status: [200, 400, 403, 405, 408, 429, 500, 502, 503, 504] },
  { type: "tcp", name: "farm", destination: "backend", status: null },
  { type: "tcp", name: "reject", destination: null, status: null },
];

const actionsOf = (type: RouteType) => ROUTE_ACTIONS.filter((a) => a.type === type);
/** The keys of the protocol's action object: TCP actions have no status. */
const actionKeys = (type: RouteType) => (type === "http" ? ["type", "target", "status"] : ["type", "target"]);

export interface RouteAction {
  type: string;
  target?: string | null;
  status?: number | null;
}

/** Inputs of a route resource, as check() returns them (a farm target as the API's string). */
export type RouteInputs = {
  serviceName: string;
  frontendId?: number | null;
  action: RouteAction;
  weight?: number | null;
  displayName?: string | null;
  adoptRouteId?: number | null;
  __provider?: string;
};

/** Outputs: the route as the API reports it (rules and status included), its id, and the zone it runs in. */
export type RouteOutputs = Omit<RouteInputs, "adoptRouteId" | "__provider"> & {
  routeId: number;
  rules: wire.RouteRule[];
  status: string;
  zone?: string | null;
  zoneFrontendId?: number | null;
};

const farmTarget: fields.Checker = (property, value) => {
  const ok = (typeof value === "number" && Number.isSafeInteger(value) && value > 0) || (typeof value === "string" && /^[1-9]\d{0,15}$/.test(value));
  return ok ? [] : [fields.failure(property, `${fields.formatValue(value)} is not a farm id (farmId of a farm, 1 or more)`)];
};

/** A redirect's URL template: one line, e.g. `https://${host}${path}${arguments}` (OVH routes guide: protocol, domain, host, port, path, arguments). */
const urlTemplate = fields.str({ nonEmpty: true, singleLine: true, maxLength: 2048 });

function targetFailures(type: RouteType, spec: wire.RouteAvailableAction, target: unknown): fields.CheckFailure[] {
  const what = `${LABELS[type]} ${spec.name} actions`;
  if (fields.containsUnknown(target)) return [];
  if (spec.destination === null) return fields.isNil(target) ? [] : [fields.failure("action.target", `${what} take no target`)];
  const kind = spec.destination === "backend" ? "a farm id (farmId)" : "a URL template such as https://${host}${path}${arguments}";
  if (fields.isNil(target) || target === "") return [fields.failure("action.target", `${what} need a target: ${kind}`)];
  return spec.destination === "backend" ? farmTarget("action.target", target) : urlTemplate("action.target", target);
}

function statusFailures(type: RouteType, spec: wire.RouteAvailableAction, status: unknown): fields.CheckFailure[] {
  if (fields.isNil(status) || fields.containsUnknown(status)) return [];
  const what = `${LABELS[type]} ${spec.name} actions`;
  if (!spec.status) return [fields.failure("action.status", `${what} take no status`)];
  if (typeof status === "number" && spec.status.includes(status)) return [];
  return [fields.failure("action.status", `${fields.formatValue(status)} is not a status of ${what} (allowed: ${spec.status.join(", ")})`)];
}

/** The action against the protocol's available actions: its type, then the target and status that type takes. */
function actionCheck(type: RouteType): fields.Checker {
  return (_property, value) => {
    if (!fields.isPlainObject(value)) return [fields.failure("action", `${fields.formatValue(value)} is not an object such as { type: "farm", target: "12" }`)];
    const names = actionsOf(type).map((a) => a.name);
    const unknown = fields.checkUnknownFields(value, actionKeys(type), {
      prefix: "action", unsupported: type === "tcp" ? { status: "TCP actions take no status" } : {},
    });
    if (value.type === undefined) return [...unknown, fields.failure("action.type", `a value is required (one of ${names.join(", ")})`)];
    if (fields.containsUnknown(value.type)) return unknown;
    const spec = actionsOf(type).find((a) => a.name === value.type);
    if (!spec) return [...unknown, fields.failure("action.type", `${fields.formatValue(value.type)} is not one of ${names.join(", ")} (${LABELS[type]} routes)`)];
    return [...unknown, ...targetFailures(type, spec, value.target), ...(type === "http" ? statusFailures(type, spec, value.status) : [])];
  };
}

function routeRules(type: RouteType): fields.RuleTable {
  return {
    serviceName: { check: fields.serviceName, required: true },
    frontendId: { check: fields.intRange(1), nullable: true },
    action: { check: actionCheck(type), required: true },
    weight: { check: fields.intRange(0, 255), nullable: true },
    displayName: { check: fields.text, nullable: true },
    adoptRouteId: { check: fields.intRange(1), nullable: true },
  };
}

/** Validates the inputs of a route; every failure is reported, none is thrown. A farm id target becomes a string. */
export function checkRoute(type: RouteType, news: Record<string, unknown>): Checked<RouteInputs> {
  const failures = fields.checkFields(news, routeRules(type), { passThrough: ["__provider"] });
  const action = news.action;
  const inputs: Record<string, unknown> = { ...news };
  if (fields.isPlainObject(action) && typeof action.target === "number" && !failures.some((f) => f.property === "action.target")) {
    inputs.action = { ...action, target: String(action.target) };
  }
  return { inputs: inputs as RouteInputs, failures };
}

/** The action the API acts on: every key of the protocol, null when absent; a number target as its string. */
export function effectiveAction(type: RouteType, action: unknown): Record<string, unknown> | null {
  if (!fields.isPlainObject(action)) return null;
  return Object.fromEntries(actionKeys(type).map((k) => {
    const v = action[k] ?? null;
    return [k, k === "target" && typeof v === "number" ? String(v) : v];
  }));
}

/** The action as sent: its set keys only (a PUT's action replaces the whole action, so unset ones become null). */
function actionBody(type: RouteType, action: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(effectiveAction(type, action) ?? {}).filter(([, v]) => v !== null));
}

function routeTable(type: RouteType): fields.FieldTable {
  return {
    serviceName: { change: "replace" },
    frontendId: { change: "update" },
    action: { change: "update", effective: (v) => effectiveAction(type, v), wire: (v) => actionBody(type, v) },
    weight: { change: "update", effective: (v) => v ?? 0 },
    displayName: { change: "update", effective: fields.emptyAsNull },
    adoptRouteId: { change: "ignore" },
  };
}

const WRITABLE = ["frontendId", "action", "weight", "displayName"] as const;

/** Desired inputs against the route as the API reports it now, or undefined when it is gone (replace re-creates it). */
export function diffRoute(type: RouteType, desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("routeId");
  return fields.diffFields(routeTable(type), desired, live);
}

/** POST body: the action, plus frontendId, weight and displayName when set. */
export function routeCreateBody(type: RouteType, inputs: Obj): Record<string, unknown> {
  const body = fields.createBody(routeTable(type), WRITABLE, inputs);
  if (body.displayName === "") delete body.displayName;
  return body;
}

/** PUT body: only the changed fields; null clears (a cleared weight is sent as 0, the API's default). */
export function routeUpdateBody(type: RouteType, desired: Obj, live: Obj): Record<string, unknown> {
  const body = fields.updateBody(routeTable(type), desired, live);
  if (body.weight === null) body.weight = 0;
  return body;
}

/** The route as outputs: every field present, null where the API says null, rules and status as it lists them. */
export function routeOutputs(type: RouteType, serviceName: string, route: wire.Route): RouteOutputs {
  return {
    routeId: route.routeId,
    serviceName,
    frontendId: route.frontendId ?? null,
    action: effectiveAction(type, route.action) as unknown as RouteAction,
    weight: route.weight ?? 0,
    displayName: route.displayName ?? null,
    rules: route.rules ?? [],
    status: route.status,
  };
}

/** Zones a change to the route touches: its frontend's zone, or every zone (no frontend, or a zone not known for it). */
export function routeZones(outs: Obj): string[] {
  const frontendId = outs.frontendId ?? null;
  if (frontendId !== null && typeof outs.zone === "string" && outs.zoneFrontendId === frontendId) return [outs.zone];
  return ["all"];
}

/** The Pulumi id of a route, also its import id: `serviceName/routeId`. */
export function routeResourceId(serviceName: string, routeId: number): string {
  return `${serviceName}/${routeId}`;
}

/** Parses `serviceName/routeId`; throws an IplbError naming the expected format otherwise. */
export function parseRouteResourceId(id: string): RouteKey {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new IplbError(`invalid route id ${JSON.stringify(id)}: expected <serviceName>/<routeId>, e.g. loadbalancer-abc/7`);
  return { serviceName: ids.serviceName, routeId: ids.numbers[0] };
}

/**
 * What is wrong with a `farm` action's target, in the user's terms (the frontend's defaultFarmId rules, named
 * `action.target`): no such farm, a farm of the other protocol, or one whose zone does not cover the frontend's
 * (`frontendZone` null: the route has no frontend, any zone does). Undefined when the farm looks right.
 */
export function targetFarmProblem(type: RouteType, serviceName: string, frontendZone: string | null, farmId: number, found: FoundFarm | undefined): string | undefined {
  const label = LABELS[type];
  if (!found) return `action.target: there is no farm ${farmId} on ${serviceName}; it must be a ${label} farm (farmId of a ${label[0]}${label.slice(1).toLowerCase()}Farm)`;
  if (found.type !== type) return `action.target: farm ${farmId} is a ${found.type.toUpperCase()} farm; a ${label} route needs a ${label} farm`;
  if (frontendZone === null) return undefined;
  const problem = defaultFarmProblem(type, serviceName, frontendZone, farmId, found);
  return problem?.replace(/^defaultFarmId: /, "action.target: ").replace("a frontend in zone", "the route's frontend in zone");
}

export type RouteKey = { serviceName: string; routeId: number };

/** The route family of one protocol, with the verbs every object model has (model.ts). */
export function routeModel(type: RouteType): ObjectModel<RouteInputs, RouteOutputs, wire.Route, RouteKey> {
  if (!ROUTE_TYPES.includes(type)) throw new IplbError(`unknown route type ${JSON.stringify(type)} (expected one of ${ROUTE_TYPES.join(", ")})`);
  return {
    name: ROUTE_CLASS_NAMES[type],
    check: (news) => checkRoute(type, news),
    diff: (desired, live) => diffRoute(type, desired, live),
    toCreate: (inputs) => routeCreateBody(type, inputs),
    toUpdate: (desired, live) => routeUpdateBody(type, desired, live),
    fromApi: (serviceName, object) => routeOutputs(type, serviceName, object),
    id: (key) => routeResourceId(key.serviceName, key.routeId),
    parseId: parseRouteResourceId,
    collection: (inputs) => paths.routes(inputs.serviceName, type),
    path: (key) => paths.route(key.serviceName, type, key.routeId),
    keyFor: (inputs, routeId) => ({ serviceName: inputs.serviceName, routeId }),
    describe: (key) => `${LABELS[type]} route ${key.routeId} on ${key.serviceName}`,
    adoptField: "adoptRouteId",
    // A route an interrupted deployment made (same frontend and displayName, nothing to change) is taken over.
    naturalKey: "route",
    // The list filters by frontend: a recovery reads only the routes of the same frontend.
    listQuery: (inputs): Query => (typeof inputs.frontendId === "number" ? { frontendId: inputs.frontendId } : {}),
    zones: routeZones,
  };
}

/**
 * `/ipLoadbalancing/{serviceName}/{http|tcp|udp}/frontend[/{frontendId}]` (ovh-iplb-api.md 9). Frontends are
 * staged like farms; moving one to another zone counts a change in both the old and the new zone.
 *
 * Checks beyond field types, made on the object as it would be after the write (so nothing changes when one fails):
 * - `zone` is a zone of the load balancer or `all`; `port` is a port, range or comma list, each 1..49151.
 * - `defaultFarmId` names a farm of the same protocol whose zone covers the frontend's (the farm's zone equals the
 *   frontend's, or is `all`), else 400. 400 rather than 404: a 404 on `PUT .../frontend/{id}` would read as "this
 *   frontend is gone" to clients (terraform's CheckDeleted, our provider), while the frontend itself exists.
 * - `defaultSslId` names a certificate of the load balancer, else 400 (same reason).
 * - `allowedSource` and `deniedSource` are not both set (the schema: "You cannot specify allowedSource and
 *   deniedSource both at the same time"); an empty list counts as not set.
 * - `vrackNetworkId` and `vrackVrouterId` are read-only. `dedicatedIpfo` is not checked against the IPs routed to
 *   the service: that rule is only inferred, and a move task may still be running when the frontend is written.
 * - DELETE refuses (400) a frontend that routes belong to (`frontendId`): they would be left pointing nowhere, and
 *   terraform deletes routes before their frontend. Moving a frontend to another zone does not re-check the zones of
 *   the farms its routes target.
 * References are checked when the fields involved are written, so a PUT of `displayName` still works on a frontend
 * whose certificate was deleted since.
 */
import { badRequest } from "../errors";
import { checkFrontendPort, FRONTEND_FILTERS, FRONTEND_MODELS } from "../models/frontend";
import { checkFilters, checkZone, createValues, fullModel, updateValues } from "../models/spec";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { clone, Model, Protocol, routesOf, ServiceState, StoredFrontend } from "../store";
import { Ctx, filterIds, idOfType, registerCollections, serviceOf } from "./common";

function frontendOf(ctx: Ctx, svc: ServiceState, proto: Protocol): { id: number; frontend: StoredFrontend } {
  const { id, item } = idOfType(svc.staged.frontends, ctx, "frontendId", proto);
  return { id, frontend: item };
}

const isSet = (list: unknown) => Array.isArray(list) && list.length > 0;
const has = (table: object, id: unknown) => Object.prototype.hasOwnProperty.call(table, String(id));

/** Checks the frontend `next` would become; `written` = the fields this request writes. */
function checkFrontend(ctx: Ctx, svc: ServiceState, proto: Protocol, next: Model, written: string[]): void {
  const touched = (...fields: string[]) => fields.some((f) => written.includes(f));
  if (touched("zone")) checkZone(ctx.state.store.serviceZones(svc), next.zone as string);
  if (touched("port")) checkFrontendPort(next.port as string);
  const farmId = next.defaultFarmId;
  if (farmId !== null && touched("defaultFarmId", "zone")) {
    const farm = has(svc.staged.farms, farmId) ? svc.staged.farms[farmId as number] : undefined;
    if (!farm || farm.type !== proto) throw badRequest(`[defaultFarmId] ${proto} farm ${String(farmId)} does not exist`);
    if (farm.data.zone !== "all" && farm.data.zone !== next.zone) {
      throw badRequest(`[defaultFarmId] Farm ${String(farmId)} is in zone ${String(farm.data.zone)} and can not serve a frontend in zone ${String(next.zone)}`);
    }
  }
  if ((next.defaultSslId ?? null) !== null && touched("defaultSslId") && !has(svc.ssl, next.defaultSslId)) {
    throw badRequest(`[defaultSslId] Certificate ${String(next.defaultSslId)} does not exist`);
  }
  if (touched("allowedSource", "deniedSource") && isSet(next.allowedSource) && isSet(next.deniedSource)) {
    throw badRequest("You cannot specify allowedSource and deniedSource both at the same time");
  }
}

function list(ctx: Ctx, proto: Protocol): number[] {
  const svc = serviceOf(ctx);
  checkFilters(ctx.query, FRONTEND_FILTERS[proto]);
  const frontends = Object.entries(svc.staged.frontends).filter(([, f]) => f.type === proto);
  return filterIds(frontends, ctx.query, {
    defaultFarmId: { field: (f) => f.data.defaultFarmId, op: "=" },
    port: { field: (f) => f.data.port, op: "like" },
    zone: { field: (f) => f.data.zone, op: "=" },
    ...(proto === "udp" ? {} : { defaultSslId: { field: (f: StoredFrontend) => f.data.defaultSslId, op: "=" as const } }),
  });
}

function create(ctx: Ctx, proto: Protocol): Model {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const table = FRONTEND_MODELS[proto];
  const values = createValues(table, ctx.body);
  checkFrontend(ctx, svc, proto, fullModel(table, values), Object.keys(table.spec));
  const frontendId = rt.store.nextId();
  const data = fullModel(table, { ...values, frontendId });
  rt.store.addFrontend(svc, proto, data);
  return clone(data);
}

function update(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { frontend } = frontendOf(ctx, svc, proto);
  const spec = FRONTEND_MODELS[proto].spec;
  const changes = updateValues(spec, ctx.body, frontend.data);
  checkFrontend(ctx, svc, proto, { ...frontend.data, ...changes }, Object.keys(changes));
  rt.store.updateFrontend(svc, frontend, changes);
  return null;
}

function remove(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { id } = frontendOf(ctx, svc, proto);
  const routes = Object.entries(routesOf(svc.staged)).filter(([, r]) => r.type === proto && r.data.frontendId === id).map(([routeId]) => routeId);
  if (routes.length > 0) throw badRequest(`Frontend ${id} has ${proto} route(s) ${routes.join(", ")}: delete them or move them to another frontend first`);
  rt.store.removeFrontend(svc, id);
  return null;
}

export function register(router: Router<Runtime>): void {
  registerCollections(router, (proto) => `/ipLoadbalancing/{serviceName}/${proto}/frontend`, "frontendId", {
    list, create, update, remove,
    get: (ctx, proto) => clone(frontendOf(ctx, serviceOf(ctx), proto).frontend.data),
  });
}

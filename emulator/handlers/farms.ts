/**
 * `/ipLoadbalancing/{serviceName}/{http|tcp|udp}/farm[/{farmId}]` (ovh-iplb-api.md 5). Farms are staged: every
 * write counts one pending change in the farm's zone (every zone for `all`) until a refresh applies it.
 *
 * - A farm id of another protocol is unknown on this protocol's path (404), as the ids are looked up per type.
 * - PUT takes the model: absent fields are untouched, `null` clears a nullable field, `zone` and `farmId` may be
 *   repeated unchanged (terraform does) and are refused when different. A `probe` in a PUT replaces the whole probe.
 * - DELETE also deletes the farm's servers. A farm that is some frontend's `defaultFarmId`, or the target of some
 *   route's `farm` action, is not deleted (400): the frontend or route would be left pointing nowhere, and terraform
 *   always deletes frontends and routes before their farms.
 * - `vrackNetworkId` follows the service's vRack (vrack.ts `checkFarmNetwork`): mandatory on create when attached.
 */
import { badRequest } from "../errors";
import { FARM_FILTERS, FARM_MODELS } from "../models/farm";
import { checkProbe, fullProbe } from "../models/probe";
import { checkFilters, checkZone, createValues, fullModel, updateValues } from "../models/spec";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { clone, Model, Protocol, routesOf, ServiceState, StoredFarm } from "../store";
import { Ctx, filterIds, idOfType, registerCollections, serviceOf } from "./common";
import { checkFarmNetwork } from "./vrack";

/** The farm named by `{farmId}`, of this protocol; 404 otherwise. Also used by the server routes. */
export function farmOf(ctx: Ctx, svc: ServiceState, proto: Protocol): { id: number; farm: StoredFarm } {
  const { id, item } = idOfType(svc.staged.farms, ctx, "farmId", proto);
  return { id, farm: item };
}

/** A probe as given in a body becomes the full BackendProbe, checked beyond its field types. */
function normalizeProbe(values: Record<string, unknown>): void {
  if (values.probe === undefined || values.probe === null) return;
  values.probe = fullProbe(values.probe as Record<string, unknown>);
  checkProbe(values.probe as Record<string, unknown>);
}

function list(ctx: Ctx, proto: Protocol): number[] {
  const svc = serviceOf(ctx);
  checkFilters(ctx.query, FARM_FILTERS);
  const farms = Object.entries(svc.staged.farms).filter(([, f]) => f.type === proto);
  return filterIds(farms, ctx.query, {
    zone: { field: (f) => f.data.zone, op: "=" },
    vrackNetworkId: { field: (f) => f.data.vrackNetworkId, op: "=" },
  });
}

function create(ctx: Ctx, proto: Protocol): unknown {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const table = FARM_MODELS[proto];
  const values = createValues(table, ctx.body);
  checkZone(rt.store.serviceZones(svc), values.zone as string);
  checkFarmNetwork(svc, values.vrackNetworkId, true);
  normalizeProbe(values);
  const farmId = rt.store.nextId();
  const data = fullModel(table, { ...values, farmId });
  rt.store.addFarm(svc, proto, data);
  return clone(data);
}

function update(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { farm } = farmOf(ctx, svc, proto);
  const table = FARM_MODELS[proto];
  const changes = updateValues(table.spec, ctx.body, farm.data);
  if (changes.vrackNetworkId !== undefined && changes.vrackNetworkId !== farm.data.vrackNetworkId) checkFarmNetwork(svc, changes.vrackNetworkId, false);
  normalizeProbe(changes);
  rt.store.updateFarm(svc, farm, changes);
  return null;
}

function remove(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { id } = farmOf(ctx, svc, proto);
  const users = Object.entries(svc.staged.frontends)
    .filter(([, f]) => f.type === proto && f.data.defaultFarmId === id)
    .map(([frontendId]) => frontendId);
  if (users.length > 0) {
    throw badRequest(`Farm ${id} is the default farm of ${proto} frontend(s) ${users.join(", ")}: change their defaultFarmId first`);
  }
  const routes = Object.entries(routesOf(svc.staged))
    .filter(([, r]) => r.type === proto && (r.data.action as Model).type === "farm" && (r.data.action as Model).target === String(id))
    .map(([routeId]) => routeId);
  if (routes.length > 0) throw badRequest(`Farm ${id} is the target of ${proto} route(s) ${routes.join(", ")}: change or delete them first`);
  rt.store.removeFarm(svc, id);
  return null;
}

export function register(router: Router<Runtime>): void {
  registerCollections(router, (proto) => `/ipLoadbalancing/{serviceName}/${proto}/farm`, "farmId", {
    list, create, update, remove,
    get: (ctx, proto) => clone(farmOf(ctx, serviceOf(ctx), proto).farm.data),
  });
}

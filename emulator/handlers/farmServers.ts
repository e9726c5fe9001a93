/**
 * `/ipLoadbalancing/{serviceName}/{http|tcp|udp}/farm/{farmId}/server[/{serverId}]` (ovh-iplb-api.md 6). A server
 * write is staged in its farm's zone. `serverState` comes from the health view on every read (POST included) and is
 * never stored; `backendId` is the farm id.
 *
 * - Unset `backup`, `probe` and `ssl` read back as `false`: the schema types them non-nullable with
 *   "Default: 'false'". Unset nullable fields (`weight`, `port`, ...) read back as `null`; `weight: 0` stays 0.
 * - A server of an HTTP farm with `cookie` stickiness gets a generated cookie when none is given, as the API does;
 *   switching an existing farm to cookie stickiness does not back-fill its servers (no source says it does).
 * - A server id that exists under another farm is unknown under this one (404).
 */
import { generatedCookie, SERVER_COMPUTED, SERVER_FILTERS, SERVER_MODELS } from "../models/farmServer";
import { checkFilters, createValues, fullModel, updateValues } from "../models/spec";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { clone, Model, Protocol, ServiceState, StoredServer } from "../store";
import { Ctx, filterIds, idIn, missing, registerCollections, serviceOf } from "./common";
import { farmOf } from "./farms";

function serverOf(ctx: Ctx, svc: ServiceState, proto: Protocol): { id: number; farmId: number; server: StoredServer } {
  const { id: farmId } = farmOf(ctx, svc, proto);
  const { id, item } = idIn(svc.staged.servers, ctx, "serverId");
  if (item.farmId !== farmId) throw missing(ctx, "serverId");
  return { id, farmId, server: item };
}

/** The model as GET returns it: stored fields plus the computed `serverState` (HTTP and TCP only). */
function view(ctx: Ctx, proto: Protocol, serverId: number, data: Model): Model {
  const out = clone(data);
  if ("serverState" in SERVER_MODELS[proto].spec) out.serverState = ctx.state.health.serverState(ctx.params.serviceName, serverId);
  return out;
}

function list(ctx: Ctx, proto: Protocol): number[] {
  const svc = serviceOf(ctx);
  const { id: farmId } = farmOf(ctx, svc, proto);
  checkFilters(ctx.query, SERVER_FILTERS[proto]);
  const servers = Object.entries(svc.staged.servers).filter(([, s]) => s.farmId === farmId);
  return filterIds(servers, ctx.query, {
    address: { field: (s) => s.data.address, op: "=" },
    status: { field: (s) => s.data.status, op: "=" },
    ...(proto === "http" ? { cookie: { field: (s: StoredServer) => s.data.cookie, op: "like" as const } } : {}),
  });
}

function create(ctx: Ctx, proto: Protocol): Model {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { id: farmId, farm } = farmOf(ctx, svc, proto);
  const table = SERVER_MODELS[proto];
  const values = createValues(table, ctx.body);
  const serverId = rt.store.nextId();
  if (proto === "http" && farm.data.stickiness === "cookie" && (values.cookie ?? null) === null) {
    values.cookie = generatedCookie(ctx.params.serviceName, farmId, serverId);
  }
  const data = fullModel(table, { ...values, serverId, backendId: farmId }, SERVER_COMPUTED);
  rt.store.addServer(svc, proto, farmId, data);
  return view(ctx, proto, serverId, data);
}

function update(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { id, server } = serverOf(ctx, svc, proto);
  const spec = SERVER_MODELS[proto].spec;
  // serverState may be echoed back unchanged, like the other read-only fields.
  const current = view(ctx, proto, id, server.data);
  rt.store.updateServer(svc, server, updateValues(spec, ctx.body, current));
  return null;
}

function remove(ctx: Ctx, proto: Protocol): null {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const { id } = serverOf(ctx, svc, proto);
  rt.store.removeServer(svc, id);
  return null;
}

export function register(router: Router<Runtime>): void {
  registerCollections(router, (proto) => `/ipLoadbalancing/{serviceName}/${proto}/farm/{farmId}/server`, "serverId", {
    list, create, update, remove,
    get: (ctx, proto) => {
      const { id, server } = serverOf(ctx, serviceOf(ctx), proto);
      return view(ctx, proto, id, server.data);
    },
  });
}

/**
 * vRack private networks: `/ipLoadbalancing/{serviceName}/vrack/network[/{vrackNetworkId}[/updateFarmId]]`,
 * `vrack/networkCreationRules` and `vrack/status` (OVH guide "Configuring the vRack on the load balancer", ovh/docs
 * pages/cloud/load_balancer/vrack_and_loadbalancer). The seed option `vrack` attaches the main load balancer to a vRack;
 * the attachment itself (`POST /vrack/{serviceName}/ipLoadbalancing`) belongs to the vRack API and is not modelled.
 *
 * Decided here, with the sources:
 * - Network writes (POST, PUT, DELETE) are not staged: they add no pending change and need no refresh.
 *   terraform-provider-ovh's `ovh_iploadbalancing_vrack_network` (ovh/resource_iploadbalancing_vrack_network.go,
 *   current and 2019 versions) never refreshes after them, while its farm resources rely on `ovh_iploadbalancing_refresh`;
 *   the guide names no refresh either; and a network has no zone, while pending changes are counted per zone.
 * - `updateFarmId` sets the farms' `vrackNetworkId` (the listed farms get this network, farms of this network left out
 *   of the list get null, a farm of another network moves here). That is farm configuration, so each farm it changes
 *   counts one pending change in its zone, as a farm PUT would (ASSUMED: nothing documents it either way).
 * - DELETE is refused while a farm uses the network: the schema's summary ("It must not be used by any farm server"),
 *   and terraform's 2019 resource, which posted `updateFarmId {farmId: []}` before its DELETE.
 * - Without a vRack, `vrack/status` answers `inactive` (a state of its enum; `vrackName` is nullable) and every other
 *   vRack call answers 400 naming the cause (ASSUMED: OVH documents no answer; refusals of a call the service cannot
 *   take are 400s elsewhere in this emulator too).
 * - Farms (farms.ts calls `checkFarmNetwork`): on an attached service a farm is created with the `vrackNetworkId` of one
 *   of its networks ("mandatory when your Load Balancer is attached to a vRack", schema; the guide's "Setting up a farm
 *   linked to a vRack"); a farm may be detached (null) afterwards, as updateFarmId does. Without a vRack a farm's
 *   `vrackNetworkId` is not checked (ASSUMED: nothing documents the answer, so the emulator stays as lenient as it was
 *   before it modelled vRack, where suites use the field as a plain list filter).
 * - More networks than `maxNetworks` are refused: `remainingNetworks` is 0 then.
 */
import { badRequest, invalidField, missingField } from "../errors";
import { checkFilters, createValues, fullModel, updateValues } from "../models/spec";
import { checkNetwork, VRACK_NETWORK_COMPUTED, VRACK_NETWORK_FILTERS, VRACK_NETWORK_MODEL } from "../models/vrack";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { clone, Model, ServiceState, VrackState } from "../store";
import { isIpBlock } from "../validate";
import { Ctx, filterIds, idIn, serviceOf } from "./common";

interface Attached {
  svc: ServiceState;
  vrack: VrackState;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function attached(ctx: Ctx): Attached {
  const svc = serviceOf(ctx);
  if (!svc.vrack) throw badRequest(`This Load Balancer (${ctx.params.serviceName}) is not attached to a vRack`);
  return { svc, vrack: svc.vrack };
}

const networkOf = (ctx: Ctx, vrack: VrackState) => idIn(vrack.networks, ctx, "vrackNetworkId");

/** The farms whose `vrackNetworkId` is this network, as `DefinedFarm`s, ids ascending. */
export function farmsOf(svc: ServiceState, networkId: number): { id: number; type: string }[] {
  return Object.entries(svc.staged.farms)
    .filter(([, farm]) => farm.data.vrackNetworkId === networkId)
    .map(([id, farm]) => ({ id: Number(id), type: farm.type }))
    .sort((a, b) => a.id - b.id);
}

/** The network as GET returns it: its stored fields and the farms that use it. */
function view(svc: ServiceState, network: Model): Model {
  return { ...clone(network), farmId: farmsOf(svc, network.vrackNetworkId as number) };
}

/** A `farmId` list as the POSTs take it: integers naming farms of the service, each once. */
function farmIdList(svc: ServiceState, value: unknown): number[] {
  if (!Array.isArray(value)) throw invalidField("farmId", value, "is not valid for type long[]");
  const bad = value.find((id) => typeof id !== "number" || !Number.isInteger(id));
  if (bad !== undefined) throw invalidField("farmId", bad, "is not valid for type long");
  const missing = value.find((id) => !Object.prototype.hasOwnProperty.call(svc.staged.farms, String(id)));
  if (missing !== undefined) throw badRequest(`[farmId] Farm ${String(missing)} does not exist`);
  return [...new Set(value as number[])];
}

/** Makes `farmIds` exactly the farms of network `networkId`: one staged farm change per farm that changes. */
function attachFarms(rt: Runtime, svc: ServiceState, networkId: number, farmIds: number[]): void {
  for (const [id, farm] of Object.entries(svc.staged.farms)) {
    const wanted = farmIds.includes(Number(id)) ? networkId : farm.data.vrackNetworkId === networkId ? null : farm.data.vrackNetworkId;
    if (wanted !== farm.data.vrackNetworkId) rt.store.updateFarm(svc, farm, { vrackNetworkId: wanted });
  }
}

function list(ctx: Ctx): number[] {
  const { vrack } = attached(ctx);
  checkFilters(ctx.query, VRACK_NETWORK_FILTERS);
  if (ctx.query.subnet !== undefined && !isIpBlock(ctx.query.subnet)) throw invalidField("subnet", ctx.query.subnet, "is not valid for type ipBlock");
  return filterIds(Object.entries(vrack.networks), ctx.query, {
    subnet: { field: (n) => n.subnet, op: "=" },
    vlan: { field: (n) => n.vlan, op: "=" },
  });
}

function create(ctx: Ctx): Model {
  const rt = ctx.state;
  const { svc, vrack } = attached(ctx);
  // The POST takes `farmId` as farm ids, where the model has DefinedFarms: read apart from the model's fields.
  const body = isObject(ctx.body) ? { ...ctx.body } : ctx.body;
  const farmId = isObject(body) ? body.farmId : undefined;
  if (isObject(body)) delete body.farmId;
  const network = fullModel(VRACK_NETWORK_MODEL, createValues(VRACK_NETWORK_MODEL, body), VRACK_NETWORK_COMPUTED);
  const farms = farmId === undefined ? [] : farmIdList(svc, farmId);
  checkNetwork(network, vrack.minNatIps);
  if (Object.keys(vrack.networks).length >= vrack.maxNetworks) {
    throw badRequest(`No more vRack network can be created on this Load Balancer (at most ${vrack.maxNetworks}; networkCreationRules remainingNetworks is 0)`);
  }
  const vrackNetworkId = rt.store.nextId();
  rt.store.addVrackNetwork(vrack, vrackNetworkId, { ...network, vrackNetworkId });
  attachFarms(rt, svc, vrackNetworkId, farms);
  return view(svc, vrack.networks[vrackNetworkId]);
}

function update(ctx: Ctx): null {
  const { svc, vrack } = attached(ctx);
  const { item } = networkOf(ctx, vrack);
  const changes = updateValues(VRACK_NETWORK_MODEL.spec, ctx.body, view(svc, item));
  checkNetwork({ ...item, ...changes }, vrack.minNatIps);
  ctx.state.store.updateVrackNetwork(item, changes);
  return null;
}

function remove(ctx: Ctx): null {
  const { svc, vrack } = attached(ctx);
  const { id } = networkOf(ctx, vrack);
  const users = farmsOf(svc, id).map((f) => `${f.type}/farm/${f.id}`);
  if (users.length > 0) {
    throw badRequest(`vRack network ${id} is used by ${users.join(", ")}: detach them first (updateFarmId, or each farm's vrackNetworkId)`);
  }
  ctx.state.store.removeVrackNetwork(vrack, id);
  return null;
}

function updateFarmId(ctx: Ctx): Model {
  const { svc, vrack } = attached(ctx);
  const { id, item } = networkOf(ctx, vrack);
  const body = ctx.body ?? {}; // node-ovh sends no body for {}
  if (!isObject(body)) throw badRequest("Invalid body: a JSON object is expected");
  const unknown = Object.keys(body).find((key) => key !== "farmId");
  if (unknown !== undefined) throw badRequest(`[${unknown}] Unknown property`);
  if (body.farmId === undefined || body.farmId === null) throw missingField("farmId");
  attachFarms(ctx.state, svc, id, farmIdList(svc, body.farmId));
  return view(svc, item);
}

/**
 * A farm's `vrackNetworkId` against the service's vRack, on create (`creating`) and on update (farms.ts): see the
 * top of this file.
 */
export function checkFarmNetwork(svc: ServiceState, networkId: unknown, creating: boolean): void {
  const vrack = svc.vrack;
  if (!vrack) return;
  if (networkId === undefined || networkId === null) {
    if (!creating) return;
    throw badRequest(
      `[vrackNetworkId] Property is mandatory when your Load Balancer is attached to a vRack (${vrack.name}): ` +
        `give the vrackNetworkId of one of its networks (GET /ipLoadbalancing/${String(svc.info.serviceName)}/vrack/network)`,
    );
  }
  if (!Object.prototype.hasOwnProperty.call(vrack.networks, String(networkId))) {
    const known = Object.keys(vrack.networks).join(", ") || "none yet";
    throw badRequest(`[vrackNetworkId] vRack network ${String(networkId)} does not exist on this Load Balancer (its networks: ${known})`);
  }
}

export function register(router: Router<Runtime>): void {
  const V = "/ipLoadbalancing/{serviceName}/vrack";
  const item = `${V}/network/{vrackNetworkId}`;
  router
    .add("GET", `${V}/network`, list)
    .add("POST", `${V}/network`, create)
    .add("GET", item, (ctx) => {
      const { svc, vrack } = attached(ctx);
      return view(svc, networkOf(ctx, vrack).item);
    })
    .add("PUT", item, update)
    .add("DELETE", item, remove)
    .add("POST", `${item}/updateFarmId`, updateFarmId)
    .add("GET", `${V}/networkCreationRules`, (ctx) => {
      const { vrack } = attached(ctx);
      const remainingNetworks = Math.max(0, vrack.maxNetworks - Object.keys(vrack.networks).length);
      return { minNatIps: vrack.minNatIps, remainingNetworks, vrackName: vrack.name };
    })
    .add("GET", `${V}/status`, (ctx) => {
      const vrack = serviceOf(ctx).vrack;
      return { state: vrack ? "active" : "inactive", task: [], vrackName: vrack?.name ?? null };
    });
}

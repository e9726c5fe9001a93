/**
 * The reads behind the SDK's health functions and `ovh-iplb status`. They run in the caller's process (a Pulumi
 * program, the CLI), never in the dynamic-provider host, which cannot serve invokes (pulumi-dynamic-providers.md 1).
 *   server health   -> GET .../{type}/farm/{farmId}/server/{serverId} (serverState included)
 *   farm health     -> GET .../{type}/farm/{farmId}, GET .../server (ids), GET each server
 *   all farms       -> GET .../{http,tcp,udp}/farm (ids), then as above per farm
 *   service views   -> GET /ipLoadbalancing/{serviceName}, .../instancesState, .../natIp, .../pendingChanges, .../status
 * Settings are resolved like the provider's (`ovh:*` keys, then `OVH_*` variables) on every call; nothing is cached
 * here but the `ovh` client itself (api/client.ts).
 */
import * as clientModule from "../provider/api/client";
import * as errors from "../provider/api/errors";
import * as paths from "../provider/api/paths";
import type * as wire from "../provider/api/wire";
import * as configModule from "../provider/config";
import { FARM_TYPES } from "../provider/models/farm";
import * as fields from "../provider/models/fields";
import * as health from "./healthRollup";
import * as args from "./args";

type FarmType = wire.FarmType;

/** A source of `ovh:*` / `ovh-iplb:*` keys (stack config in a program); the environment fills in what it lacks. */
export type Settings = { get(key: string): string | undefined } | undefined;

export function clientFor(settings: Settings, env: NodeJS.ProcessEnv = process.env, policy?: clientModule.RetryPolicy): clientModule.ApiClient {
  return clientModule.createClient(configModule.resolveConfig(configModule.lookupFrom(settings, env)), policy);
}

/** Arguments of the health functions, checked before any call with check()'s messages (`farmType: "web" is not one of ...`). */
export const ARG_RULES = {
  serviceName: args.SERVICE_NAME,
  farmType: { check: fields.enumOf(FARM_TYPES), required: true },
  farmId: { check: fields.intRange(1), required: true },
  serverId: { check: fields.intRange(1), required: true },
} as const satisfies fields.RuleTable;

/** Throws one error naming the function and every bad argument among `names`. */
export function checkArgs(fn: string, given: unknown, names: readonly (keyof typeof ARG_RULES)[]): void {
  const obj = typeof given === "object" && given !== null ? (given as Record<string, unknown>) : {};
  args.checkArgs(fn, obj, Object.fromEntries(names.map((n) => [n, ARG_RULES[n]])));
}

/** A server's health: its identity and config, the roll-up, and each LB instance's view. */
export interface ServerHealth {
  serverId: number;
  address: string;
  port: number | null;
  displayName: string | null;
  /** The server's own `status` field: `active` or `inactive` (renamed: `status` is the roll-up). */
  serverStatus: wire.BackendCustomerServerStatusEnum;
  /** Always false on UDP servers, which have no such field. */
  backup: boolean;
  /** Whether the farm's probe runs for this server; always false on UDP servers. */
  probe: boolean;
  /** 0: drained (takes no new traffic, never gated); null: the API default (1), and on UDP servers. */
  weight: number | null;
  status: health.HealthStatus;
  reason: string;
  instances: health.InstanceHealth[];
}

/** A farm's health: its settings as the API reports them, the roll-up, and each server. */
export interface FarmHealth {
  farmType: FarmType;
  farmId: number;
  zone: string;
  displayName: string | null;
  port: number | null;
  /** null on UDP farms and when the API default (`roundrobin`) applies. */
  balance: string | null;
  stickiness: string | null;
  probe: wire.BackendProbe | null;
  status: health.HealthStatus;
  reason: string;
  servers: ServerHealth[];
}

export function serverHealth(type: FarmType, server: wire.BackendServer): ServerHealth {
  const s = server as Partial<wire.BackendHTTPServer>;
  const rolled = health.rollUpServer({ status: s.status, probe: type === "udp" ? undefined : s.probe, serverState: s.serverState });
  return {
    serverId: server.serverId,
    address: server.address,
    port: server.port ?? null,
    displayName: server.displayName ?? null,
    serverStatus: server.status,
    backup: s.backup === true,
    probe: s.probe === true,
    weight: type === "udp" ? null : (s.weight ?? null),
    ...rolled,
  };
}

export function farmHealth(type: FarmType, farm: wire.Backend, servers: ServerHealth[]): FarmHealth {
  const f = farm as Partial<wire.BackendHttp>;
  const members = servers.map((s) => ({ serverId: s.serverId, serverStatus: s.serverStatus, backup: s.backup, probe: s.probe, weight: s.weight, status: s.status }));
  return {
    farmType: type,
    farmId: farm.farmId,
    zone: farm.zone,
    displayName: farm.displayName ?? null,
    port: farm.port ?? null,
    balance: f.balance ?? null,
    stickiness: f.stickiness ?? null,
    probe: f.probe ?? null,
    ...health.rollUpFarm(members),
    servers,
  };
}

/** Turns a 404 into an error saying which object is missing; other errors pass through. */
async function named<T>(what: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (errors.isNotFound(e)) throw new errors.IplbError(`${what} does not exist (${(e as Error).message})`, { cause: e });
    throw e;
  }
}

export async function readServerHealth(api: clientModule.ApiClient, serviceName: string, type: FarmType, farmId: number, serverId: number): Promise<ServerHealth> {
  const what = `server ${serverId} of ${type.toUpperCase()} farm ${farmId} on ${serviceName}`;
  return serverHealth(type, await named(what, api.get<wire.BackendServer>(paths.server(serviceName, type, farmId, serverId))));
}

/** The servers of a farm, read in parallel; a server deleted between the list and its GET is left out. */
async function readServers(api: clientModule.ApiClient, serviceName: string, type: FarmType, farmId: number): Promise<ServerHealth[]> {
  const ids = await api.get<number[]>(paths.servers(serviceName, type, farmId));
  const servers = await Promise.all(
    [...ids].sort((a, b) => a - b).map((id) => api.get<wire.BackendServer>(paths.server(serviceName, type, farmId, id)).catch((e: unknown) => {
      if (errors.isNotFound(e)) return undefined;
      throw e;
    })),
  );
  return servers.filter((s): s is wire.BackendServer => s !== undefined).map((s) => serverHealth(type, s));
}

export async function readFarm(api: clientModule.ApiClient, serviceName: string, type: FarmType, farmId: number): Promise<wire.Backend> {
  return named(`${type.toUpperCase()} farm ${farmId} on ${serviceName}`, api.get<wire.Backend>(paths.farm(serviceName, type, farmId)));
}

export async function readFarmHealth(api: clientModule.ApiClient, serviceName: string, type: FarmType, farmId: number): Promise<FarmHealth> {
  const farm = await readFarm(api, serviceName, type, farmId);
  return farmHealth(type, farm, await readServers(api, serviceName, type, farmId));
}

/** Every farm of the service (HTTP, then TCP, then UDP, each by id), without their servers. */
export async function listFarms(api: clientModule.ApiClient, serviceName: string): Promise<{ type: FarmType; farm: wire.Backend }[]> {
  const perType = await Promise.all(FARM_TYPES.map(async (type) => {
    const ids = await api.get<number[]>(paths.farms(serviceName, type));
    const farms = await Promise.all([...ids].sort((a, b) => a - b).map((id) => api.get<wire.Backend>(paths.farm(serviceName, type, id))));
    return farms.map((farm) => ({ type, farm }));
  }));
  return perType.flat();
}

/** The health of the given farms (as listFarms returns them), servers included. */
export async function readFarmsHealth(api: clientModule.ApiClient, serviceName: string, farms: { type: FarmType; farm: wire.Backend }[]): Promise<FarmHealth[]> {
  return Promise.all(farms.map(async ({ type, farm }) => farmHealth(type, farm, await readServers(api, serviceName, type, farm.farmId))));
}

export function readService(api: clientModule.ApiClient, serviceName: string): Promise<wire.IpLoadbalancing> {
  return api.get<wire.IpLoadbalancing>(paths.service(serviceName));
}

export function readInstancesState(api: clientModule.ApiClient, serviceName: string): Promise<wire.InstancesState[]> {
  return api.get<wire.InstancesState[]>(paths.instancesState(serviceName));
}

export function readNatIps(api: clientModule.ApiClient, serviceName: string): Promise<wire.NatIps[]> {
  return api.get<wire.NatIps[]>(paths.natIp(serviceName));
}

export function readPendingChanges(api: clientModule.ApiClient, serviceName: string): Promise<wire.PendingChanges[]> {
  return api.get<wire.PendingChanges[]>(paths.pendingChanges(serviceName));
}

export function readServiceStatus(api: clientModule.ApiClient, serviceName: string): Promise<wire.Status> {
  return api.get<wire.Status>(paths.status(serviceName));
}

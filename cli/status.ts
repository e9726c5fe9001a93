/**
 * What `ovh-iplb status` shows, read in one pass: the service (first, so that a wrong name or bad credentials fail
 * before anything else), then in parallel the farms, the LB instances, the pending changes and the NAT IPs, then the
 * servers of the farms kept by the filters. `--wait-healthy` repeats that pass until the gate opens or time runs out.
 */
import type { ApiClient } from "../provider/api/client";
import type * as wire from "../provider/api/wire";
import * as functions from "../reads/health";
import * as health from "../reads/healthRollup";

export interface Snapshot {
  serviceName: string;
  displayName: string | null;
  /** The service's `state` (`ok`, `suspended`, ...). */
  state: string;
  zones: string[];
  farms: functions.FarmHealth[];
  instances: wire.InstancesState[];
  /** One entry per zone shown, 0 where the API lists none (it omits zones without changes). */
  pendingChanges: wire.PendingChanges[];
  natIps: wire.NatIps[];
}

export interface Filters {
  /** Only these farm ids (of any type). */
  farmIds?: number[];
  /** Only farms of this zone (and farms in `all`), and this zone's instances, pending changes and NAT IPs. */
  zone?: string;
}

/** A mistake in what the user asked for (an unknown zone or farm): reported like a usage error. */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestError";
  }
}

/** A server with its farm, as the gates and the messages need it. */
export interface FarmServer {
  farm: functions.FarmHealth;
  server: functions.ServerHealth;
}

export function servers(snapshot: Snapshot): FarmServer[] {
  return snapshot.farms.flatMap((farm) => farm.servers.map((server) => ({ farm, server })));
}

function checkFilters(service: wire.IpLoadbalancing, farms: { farm: wire.Backend }[], filters: Filters): void {
  if (filters.zone !== undefined && !service.zone.includes(filters.zone)) {
    throw new RequestError(`--zone: "${filters.zone}" is not a zone of ${service.serviceName} (${service.zone.join(", ")})`);
  }
  const missing = (filters.farmIds ?? []).filter((id) => !farms.some((f) => f.farm.farmId === id));
  if (missing.length > 0) throw new RequestError(`--farm: ${service.serviceName} has no farm ${missing.join(", ")}`);
}

const inZone = (zone: string | undefined) => (z: string) => zone === undefined || z === zone;

export async function gather(api: ApiClient, serviceName: string, filters: Filters = {}): Promise<Snapshot> {
  const service = await functions.readService(api, serviceName);
  const [farms, instances, pending, natIps] = await Promise.all([
    functions.listFarms(api, serviceName),
    functions.readInstancesState(api, serviceName),
    functions.readPendingChanges(api, serviceName),
    functions.readNatIps(api, serviceName),
  ]);
  checkFilters(service, farms, filters);
  const zoneOk = inZone(filters.zone);
  const kept = farms.filter(({ farm }) =>
    (filters.farmIds === undefined || filters.farmIds.includes(farm.farmId)) && (farm.zone === "all" || zoneOk(farm.zone)));
  const zones = service.zone.filter(zoneOk);
  return {
    serviceName: service.serviceName,
    displayName: service.displayName ?? null,
    state: service.state,
    zones: service.zone,
    farms: await functions.readFarmsHealth(api, serviceName, kept),
    instances: instances.filter((i) => zoneOk(i.zone)),
    pendingChanges: zones.map((zone) => ({ zone, number: pending.find((p) => p.zone === zone)?.number ?? 0 })),
    natIps: natIps.filter((n) => zoneOk(n.zone)),
  };
}

/** Servers that make the exit code non-zero: with `wait`, gated servers not OK; otherwise active CRITICAL servers. */
export function blocking(snapshot: Snapshot, wait: boolean): FarmServer[] {
  const all = servers(snapshot);
  const members = all.map((fs) => fs.server);
  const bad = new Set<functions.ServerHealth>(wait ? health.notYetHealthy(members) : health.criticalServers(members));
  return all.filter((fs) => bad.has(fs.server));
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Called whenever the set of servers waited for, or their health, changes. */
  progress(waiting: FarmServer[], elapsedMs: number): void;
}

export interface WaitResult {
  snapshot: Snapshot;
  healthy: boolean;
  /** Gated servers still not OK (empty when healthy). */
  waiting: FarmServer[];
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const signature = (waiting: FarmServer[]) => waiting.map((w) => `${w.farm.farmType}/${w.farm.farmId}/${w.server.serverId}=${w.server.status}`).join(",");

/** Reads until every gated server is OK (see reads/healthRollup.ts `isGated`) or `timeoutMs` has passed. */
export async function waitHealthy(read: () => Promise<Snapshot>, options: WaitOptions): Promise<WaitResult> {
  const started = Date.now();
  let last: string | undefined;
  for (;;) {
    const snapshot = await read();
    const waiting = blocking(snapshot, true);
    const elapsedMs = Date.now() - started;
    if (waiting.length === 0) return { snapshot, healthy: true, waiting, elapsedMs };
    if (elapsedMs >= options.timeoutMs) return { snapshot, healthy: false, waiting, elapsedMs };
    const now = signature(waiting);
    if (now !== last) options.progress(waiting, elapsedMs);
    last = now;
    await sleep(Math.min(options.intervalMs, Math.max(0, options.timeoutMs - elapsedMs)));
  }
}

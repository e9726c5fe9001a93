/**
 * Server health as the emulator's probes see it, read through the API as a program's `getFarmHealth` reads it
 * (reads/health.ts: `GET .../farm` per protocol, each farm, its servers, each server with its `serverState`), with the
 * package's roll-up (OK / WARNING / CRITICAL / UNKNOWN, docs/health.md "How health is judged"). These are signed GETs: they
 * appear in the request log (never among its writes).
 */
import type * as clientModule from "../provider/api/client";
import * as reads from "../reads/health";

/** What the load balancer's instances say of a server (`serverState[].status`), and `mixed` when they disagree. */
export type ProbedState = "UP" | "DOWN" | "MAINT" | "no check" | "mixed";

/** The package's roll-up of a server or a farm (docs/health.md "How health is judged"). */
export type HealthStatus = reads.FarmHealth["status"];

/** A server's health (reads/health.ts `ServerHealth`) and the probes' state in one word. */
export interface ServerHealth extends reads.ServerHealth {
  /**
   * What every load-balancer instance's `serverState.status` says: `UP`, `DOWN` (after failed checks), `MAINT`
   * (an inactive server), `no check` (probe off, or an address outside 127.0.0.0/8); null while the server is not live
   * (no refresh made it run yet); `mixed` if the instances disagree (the emulator checks once per zone, so they don't).
   */
  probed: ProbedState | null;
}

/** A farm's health (reads/health.ts `FarmHealth`: its settings, the roll-up) with its servers as above. */
export interface FarmHealth extends Omit<reads.FarmHealth, "servers"> {
  servers: ServerHealth[];
}

export interface HealthOptions {
  /** Only this farm (any protocol). */
  farmId?: number;
}

/** One instance's `status` in one word: HAProxy's transitional `UP 1/2` / `DOWN 1/2` count as `UP` / `DOWN`. */
function stateOf(status: string | null): ProbedState {
  const word = /^(UP|DOWN|MAINT)\b/.exec(status ?? "")?.[1] as ProbedState | undefined;
  return word ?? "no check";
}

/** The state every instance reports, `mixed` when they differ, null when no instance runs the server. */
export function probedOf(server: reads.ServerHealth): ProbedState | null {
  const states = [...new Set(server.instances.map((i) => stateOf(i.status)))];
  if (states.length === 0) return null;
  return states.length === 1 ? states[0] : "mixed";
}

/** Every farm of the service (HTTP, TCP, UDP, each by id) with its servers' health; `farmId` keeps one farm. */
export async function healthOf(api: clientModule.ApiClient, serviceName: string, options: HealthOptions = {}): Promise<FarmHealth[]> {
  const farms = (await reads.listFarms(api, serviceName)).filter((f) => options.farmId === undefined || f.farm.farmId === options.farmId);
  const read = await reads.readFarmsHealth(api, serviceName, farms);
  return read.map((farm) => ({ ...farm, servers: farm.servers.map((s) => ({ ...s, probed: probedOf(s) })) }));
}

/** The server's health, found in whichever farm holds it; undefined when no farm has it. */
export async function serverHealthOf(api: clientModule.ApiClient, serviceName: string, serverId: number): Promise<ServerHealth | undefined> {
  for (const farm of await healthOf(api, serviceName)) {
    const found = farm.servers.find((s) => s.serverId === serverId);
    if (found) return found;
  }
  return undefined;
}

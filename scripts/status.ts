/**
 * What is live on the load balancer, read through the provider's own API client: each farm and, under it, each server
 * with its health per load-balancer instance.
 */
import type { Emulator } from "../emulator";
import { createClient, ApiClient } from "../provider/api/client";
import * as paths from "../provider/api/paths";
import type { Backend, BackendServer, FarmType, ServerState } from "../provider/api/wire";
import { resolveConfig, lookupFrom } from "../provider/config";

function clientFor(emu: Emulator): ApiClient {
  const settings: Record<string, string> = {
    "ovh:endpoint": emu.url,
    "ovh:applicationKey": emu.applicationKey,
    "ovh:applicationSecret": emu.applicationSecret,
    "ovh:consumerKey": emu.consumerKey,
    "ovh-iplb:caFile": emu.caFile,
  };
  return createClient(resolveConfig(lookupFrom({ get: (k) => settings[k] }, {})));
}

interface LiveServer { type: FarmType; farm: Backend; server: BackendServer }

async function liveServers(api: ApiClient, serviceName: string): Promise<{ farms: { type: FarmType; farm: Backend }[]; servers: LiveServer[] }> {
  const farms: { type: FarmType; farm: Backend }[] = [];
  const servers: LiveServer[] = [];
  for (const type of ["http", "tcp", "udp"] as FarmType[]) {
    for (const farmId of await api.get<number[]>(paths.farms(serviceName, type))) {
      const farm = await api.get<Backend>(paths.farm(serviceName, type, farmId));
      farms.push({ type, farm });
      for (const serverId of await api.get<number[]>(paths.servers(serviceName, type, farmId))) {
        servers.push({ type, farm, server: await api.get<BackendServer>(paths.server(serviceName, type, farmId, serverId)) });
      }
    }
  }
  return { farms, servers };
}

/** Waits until every probed server has been checked at least once by every instance (or the timeout passes). */
export async function waitForChecks(emu: Emulator, timeoutMs: number): Promise<void> {
  const api = clientFor(emu);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { servers } = await liveServers(api, emu.serviceName);
    const states = servers.filter((s) => (s.server as { probe?: boolean }).probe).flatMap((s) => (s.server as { serverState?: ServerState[] }).serverState ?? []);
    if (states.length > 0 && states.every((st) => st.checkTime !== null)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function printStatus(emu: Emulator): Promise<void> {
  const api = clientFor(emu);
  const { farms, servers } = await liveServers(api, emu.serviceName);
  console.log(`\nLive on ${emu.serviceName}:`);
  for (const { type, farm } of farms) {
    const f = farm as unknown as Record<string, unknown>;
    const probe = f.probe as Record<string, unknown> | null | undefined;
    console.log(`  ${type.toUpperCase()} farm ${farm.farmId} "${f.displayName ?? ""}" zone ${farm.zone}, port ${f.port ?? "-"}, balance ${f.balance ?? "roundrobin"}, stickiness ${f.stickiness ?? "none"}, probe ${probe ? `${probe.type ?? "tcp"} ${probe.url ?? ""}`.trim() : "default"}`);
    for (const { server } of servers.filter((s) => s.farm.farmId === farm.farmId)) {
      const s = server as unknown as Record<string, unknown>;
      const states = (s.serverState as ServerState[] | undefined) ?? [];
      const health = states.map((st) => `#${st.instanceId} ${st.status}${st.checkStatus ? ` (${st.checkStatus}${st.checkCode ? ` ${st.checkCode}` : ""})` : ""}`).join(", ");
      console.log(`    server ${server.serverId} ${s.displayName ?? ""} ${server.address}:${s.port ?? f.port} ${s.status}: ${health || "no state"}`);
    }
  }
  const pending = await api.get<{ zone: string; number: number }[]>(paths.pendingChanges(emu.serviceName));
  console.log(`  pending changes: ${pending.length === 0 ? "none" : pending.map((p) => `${p.zone}=${p.number}`).join(", ")}`);
}

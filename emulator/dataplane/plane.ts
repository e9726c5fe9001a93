/**
 * The data plane's shared state (one per emulator) and the one decision HTTP and TCP share: which server a new
 * request or connection goes to, given the running farm, its stickiness and its balance (pool.ts, stickiness.ts,
 * balance.ts), and what a refresh of a zone resets.
 */
import * as http from "http";
import * as https from "https";
import type { Runtime } from "../runtime";
import { instancesOf } from "../runtime";
import type { Config } from "../store";
import { newRoundRobin, pickServer, type RoundRobin } from "./balance";
import { CertificateStore } from "./certificates";
import { Counters } from "./counters";
import type { Listeners } from "./listeners";
import type { ResolvedDataPlane } from "./options";
import { farmServers, newTrafficCandidates, type ServerRef } from "./pool";
import { cookieServer, cookieValue, setCookie, SourceTables } from "./stickiness";

export interface Plane {
  rt: Runtime;
  serviceName: string;
  options: ResolvedDataPlane;
  counters: Counters;
  sources: SourceTables;
  roundRobins: Map<string, RoundRobin>;
  certificates: CertificateStore;
  /** Keep-alive connection pools towards the servers, per zone (a refresh of the zone drops them). */
  agents: Map<string, { http: http.Agent; https: https.Agent }>;
  listeners?: Listeners;
}

export function createPlane(rt: Runtime, serviceName: string, options: ResolvedDataPlane): Plane {
  return {
    rt,
    serviceName,
    options,
    counters: new Counters(),
    sources: new SourceTables(),
    roundRobins: new Map(),
    certificates: new CertificateStore(serviceName),
    agents: new Map(),
  };
}

export function runningConfig(plane: Plane, zone: string): Config | undefined {
  return plane.rt.store.service(plane.serviceName)?.running[zone];
}

/** The probes' verdict for the zone: DOWN on the zone's LB instances (probes.ts reports the same on each). */
export function downIn(plane: Plane, zone: string): (serverId: number) => boolean {
  const svc = plane.rt.store.service(plane.serviceName);
  const instances = svc ? instancesOf(plane.rt.store.serviceZones(svc), zone) : [];
  return (serverId) =>
    plane.rt.health.serverState(plane.serviceName, serverId).some((s) => instances.includes(s.instanceId) && s.status === "DOWN");
}

export function agentsOf(plane: Plane, zone: string): { http: http.Agent; https: https.Agent } {
  let agents = plane.agents.get(zone);
  if (!agents) {
    // Backends' certificates are not verified: the server's `chain` is not used (dataplane/index.ts, "Left out").
    agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true, rejectUnauthorized: false }) };
    plane.agents.set(zone, agents);
  }
  return agents;
}

/** A refresh of `zone`: its clients' connections close, its pools and sourceIp tables empty, round robins restart. */
export function resetZone(plane: Plane, zone: string): void {
  plane.listeners?.dropConnections(zone);
  plane.sources.resetZone(zone);
  for (const key of [...plane.roundRobins.keys()]) if (key.startsWith(`${zone}|`)) plane.roundRobins.delete(key);
  const agents = plane.agents.get(zone);
  agents?.http.destroy();
  agents?.https.destroy();
  plane.agents.delete(zone);
}

export interface Client {
  address: string;
  /** The request path (balance `uri`); "" for TCP. */
  path: string;
  /** The Cookie header (cookie stickiness); undefined for TCP. */
  cookieHeader?: string;
}

export interface Selection {
  server: ServerRef;
  /** Set-Cookie to add to the answer: the client was balanced on a cookie-stickiness farm. */
  setCookie?: string;
}

/** The server for a new request or connection to running farm `farmId` of `zone`, or undefined when none can take it. */
export function selectServer(plane: Plane, zone: string, farmId: number, frontendPort: number, client: Client): Selection | undefined {
  const config = runningConfig(plane, zone);
  const farm = config?.farms[farmId];
  if (!config || !farm || farm.type === "udp") return undefined;
  const servers = farmServers(config, farmId, frontendPort, downIn(plane, zone));
  const cookie = farm.type === "http" && farm.data.stickiness === "cookie";
  const sourceIp = farm.data.stickiness === "sourceIp";
  const sticky = cookie ? cookieServer(plane.serviceName, servers, client.cookieHeader) : sourceIp ? plane.sources.lookup(zone, farmId, client.address, servers) : undefined;
  if (sticky) return { server: sticky };
  const key = `${zone}|${farmId}`;
  if (!plane.roundRobins.has(key)) plane.roundRobins.set(key, newRoundRobin());
  const picked = pickServer({
    balance: typeof farm.data.balance === "string" ? farm.data.balance : null,
    candidates: newTrafficCandidates(servers),
    state: plane.roundRobins.get(key)!,
    clientAddress: client.address,
    path: client.path,
    active: (id) => plane.counters.active(zone, id),
  });
  const server = picked && servers.find((s) => s.id === picked.id);
  if (!server) return undefined;
  if (sourceIp) plane.sources.remember(zone, farmId, client.address, server.id);
  return cookie ? { server, setCookie: setCookie(cookieValue(plane.serviceName, server)) } : { server };
}

// How policies recognise our resources and relate them to each other.
//
// Dynamic resources carry no class marker that @pulumi/policy's isType()/validateResourceOfType() could use (the
// server compares `__pulumiType`, which pulumi.dynamic.Resource never sets on the registration), so policies match
// the type token the engine registered: `pulumi-nodejs:dynamic/iplb:<Class>` (each sdk class passes module "iplb" and
// its class name to pulumi.dynamic.Resource). The tokens are strings here so that the pack never loads the SDK and its
// serialized provider; tests/policy checks that they equal the SDK classes' static `__pulumiType`.
import type { PolicyResource } from "@pulumi/policy";
import { num, Reader, str, UNKNOWN } from "./values";

const PREFIX = "pulumi-nodejs:dynamic/iplb:";

export const TYPES = {
  httpFarm: `${PREFIX}HttpFarm`,
  tcpFarm: `${PREFIX}TcpFarm`,
  udpFarm: `${PREFIX}UdpFarm`,
  httpFarmServer: `${PREFIX}HttpFarmServer`,
  tcpFarmServer: `${PREFIX}TcpFarmServer`,
  udpFarmServer: `${PREFIX}UdpFarmServer`,
  httpFrontend: `${PREFIX}HttpFrontend`,
  tcpFrontend: `${PREFIX}TcpFrontend`,
  udpFrontend: `${PREFIX}UdpFrontend`,
  httpRoute: `${PREFIX}HttpRoute`,
  tcpRoute: `${PREFIX}TcpRoute`,
  httpRouteRule: `${PREFIX}HttpRouteRule`,
  tcpRouteRule: `${PREFIX}TcpRouteRule`,
  failoverIpAttachment: `${PREFIX}FailoverIpAttachment`,
  freeCertificate: `${PREFIX}FreeCertificate`,
  sslCertificate: `${PREFIX}SslCertificate`,
  ipLoadBalancingSettings: `${PREFIX}IpLoadBalancingSettings`,
} as const;

export type Protocol = "http" | "tcp" | "udp";

const FARM_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  [TYPES.httpFarm]: "http",
  [TYPES.tcpFarm]: "tcp",
  [TYPES.udpFarm]: "udp",
};
const SERVER_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  [TYPES.httpFarmServer]: "http",
  [TYPES.tcpFarmServer]: "tcp",
  [TYPES.udpFarmServer]: "udp",
};

// Routes and their rules exist for HTTP and TCP only (the API has no UDP route).
const FRONTEND_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  [TYPES.httpFrontend]: "http",
  [TYPES.tcpFrontend]: "tcp",
  [TYPES.udpFrontend]: "udp",
};
const ROUTE_PROTOCOLS: Readonly<Record<string, "http" | "tcp">> = { [TYPES.httpRoute]: "http", [TYPES.tcpRoute]: "tcp" };
const RULE_PROTOCOLS: Readonly<Record<string, "http" | "tcp">> = { [TYPES.httpRouteRule]: "http", [TYPES.tcpRouteRule]: "tcp" };

export const FARM_TYPES: readonly string[] = Object.keys(FARM_PROTOCOLS);
export const SERVER_TYPES: readonly string[] = Object.keys(SERVER_PROTOCOLS);
/** Farms and servers that have probes, weights, backup, ssl (UDP ones have none of these). */
export const BALANCED_FARM_TYPES: readonly string[] = [TYPES.httpFarm, TYPES.tcpFarm];
export const BALANCED_SERVER_TYPES: readonly string[] = [TYPES.httpFarmServer, TYPES.tcpFarmServer];

export const farmProtocol = (type: string): Protocol | undefined => FARM_PROTOCOLS[type];
export const serverProtocol = (type: string): Protocol | undefined => SERVER_PROTOCOLS[type];
export const frontendProtocol = (type: string): Protocol | undefined => FRONTEND_PROTOCOLS[type];
export const routeProtocol = (type: string): "http" | "tcp" | undefined => ROUTE_PROTOCOLS[type];
export const ruleProtocol = (type: string): "http" | "tcp" | undefined => RULE_PROTOCOLS[type];

/** `HttpFarm "web"`: how messages name a resource (the class users wrote, and its Pulumi name). */
export function label(r: { type: string; name: string }): string {
  return `${r.type.startsWith(PREFIX) ? r.type.slice(PREFIX.length) : r.type} "${r.name}"`;
}

/** A farm as users name it: its Pulumi name, and its displayName when it has a known one. */
export function farmNames(farm: PolicyResource, read: Reader): string[] {
  const displayName = str(read.get(farm.props, "displayName"));
  return displayName !== undefined && displayName !== farm.name ? [farm.name, displayName] : [farm.name];
}

/** Where a server belongs: its farm when known; otherwise the farms it may belong to (its farmId is not known yet). */
export interface Relation {
  farm?: PolicyResource;
  candidates: PolicyResource[];
}

/**
 * The farm a server belongs to, among the stack's resources.
 *
 * A server's `farmId` is usually `farm.farmId`, an Output: unknown during the preview that creates the farm, so the
 * value cannot relate them. The engine records which resources each input came from (`propertyDependencies`, kept in
 * the state and given to stack policies), and that is known in every preview and update. Only when `farmId` came from
 * no single farm (a literal id, or a value combined from several farms) is it matched by value (serviceName, farmId,
 * protocol) against the farms' outputs. When that value is unknown, every farm it may come from is a candidate, so
 * that no policy counts the server out on a guess.
 */
export function relate(server: PolicyResource, farms: readonly PolicyResource[], read: Reader): Relation {
  const fromInput = farmDependencies(server);
  if (fromInput.length === 1) return { farm: fromInput[0], candidates: [] };
  const protocol = serverProtocol(server.type);
  const pool = (fromInput.length > 0 ? fromInput : farms).filter((f) => farmProtocol(f.type) === protocol);
  const farmId = read.get(server.props, "farmId");
  const serviceName = read.get(server.props, "serviceName");
  if (farmId === UNKNOWN || serviceName === UNKNOWN) return { candidates: pool };
  const matches = pool.filter(
    (f) => num(read.get(f.props, "farmId")) === num(farmId) && str(read.get(f.props, "serviceName")) === str(serviceName));
  return matches.length === 1 && num(farmId) !== undefined ? { farm: matches[0], candidates: [] } : { candidates: [] };
}

/** The farms a server's `farmId` input came from, per the engine's property dependencies. */
function farmDependencies(server: PolicyResource): PolicyResource[] {
  return (server.propertyDependencies?.farmId ?? []).filter((r) => farmProtocol(r.type) !== undefined);
}

/** The farm a server's `farmId` came from, by property dependencies alone (reads no value): for messages. */
export function farmByDependency(server: PolicyResource): PolicyResource | undefined {
  const fromInput = farmDependencies(server);
  return fromInput.length === 1 ? fromInput[0] : undefined;
}

/**
 * The stack's farms and servers, and which servers belong to which farm. Relations are worked out on first use, so a
 * policy that never asks reads no `farmId` (an unknown one would stop it during preview, values.ts).
 */
export class Membership {
  readonly farms: PolicyResource[];
  readonly servers: PolicyResource[];
  private relations?: Map<PolicyResource, Relation>;

  constructor(resources: readonly PolicyResource[], private readonly read: Reader) {
    // Sorted by name: the engine lists resources in the order they registered, which varies from run to run.
    const byName = (a: PolicyResource, b: PolicyResource) => a.name.localeCompare(b.name);
    this.farms = resources.filter((r) => farmProtocol(r.type) !== undefined).sort(byName);
    this.servers = resources.filter((r) => serverProtocol(r.type) !== undefined).sort(byName);
  }

  /** The server's farm, or undefined when it is not in this stack or not known yet. */
  farmOf(server: PolicyResource): PolicyResource | undefined {
    return this.relate().get(server)?.farm;
  }

  /** The servers that belong to `farm`. */
  serversOf(farm: PolicyResource): PolicyResource[] {
    return this.servers.filter((s) => this.relate().get(s)?.farm === farm);
  }

  /** The servers that may belong to `farm`, their farmId being unknown (preview). */
  maybeServersOf(farm: PolicyResource): PolicyResource[] {
    return this.servers.filter((s) => this.relate().get(s)?.candidates.includes(farm));
  }

  private relate(): Map<PolicyResource, Relation> {
    this.relations ??= new Map(this.servers.map((s) => [s, relate(s, this.farms, this.read)]));
    return this.relations;
  }
}

/** `HttpFarmServer "web-1" (farm "web")`, or without the farm when it is not in this stack. */
export function serverLabel(server: PolicyResource, farm: PolicyResource | undefined): string {
  return farm ? `${label(server)} (farm "${farm.name}")` : label(server);
}

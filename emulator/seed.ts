/**
 * The account a fresh emulator starts with: one IP Load Balancer in two zones (the one users deploy to), a second one
 * (so an IP can be "routed to another service"), NAT blocks per zone, and failover IPs in every state a stack meets:
 * parked, already routed to the service, routed to another IPLB, routed to a dedicated server.
 * Addresses come from the documentation ranges (RFC 5737); nothing here is ever contacted. With `vrack`, the main load
 * balancer is attached to that vRack (handlers/vrack.ts).
 */
import { DEFAULT_MAX_NETWORKS, DEFAULT_MIN_NAT_IPS } from "./models/vrack";
import { emptyConfig, IpRecord, isoNow, ServiceState, StoreData, VrackState } from "./store";

export const DEFAULT_SERVICE = "loadbalancer-a1b2c3d4e5f60718293a4b5c6d7e8f90";
export const OTHER_SERVICE = "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
export const DEDICATED_SERVER = "ns3012345.ip-198-51-100.eu";

/** A vRack the main load balancer is attached to. */
export interface VrackSeed {
  /** The vRack's name, as the vRack product names it (`pn-12345`). */
  name: string;
  /** `networkCreationRules.minNatIps`: the fewest addresses a network's natIp block may hold (default 32, ASSUMED). */
  minNatIps?: number;
  /** How many networks may be described in all (`remainingNetworks` counts down; default 10, ASSUMED). */
  maxNetworks?: number;
}

export interface SeedOptions {
  serviceName?: string;
  zones?: string[];
  vrack?: VrackSeed;
}

/** The seed's vRack, checked: a mistake names the option and what it takes. */
export function vrackState(given: VrackSeed): VrackState {
  if (typeof given?.name !== "string" || !/^[\w.-]{1,100}$/.test(given.name)) {
    throw new Error(`vrack.name must be a vRack name (letters, digits, ".", "_", "-"; e.g. pn-12345), got ${JSON.stringify(given?.name)}`);
  }
  const count = (key: "minNatIps" | "maxNetworks", fallback: number, min: number): number => {
    const value = given[key] ?? fallback;
    if (!Number.isInteger(value) || value < min || value > 65536) throw new Error(`vrack.${key} must be an integer in ${min}..65536, got ${JSON.stringify(value)}`);
    return value;
  };
  return { name: given.name, minNatIps: count("minNatIps", DEFAULT_MIN_NAT_IPS, 1), maxNetworks: count("maxNetworks", DEFAULT_MAX_NETWORKS, 0), networks: {} };
}

function service(serviceName: string, ipv4: string, zones: string[], natBase: number): ServiceState {
  const now = isoNow();
  return {
    info: {
      serviceName,
      ipLoadbalancing: ipv4,
      ipv4,
      ipv6: null,
      displayName: null,
      sslConfiguration: null,
      state: "ok",
      zone: [...zones],
      offer: "iplb-lb1",
      orderableZone: [{ name: "sbg", planCode: "iplb-zone-lb1-sbg" }],
      vrackEligibility: true,
      vrackName: null,
      metricsToken: null,
      iam: { id: "4f1d8c2e-6b3a-4e5f-9a7b-2c1d0e9f8a7b", urn: `urn:v1:eu:resource:ipLoadbalancing:${serviceName}`, displayName: serviceName, tags: null },
    },
    zones: Object.fromEntries(zones.map((z) => [z, { name: z, state: "active" }])),
    natIp: zones.map((zone, i) => ({ zone, ip: [`198.51.100.${natBase + i * 32}/27`] })),
    staged: emptyConfig(),
    running: Object.fromEntries(zones.map((z) => [z, emptyConfig()])),
    pending: {},
    ssl: {},
    tasks: { 1: { id: 1, action: "installIplb", status: "done", progress: 100, zones: [...zones], creationDate: now, doneDate: now } },
  };
}

function ip(block: string, routedTo: string | null, description: string | null): [string, IpRecord] {
  return [
    block,
    {
      data: {
        ip: block,
        type: "failover",
        routedTo: { serviceName: routedTo },
        description,
        canBeTerminated: true,
        country: "fr",
        organisationId: null,
        campus: "GRA",
        regions: ["eu-west-gra"],
        rir: "RIPE",
        isAdditionalIp: true,
        bringYourOwnIp: false,
        version: 4,
        iam: { id: "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", urn: `urn:v1:eu:resource:ip:${block}`, displayName: null, tags: null },
      },
      tasks: {},
    },
  ];
}

export function seed(options: SeedOptions = {}): StoreData {
  const main = options.serviceName ?? DEFAULT_SERVICE;
  const zones = options.zones ?? ["gra", "rbx"];
  const mainService = service(main, "192.0.2.10", zones, 0);
  if (options.vrack !== undefined) {
    mainService.vrack = vrackState(options.vrack);
    mainService.info.vrackName = mainService.vrack.name;
  }
  return {
    version: 1,
    nextId: 100,
    services: {
      [main]: mainService,
      [OTHER_SERVICE]: service(OTHER_SERVICE, "192.0.2.20", ["gra"], 128),
    },
    ips: Object.fromEntries([
      ip("203.0.113.10/32", null, "parked, free to attach"),
      ip("203.0.113.11/32", null, "parked, free to attach"),
      ip("203.0.113.12/32", main, "already routed to the main load balancer"),
      ip("203.0.113.20/32", OTHER_SERVICE, "routed to another load balancer"),
      ip("203.0.113.21/32", DEDICATED_SERVER, "routed to a dedicated server"),
    ]),
  };
}

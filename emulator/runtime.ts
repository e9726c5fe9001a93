/**
 * Everything a handler may use: the store, the resolved options, live faults, timers, the health view and the DNS
 * view used by free-certificate orders. Handlers receive it as `ctx.state`.
 */
import { checkScopedKeys, type ScopedConsumerKey } from "./accessRules";
import type { Credentials } from "./auth";
import { type DataPlaneOption, type ResolvedDataPlane, resolveDataPlane } from "./dataplane/options";
import type { Dns } from "./dns";
import type { Faults } from "./faults";
import type { VrackSeed } from "./seed";
import { type ProfileName, withProfile } from "./profiles";
import type { Store } from "./store";
import type { Timeline } from "./timeline";

export interface EmulatorOptions {
  /**
   * Durations, latency and rate limit as a set (emulator/profiles.ts): `fast` (default) for test suites, `realistic`
   * for what a deployment meets on OVH (refresh 30 s, IP move 60 s, certificate 90 s, 50-150 ms per answer, 60 calls a
   * minute). Options given beside it win.
   */
  profile?: ProfileName;
  /**
   * Multiplies every duration (the profile's or given) and the latency, and divides the rate limit (default 1): 0.1
   * runs the realistic profile ten times faster with the same calls per task, for a client that scales its polling too.
   */
  timeScale?: number;
  /** TCP port on 127.0.0.1; 0 (default): the one the state file remembers, else a free one. */
  port?: number;
  /** Saves the state there after every change and restores it at start-up. */
  stateFile?: string;
  /** Seconds a `refreshIplb` task takes from `todo` to `done` (default 0.5; the CLI defaults to 3). */
  refreshSeconds?: number;
  /** Seconds an `/ip` move or park task takes (default 0.3). */
  ipTaskSeconds?: number;
  /** Seconds an `orderFreeCertificate` task takes (default 0.3). */
  certificateSeconds?: number;
  /**
   * Real milliseconds per second of probe interval: the API's minimum interval of 30 s becomes 30 x this.
   * Default 20 (a 30 s probe runs every 600 ms).
   */
  probeMsPerSecond?: number;
  /** Timeout of one health check, in real milliseconds (default 1000). */
  probeTimeoutMs?: number;
  /** Credentials the emulator accepts; random ones are generated when not given (and kept in the state file). */
  credentials?: Partial<Credentials>;
  /**
   * Extra consumer keys of the same application, scoped OVH style (emulator/accessRules.ts): each is granted only the
   * calls its `accessRules` match (`*` matches any run of characters), else 403 NOT_GRANTED_CALL; a key whose `state`
   * is not `validated` gets 403 INVALID_CREDENTIAL. The key in `credentials` stays all-powerful. Kept in memory only.
   */
  consumerKeys?: ScopedConsumerKey[];
  /** Name of the seeded load balancer (default `loadbalancer-a1b2...`). */
  serviceName?: string;
  /** Zones of the seeded load balancer (default `gra`, `rbx`). */
  zones?: string[];
  /**
   * Attaches the seeded load balancer to this vRack (`{ name: "pn-12345" }`): `vrack/network` calls are served, and a
   * farm must be created with the `vrackNetworkId` of one of its networks (handlers/vrack.ts). Without it, vRack calls
   * are refused as on a load balancer outside any vRack. Ignored when a state file is restored.
   */
  vrack?: VrackSeed;
  /**
   * Host names that resolve to the load balancer, for free-certificate orders: exact names or `*.suffix` wildcards.
   * An order whose names are not all listed ends its task in `error`, delivering nothing (handlers/ssl.ts).
   */
  routedFqdns?: string[];
  /** Largest accepted difference between a request's X-Ovh-Timestamp and the server clock (default 300 s). */
  maxClockSkewSeconds?: number;
  /** Initial faults (see `Faults`); change them later through `emulator.faults`. */
  faults?: Partial<Faults>;
  /** Seed of the generator behind `faults.errorRate`. */
  randomSeed?: number;
  /**
   * Carries traffic through the running configuration (emulator/dataplane): each frontend's ports listen on
   * 127.0.0.1, HTTP and TCP are proxied to the loopback servers of its farms, TLS terminated with its certificates.
   * `true` (default local ports: 10000 + the frontend's port), or `{ basePort, ports: { "gra:80": 18080 } }`.
   * Off by default. The port table and counters: `emulator.dataPlane`, `GET /_emulator/data-plane`.
   */
  dataPlane?: DataPlaneOption;
}

export interface ResolvedOptions {
  port: number;
  stateFile?: string;
  refreshMs: number;
  ipTaskMs: number;
  certificateMs: number;
  probeMsPerSecond: number;
  probeTimeoutMs: number;
  maxClockSkewSeconds: number;
  randomSeed: number;
  consumerKeys: ScopedConsumerKey[];
  /** Absent: the data plane is off. */
  dataPlane?: ResolvedDataPlane;
}

export function resolveOptions(given: EmulatorOptions): ResolvedOptions {
  const options = withProfile(given);
  return {
    port: options.port ?? 0,
    stateFile: options.stateFile,
    refreshMs: seconds(options.refreshSeconds, 0.5),
    ipTaskMs: seconds(options.ipTaskSeconds, 0.3),
    certificateMs: seconds(options.certificateSeconds, 0.3),
    probeMsPerSecond: options.probeMsPerSecond ?? 20,
    probeTimeoutMs: options.probeTimeoutMs ?? 1000,
    maxClockSkewSeconds: options.maxClockSkewSeconds ?? 300,
    randomSeed: options.randomSeed ?? 1,
    consumerKeys: checkScopedKeys(options.consumerKeys, options.credentials?.consumerKey),
    dataPlane: resolveDataPlane(options.dataPlane),
  };
}

function seconds(value: number | undefined, fallback: number): number {
  return Math.round((value ?? fallback) * 1000);
}

/** One LB instance's view of one server, as `serverState` reports it. */
export interface ServerState {
  instanceId: number;
  status: string | null;
  checkStatus: string | null;
  checkCode: string | null;
  checkTime: string | null;
  lastCheckContent: string | null;
}

/** What the health prober exposes to handlers. */
export interface HealthView {
  /** serverState of a running server (one entry per LB instance of its zones), `[]` when not running. */
  serverState(serviceName: string, serverId: number): ServerState[];
  /** Called after a zone's running configuration changed, so probes start, change or stop. */
  sync(): void;
  close(): void;
}

/** What handlers tell the data plane (emulator/dataplane), when it is on. */
export interface DataPlaneHooks {
  /** A refresh changed running configurations: listeners follow, the refreshed zones' connections close. */
  sync(): void;
  /** A custom certificate was uploaded: its key is kept in memory for TLS frontends, never served nor saved. */
  keepKey(sslId: number, pem: { certificate: string; key: string; chain?: string }): void;
  /** A free certificate is delivered: issues it under the data plane's CA and returns its PEM. */
  issue(sslId: number, names: readonly string[], days: number): string;
  forget(sslId: number): void;
}

export interface Runtime {
  store: Store;
  options: ResolvedOptions;
  faults: Faults;
  timeline: Timeline;
  health: HealthView;
  /** Names that resolve to the load balancer (free certificates). */
  dns: Dns;
  /** Absent unless the `dataPlane` option is on. */
  dataPlane?: DataPlaneHooks;
}

/** Two LB instances per zone, with stable ids: zone index * 10 + 1 and + 2. */
export function instancesOf(zones: string[], zone: string): number[] {
  const i = zones.indexOf(zone);
  return i < 0 ? [] : [i * 10 + 101, i * 10 + 102];
}

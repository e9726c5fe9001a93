/**
 * Layer C helpers: a Pulumi program built from a desired-state object (farms with their servers, as in
 * examples/quickstart/index.ts), what the emulator should then run for it, and views of the emulator and of the
 * MiniEngine's state that tests compare with it.
 *
 * Every resource is named after its `displayName`, so the emulator's objects can be matched with the program and with
 * the state by name. Server addresses should be outside 127.0.0.0/8 (e.g. 192.0.2.x): the emulator then never probes
 * them, whatever their `probe` flag.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import type { Config } from "../../emulator";
import type { Emulator } from "../helpers/emulator";
import type { MiniEngine, ResourceState, Step } from "../helpers/miniEngine";

export type FarmType = "http" | "tcp" | "udp";

export interface ServerSpec {
  name: string;
  address: string;
  port?: number;
  status?: iplb.ServerStatus;
  /** HTTP and TCP only. */
  weight?: number;
  probe?: boolean;
  /** HTTP only. */
  cookie?: string;
}

export interface FarmSpec {
  name: string;
  type: FarmType;
  zone: string;
  port: number;
  /** HTTP and TCP only; a string so that tests can also declare values check() refuses. */
  balance?: string;
  stickiness?: string;
  probe?: iplb.ProbeArgs;
  adoptFarmId?: number;
  servers: ServerSpec[];
}

export interface Desired {
  serviceName: string;
  farms: FarmSpec[];
  /** Apply the run with one `Refresh` batch named `lb` instead of operation by operation. */
  batch?: boolean;
}

type Farm = iplb.HttpFarm | iplb.TcpFarm | iplb.UdpFarm;

function declareFarm(serviceName: string, f: FarmSpec, refresh: iplb.Refresh | undefined): Farm {
  const common = { serviceName, zone: f.zone, displayName: f.name, port: f.port, adoptFarmId: f.adoptFarmId, refresh };
  switch (f.type) {
    case "http":
      return new iplb.HttpFarm(f.name, {
        ...common, balance: f.balance as iplb.HttpBalance | undefined, stickiness: f.stickiness as iplb.HttpStickiness | undefined, probe: f.probe,
      });
    case "tcp":
      return new iplb.TcpFarm(f.name, {
        ...common, balance: f.balance as iplb.TcpBalance | undefined, stickiness: f.stickiness as iplb.TcpStickiness | undefined, probe: f.probe,
      });
    case "udp":
      return new iplb.UdpFarm(f.name, common);
  }
}

function declareServer(serviceName: string, type: FarmType, farmId: pulumi.Input<number>, s: ServerSpec, refresh: iplb.Refresh | undefined) {
  const common = { serviceName, farmId, address: s.address, status: s.status ?? "active", port: s.port, displayName: s.name, refresh };
  switch (type) {
    case "http":
      return new iplb.HttpFarmServer(s.name, { ...common, weight: s.weight, probe: s.probe, cookie: s.cookie });
    case "tcp":
      return new iplb.TcpFarmServer(s.name, { ...common, weight: s.weight, probe: s.probe });
    case "udp":
      return new iplb.UdpFarmServer(s.name, common);
  }
}

/** The program for `desired`; its stack outputs are the farm ids and server resource ids by name. */
export function iplbProgram(desired: Desired): () => Record<string, unknown> {
  return () => {
    // Members must be declared in the same synchronous part of the program as their batch (sdk/refresh.ts).
    const refresh = desired.batch ? new iplb.Refresh("lb", { serviceName: desired.serviceName }) : undefined;
    const farmIds: Record<string, pulumi.Output<number>> = {};
    const serverIds: Record<string, pulumi.Output<string>> = {};
    for (const f of desired.farms) {
      const farm = declareFarm(desired.serviceName, f, refresh);
      farmIds[f.name] = farm.farmId;
      for (const s of f.servers) serverIds[s.name] = declareServer(desired.serviceName, f.type, farm.farmId, s, refresh).id;
    }
    return { farmIds, serverIds };
  };
}

// ---- what the emulator should run ----------------------------------------------------------------------------

type Model = Record<string, unknown>;
export interface FarmView extends Model {
  type: string;
  servers: Model[];
}

const byName = (a: Model, b: Model) => String(a.displayName).localeCompare(String(b.displayName));

/**
 * A configuration (running or staged) as farms with their servers, ids left out (they differ from run to run):
 * every API field is kept, so comparing views compares every field the API reports.
 */
export function configView(config: Config): FarmView[] {
  return Object.values(config.farms)
    .map((f) => {
      const { farmId, ...fields } = f.data;
      const servers = Object.values(config.servers)
        .filter((s) => s.farmId === farmId)
        .map((s) => {
          const { serverId: _serverId, backendId: _backendId, ...data } = s.data;
          return data;
        })
        .sort(byName);
      return { type: f.type, ...fields, servers };
    })
    .sort(byName);
}

/** What `zone` runs (the last refresh of that zone made it live). */
export const runningView = (emu: Emulator, zone: string): FarmView[] => configView(emu.running(zone));

/** What the API shows (staged: written, maybe not live yet). */
export function stagedView(emu: Emulator): FarmView[] {
  const svc = emu.store.service(emu.serviceName);
  if (!svc) throw new Error(`no service ${emu.serviceName} in the emulator`);
  return configView(svc.staged);
}

/** The probe as the API stores the body the provider sends (every field, null where not set). */
function apiProbe(p: iplb.ProbeArgs | undefined): Model | null {
  if (!p) return null;
  return { type: null, port: null, interval: null, method: null, url: null, match: null, pattern: null, negate: false, forceSsl: false, ...p };
}

function expectedServer(type: FarmType, s: ServerSpec): Model {
  return {
    address: s.address,
    displayName: s.name,
    port: s.port ?? null,
    status: s.status ?? "active",
    ...(type === "udp"
      ? {}
      : { backup: false, chain: null, onMarkedDown: null, probe: s.probe ?? false, proxyProtocolVersion: null, ssl: false, weight: s.weight ?? null }),
    ...(type === "http" ? { cookie: s.cookie ?? null } : {}),
  };
}

function expectedFarm(f: FarmSpec): FarmView {
  return {
    type: f.type,
    displayName: f.name,
    vrackNetworkId: null,
    zone: f.zone,
    port: f.port,
    ...(f.type === "udp" ? {} : { probe: apiProbe(f.probe), balance: f.balance ?? null, stickiness: f.stickiness ?? null }),
    servers: f.servers.map((s) => expectedServer(f.type, s)).sort(byName),
  };
}

/** The view the emulator should show for `desired`: the farms of `zone` (and of `all`), or every farm. */
export function expectedView(desired: Desired, zone?: string): FarmView[] {
  return desired.farms
    .filter((f) => zone === undefined || f.zone === zone || f.zone === "all")
    .map(expectedFarm)
    .sort(byName);
}

// ---- state against the emulator ------------------------------------------------------------------------------

const FARM_TYPES = new Set(["HttpFarm", "TcpFarm", "UdpFarm"]);
const SERVER_TYPES = new Set(["HttpFarmServer", "TcpFarmServer", "UdpFarmServer"]);
const kind = (r: { type: string }) => r.type.replace("pulumi-nodejs:dynamic/iplb:", "");
const SERVER_FIELDS = ["address", "port", "status", "weight", "cookie", "displayName"];
const FARM_FIELDS = ["zone", "port", "balance", "stickiness", "displayName"];

function pick(source: Model, keys: string[]): Model {
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
}

/** Farms and servers in the engine's state, by name: resource id and the API fields of their outputs. */
export function stateView(engine: MiniEngine): Record<string, Model> {
  const managed = [...engine.state.values()].filter((r) => FARM_TYPES.has(kind(r)) || SERVER_TYPES.has(kind(r)));
  return Object.fromEntries(
    managed.map((r: ResourceState) => [r.name, { id: r.id, ...pick(r.outputs, FARM_TYPES.has(kind(r)) ? FARM_FIELDS : SERVER_FIELDS) }]),
  );
}

/** The same view of what the API shows (staged), ids built the way the provider builds resource ids. */
export function apiStateView(emu: Emulator): Record<string, Model> {
  const svc = emu.store.service(emu.serviceName)!;
  const out: Record<string, Model> = {};
  for (const f of Object.values(svc.staged.farms)) {
    out[String(f.data.displayName)] = { id: `${emu.serviceName}/${f.data.farmId}`, ...pick(f.data, FARM_FIELDS) };
  }
  for (const s of Object.values(svc.staged.servers)) {
    out[String(s.data.displayName)] = { id: `${emu.serviceName}/${s.farmId}/${s.data.serverId}`, ...pick(s.data, SERVER_FIELDS) };
  }
  return out;
}

/** The API path of a farm or server resource in state (what its diff GETs). */
export function apiPath(r: ResourceState): string {
  const type = kind(r).replace(/Farm(Server)?$/, "").toLowerCase();
  const [serviceName, farmId, serverId] = r.id.split("/");
  return `/ipLoadbalancing/${serviceName}/${type}/farm/${farmId}${serverId ? `/server/${serverId}` : ""}`;
}

/** Farms and servers in state. */
export const managed = (engine: MiniEngine): ResourceState[] =>
  [...engine.state.values()].filter((r) => FARM_TYPES.has(kind(r)) || SERVER_TYPES.has(kind(r)));

/** `op name` per step, sorted: the shape `pulumi up` prints, order aside. */
export const ops = (steps: Step[]): string[] => steps.map((s) => `${s.op} ${s.name}`).sort();

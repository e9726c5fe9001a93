/**
 * Real health checks for the running configuration: the `serverState` the farm-server handlers report.
 *
 * One check loop per (service, zone, server) of `svc.running[zone]`, so a zone that has not been refreshed keeps
 * probing with its old configuration. Every LB instance of the zone (`instancesOf`, two per zone) reports the same
 * result: the emulator checks once per zone instead of once per instance. Only servers whose `probe` flag is true,
 * whose address is in 127.0.0.0/8 and whose farm is HTTP or TCP are contacted; nothing else ever is.
 *
 * HAProxy's state machine, with OVH's wording: "if the connection fails twice in a row, the server is put aside until it
 * responds again" (probes guide) -> fall 2, rise 1. As in HAProxy, a server starts UP with `checkStatus: "INI"` and
 * health = rise, so the very first failed check takes it DOWN; from full health it takes two. Transitional labels
 * (`UP 1/2`) are not emitted: `status` is `UP` or `DOWN`, `checkStatus` shows the last result.
 *
 * Other states, decided here (the reference only names `DOWN` and `no check`):
 * - probe flag off, non-loopback address, UDP farm, or no port to check -> `status: "no check"`, other fields null;
 * - server `status: "inactive"` -> `status: "MAINT"` (HAProxy's state for a `disabled` server), other fields null.
 *
 * Timing: interval = `probe.interval` (default 30) x `probeMsPerSecond`; first check as soon as the zone runs the
 * server; one check at a time per loop; timeout `probeTimeoutMs`. A loop whose settings change restarts from INI (a
 * reload without a server-state file); an unchanged one keeps its state across refreshes.
 */
import type * as net from "net";
import { CheckResult, CheckTarget, ProbeConfig, runCheck } from "./probeChecks";
import { HealthView, instancesOf, Runtime, ServerState } from "./runtime";
import { Config, isoNow, Model, StoredServer } from "./store";

const RISE = 1;
const FALL = 2;
const DEFAULT_INTERVAL_S = 30;

type Snapshot = Omit<ServerState, "instanceId">;

const staticState = (status: string): Snapshot => ({ status, checkStatus: null, checkCode: null, checkTime: null, lastCheckContent: null });

interface Loop {
  signature: string;
  target?: CheckTarget;
  intervalMs: number;
  health: number;
  state: Snapshot;
  active: boolean;
}

const isLoopback = (address: unknown) => typeof address === "string" && /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) ? value : null);

/** `url` of an http probe: `[[https?://]host]/path` -> the request path and the Host header (null = none). */
function splitUrl(url: unknown): { path: string; host: string | null } {
  if (typeof url !== "string" || url === "") return { path: "/", host: null };
  const m = /^(?:https?:\/\/)?([^/]*)(\/.*)?$/i.exec(url);
  if (!m) return { path: "/", host: null };
  return { host: m[1] === "" ? null : m[1], path: m[2] ?? "/" };
}

/** The first port of a running frontend sending traffic to the farm: HAProxy's port when farm and server have none. */
function frontendPort(config: Config, farmId: number): number | null {
  for (const fe of Object.values(config.frontends)) {
    if (fe.data.defaultFarmId !== farmId) continue;
    const first = /^\d+/.exec(String(fe.data.port ?? ""));
    if (first) return Number(first[0]);
  }
  return null;
}

/** What to do for one running server: a fixed state, or a check target with its interval. */
function plan(config: Config, server: StoredServer, timeoutMs: number): { state: Snapshot } | { target: CheckTarget; intervalS: number } {
  const farm = config.farms[server.farmId];
  const s = server.data;
  if (!farm) return { state: staticState("no check") };
  if (s.status === "inactive") return { state: staticState("MAINT") };
  if (farm.type === "udp" || s.probe !== true || !isLoopback(s.address)) return { state: staticState("no check") };
  const p = (farm.data.probe ?? {}) as Model;
  const serverPort = num(s.port) ?? num(farm.data.port) ?? frontendPort(config, server.farmId);
  const type = typeof p.type === "string" && p.type !== "internal" ? p.type : "tcp";
  const port = type === "oco" ? 79 : num(p.port) ?? serverPort;
  if (port === null) return { state: staticState("no check") };
  const { path, host } = type === "http" ? splitUrl(p.url) : { path: "/", host: null };
  const probe: ProbeConfig = {
    type,
    method: typeof p.method === "string" && p.method !== "internal" ? p.method : "OPTIONS",
    path,
    host,
    match: typeof p.match === "string" && p.match !== "internal" ? p.match : "default",
    pattern: typeof p.pattern === "string" ? p.pattern : "",
    negate: p.negate === true,
  };
  // Probes guide: a probe port other than the server's drops the farm's ssl; forceSsl turns TLS on regardless.
  const tls = p.forceSsl === true || (s.ssl === true && port === serverPort);
  return { target: { address: s.address as string, port, tls, probe, timeoutMs }, intervalS: num(p.interval) ?? DEFAULT_INTERVAL_S };
}

/** What the prober reads: the running configurations, the probe options, and the clock its loops run on. */
export type HealthDeps = Pick<Runtime, "store" | "options" | "timeline">;

/** The prober's state: one check loop per running server per zone, and the sockets of checks in flight. */
interface Prober {
  rt: HealthDeps;
  loops: Map<string, Loop>;
  sockets: Set<net.Socket>;
  closed: boolean;
}

/** HAProxy: a success climbs towards rise and then jumps to full health; a failure at or below rise means DOWN. */
function record(loop: Loop, r: CheckResult): void {
  if (r.ok) loop.health = loop.health + 1 >= RISE ? RISE + FALL - 1 : loop.health + 1;
  else loop.health = loop.health > RISE ? loop.health - 1 : 0;
  loop.state = {
    status: loop.health >= RISE ? "UP" : "DOWN",
    checkStatus: r.checkStatus,
    checkCode: r.checkCode,
    checkTime: isoNow(),
    lastCheckContent: r.content,
  };
}

function tick(p: Prober, loop: Loop): void {
  if (!loop.active || p.closed || !loop.target) return;
  runCheck(loop.target, p.sockets).then((r) => {
    if (!loop.active || p.closed) return;
    record(loop, r);
    p.rt.timeline.after(loop.intervalMs, () => tick(p, loop));
  }, () => undefined);
}

function startLoop(p: Prober, signature: string, planned: ReturnType<typeof plan>): Loop {
  if ("state" in planned) return { signature, intervalMs: 0, health: 0, state: planned.state, active: false };
  const loop: Loop = {
    signature,
    target: planned.target,
    intervalMs: planned.intervalS * p.rt.options.probeMsPerSecond,
    health: RISE,
    state: { status: "UP", checkStatus: "INI", checkCode: null, checkTime: null, lastCheckContent: null },
    active: true,
  };
  p.rt.timeline.after(0, () => tick(p, loop));
  return loop;
}

function serverState(p: Prober, serviceName: string, serverId: number): ServerState[] {
  const svc = p.rt.store.service(serviceName);
  if (!svc) return [];
  const zones = p.rt.store.serviceZones(svc);
  return zones.flatMap((zone) => {
    if (!svc.running[zone]?.servers[serverId]) return [];
    const snapshot = p.loops.get(`${serviceName}|${zone}|${serverId}`)?.state ?? staticState("no check");
    return instancesOf(zones, zone).map((instanceId) => ({ instanceId, ...snapshot }));
  });
}

/** Starts, restarts (its probe changed) or stops the loop of every running server. */
function sync(p: Prober): void {
  if (p.closed) return;
  const wanted = new Set<string>();
  for (const [serviceName, svc] of Object.entries(p.rt.store.data.services)) {
    for (const zone of p.rt.store.serviceZones(svc)) {
      const config = svc.running[zone];
      if (!config) continue;
      for (const [serverId, server] of Object.entries(config.servers)) {
        const key = `${serviceName}|${zone}|${serverId}`;
        const planned = plan(config, server, p.rt.options.probeTimeoutMs);
        const signature = JSON.stringify(planned);
        wanted.add(key);
        const current = p.loops.get(key);
        if (current?.signature === signature) continue;
        if (current) current.active = false;
        p.loops.set(key, startLoop(p, signature, planned));
      }
    }
  }
  for (const [key, loop] of p.loops) {
    if (wanted.has(key)) continue;
    loop.active = false;
    p.loops.delete(key);
  }
}

export function createHealth(rt: HealthDeps): HealthView {
  const p: Prober = { rt, loops: new Map(), sockets: new Set(), closed: false };
  return {
    serverState: (serviceName, serverId) => serverState(p, serviceName, serverId),
    sync: () => sync(p),
    close() {
      p.closed = true;
      for (const loop of p.loops.values()) loop.active = false;
      p.loops.clear();
      for (const socket of p.sockets) socket.destroy();
      p.sockets.clear();
    },
  };
}

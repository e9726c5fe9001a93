/**
 * Fault-tolerance harness: one realistic program (an HTTP farm with two servers, a TCP farm with one, an HTTP frontend
 * on the HTTP farm, a failover IP), run by the mini engine against the REAL dynamic-provider host process, against an
 * emulator whose faults a test turns on for run 1. Every deployment gets a new host process, as the engine starts
 * one per `pulumi up`; the state (the mini engine's) survives from run to run.
 *
 * `expectConverged` is the bar after every recovery: the emulator runs exactly the program (farms, servers, frontend,
 * the IP routed), nothing is pending, no object exists twice under its natural key, every object belongs to a
 * resource in the state and every resource to an object, and no resource carries init errors.
 */
import type { ChildProcess } from "child_process";
import type * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import type { RequestLogEntry } from "../../emulator";
import { defaultFaults } from "../../emulator/faults";
import { Emulator, eventually, startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runWithMocks } from "../helpers/programRunner";
import { Desired, expectedView, iplbProgram, runningView, stagedView } from "../program/iplbProgram";
import { emulatorSettings, pendingChanges, refreshesSince, writesSince } from "../provider/support";

export const PROJECT = "iplb-faults";
export const VIP = "203.0.113.10/32";
/** Seeded as routed to the emulator's load balancer (emulator/seed.ts); never managed here. */
const SEEDED_ROUTED = "203.0.113.12/32";

/**
 * Short timeouts keep the files fast: a request gets 1 s, a task 1.5 s, and a retry waits from 10 ms (the defaults are
 * 60 s, 600 s and 500 ms). The scenarios' spikes and delays are sized against these values.
 */
export const FAST_SETTINGS = {
  "ovh-iplb:retryBaseMs": "10",
  "ovh-iplb:requestTimeoutSeconds": "1",
  "ovh-iplb:taskTimeoutSeconds": "1.5",
};

/** The farms and servers of the program (iplbProgram's shape; each resource is named after its displayName). */
export function desiredFor(serviceName: string): Desired {
  return {
    serviceName,
    farms: [
      {
        name: "web", type: "http", zone: "gra", port: 80, balance: "roundrobin", stickiness: "cookie",
        probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 },
        servers: [1, 2].map((i) => ({ name: `web-${i}`, address: `192.0.2.${10 + i}`, port: 80, weight: 1, probe: true, cookie: `w${i}` })),
      },
      {
        name: "cache", type: "tcp", zone: "gra", port: 6379, balance: "leastconn", stickiness: "sourceIp",
        probe: { type: "tcp", match: "default", interval: 30 },
        servers: [{ name: "cache-1", address: "192.0.2.31", port: 6379, weight: 1, probe: true }],
      },
    ],
  };
}

/** iplbProgram plus what a real stack also has: a frontend on the web farm and a failover IP. */
export function faultProgram(desired: Desired): () => Record<string, unknown> {
  return () => {
    const base = iplbProgram(desired)() as { farmIds: Record<string, pulumi.Output<number>>; serverIds: Record<string, pulumi.Output<string>> };
    new iplb.HttpFrontend("front", {
      serviceName: desired.serviceName, zone: "gra", port: 80, displayName: "front", defaultFarmId: base.farmIds.web,
    });
    new iplb.FailoverIpAttachment("vip", { serviceName: desired.serviceName, ip: VIP });
    // Only the nested ids: a top-level output left undefined by a failed run would print a warning.
    return base;
  };
}

/** The host's child process: killing it is what a crash (or the OOM killer) does to the real plugin. */
export function hostProcess(host: HostDriver): ChildProcess {
  return (host as unknown as { child: ChildProcess }).child;
}

export interface RunResult {
  /** The run's error (the first failed step), or undefined when `up` succeeded. */
  error?: Error;
  /** Position in the request log when the run started. */
  from: number;
  requests: RequestLogEntry[];
}

/** One stack: its state, the emulator, and `up` with a fresh host process per run. */
export class FaultStack {
  engine!: MiniEngine;
  host!: HostDriver;
  readonly desired: Desired;

  private constructor(public emu: Emulator, private readonly stateFile?: string) {
    this.desired = desiredFor(emu.serviceName);
  }

  /** `stateFile`: keep the emulator's state on disk, so that `restartEmulator` can bring it back. */
  static async start(stateFile?: string): Promise<FaultStack> {
    return new FaultStack(await startTestEmulator({ refreshSeconds: 0.05, stateFile }), stateFile);
  }

  /**
   * Stops the emulator and starts it again from its state file on the same port and credentials. Tasks still running
   * finish at start-up (emulator/resume.ts), which is how a test ends a task stuck by `refreshOutcome: "never"`: what
   * OVH does, late, with a task it did not finish. The request log starts empty again.
   */
  async restartEmulator(): Promise<void> {
    if (!this.stateFile) throw new Error("restartEmulator needs a stack started with a state file");
    const port = this.emu.port;
    await this.emu.close();
    this.emu = await startTestEmulator({ refreshSeconds: 0.05, stateFile: this.stateFile, port });
  }

  /** A new host process, with the state carried over (the engine keeps the state file, not the plugin). */
  async newHost(): Promise<HostDriver> {
    await this.host?.close();
    this.host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
    const next = new MiniEngine(this.host);
    if (this.engine) {
      for (const [urn, r] of this.engine.state) next.state.set(urn, r);
      next.pendingDeletes = this.engine.pendingDeletes;
    }
    this.engine = next;
    return this.host;
  }

  /** `pulumi up`: a new host, the program, and the result (a failed run resolves with its error). */
  async up(settings: Record<string, string> = {}, during?: (host: HostDriver) => void): Promise<RunResult> {
    await this.newHost();
    const from = this.emu.requests.length;
    const config = { ...emulatorSettings(this.emu), ...FAST_SETTINGS, ...settings };
    during?.(this.host);
    let error: Error | undefined;
    await runWithMocks(this.engine, faultProgram(this.desired), { project: PROJECT, stack: "dev", config }).catch((e: Error) => (error = e));
    return { error, from, requests: this.emu.requests.slice(from) };
  }

  /** Every fault back to none (counted faults disarmed, tasks ending `done`). */
  faultsOff(): void {
    Object.assign(this.emu.faults, defaultFaults());
  }

  async close(): Promise<void> {
    await this.host?.close();
    await this.emu.close();
  }
}

// ---- what the emulator holds -----------------------------------------------------------------------------------

type Model = Record<string, unknown>;

/** Objects of the load balancer as `kind:id` -> the natural key the provider adopts by (provider/models/naturalKeys.ts NATURAL_KEYS). */
export function emulatorObjects(emu: Emulator): Map<string, string> {
  const svc = emu.store.service(emu.serviceName)!;
  const objects = new Map<string, string>();
  for (const f of Object.values(svc.staged.farms)) objects.set(`farm:${f.data.farmId}`, `${f.type} farm ${f.data.zone}/${f.data.displayName}`);
  for (const s of Object.values(svc.staged.servers)) objects.set(`server:${s.data.serverId}`, `server of farm ${s.farmId} ${s.data.address}:${s.data.port}`);
  for (const f of Object.values(svc.staged.frontends)) objects.set(`frontend:${f.data.frontendId}`, `${f.type} frontend ${f.data.zone}:${f.data.port}`);
  return objects;
}

/** Natural keys held by more than one object (what an interrupted create would leave as a duplicate). */
export function duplicates(emu: Emulator): string[] {
  const counts = new Map<string, number>();
  for (const key of emulatorObjects(emu).values()) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
}

const KIND_OF_TYPE: Record<string, string> = {
  HttpFarm: "farm", TcpFarm: "farm", HttpFarmServer: "server", TcpFarmServer: "server", HttpFrontend: "frontend",
};

/** Objects the state holds, as `kind:id` (the resource id's last segment is the object's id). */
export function stateObjects(engine: MiniEngine): string[] {
  return [...engine.state.values()]
    .filter((r) => KIND_OF_TYPE[r.type.replace("pulumi-nodejs:dynamic/iplb:", "")])
    .map((r) => `${KIND_OF_TYPE[r.type.replace("pulumi-nodejs:dynamic/iplb:", "")]}:${r.id.split("/").pop()}`)
    .sort();
}

const ipRoute = (emu: Emulator, block: string) => (emu.store.ip(block)?.data.routedTo as { serviceName: string | null }).serviceName;

/** The failover IPs routed to the load balancer, the seeded one left out. */
export function routedIps(emu: Emulator): string[] {
  return Object.keys(emu.store.data.ips).filter((b) => b !== SEEDED_ROUTED && ipRoute(emu, b) === emu.serviceName).sort();
}

/** The frontend as the API models it, for the program's declaration. */
function expectedFrontend(defaultFarmId: number): Model {
  return {
    allowedSource: null, dedicatedIpfo: null, defaultFarmId, defaultSslId: null, deniedSource: null, disabled: false,
    displayName: "front", hsts: false, httpHeader: null, port: "80", redirectLocation: null, ssl: false,
    vrackNetworkId: null, vrackVrouterId: null, zone: "gra",
  };
}

const withoutId = ({ frontendId: _id, ...rest }: Model): Model => rest;

/** The bar every recovery must reach (see the file header). */
export function expectConverged(stack: FaultStack): void {
  const { emu, engine, desired } = stack;
  expect(runningView(emu, "gra")).toEqual(expectedView(desired, "gra"));
  expect(stagedView(emu)).toEqual(expectedView(desired));
  const web = Object.values(emu.store.service(emu.serviceName)!.staged.farms).find((f) => f.data.displayName === "web")!;
  expect(Object.values(emu.running("gra").frontends).map((f) => withoutId(f.data))).toEqual([expectedFrontend(web.data.farmId as number)]);
  expect(routedIps(emu)).toEqual([VIP]);
  expect(pendingChanges(emu)).toEqual([]);
  expect(duplicates(emu)).toEqual([]);
  // No orphan either way: the emulator's objects are exactly the state's.
  expect([...emulatorObjects(emu).keys()].sort()).toEqual(stateObjects(engine));
  expect([...engine.state.values()].filter((r) => r.type.endsWith(":FailoverIpAttachment")).map((r) => r.id)).toEqual([`${emu.serviceName}/${VIP}`]);
  expect([...engine.state.values()].filter((r) => (r.initErrors ?? []).length > 0).map((r) => r.name)).toEqual([]);
  // Two farms, three servers, one frontend: nothing more, nothing less.
  expect(stateObjects(engine)).toHaveLength(6);
}

/** Run 3: every step `same`, not one write, not one refresh. */
export async function expectNoOp(stack: FaultStack): Promise<void> {
  const run = await stack.up();
  expect(run.error).toBeUndefined();
  expect(stack.engine.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual([]);
  expect(writesSince(stack.emu, run.from)).toEqual([]);
  expect(refreshesSince(stack.emu, run.from)).toEqual([]);
  expectConverged(stack);
}

/** Resource names of the state, by whether they carry init errors. */
export function initErrored(engine: MiniEngine): string[] {
  return [...engine.state.values()].filter((r) => (r.initErrors ?? []).length > 0).map((r) => r.name).sort();
}

/** POSTs that create objects (farms, servers, frontends), by path. */
export const objectPosts = (requests: readonly RequestLogEntry[]) =>
  requests.filter((r) => r.method === "POST" && /\/(farm|server|frontend)$/.test(r.path));

/**
 * Calls `action` once `predicate` holds on the request log, checked as each request arrives and before it is answered
 * (a poll of the log could act after the answer); returns a stop function.
 */
export function whenRequests(emu: Emulator, predicate: (requests: readonly RequestLogEntry[]) => boolean, action: () => void): () => void {
  const stop = emu.onRequest((requests) => {
    if (!predicate(requests)) return;
    stop();
    action();
  });
  return stop;
}

/** Waits until every request the emulator received has been answered (late answers to a killed client included). */
export const allAnswered = (emu: Emulator, timeoutMs = 30_000) =>
  eventually(() => emu.requests.every((r) => r.status !== 0), timeoutMs, "every request to be answered");

// ---- retries in the request log ---------------------------------------------------------------------------------

/** One request's identity across retries: method, path, query and body. */
export const keyOf = (r: RequestLogEntry) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body ?? null)}`;

/** The request that answered `failed` again later: the next one with the same identity. */
export function retryOf(requests: RequestLogEntry[], failed: RequestLogEntry): RequestLogEntry | undefined {
  return requests.slice(requests.indexOf(failed) + 1).find((r) => keyOf(r) === keyOf(failed));
}

/** Each of these requests was made again, and the last attempt of each succeeded. */
export function expectEachRetried(requests: RequestLogEntry[], failed: RequestLogEntry[]): void {
  for (const f of failed) {
    let last = f;
    for (let next = retryOf(requests, last); next; next = retryOf(requests, last)) last = next;
    expect([keyOf(f), last.status]).toEqual([keyOf(f), 200]);
  }
}

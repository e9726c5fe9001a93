/**
 * One stack's deployments, as `pulumi up` / `pulumi destroy` run them: the program (bench/program, installed in the
 * bench project) runs through the Node language runtime against the mini engine, whose state carries over from run to
 * run, and each run gets a new dynamic-provider host, started at the first provider call (the Go engine starts the
 * plugin per deployment, when the first resource needs it). Measures the wall time of each run and how long the host
 * took to start, and reads what the emulator received during the run.
 */
import { HostDriver, ProviderBackend, startHost } from "../tests/helpers/hostDriver";
import { deleteAntichains, MiniEngine, ResourceState } from "../tests/helpers/miniEngine";
import { runProgram } from "../tests/helpers/programRunner";
import type { EmulatorClient } from "./emulatorClient";
import type { LoggedRequest } from "./emulatorProcess";
import { CpuUse, endedChildrenCpuMs, ownCpuMs, processCpuMs } from "./cpu";
import { CallRecord, criticalPath, unionMs } from "./metrics";
import { NoopBackend } from "./noopBackend";
import type { BenchProject } from "./project";
import { StackSpec } from "./stacks";

export const PROJECT = "iplb-bench";
export const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

/**
 * The bench program's stack config for `spec`: the emulator's endpoint and credentials when there is one. Without
 * one, `noopProgram` asks the program for its no-op twin (the real engine's twin); the mini engine's twin keeps the
 * package's classes and answers their calls with its own backend.
 */
export function benchConfig(emu: EmulatorClient | undefined, serviceName: string, spec: StackSpec, noopProgram: boolean): Record<string, string> {
  const info = emu?.info;
  const settings: Record<string, string> = info
    ? { "ovh:endpoint": info.url, "ovh:applicationKey": info.applicationKey, "ovh:applicationSecret": info.applicationSecret, "ovh:consumerKey": info.consumerKey, "ovh-iplb:caFile": info.caFile }
    : noopProgram ? { [`${PROJECT}:noop`]: "true" } : {};
  return { ...settings, [`${PROJECT}:serviceName`]: serviceName, [`${PROJECT}:spec`]: JSON.stringify(spec) };
}

/**
 * The host of the current run behind one backend, so the engine (and its state) outlives each host process. Also
 * records when each provider call was in flight (from the moment the host was up), for `busyMs`.
 */
class LazyHost implements ProviderBackend {
  private ready?: Promise<HostDriver>;
  /** Spawn to port printed, for the current run. */
  startMs = 0;
  calls: CallRecord[] = [];

  constructor(private readonly cwd: string) {}

  private h(): Promise<HostDriver> {
    return (this.ready ??= (async () => {
      const t0 = performance.now();
      const host = await startHost({ cwd: this.cwd, project: PROJECT });
      this.startMs = performance.now() - t0;
      return host;
    })());
  }

  private async timed<T>(method: string, urn: string, call: (host: HostDriver) => Promise<T>): Promise<T> {
    const host = await this.h();
    const startMs = performance.now();
    try {
      return await call(host);
    } finally {
      this.calls.push({ method, urn, startMs, endMs: performance.now() });
    }
  }

  /** The host's CPU time so far (undefined when no host was started or /proc is not there). */
  async cpuMs(): Promise<number | undefined> {
    const host = await this.ready?.catch(() => undefined);
    return processCpuMs((host as unknown as { child?: { pid?: number } } | undefined)?.child?.pid);
  }

  /** Ends the run: kills the host, as the engine does when a deployment ends. */
  async stop(): Promise<void> {
    const host = await this.ready?.catch(() => undefined);
    this.ready = undefined;
    this.startMs = 0;
    this.calls = [];
    await host?.close();
  }

  configure: ProviderBackend["configure"] = (c) => this.timed("configure", "", (h) => h.configure(c));
  check: ProviderBackend["check"] = (urn, ...a) => this.timed("check", urn, (h) => h.check(urn, ...a));
  diff: ProviderBackend["diff"] = (id, urn, ...a) => this.timed("diff", urn, (h) => h.diff(id, urn, ...a));
  create: ProviderBackend["create"] = (urn, ...a) => this.timed("create", urn, (h) => h.create(urn, ...a));
  read: ProviderBackend["read"] = (id, urn, ...a) => this.timed("read", urn, (h) => h.read(id, urn, ...a));
  update: ProviderBackend["update"] = (id, urn, ...a) => this.timed("update", urn, (h) => h.update(id, urn, ...a));
  delete: ProviderBackend["delete"] = (id, urn, ...a) => this.timed("delete", urn, (h) => h.delete(id, urn, ...a));
}

/** The engine's delete antichains over the resources of `before` that the run deleted. */
function deleteChains(before: ResourceState[], calls: CallRecord[]): string[][] {
  const deleted = new Set(calls.filter((c) => c.method === "delete").map((c) => c.urn));
  return deleteAntichains(before.filter((r) => deleted.has(r.urn))).map((chain) => chain.map((r) => r.urn));
}

export interface RunRecord {
  wallMs: number;
  /** How long the dynamic-provider host took to start (0 when no provider call was made). */
  hostStartMs: number;
  /** Time during which at least one provider call was in flight (seen from the engine, once the host was up). */
  busyMs: number;
  /** The provider's critical path (metrics.ts criticalPath): registrations, then deletions. */
  providerPath: { registrationMs: number; deletionMs: number };
  /** Every provider call, in ms from the start of the run. */
  calls: CallRecord[];
  /** CPU time of each process during the run. */
  cpuMs: CpuUse;
  /** Every request the emulator received during the run. */
  requests: LoggedRequest[];
  /** Epoch ms at which the run started (request times are ISO strings of epoch ms). */
  startedAt: number;
  steps: Record<string, number>;
}

/**
 * A stack and its state, deployed either for real (`emu` given: the real host, the emulator) or through the no-op
 * twin (`emu` undefined: bench/noopBackend.ts, no host, no API).
 */
export class StackDeployment {
  private readonly host: LazyHost;
  readonly engine: MiniEngine;

  constructor(private readonly project: BenchProject, private readonly emu: EmulatorClient | undefined, private readonly serviceName: string) {
    this.host = new LazyHost(project.dir);
    this.engine = new MiniEngine(emu ? this.host : new NoopBackend(), { secretKeys: SECRET_KEYS });
  }

  private config(spec: StackSpec): Record<string, string> {
    return benchConfig(this.emu, this.serviceName, spec, false);
  }

  /** Runs `work`, timed from the start of the run to the end of the deployment. */
  private async timed(work: () => Promise<void>): Promise<RunRecord> {
    await this.emu?.drain();
    const before = [...this.engine.state.values(), ...this.engine.pendingDeletes];
    const cpu0 = { children: endedChildrenCpuMs(), own: ownCpuMs(), api: processCpuMs(this.emu?.pid) };
    const startedAt = Date.now();
    const t0 = performance.now();
    try {
      await work();
      const wallMs = performance.now() - t0;
      const steps: Record<string, number> = {};
      for (const s of this.engine.steps) steps[s.op] = (steps[s.op] ?? 0) + 1;
      const calls = this.host.calls;
      const providerPath = criticalPath(calls, [...before, ...this.engine.state.values()], deleteChains(before, calls));
      const busyMs = unionMs(calls.map((c) => [c.startMs, c.endMs] as [number, number]));
      const api = processCpuMs(this.emu?.pid);
      const children = endedChildrenCpuMs();
      const cpuMs: CpuUse = {
        engine: Math.round(ownCpuMs() - cpu0.own),
        program: children !== undefined && cpu0.children !== undefined ? children - cpu0.children : undefined,
        host: await this.host.cpuMs(),
        api: api !== undefined && cpu0.api !== undefined ? api - cpu0.api : undefined,
      };
      const relative = calls.map((c) => ({ ...c, startMs: c.startMs - t0, endMs: c.endMs - t0 }));
      return { wallMs, hostStartMs: this.host.startMs, busyMs, providerPath, calls: relative, cpuMs, requests: (await this.emu?.drain()) ?? [], startedAt, steps };
    } finally {
      await this.host.stop();
    }
  }

  /** `pulumi up` of the program for `spec`. */
  up(spec: StackSpec): Promise<RunRecord> {
    return this.timed(async () => {
      await runProgram({
        programDir: this.project.dir, project: PROJECT, stack: "bench", config: this.config(spec), secretKeys: SECRET_KEYS, engine: this.engine,
        // A TypeScript program runs through ts-node (`tsc --noEmit` type-checks it: the runtime's type check would only
        // add start-up time); a JavaScript one (the default, bench/project.ts) does not.
        env: this.project.language === "ts" ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : { PULUMI_NODEJS_TYPESCRIPT: "false" },
        timeoutMs: 20 * 60_000,
      });
    });
  }

  /** `pulumi destroy`: no program, every resource deleted in the engine's order. */
  destroy(): Promise<RunRecord> {
    return this.timed(async () => {
      this.engine.beginRun({ config: this.config({ farms: 0, serversPerFarm: 0, zones: [], batch: false }), secretKeys: SECRET_KEYS });
      await this.engine.destroy();
    });
  }

  /** A resource in the engine's state, by name. */
  resource(name: string): ResourceState {
    const found = [...this.engine.state.values()].find((r) => r.name === name);
    if (!found) throw new Error(`no resource ${name} in the state`);
    return found;
  }

  customResources(): ResourceState[] {
    return [...this.engine.state.values()].filter((r) => r.custom);
  }
}

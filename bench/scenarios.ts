/**
 * The scenarios, run in order on one stack against a fresh emulator: first deployment, `up` with no change, one weight
 * changed, 10% of servers removed, drift made outside Pulumi and corrected, full destroy. Each run is checked against
 * the emulator's running configuration (what a refresh made live) before the next: a fast run that left something
 * pending or wrong would fail the benchmark instead of improving it.
 */
import { EmulatorClient } from "./emulatorClient";
import type { LiveView } from "./emulatorProcess";
import type { RunRecord } from "./deployment";
import { Mode, Scenario } from "./floor";
import { SessionCounts, SessionProbe, SessionSettings, startBackends } from "./sessions";
import { allServerNames, buildStack, resourceCount, serverAddresses, spreadSample, StackSpec } from "./stacks";

/** The emulated load balancer's zones. Three, so that a stack over two zones is two per-zone refreshes. */
export const SERVICE_ZONES = ["gra", "rbx", "sbg"];

export interface BenchSettings {
  latencyMs: number;
  refreshSeconds: number;
  /** An emulator profile (emulator/profiles.ts) and its time scale: then the two above are not sent to the emulator. */
  profile?: import("../emulator/profiles").ProfileName;
  timeScale?: number;
  /** Sessions through the data plane around each measured command (bench/sessions.ts); the stack must carry traffic. */
  sessions?: SessionSettings;
}

/** The emulator's options for a stack: the profile's, or the latency and refresh duration given. */
export function emulatorOptions(settings: BenchSettings): import("../emulator").EmulatorOptions {
  // Sessions need the data plane; probes every 3 s (30 s x 100) keep the backends' health known at little CPU.
  const traffic = settings.sessions ? { dataPlane: true, probeMsPerSecond: 100 } : {};
  if (settings.profile) return { profile: settings.profile, timeScale: settings.timeScale ?? 1, zones: SERVICE_ZONES, ...traffic };
  return { refreshSeconds: settings.refreshSeconds, faults: { latencyMs: settings.latencyMs }, zones: SERVICE_ZONES, ...traffic };
}

export interface StackRun {
  farms: number;
  serversPerFarm: number;
  zones: string[];
  mode: Mode;
  /** Loopback servers behind a frontend per farm (stacks.ts): what sessions go through. */
  traffic?: boolean;
}

/** One stack's deployments, through the real CLI (cliDeployment.ts) or the mini engine (deployment.ts). */
export interface Deployment {
  up(spec: StackSpec): Promise<RunRecord>;
  /** `pulumi preview` alone; undefined where the engine has none of its own (the mini engine). */
  preview?(spec: StackSpec): Promise<RunRecord>;
  destroy(): Promise<RunRecord>;
  resource(name: string): { outputs: Record<string, unknown> };
  customResources(): import("./metrics").StateEntry[];
  dispose?(): void;
}

/** A deployment of a stack on `serviceName`: against the emulator, or the no-op twin when `emu` is undefined. */
export type DeploymentFactory = (emu: EmulatorClient | undefined, serviceName: string) => Deployment;

export interface ScenarioRun {
  scenario: Scenario;
  record: RunRecord;
  /** The same scenario's `pulumi preview`, run alone before the `up` (real engine only). */
  preview?: RunRecord;
  /** Farms and servers the run's program declares (for destroy: those it deleted). */
  resources: { farms: number; servers: number; total: number };
  deployment: Deployment;
  /** What the command broke of the sessions opened just before it; absent when none could be opened. */
  sessions?: SessionCounts;
}

const WEIGHT = 5;
const DRIFT_WEIGHT = 7;

function compare(spec: StackSpec, live: LiveView): string[] {
  const problems: string[] = [];
  const stack = buildStack(spec);
  const wantedServers = new Set<string>();
  for (const farm of stack) {
    const got = live.farms[farm.name];
    if (!got || got.zone !== farm.zone || got.port !== farm.port) problems.push(`farm ${farm.name}: ${JSON.stringify(got)}, wanted zone ${farm.zone} port ${farm.port}`);
    for (const s of farm.servers) {
      wantedServers.add(s.name);
      const g = live.servers[s.name];
      const weight = s.weight ?? 1;
      if (!g || g.farm !== farm.name || g.address !== s.address || g.weight !== weight) problems.push(`server ${s.name}: ${JSON.stringify(g)}, wanted ${farm.name} ${s.address} weight ${weight}`);
    }
  }
  const farmNames = new Set(stack.map((f) => f.name));
  for (const name of Object.keys(live.farms)) if (!farmNames.has(name)) problems.push(`farm ${name} is live but not declared`);
  for (const name of Object.keys(live.servers)) if (!wantedServers.has(name)) problems.push(`server ${name} is live but not declared`);
  if (live.pending > 0) problems.push(`${live.pending} changes still pending`);
  return problems;
}

async function verify(emu: EmulatorClient, spec: StackSpec, what: string): Promise<void> {
  const problems = compare(spec, await emu.live(SERVICE_ZONES));
  if (problems.length > 0) throw new Error(`${what}: the live configuration is not the program's:\n  ${problems.slice(0, 10).join("\n  ")}`);
}

/** The specs of the scenarios, each building on the previous one. */
export function scenarioSpecs(base: StackSpec): Record<Exclude<Scenario, "destroy">, StackSpec> {
  const names = allServerNames(base);
  const weighted = { ...base, weights: { [names[0]]: WEIGHT } };
  const removed = { ...weighted, removed: spreadSample(names, 0.1) };
  return { create: base, noChange: base, oneWeight: weighted, remove10: removed, drift: removed };
}

/** The server whose weight the drift scenario changes: the first one not removed. */
export function driftTarget(spec: StackSpec): string {
  const removed = new Set(spec.removed ?? []);
  const name = allServerNames(spec).find((n) => !removed.has(n));
  if (!name) throw new Error("no server left to drift");
  return name;
}

/**
 * Runs `wanted` scenarios (create always runs first: every other one needs the stack) and yields each measured run.
 * Without settings the stack runs through its no-op twin (no API), and nothing is verified. A scenario's preview, run
 * alone where the engine has one, must not write to the API.
 */
export async function* runScenarios(deploy: DeploymentFactory, stack: StackRun, settings: BenchSettings | undefined, wanted: Scenario[]): AsyncGenerator<ScenarioRun> {
  const emu = settings ? await EmulatorClient.start(emulatorOptions(settings)) : undefined;
  const base: StackSpec = { farms: stack.farms, serversPerFarm: stack.serversPerFarm, zones: stack.zones, batch: stack.mode === "batch", ...(stack.traffic ? { traffic: true } : {}) };
  let backends: Awaited<ReturnType<typeof startBackends>> | undefined;
  let deployment: Deployment | undefined;
  /** Sessions opened just before a measured command, counted once it returned. */
  const probed = async <T>(measured: boolean, command: () => Promise<T>): Promise<[T, SessionCounts | undefined]> => {
    const probe = measured && emu && settings?.sessions ? await SessionProbe.open(await emu.dataPlane(), settings.sessions) : undefined;
    const result = await command();
    return [result, await probe?.finish()];
  };
  try {
    if (emu && settings?.sessions) backends = await startBackends(serverAddresses(base));
    const specs = scenarioSpecs(base);
    deployment = deploy(emu, emu?.info.serviceName ?? "noop-service");
    let current = base;
    const counted = (spec: StackSpec) => {
      const c = resourceCount(spec);
      return { farms: c.farms, servers: c.servers, total: c.farms + c.servers + c.frontends };
    };
    for (const scenario of ["create", "noChange", "oneWeight", "remove10", "drift"] as const) {
      if (scenario !== "create" && !wanted.includes(scenario)) continue;
      // Drift is corrected on the stack as the last run left it (with or without the removals of remove10).
      const spec = scenario === "drift" ? current : specs[scenario];
      if (scenario === "drift" && emu) {
        const target = deployment.resource(driftTarget(spec));
        const outs = target.outputs as { farmId: number; serverId: number; zone: string };
        await emu.driftWeight(outs.farmId, outs.serverId, outs.zone, DRIFT_WEIGHT);
      }
      const measured = wanted.includes(scenario);
      // The twin's preview is not measured: only the `up`'s wall time is compared with it.
      const preview = measured && emu ? await deployment.preview?.(spec) : undefined;
      const written = preview?.requests.filter((r) => r.method !== "GET") ?? [];
      if (written.length > 0) throw new Error(`the preview of ${scenario} wrote to the API: ${written.map((r) => `${r.method} ${r.path}`).slice(0, 5).join(", ")}`);
      const up = deployment.up.bind(deployment);
      const [record, sessions] = await probed(measured, () => up(spec));
      if (emu) await verify(emu, spec, `${scenario} (${stack.farms}x${stack.serversPerFarm}, ${stack.mode})`);
      current = spec;
      if (measured) yield { scenario, record, preview, resources: counted(spec), deployment, ...(sessions ? { sessions } : {}) };
    }
    if (wanted.includes("destroy")) {
      const resources = counted(current);
      const destroy = deployment.destroy.bind(deployment);
      const [record, sessions] = await probed(true, destroy);
      if (emu) await verify(emu, { ...current, farms: 0 }, `destroy (${stack.farms}x${stack.serversPerFarm}, ${stack.mode})`);
      yield { scenario: "destroy", record, resources, deployment, ...(sessions ? { sessions } : {}) };
    }
  } finally {
    deployment?.dispose?.();
    await emu?.close();
    await backends?.close();
  }
}

/**
 * Results: one row per (stack, zones, mode, scenario), the targets each row meets or misses, and the markdown table
 * and JSON document written to bench/results/.
 */
import type { CpuUse } from "./cpu";
import { ApiCounts, CallStats, StateSize, Timeline } from "./metrics";
import { Floor, formula, Mode, Scenario, SCENARIOS as SCENARIO_ORDER, SCENARIO_TITLES } from "./floor";
import type { BenchProvider } from "./options";
import type { SessionCounts, SessionSettings } from "./sessions";
import { sessionsCell, sessionsMarkdown, variantOf } from "./sessionsReport";

export const RATIO_TARGET = 1.3;
/** State per resource may grow by this fraction at most from the smallest stack to the largest. */
export const STATE_FLATNESS = 0.05;

export interface Row {
  size: string;
  zones: number;
  mode: Mode;
  scenario: Scenario;
  /** Farms and servers the run's program declares (for destroy: those deleted). */
  resources: { farms: number; servers: number; total: number };
  wallMs: number;
  /** The same run through the no-op twin (bench/noopBackend.ts): language runtime, program, SDK and engine. */
  engineMs: number;
  /** How long the dynamic-provider host process took to start (node and @pulumi/pulumi loading, before our code). */
  hostStartMs: number;
  /** The provider's critical path (metrics.ts criticalPath): what the floor is compared with. */
  providerMs: number;
  /** Time during which at least one provider call was in flight. */
  busyMs: number;
  floor: Floor;
  ratio: number;
  /** The run's API latency L (for the serial-read target). */
  latencyMs: number;
  api: ApiCounts;
  /** Wall time of the scenario's `pulumi preview` run alone, and its API calls (real engine). */
  previewMs?: number;
  previewApi?: ApiCounts;
  /** API reads (GETs but `/auth/time`) per declared resource, by command. */
  readsPerResource: { up: number; preview?: number };
  state: StateSize;
  timeline: Timeline;
  /** CPU time of each process during the run, in ms. */
  cpuMs: CpuUse;
  /** Provider calls by method and type: count, mean and longest duration, first and last. */
  calls: Record<string, CallStats>;
  steps: Record<string, number>;
  targets: Target[];
  /** Absent in results written before the naive provider was compared: ours. */
  provider?: BenchProvider;
  /** Sessions broken by the command (`--sessions`); absent when none could be opened. */
  sessions?: SessionCounts;
}

export interface Target {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Environment {
  date: string;
  node: string;
  cpus: number;
  /** 1-minute load average at the start and at the end of the run: other work on the machine skews wall times. */
  loadAverage: { start: number; end: number };
}

export interface Results {
  settings: { latencyMs: number; refreshSeconds: number; serviceZones: string[]; engine?: "real" | "mini"; sessions?: SessionSettings };
  environment: Environment;
  /** Median wall time of a run with zero resources (language runtime start-up, program, engine), and every sample. */
  zeroResourceMs: { median: number; samples: number[] };
  /** Length of the serialized provider (`__provider`), by resource type. */
  providerSizes: Record<string, number>;
  rows: Row[];
  summary: Target[];
}

/**
 * Below this many seconds of (resources x L), a serial read per resource would hide in the noise of two wall times
 * (the run and its no-op twin), so the serial-read target is only judged above it.
 */
export const SERIAL_JUDGED_ABOVE_MS = 10_000;
/** The provider's part of an unchanged `up` (preview included) may be at most this share of (resources x L). */
export const SERIAL_SHARE = 0.2;

/**
 * The targets of one row: no change = no write, no refresh, at most one read per resource and per collection per
 * command (the real engine's `up` runs two: its preview and the update), and its time does not grow as resources x
 * latency; a first deployment in a batch = one refresh per zone; one change
 * = one write and one refresh; ratio (the mini engine's critical path only: under the real engine the provider's part
 * is a difference of two wall times, in which the engine's own time per resource does not cancel out exactly).
 */
export function rowTargets(
  r: Pick<Row, "scenario" | "api" | "resources" | "ratio"> & Partial<Pick<Row, "previewApi" | "providerMs" | "latencyMs" | "mode" | "zones">>,
  engine: "real" | "mini" = "mini",
): Target[] {
  const targets: Target[] = [];
  if (r.scenario === "create" && r.mode === "batch" && r.zones !== undefined) {
    const ok = r.api.refreshes === r.zones;
    targets.push({ name: "one refresh per zone (batch)", ok, detail: `${r.api.refreshes} refreshes for ${r.zones} zone${r.zones > 1 ? "s" : ""}` });
  }
  if (r.scenario === "noChange") {
    // Each command reads each object once, plus one listing per collection (the farms, each farm's servers) when it
    // reads a kind ahead (provider/api/readAhead.ts).
    const commands = engine === "real" ? 2 : 1;
    const perCommand = r.resources.total + r.resources.farms + 1;
    const previewReads = r.previewApi ? `; the preview alone: ${r.previewApi.reads} reads, ${r.previewApi.writes} writes` : "";
    const ok = r.api.writes === 0 && r.api.refreshes === 0 && r.api.reads <= commands * perCommand && (r.previewApi?.reads ?? 0) <= perCommand && (r.previewApi?.writes ?? 0) === 0;
    targets.push({
      name: "no change",
      ok,
      detail: `${r.api.writes} writes, ${r.api.refreshes} refreshes, ${r.api.reads} reads in ${commands} command${commands > 1 ? "s" : ""} for ${r.resources.total} resources (at most ${perCommand} per command)${previewReads}`,
    });
    const serialMs = r.resources.total * (r.latencyMs ?? 0);
    if (engine === "real" && r.providerMs !== undefined && serialMs >= SERIAL_JUDGED_ABOVE_MS) {
      const ok2 = r.providerMs <= SERIAL_SHARE * serialMs;
      targets.push({ name: "no serial read per resource", ok: ok2, detail: `provider part ${(r.providerMs / 1000).toFixed(1)} s for resources x L = ${(serialMs / 1000).toFixed(1)} s` });
    }
  }
  if (r.scenario === "oneWeight" || r.scenario === "drift") {
    const ok = r.api.writes === 1 && r.api.refreshes === 1;
    targets.push({ name: "one change", ok, detail: `${r.api.writes} writes, ${r.api.refreshes} refreshes` });
  }
  if (engine === "mini") targets.push({ name: `ratio <= ${RATIO_TARGET}`, ok: r.ratio <= RATIO_TARGET, detail: r.ratio.toFixed(2) });
  return targets;
}

/** Each row target over every run: how many met it, and which missed it. */
export function targetSummary(rows: Row[]): Target[] {
  const names = [...new Set(rows.flatMap((r) => r.targets.map((t) => t.name)))];
  return names.map((name) => {
    const runs = rows.flatMap((r) => r.targets.filter((t) => t.name === name).map((t) => ({ r, t })));
    const missed = runs.filter(({ t }) => !t.ok);
    const which = missed.map(({ r, t }) => `${r.size}/${r.zones}z/${variantOf(r)}/${r.scenario} ${t.detail}`).join(", ");
    return { name, ok: missed.length === 0, detail: `met in ${runs.length - missed.length} of ${runs.length} runs${missed.length > 0 ? `; missed by ${which}` : ""}` };
  });
}

/** State per resource after the first deployment, smallest stack against largest, per mode. */
export function stateFlatness(rows: Row[]): Target[] {
  const out: Target[] = [];
  for (const mode of new Set(rows.map((r) => r.mode))) {
    const created = rows.filter((r) => r.mode === mode && r.scenario === "create").sort((a, b) => a.resources.total - b.resources.total);
    if (created.length < 2) continue;
    const small = created[0];
    const large = created[created.length - 1];
    const growth = large.state.bytesPerResource / small.state.bytesPerResource - 1;
    out.push({
      name: `state per resource flat (${mode})`,
      ok: growth <= STATE_FLATNESS,
      detail: `${small.state.bytesPerResource} B at ${small.resources.total} resources, ${large.state.bytesPerResource} B at ${large.resources.total} (${(growth * 100).toFixed(1)}%)`,
    });
  }
  return out;
}

const s = (ms: number) => (ms / 1000).toFixed(2);

function cpuCell(c: CpuUse | undefined): string {
  if (!c) return "";
  const one = (ms: number | undefined) => (ms === undefined ? "?" : (ms / 1000).toFixed(1));
  return [c.program, c.engine, c.host, c.api].map(one).join(" / ");
}

function targetCell(targets: Target[]): string {
  const missed = targets.filter((t) => !t.ok);
  return missed.length === 0 ? "✓" : missed.map((t) => `✗ ${t.name} (${t.detail})`).join("; ");
}

export function markdownTable(rows: Row[]): string {
  // The sessions column only when sessions were measured: results of runs without them render as before.
  const withSessions = rows.some((r) => r.sessions);
  const head = `| stack | zones | mode | scenario | wall s | preview s | engine s | host s | provider s | floor s | ratio | CPU s program/engine/host/API | GET | POST | PUT | DELETE | refreshes |${withSessions ? " sessions broken |" : ""} reads/res preview, up | state B/res | targets |`;
  const rule = `|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|${withSessions ? "---|" : ""}---|---:|---|`;
  const lines = rows.map((r) =>
    [
      `${r.size} (${r.resources.total})`,
      r.zones,
      variantOf(r),
      SCENARIO_TITLES[r.scenario],
      s(r.wallMs),
      r.previewMs !== undefined ? s(r.previewMs) : "",
      s(r.engineMs),
      r.hostStartMs > 0 ? s(r.hostStartMs) : "",
      s(r.providerMs),
      `${s(r.floor.ms)} (${formula(r.floor)})`,
      r.ratio.toFixed(2),
      cpuCell(r.cpuMs),
      `${r.api.GET} (${r.api.authTime} auth)`,
      r.api.POST,
      r.api.PUT,
      r.api.DELETE,
      r.api.refreshes,
      ...(withSessions ? [sessionsCell(r.sessions)] : []),
      `${r.readsPerResource?.preview ?? "-"}, ${r.readsPerResource?.up ?? "-"}`,
      r.state.bytesPerResource,
      targetCell(r.targets),
    ].join(" | "),
  );
  return [head, rule, ...lines.map((l) => `| ${l} |`)].join("\n");
}

/**
 * One row per stack and mode, one column per scenario: wall time, and in brackets the ratio of the provider's part to
 * the floor. For the README.
 */
export function compactTable(rows: Row[]): string {
  const scenarios = SCENARIO_ORDER.filter((sc) => rows.some((r) => r.scenario === sc));
  const stacks = [...new Set(rows.map((r) => `${r.size}|${r.zones}|${variantOf(r)}`))];
  const head = `| stack | zones | mode | ${scenarios.map((sc) => SCENARIO_TITLES[sc]).join(" | ")} |`;
  const rule = `|---|---:|---|${scenarios.map(() => "---:").join("|")}|`;
  const lines = stacks.map((key) => {
    const [size, zones, mode] = key.split("|");
    const cells = scenarios.map((sc) => {
      const r = rows.find((x) => `${x.size}|${x.zones}|${variantOf(x)}` === key && x.scenario === sc);
      return r ? `${s(r.wallMs)} s (${r.ratio.toFixed(2)})` : "";
    });
    const total = rows.find((x) => `${x.size}|${x.zones}|${variantOf(x)}` === key && x.scenario === "create")?.resources.total;
    return `| ${size}${total !== undefined ? ` (${total})` : ""} | ${zones} | ${mode} | ${cells.join(" | ")} |`;
  });
  return [head, rule, ...lines].join("\n");
}

const MINI_ENGINE_LEGEND = (res: Results): string[] => [
  `- Engine: the test engine (tests/helpers/miniEngine.ts) driving the real dynamic-provider host.`,
  `- **wall**: from the start of the run (program and host start) until the deployment ended. **engine**: the same run through the no-op twin ` +
    `(same program, SDK and mini engine; no host, no API), of which ${s(res.zeroResourceMs.median)} s is a run with zero resources. ` +
    `**host**: the dynamic-provider host's start (a new process per run). ` +
    `**provider**: the provider's critical path: each resource's provider calls (as long as they took, seen from the engine) ` +
    `after those of the resources it waits for, then the engine's delete antichains; what the run would take if the runtime, ` +
    `the program and the engine took no time. **ratio** = provider / floor.`,
  `- **floor**: the critical path of API latency and refreshes for the scenario and mode (bench/README.md).`,
  `- **CPU**: CPU time of each process during the run (the program under the language runtime, the mini engine, the ` +
    `dynamic-provider host, the emulator); the machine has ${res.environment.cpus} cores.`,
];

const REAL_ENGINE_LEGEND = (res: Results): string[] => [
  `- Engine: the real Pulumi CLI (scripts/pulumi-cli.sh), a local file backend; every run is one command.`,
  `- **wall**: \`pulumi up --yes\` from spawn to exit, its own preview included (\`destroy --yes\` for destroy). ` +
    `**preview**: \`pulumi preview\` of the same scenario, run alone just before. **engine**: the \`up\` of the no-op twin ` +
    `(the same graph through a dynamic provider that answers at once, no API), of which ${s(res.zeroResourceMs.median)} s is a run ` +
    `with zero resources. **provider** = wall - engine: what the provider and the API added. ` +
    `**ratio** = provider / floor.`,
  `- **floor**: the critical path of API latency and refreshes for the scenario and mode, the \`up\`'s preview reads included (bench/README.md).`,
  `- **CPU**: CPU time during the run of the CLI with its plugins and the program (one figure: they are the CLI's ` +
    `children), and of the emulator; the machine has ${res.environment.cpus} cores.`,
];

export function markdownReport(res: Results, command: string): string {
  const { settings, environment: env } = res;
  const sizes = Object.entries(res.providerSizes).map(([t, n]) => `${t} ${n} B`).join(", ");
  return [
    `## Benchmark results`,
    "",
    `\`${command}\`: API latency L = ${settings.latencyMs} ms, refresh R = ${settings.refreshSeconds} s, service zones ${settings.serviceZones.join(", ")}; ` +
      `${env.date}, Node ${env.node}, ${env.cpus} CPUs, load average ${env.loadAverage.start.toFixed(1)} at the start and ${env.loadAverage.end.toFixed(1)} at the end.`,
    "",
    ...(settings.engine === "real" ? REAL_ENGINE_LEGEND(res) : MINI_ENGINE_LEGEND(res)),
    `- **GET/POST/PUT/DELETE**: every API call of the run (GET includes node-ovh's \`/auth/time\`; POST includes refreshes). ` +
      `**reads/res**: GETs but \`/auth/time\` per declared resource, of the preview run alone and of the \`up\`. ` +
      `**state B/res**: the state entry (inputs and outputs) per resource after the run, serialized provider included.`,
    `- Serialized provider (\`__provider\`): ${sizes || "n/a"}.`,
    "",
    "Wall time per scenario, and in brackets the provider's part over the floor:",
    "",
    compactTable(res.rows),
    "",
    "Every measure:",
    "",
    markdownTable(res.rows),
    "",
    res.summary.length > 0 ? res.summary.map((t) => `- ${t.ok ? "✓" : "✗"} ${t.name}: ${t.detail}`).join("\n") : "",
  ].join("\n") + sessionsMarkdown(res.rows, settings.sessions);
}

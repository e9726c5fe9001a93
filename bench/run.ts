/**
 * `npm run bench`: deploys realistic stacks with the real Pulumi CLI (or, with `--engine mini`, the test engine
 * driving the real dynamic-provider host) against the emulator (API latency and refresh duration from the options),
 * scenario by scenario, and reports wall time (and the preview's alone) against the floor, API calls, reads per
 * resource per command, refreshes and state size. Results: a markdown table on stdout, and
 * bench/results/<out>.md and .json. See bench/README.md.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { floor, Mode, Scenario, SCENARIO_TITLES } from "./floor";
import { apiCost, apiCostMarkdown, ApiCostRow, ApiCostSettings } from "./apiRate";
import { PROFILES } from "../emulator/profiles";
import { callStats, countCalls, stateSize, timeline } from "./metrics";
import { BenchOptions, BenchProvider, parseOptions } from "./options";
import { markdownReport, Results, Row, rowTargets, stateFlatness, targetSummary } from "./report";
import { cliBin, CliDeployment } from "./cliDeployment";
import { StackDeployment } from "./deployment";
import { BenchProject, createProject } from "./project";
import { DeploymentFactory, runScenarios, ScenarioRun, SERVICE_ZONES, StackRun } from "./scenarios";
import { sizeLabel, stackZones } from "./stacks";
import { runScript } from "./runScript";

const RESULTS_DIR = path.join(__dirname, "results");

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The provider's poll waits scaled as the emulator's time (emulator/profiles.ts): the same calls per task as at full
 * scale. Only the real engine's commands get it (TestStack passes no OVH_* variable of ours); the mini engine's host
 * inherits this process's environment.
 */
function providerEnv(o: BenchOptions): NodeJS.ProcessEnv {
  return o.profile && o.timeScale !== 1 ? { OVH_IPLB_POLL_TIME_SCALE: String(o.timeScale) } : {};
}

/**
 * Deployments through the engine the options name, of `provider`: the naive one is ours with each write refreshing
 * alone (provider/config.ts `refreshEachWrite`, read from the host's environment). The mini engine's host inherits
 * this process's environment when it starts, within the stack's runs, so the variable is set (or removed) per stack.
 */
function deployments(o: BenchOptions, project: BenchProject, provider: BenchProvider = "ours"): DeploymentFactory {
  Object.assign(process.env, providerEnv(o));
  const naive = provider === "naive" ? { OVH_IPLB_REFRESH_EACH_WRITE: "true" } : {};
  if (o.engine === "mini") {
    return (emu, serviceName) => {
      if (provider === "naive") Object.assign(process.env, naive);
      else delete process.env.OVH_IPLB_REFRESH_EACH_WRITE;
      return new StackDeployment(project, emu, serviceName);
    };
  }
  const bin = cliBin();
  return (emu, serviceName) => new CliDeployment(bin, project, emu, serviceName, { ...providerEnv(o), ...naive });
}

/** The modes a provider runs in: the naive one operation by operation only (a batch's members never refresh alone). */
const modesOf = (o: BenchOptions, provider: BenchProvider): Mode[] => (provider === "naive" ? o.modes.filter((m) => m === "immediate") : o.modes);

/** One run's API calls under a profile, logged as it ends. */
function costRow(name: string, run: ScenarioRun, timeScale: number): ApiCostRow {
  const cost = { run: name, up: apiCost(run.record.requests, timeScale), ...(run.preview ? { preview: apiCost(run.preview.requests, timeScale) } : {}) };
  log(`  calls ${cost.up.calls}, GETs per task ${JSON.stringify(Object.values(cost.up.pollsPerTask))}, peak ${cost.up.peakPerMinute}/min, refused ${cost.up.refused}`);
  return cost;
}

/** The report's section on API calls under a profile; empty without one. */
function costSection(cost: { settings: ApiCostSettings; rows: ApiCostRow[] } | undefined): string {
  return cost ? `\n\n${apiCostMarkdown(cost.rows, cost.settings)}` : "";
}

/** Runs with zero resources: the language runtime's start-up, the program and the engine, nothing else. */
async function zeroResourceRuns(deploy: DeploymentFactory, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = deploy(undefined, "noop-service");
    try {
      samples.push((await d.up({ farms: 0, serversPerFarm: 0, zones: ["gra"], batch: false })).wallMs);
    } finally {
      d.dispose?.();
    }
  }
  return samples;
}

/** The no-op twin of a stack: wall time per scenario. */
async function engineTimes(deploy: DeploymentFactory, stack: StackRun, scenarios: Scenario[]): Promise<Map<Scenario, number>> {
  const times = new Map<Scenario, number>();
  for await (const run of runScenarios(deploy, stack, undefined, scenarios)) times.set(run.scenario, run.record.wallMs);
  return times;
}

/** Reads (GETs but `/auth/time`) per declared resource. */
const readsPer = (reads: number, resources: number) => Math.round((reads / Math.max(1, resources)) * 100) / 100;

function toRow(stack: StackRun, run: ScenarioRun, engineMs: number, o: BenchOptions, provider: BenchProvider): Row {
  const api = countCalls(run.record.requests);
  const previewApi = run.preview ? countCalls(run.preview.requests) : undefined;
  const real = o.engine === "real";
  // The real engine's `up` previews first (its own host, its own reads): its floor has the preview's reads too.
  const f = floor(run.scenario, stack.mode, { latencyMs: o.latencyMs, refreshMs: o.refreshSeconds * 1000 }, { previewFirst: real });
  // The real engine's provider calls cannot be timed from outside: its part is the run minus its no-op twin.
  const providerMs = real ? Math.max(0, run.record.wallMs - engineMs) : run.record.providerPath.registrationMs + run.record.providerPath.deletionMs;
  const ratio = f.ms > 0 ? providerMs / f.ms : Infinity;
  const state = stateSize(run.scenario === "destroy" ? [] : run.deployment.customResources());
  const row: Omit<Row, "targets"> = {
    size: sizeLabel(stack),
    zones: stack.zones.length,
    mode: stack.mode,
    scenario: run.scenario,
    resources: run.resources,
    wallMs: Math.round(run.record.wallMs),
    engineMs: Math.round(engineMs),
    hostStartMs: Math.round(run.record.hostStartMs),
    busyMs: Math.round(run.record.busyMs),
    providerMs: Math.round(providerMs),
    floor: f,
    ratio: Math.round(ratio * 100) / 100,
    latencyMs: o.latencyMs,
    api,
    ...(run.preview && previewApi ? { previewMs: Math.round(run.preview.wallMs), previewApi } : {}),
    readsPerResource: { up: readsPer(api.reads, run.resources.total), ...(previewApi ? { preview: readsPer(previewApi.reads, run.resources.total) } : {}) },
    state,
    timeline: timeline(run.record.requests, run.record.startedAt),
    calls: callStats(run.record.calls),
    cpuMs: run.record.cpuMs,
    steps: run.record.steps,
    provider,
    // Close times from the start of the run, as the refreshes' are in `timeline`.
    ...(run.sessions ? { sessions: { ...run.sessions, closedAt: run.sessions.closedAt.map((t) => t - run.record.startedAt) } } : {}),
  };
  return { ...row, targets: rowTargets(row, o.engine) };
}

/** `--render NAME`: writes bench/results/NAME.md again from NAME.json (e.g. after a change to the report's layout). */
function render(name: string): void {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const { command, ...results } = JSON.parse(fs.readFileSync(file, "utf8")) as Results & { command: string; apiCost?: { settings: ApiCostSettings; rows: ApiCostRow[] } };
  results.summary = [...targetSummary(results.rows), ...stateFlatness(results.rows)];
  const markdown = markdownReport(results, command) + costSection(results.apiCost);
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.md`), `${markdown}\n`);
  fs.writeFileSync(file, `${JSON.stringify({ command, ...results }, null, 2)}\n`);
  process.stdout.write(`${markdown}\n`);
}

async function main(): Promise<void> {
  const renderAt = process.argv.indexOf("--render");
  if (renderAt >= 0) return render(process.argv[renderAt + 1] ?? "latest");
  const o = parseOptions(process.argv.slice(2));
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const loadStart = os.loadavg()[0];
  log(`bench: ${o.engine} engine, L=${o.latencyMs} ms, R=${o.refreshSeconds} s, sizes ${o.sizes.map(sizeLabel).join(",")}, zones ${o.zones.join(",")}, modes ${o.modes.join(",")}`);
  log("building the package into a bench project (tsc)...");
  const project = createProject(o.program);
  try {
    await benchmark(o, project, command, loadStart);
  } finally {
    project.remove();
  }
}

async function benchmark(o: BenchOptions, project: BenchProject, command: string, loadStart: number): Promise<void> {
  const deploy = deployments(o, project);
  const zero = await zeroResourceRuns(deploy, o.overheadRuns);
  log(`zero-resource run: ${zero.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s`);

  const rows: Row[] = [];
  const costRows: ApiCostRow[] = [];
  const providerSizes: Record<string, number> = {};
  const traffic = o.sessions ? { traffic: true } : {};
  for (const size of o.sizes) {
    const twins = new Map<Mode, Map<Scenario, number>>();
    for (const [provider, mode] of o.providers.flatMap((p) => modesOf(o, p).map((m) => [p, m] as const))) {
      if (!twins.has(mode)) twins.set(mode, await engineTimes(deploy, { ...size, zones: ["gra"], mode, ...traffic }, o.scenarios));
      const twin = twins.get(mode)!;
      const deployAs = provider === "ours" ? deploy : deployments(o, project, provider);
      for (const zones of o.zones) {
        if (zones > size.farms) {
          log(`${sizeLabel(size)} over ${zones} zones: skipped (${size.farms} farm${size.farms > 1 ? "s" : ""} cannot span ${zones} zones)`);
          continue;
        }
        const stack: StackRun = { ...size, zones: stackZones(zones, SERVICE_ZONES), mode, ...traffic };
        for await (const run of runScenarios(deployAs, stack, o, o.scenarios)) {
          const row = toRow(stack, run, twin.get(run.scenario) ?? 0, o, provider);
          Object.assign(providerSizes, row.state.providerSizes);
          rows.push(row);
          if (o.profile) costRows.push(costRow(`${row.size} ${zones}z ${mode} ${SCENARIO_TITLES[run.scenario]}`, run, o.timeScale));
          const missed = row.targets.filter((t) => !t.ok).map((t) => `${t.name}: ${t.detail}`);
          const broken = row.sessions ? `, sessions: ${row.sessions.closes} closes, ${row.sessions.stickyMoves} sticky moves` : "";
          log(
            `${row.size} ${zones}z ${mode}${provider === "naive" ? " naive" : ""} ${SCENARIO_TITLES[run.scenario]}: wall ${(row.wallMs / 1000).toFixed(2)} s` +
              (row.previewMs !== undefined ? `, preview ${(row.previewMs / 1000).toFixed(2)} s (${row.previewApi?.reads} reads)` : "") +
              `, engine ${(row.engineMs / 1000).toFixed(2)} s, host ${(row.hostStartMs / 1000).toFixed(2)} s, ` +
              `floor ${(row.floor.ms / 1000).toFixed(2)} s, ratio ${row.ratio}, refreshes ${row.api.refreshes}, writes ${row.api.writes}, reads ${row.api.reads}${broken}` +
              (missed.length > 0 ? `  MISSED ${missed.join("; ")}` : ""),
          );
        }
      }
    }
  }

  const results: Results = {
    settings: { latencyMs: o.latencyMs, refreshSeconds: o.refreshSeconds, serviceZones: SERVICE_ZONES, engine: o.engine, ...(o.sessions ? { sessions: o.sessions } : {}) },
    environment: { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: { start: loadStart, end: os.loadavg()[0] } },
    zeroResourceMs: { median: Math.round(median(zero)), samples: zero.map(Math.round) },
    providerSizes,
    rows,
    summary: [...targetSummary(rows), ...stateFlatness(rows)],
  };
  const apiCostResults = o.profile
    ? { settings: { profile: o.profile, timeScale: o.timeScale, limitPerMinute: PROFILES[o.profile].throttle.perMinute }, rows: costRows }
    : undefined;
  const markdown = markdownReport(results, command) + costSection(apiCostResults);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${o.out}.md`), `${markdown}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, `${o.out}.json`), `${JSON.stringify({ command, ...results, ...(apiCostResults ? { apiCost: apiCostResults } : {}) }, null, 2)}\n`);
  process.stdout.write(`${markdown}\n`);
  log(`written: bench/results/${o.out}.md, bench/results/${o.out}.json`);
}

runScript(main);

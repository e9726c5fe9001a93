/**
 * Command-line options of `npm run bench` (bench/run.ts). The full run is the default; `--quick` lowers the defaults
 * (smaller stacks, one zone, 1 s refreshes), and any option given explicitly wins over both.
 */
import { isProfileName, PROFILE_NAMES, PROFILES, type ProfileName } from "../emulator/profiles";
import { MODES, Mode, SCENARIOS, Scenario } from "./floor";
import type { ProgramLanguage } from "./project";
import type { SessionSettings } from "./sessions";
import { parseSize } from "./stacks";

export interface BenchOptions {
  latencyMs: number;
  refreshSeconds: number;
  sizes: { farms: number; serversPerFarm: number }[];
  /** Stacks over 1 zone, 2 zones, ... */
  zones: number[];
  modes: Mode[];
  scenarios: Scenario[];
  quick: boolean;
  /** Results go to bench/results/<out>.md and .json. */
  out: string;
  /** Zero-resource runs measured for the fixed overhead (the median is used). */
  overheadRuns: number;
  /**
   * The program compiled to JavaScript (as a project that runs `tsc` first, or a JavaScript project), or as TypeScript
   * run through ts-node, whose compilation only adds start-up time that is not the provider's.
   */
  program: ProgramLanguage;
  /**
   * `real`: every run is a command of the real Pulumi CLI (scripts/pulumi-cli.sh). `mini`: the test engine drives the
   * real dynamic-provider host, which measures each provider call (the provider's critical path) but not the real
   * engine's serial Check and Diff or the preview before each `up`.
   */
  engine: BenchEngine;
  /**
   * An emulator profile (emulator/profiles.ts): its durations, latency and rate limit replace `--latency-ms` and
   * `--refresh-seconds` (which then hold the profile's mean latency and refresh, for the floor), and the report adds
   * the API calls per task and per command and the busiest minute against the profile's limit (bench/apiRate.ts).
   */
  profile?: ProfileName;
  /** Time compression of the profile, applied to the emulator and to the provider's polling alike (default 1). */
  timeScale: number;
  /**
   * N keep-alive connections and M sourceIp-sticky clients through the data plane around each command
   * (bench/sessions.ts): the stacks then carry traffic (loopback servers, a frontend per farm, sourceIp stickiness).
   */
  sessions?: SessionSettings;
  /**
   * `ours`: the provider as shipped. `naive`: the same with each write refreshing alone (provider/config.ts
   * `refreshEachWrite`), run operation by operation only (a `Refresh` batch's members do not refresh themselves).
   */
  providers: BenchProvider[];
}

export const PROVIDERS = ["ours", "naive"] as const;
export type BenchProvider = (typeof PROVIDERS)[number];

export const ENGINES = ["real", "mini"] as const;
export type BenchEngine = (typeof ENGINES)[number];

export const USAGE = `usage: npm run bench -- [options]
  --latency-ms N        added to every API answer (default 50)
  --refresh-seconds S   duration of a refresh task (default 3; --quick 1)
  --sizes LIST          stacks as FARMSxSERVERS (default 1x3,5x20,20x50; --quick 1x3,5x20)
  --zones LIST          farms spread over this many zones (default 1,2; --quick 1)
  --modes LIST          immediate, batch (default both)
  --scenarios LIST      ${SCENARIOS.join(", ")} (default all)
  --quick               the smaller defaults above, for a run of about two minutes
  --out NAME            write bench/results/NAME.md and NAME.json (default latest; --quick: quick)
  --overhead-runs N     zero-resource runs for the fixed overhead (default 3)
  --program js|ts       run the program compiled to JavaScript (default) or as TypeScript through ts-node
  --engine real|mini    the real Pulumi CLI (default), or the test engine (measures the provider's critical path)
  --profile NAME        an emulator profile (${PROFILE_NAMES.join(", ")}): its durations, latency and rate limit
                        instead of --latency-ms and --refresh-seconds; reports API calls per task and the peak rate
  --time-scale X        compress the profile's time by X (e.g. 0.1), the provider's polling alike (default 1)
  --sessions N,M        N keep-alive connections and M sourceIp-sticky clients through the emulator's data plane
                        around each command, counted as sessions broken (the stacks get frontends and loopback servers)
  --providers LIST      ours, naive (each write refreshes alone; operation by operation only) (default ours)
  --render NAME         only write bench/results/NAME.md again from NAME.json`;

const FULL = { latencyMs: 50, refreshSeconds: 3, sizes: "1x3,5x20,20x50", zones: "1,2", out: "latest" };
const QUICK = { latencyMs: 50, refreshSeconds: 1, sizes: "1x3,5x20", zones: "1", out: "quick" };

function list(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function positive(name: string, text: string | undefined, allowZero = false): number {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`${name}: "${text}" is not a ${allowZero ? "non-negative" : "positive"} number`);
  return n;
}

function profileName(text: string | undefined): ProfileName {
  if (text === undefined || !isProfileName(text)) throw new Error(`--profile: "${text}" is not one of ${PROFILE_NAMES.join(", ")}`);
  return text;
}

function oneOf<T extends string>(name: string, values: string[], allowed: readonly T[]): T[] {
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0 || values.length === 0) throw new Error(`${name}: ${JSON.stringify(bad.join(","))} is not a list of ${allowed.join(", ")}`);
  return values as T[];
}

export function parseOptions(argv: string[]): BenchOptions {
  const given = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    const [key, inline] = arg.slice(2).split("=", 2);
    if (key === "quick" || key === "help") given.set(key, "true");
    else given.set(key, inline ?? argv[++i]);
  }
  const known = [
    "latency-ms", "refresh-seconds", "sizes", "zones", "modes", "scenarios", "quick", "out", "overhead-runs", "program", "engine", "profile", "time-scale",
    "sessions", "providers", "help",
  ];
  const unknown = [...given.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n${USAGE}`);
  if (given.has("help")) throw new Error(USAGE);
  const quick = given.has("quick");
  const d = quick ? QUICK : FULL;
  const get = (k: string, fallback: string | number) => (given.has(k) ? given.get(k) : String(fallback));
  const profile = given.has("profile") ? profileName(given.get("profile")) : undefined;
  const timeScale = positive("--time-scale", get("time-scale", 1));
  const p = profile ? PROFILES[profile] : undefined;
  return {
    // Under a profile, its mean latency and refresh (scaled): what the floor is computed from.
    latencyMs: p ? (p.latencyMs + p.latencyJitterMs / 2) * timeScale : positive("--latency-ms", get("latency-ms", d.latencyMs), true),
    refreshSeconds: p ? p.refreshSeconds * timeScale : positive("--refresh-seconds", get("refresh-seconds", d.refreshSeconds)),
    profile,
    timeScale,
    sizes: list(get("sizes", d.sizes) ?? "").map(parseSize),
    zones: list(get("zones", d.zones) ?? "").map((z) => positive("--zones", z)),
    modes: oneOf("--modes", list(get("modes", MODES.join(",")) ?? ""), MODES),
    scenarios: oneOf("--scenarios", list(get("scenarios", SCENARIOS.join(",")) ?? ""), SCENARIOS),
    quick,
    out: get("out", d.out) ?? d.out,
    overheadRuns: positive("--overhead-runs", get("overhead-runs", 3)),
    program: oneOf("--program", [get("program", "js") ?? ""], ["js", "ts"] as const)[0],
    engine: oneOf("--engine", [get("engine", "real") ?? ""], ENGINES)[0],
    ...(given.has("sessions") ? { sessions: sessionSettings(given.get("sessions")) } : {}),
    providers: oneOf("--providers", list(get("providers", "ours") ?? ""), PROVIDERS),
  };
}

/** `N,M`: keep-alive connections, then sticky clients; at least one of each, so that both are measured. */
export function sessionSettings(text: string | undefined): SessionSettings {
  const m = /^(\d+),(\d+)$/.exec((text ?? "").trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`--sessions: "${text}" is not N,M (keep-alive connections, sticky clients; e.g. 12,12)`);
  return { keepAlive: Number(m[1]), sticky: Number(m[2]) };
}

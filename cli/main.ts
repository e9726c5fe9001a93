/**
 * `npx ovh-iplb status <serviceName>`: the load balancer's farms, servers and health per LB instance, its instances,
 * pending changes and NAT IPs, for people (a table, coloured on a terminal) and for pipelines (`--json`, exit codes).
 *
 * Exit codes: 0 = fine; 1 = unhealthy (an active server is CRITICAL, or `--wait-healthy` timed out); 2 = the command
 * could not tell (bad arguments, missing or refused credentials, unknown service, zone or farm, API unreachable).
 * Credentials are read like the provider reads them (`OVH_*` variables), or from the emulator's JSON line; no message
 * ever carries one: API errors name the call and OVH's message only (provider/api/errors.ts). When that line says the
 * emulator carries traffic (`dataPlane`), each server also shows its traffic counters (traffic.ts).
 */
import * as fs from "fs";
import { parseArgs } from "util";
import * as errors from "../provider/api/errors";
import type { RetryPolicy } from "../provider/api/client";
import * as paths from "../provider/api/paths";
import * as functions from "../reads/health";
import { notGrantedHint } from "../provider/accessRules";
import { accessRulesMain } from "./accessRules";
import { renderJson, renderText, describeServer } from "./render";
import * as status from "./status";
import { painter } from "./table";
import * as traffic from "./traffic";

export const USAGE = `Usage: ovh-iplb status [<serviceName>] [options]

Shows each farm and its servers with their health per load-balancer instance, then the instances'
state, the pending changes per zone and the NAT IPs.

  --json                 print one JSON document instead of tables
  --wait-healthy         wait until every active, non-backup, probed server is OK (progress on stderr)
  --timeout S            with --wait-healthy: give up after S seconds (default 300)
  --interval S           with --wait-healthy: seconds between reads (default 2)
  --farm ID              only this farm (repeatable)
  --zone Z               only this zone (farms in "all" included)
  --emulator-json F      credentials and service from the emulator's JSON line (a file, or - for stdin); with
                         "dataPlane" in it (ovh-iplb-emulator --data-plane), a Traffic column per server
  --color, --no-color    force colours on or off (default: on when stdout is a terminal and NO_COLOR is unset)
  -h, --help             show this help

Credentials: OVH_ENDPOINT (ovh-eu by default, or an https:// URL), OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET,
OVH_CONSUMER_KEY, OVH_CA_FILE. Exit codes: 0 fine, 1 unhealthy (an active server CRITICAL, or --wait-healthy timed
out), 2 error.

       ovh-iplb access-rules <serviceName> [--read-only] [--redirection URL]

Prints the access rules a consumer key needs for this package (or, with --read-only, for status and the functions)
and the POST /auth/credential body that requests such a key; see ovh-iplb access-rules --help.`;

export const EXIT = { ok: 0, unhealthy: 1, error: 2 } as const;

/** Fewer, shorter retries than the provider's: a person or a pipeline is waiting for an answer. */
const CLI_RETRY: RetryPolicy = { attempts: 3, baseMs: 250, maxMs: 2000, rateLimitedMs: 10_000 };

export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Out;
  stderr: Out;
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface StatusOptions {
  serviceName?: string;
  json: boolean;
  waitHealthy: boolean;
  timeoutMs: number;
  intervalMs: number;
  farmIds?: number[];
  zone?: string;
  emulatorJson?: string;
  /** undefined = decide from the terminal and NO_COLOR. */
  colour?: boolean;
  /** The emulator's data-plane control surface: show each server's traffic counters (no Traffic column without it). */
  traffic?: traffic.TrafficSource;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback * 1000;
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= 86400)) throw new UsageError(`${name} must be a number of seconds in (0, 86400], got "${text}"`);
  return Math.round(n * 1000);
}

function farmId(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--farm must be a farm id (a positive integer), got "${text}"`);
  return Number(text);
}

/** argv after the command name -> options; throws a UsageError naming the wrong argument. */
export function parseStatusArgs(argv: string[]): { help: true } | { help: false; options: StatusOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: "boolean" }, "wait-healthy": { type: "boolean" }, timeout: { type: "string" }, interval: { type: "string" },
        farm: { type: "string", multiple: true }, zone: { type: "string" }, "emulator-json": { type: "string" },
        color: { type: "boolean" }, "no-color": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  if (values.zone === "") throw new UsageError("--zone must not be empty");
  return {
    help: false,
    options: {
      serviceName: positionals[0],
      json: values.json === true,
      waitHealthy: values["wait-healthy"] === true,
      timeoutMs: seconds("--timeout", values.timeout, 300),
      intervalMs: seconds("--interval", values.interval, 2),
      farmIds: values.farm?.map(farmId),
      zone: values.zone,
      emulatorJson: values["emulator-json"],
      colour: values["no-color"] ? false : values.color ? true : undefined,
    },
  };
}

/** Up to the first newline: the emulator keeps running (and its stdout open) after printing its JSON line. */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes("\n")) break;
  }
  return text;
}

export interface EmulatorLine {
  settings: Record<string, string>;
  serviceName?: string;
  /** Present when the emulator carries traffic (its line has `dataPlane`). */
  traffic?: traffic.TrafficSource;
}

/** The emulator's JSON line as settings (and its service name). JSON errors are not echoed: the text holds secrets. */
export async function emulatorSettings(source: string, io: Io): Promise<EmulatorLine> {
  let text: string;
  try {
    text = source === "-" ? await readFirstLine(io.stdin ?? process.stdin) : fs.readFileSync(source, "utf8");
  } catch (e) {
    throw new UsageError(`--emulator-json: cannot read ${source === "-" ? "stdin" : source} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(text.trim().split("\n")[0]) as Record<string, unknown>;
  } catch {
    throw new UsageError(`--emulator-json: ${source === "-" ? "stdin" : source} does not start with a JSON line`);
  }
  const keys = { url: "ovh:endpoint", applicationKey: "ovh:applicationKey", applicationSecret: "ovh:applicationSecret", consumerKey: "ovh:consumerKey", caFile: "ovh-iplb:caFile" } as const;
  const settings: Record<string, string> = {};
  for (const [field, key] of Object.entries(keys)) {
    const value = info[field];
    if (typeof value === "string" && value !== "") settings[key] = value;
    else if (field !== "caFile") throw new UsageError(`--emulator-json: the JSON has no "${field}"`);
  }
  let dataPlane: traffic.TrafficSource | undefined;
  try {
    dataPlane = traffic.trafficSource(info, settings["ovh:endpoint"]);
  } catch (e) {
    throw new UsageError(`--emulator-json: ${(e as Error).message}`);
  }
  return { settings, serviceName: typeof info.serviceName === "string" ? info.serviceName : undefined, traffic: dataPlane };
}

/** The counters after the health read; health decides the exit code, so a failed read costs the column, not the run. */
async function readTraffic(options: StatusOptions, io: Io): Promise<traffic.TrafficByServer | undefined> {
  if (!options.traffic) return undefined;
  try {
    return await traffic.readTraffic(options.traffic, options.zone);
  } catch (e) {
    io.stderr.write(`ovh-iplb: no traffic counters from the emulator (${(e as Error).message})\n`);
    return undefined;
  }
}

/** One line for an error, saying what to check; never a credential (see the header). */
export function explain(e: unknown, serviceName: string): string {
  if (errors.isNotFound(e) && e.path === paths.service(serviceName)) return `no IP Load Balancer named "${serviceName}" for these credentials (${e.message})`;
  if (errors.isApiError(e) && errors.refusedCredentials(e)) {
    return `the OVH API refused the credentials (${e.message}); check OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY`;
  }
  const refused = errors.notGrantedCall(e);
  if (refused) return `${errors.messageOf(e)}. ${notGrantedHint(refused.method, refused.path, serviceName || undefined)}`;
  return errors.messageOf(e);
}

function progress(io: Io, timeoutMs: number) {
  return (waiting: status.FarmServer[], elapsedMs: number) => {
    const head = `ovh-iplb: waiting for ${waiting.length} server${waiting.length === 1 ? "" : "s"} to be OK (${(elapsedMs / 1000).toFixed(1)} s of ${timeoutMs / 1000} s):`;
    io.stderr.write([head, ...waiting.map((w) => `  ${describeServer(w)}`)].join("\n") + "\n");
  };
}

/** Reads (and waits, with --wait-healthy), prints, and returns the exit code. Errors are thrown to `main`. */
export async function runStatus(options: StatusOptions & { serviceName: string }, settings: functions.Settings, io: Io): Promise<number> {
  const api = functions.clientFor(settings, io.env, CLI_RETRY);
  const filters = { farmIds: options.farmIds, zone: options.zone };
  const read = () => status.gather(api, options.serviceName, filters);
  let snapshot: status.Snapshot;
  let blocking: status.FarmServer[];
  if (options.waitHealthy) {
    const result = await status.waitHealthy(read, { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs, progress: progress(io, options.timeoutMs) });
    ({ snapshot, waiting: blocking } = result);
    const after = `after ${(result.elapsedMs / 1000).toFixed(1)} s`;
    if (result.healthy) io.stderr.write(`ovh-iplb: every active, non-backup, probed server is OK (${after})\n`);
    else io.stderr.write([`ovh-iplb: timed out ${after}; not OK:`, ...blocking.map((b) => `  ${describeServer(b)}`)].join("\n") + "\n");
  } else {
    snapshot = await read();
    blocking = status.blocking(snapshot, false);
  }
  const code = blocking.length > 0 ? EXIT.unhealthy : EXIT.ok;
  const colour = options.colour ?? (io.stdout.isTTY === true && !io.env.NO_COLOR);
  const counters = await readTraffic(options, io);
  io.stdout.write(options.json ? renderJson(snapshot, blocking, code, counters) : renderText(snapshot, blocking, painter(colour), counters));
  return code;
}

export async function main(argv: string[] = process.argv.slice(2), io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help") {
    io.stdout.write(USAGE + "\n");
    return EXIT.ok;
  }
  if (command === undefined) {
    io.stderr.write(USAGE + "\n");
    return EXIT.error;
  }
  if (command === "access-rules") return accessRulesMain(rest, io);
  let serviceName = "";
  try {
    if (command !== "status") throw new UsageError(`unknown command "${command}" (expected: status or access-rules)`);
    const parsed = parseStatusArgs(rest);
    if (parsed.help) {
      io.stdout.write(USAGE + "\n");
      return EXIT.ok;
    }
    const emulator = parsed.options.emulatorJson === undefined ? undefined : await emulatorSettings(parsed.options.emulatorJson, io);
    serviceName = parsed.options.serviceName ?? emulator?.serviceName ?? "";
    if (serviceName === "") throw new UsageError("a service name is required: ovh-iplb status <serviceName>");
    const settings = emulator ? { get: (key: string) => emulator.settings[key] } : undefined;
    return await runStatus({ ...parsed.options, serviceName, traffic: emulator?.traffic }, settings, io);
  } catch (e) {
    const usage = e instanceof UsageError ? `\n\n${USAGE}` : "";
    io.stderr.write(`ovh-iplb: ${explain(e, serviceName)}${usage}\n`);
    return EXIT.error;
  }
}

/**
 * `npx ovh-iplb-emulator`: runs the emulator until SIGINT/SIGTERM. Once it listens it prints exactly one JSON line on
 * stdout (url, host, port, basePath, caFile and the throwaway credentials it accepts, serviceName) so a script can
 * read it with `head -n1`; everything else goes to stderr. The credentials are the emulator's own, never real ones.
 *
 * With `--data-plane`, the line also has `dataPlane: {ports, url, caUrl}`: where each running frontend listens on
 * 127.0.0.1 when the emulator starts (`zone:port` -> local port), and the control surface to read it live.
 *
 * The CLI refreshes in 3 s by default, close to the real API, where the library default (0.5 s) suits test suites.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { checkScopedKeys } from "./accessRules";
import { isProfileName, PROFILE_NAMES } from "./profiles";
import type { EmulatorOptions } from "./runtime";

export const USAGE = `Usage: ovh-iplb-emulator [options]

  --port N                TCP port on 127.0.0.1 (default 0: the state file's port, else a free port)
  --state-file F          keep the state (and credentials) in F across restarts
  --profile NAME          fast or realistic: durations, latency and rate limit as a set (realistic: refresh 30 s,
                          IP move 60 s, certificate 90 s, 50-150 ms per answer, 60 calls a minute)
  --time-scale X          multiply every duration and the latency by X, divide the rate limit by X (default 1)
  --refresh-seconds S     time a refresh task takes (default 3, or the profile's)
  --routed-fqdn NAME      a host name (or *.suffix) that resolves to the load balancer; repeatable
  --latency-ms N          delay added to every answer (default 0, or the profile's)
  --service-name NAME     name of the seeded load balancer
  --vrack NAME            attach the seeded load balancer to the vRack NAME (e.g. pn-12345): vrack/network calls
                          are served, and farms need the vrackNetworkId of one of its networks
  --consumer-keys F       extra scoped consumer keys, a JSON file: [{"consumerKey": "...", "state": "validated",
                          "accessRules": [{"method": "GET", "path": "/ipLoadbalancing/*"}]}] (the printed key stays
                          all-powerful; calls outside a key's rules answer 403 NOT_GRANTED_CALL)
  --data-plane            carry traffic: each running frontend listens on 127.0.0.1 (local port = base port +
                          frontend port) and proxies to its farms' loopback servers; the JSON line gets
                          "dataPlane" (port table, control surface URL)
  --data-plane-base-port N  local port = N + frontend port (default 10000); implies --data-plane
  --data-plane-port Z:P=L   frontend port P of zone Z listens on local port L (e.g. gra:80=18080); repeatable;
                          implies --data-plane
  -h, --help              show this help

Prints one JSON line on stdout once listening, then runs until SIGINT/SIGTERM.`;

export const DEFAULT_REFRESH_SECONDS = 3;

export type ParsedArgs = { help: true } | { help: false; options: EmulatorOptions };

/** Turns argv into emulator options; throws an Error whose message says which argument is wrong. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      profile: { type: "string" },
      "time-scale": { type: "string" },
      "state-file": { type: "string" },
      "refresh-seconds": { type: "string" },
      "routed-fqdn": { type: "string", multiple: true },
      "latency-ms": { type: "string" },
      "service-name": { type: "string" },
      vrack: { type: "string" },
      "consumer-keys": { type: "string" },
      "data-plane": { type: "boolean" },
      "data-plane-base-port": { type: "string" },
      "data-plane-port": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
  if (values.help) return { help: true };
  const options: EmulatorOptions = {
    port: values.port === undefined ? 0 : integer("--port", values.port, 0, 65535),
    routedFqdns: values["routed-fqdn"] ?? [],
  };
  if (values.profile !== undefined) options.profile = profileName(values.profile);
  if (values["time-scale"] !== undefined) options.timeScale = scale(values["time-scale"]);
  // A profile brings its own refresh duration; without one, the CLI's default.
  if (values["refresh-seconds"] !== undefined) options.refreshSeconds = seconds("--refresh-seconds", values["refresh-seconds"]);
  else if (options.profile === undefined) options.refreshSeconds = DEFAULT_REFRESH_SECONDS;
  if (values["state-file"] !== undefined) options.stateFile = nonEmpty("--state-file", values["state-file"]);
  if (values["service-name"] !== undefined) options.serviceName = nonEmpty("--service-name", values["service-name"]);
  if (values.vrack !== undefined) options.vrack = { name: nonEmpty("--vrack", values.vrack) };
  if (values["consumer-keys"] !== undefined) options.consumerKeys = consumerKeys(values["consumer-keys"]);
  if (values["latency-ms"] !== undefined) options.faults = { latencyMs: integer("--latency-ms", values["latency-ms"], 0, 600000) };
  const dataPlane = dataPlaneOption(values["data-plane"], values["data-plane-base-port"], values["data-plane-port"]);
  if (dataPlane !== undefined) options.dataPlane = dataPlane;
  return { help: false, options };
}

/** `--data-plane`, `--data-plane-base-port N`, `--data-plane-port gra:80=18080`: either of the last two turns it on. */
function dataPlaneOption(on: boolean | undefined, basePort: string | undefined, ports: string[] | undefined): EmulatorOptions["dataPlane"] {
  if (!on && basePort === undefined && ports === undefined) return undefined;
  const option: { basePort?: number; ports?: Record<string, number> } = {};
  if (basePort !== undefined) option.basePort = integer("--data-plane-base-port", basePort, 0, 65535);
  for (const mapping of ports ?? []) {
    const m = /^([a-z0-9-]+:\d{1,5})=(\d+)$/.exec(mapping);
    if (!m) throw new Error(`--data-plane-port must be ZONE:PORT=LOCAL_PORT (e.g. gra:80=18080), got "${mapping}"`);
    option.ports = { ...option.ports, [m[1]]: integer("--data-plane-port", m[2], 1, 65535) };
  }
  return Object.keys(option).length === 0 ? true : option;
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new Error(`${name} must be an integer in ${min}..${max}, got "${text}"`);
  return n;
}

function seconds(name: string, text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 3600)) throw new Error(`${name} must be a number of seconds in 0..3600, got "${text}"`);
  return n;
}

function profileName(text: string): EmulatorOptions["profile"] {
  if (!isProfileName(text)) throw new Error(`--profile must be one of ${PROFILE_NAMES.join(", ")}, got "${text}"`);
  return text;
}

function scale(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= 100)) throw new Error(`--time-scale must be a number in (0, 100], got "${text}"`);
  return n;
}

/** The keys of a `--consumer-keys` file, checked now so a mistake is a usage error; the file's text is never echoed. */
function consumerKeys(file: string): EmulatorOptions["consumerKeys"] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`--consumer-keys: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let given: unknown;
  try {
    given = JSON.parse(text);
  } catch {
    throw new Error(`--consumer-keys: ${file} is not JSON`);
  }
  try {
    return checkScopedKeys(given, undefined);
  } catch (e) {
    throw new Error(`--consumer-keys: ${(e as Error).message}`);
  }
}

function nonEmpty(name: string, text: string): string {
  if (text.length === 0) throw new Error(`${name} must not be empty`);
  return text;
}

/** Runs the CLI; resolves once the emulator listens. Exits the process on bad arguments and on signals. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let parsed: ParsedArgs;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`ovh-iplb-emulator: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  let emu;
  try {
    // Loaded only now, so a bad argument is reported at once (from the sources, ts-node compiles on require). The
    // package's entry, which fills in the profile.
    const { startEmulator } = await import("./index");
    emu = await startEmulator(parsed.options);
  } catch (err) {
    process.stderr.write(`ovh-iplb-emulator: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const saving = parsed.options.stateFile === undefined ? "" : `saving state to ${parsed.options.stateFile} and `;
    process.stderr.write(`ovh-iplb-emulator: ${signal}, ${saving}closing\n`);
    emu.close().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`ovh-iplb-emulator: close failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  // Handlers first: a script may signal us as soon as it reads the JSON line, and a signal without a handler kills
  // the process at once, before the state is saved.
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const { url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName } = emu;
  const dataPlane = emu.dataPlane ? { dataPlane: emu.dataPlane.info() } : {};
  process.stdout.write(JSON.stringify({ url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName, ...dataPlane }) + "\n");
  process.stderr.write(`ovh-iplb-emulator: listening on ${url} (service ${serviceName}); Ctrl-C to stop\n`);
}

if (require.main === module) void main();

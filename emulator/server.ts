/**
 * The emulator's lifecycle: state (persistence.ts), runtime (store, tasks' timeline, health probes, DNS), the request
 * pipeline (pipeline.ts) on an HTTPS server of 127.0.0.1, and what the caller gets to drive and inspect it.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import type { Credentials } from "./auth";
import { CONTROL_PATH, createDataPlane, type DataPlane } from "./dataplane";
import type { PortEntry } from "./dataplane/listeners";
import { createDns } from "./dns";
import { defaultFaults, Faults, seededRandom } from "./faults";
import { registerRoutes } from "./handlers";
import { setFqdnRouting } from "./handlers/ssl";
import { loadState, makeCredentials, type Saver, saver } from "./persistence";
import { BASE_PATH, HOST, type Pipeline, requestListener } from "./pipeline";
import { createHealth } from "./probes";
import type { RequestLogEntry } from "./requestLog";
import { resumeInterruptedTasks } from "./resume";
import { Router } from "./router";
import { EmulatorOptions, resolveOptions, Runtime } from "./runtime";
import { Config, isoNow, Store } from "./store";
import { Timeline } from "./timeline";

export { BASE_PATH, HOST };
export const CERT_DIR = path.join(__dirname, "certs");
/** Works from the sources and from the compiled `dist/emulator`. */
const certDir = fs.existsSync(CERT_DIR) ? CERT_DIR : path.join(__dirname, "..", "..", "emulator", "certs");

/** What `npx ovh-iplb-emulator` prints as its JSON line, and what `startEmulator` returns with more. */
export interface EmulatorInfo extends Credentials {
  url: string;
  host: string;
  port: number;
  basePath: string;
  caFile: string;
  serviceName: string;
}

/** What the JSON line says of the data plane: where each frontend listens, and the control surface. */
export interface DataPlaneInfo {
  /** `zone:port` -> local port on 127.0.0.1, for the frontends listening when asked. */
  ports: Record<string, number>;
  /** `GET` it for the live port table and the per-server counters (unsigned, the emulator's own). */
  url: string;
  /** The data plane's CA certificate (PEM): trust it to verify TLS frontends. */
  caUrl: string;
}

/** The data plane of a running emulator (option `dataPlane`). */
export interface DataPlaneHandle {
  /** `zone:port` -> local port, now. */
  ports(): Record<string, number>;
  /** The port table with what each entry asked for and serves. */
  table(): Record<string, PortEntry>;
  /** What `GET /_emulator/data-plane` answers: ports, unserved frontends, servers with health and counters. */
  snapshot(): Record<string, unknown>;
  /** Resolves once the listeners started or stopped by the last refresh listen or are closed. */
  settled(): Promise<void>;
  caPem: string;
  info(): DataPlaneInfo;
}

export interface Emulator extends EmulatorInfo {
  /** Every request received, in order. */
  requests: RequestLogEntry[];
  /** Live faults: assign fields to change them for the next requests and tasks. */
  faults: Faults;
  /** The state itself, for assertions (do not mutate from tests). */
  store: Store;
  /** The running configuration of a zone of a service (what a refresh made live). */
  running(zone: string, serviceName?: string): Config;
  /**
   * Declares a host name (or `*.suffix`) as pointing at the load balancer, for free-certificate orders; a delivered
   * certificate whose names all point here again is `built` (handlers/ssl.ts).
   */
  routeFqdn(pattern: string): void;
  /**
   * The name (or `*.suffix`) stops pointing at the load balancer (DNS moved away): orders that end after this fail,
   * and delivered certificates with this name become `built_not_routed` (handlers/ssl.ts).
   */
  unrouteFqdn(pattern: string): void;
  /**
   * Calls `listener` with the whole log each time a request has arrived (body read, not yet handled), so a test can
   * change faults at an exact point of a run, before that request is answered; polling the log could act too late.
   * Returns the function that stops listening.
   */
  onRequest(listener: (requests: readonly RequestLogEntry[]) => void): () => void;
  /**
   * Revokes the consumer key and issues a new one (what a user does after a leak: `DELETE /me/api/credential/{id}`,
   * then a new `POST /auth/credential`); requests signed with the old key get 403 NOT_CREDENTIAL. Returns the new key,
   * also in `consumerKey`.
   */
  rotateConsumerKey(): string;
  /** Present when the emulator was started with `dataPlane`. */
  dataPlane?: DataPlaneHandle;
  close(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 (a free port unless `port` is given), with the seeded or saved state. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const loaded = loadState(options);
  let listenPort = 0;
  const credentials = makeCredentials(options, loaded.credentials);
  // The saver reads the store when it saves (never before the store exists); the store tells it of every change.
  const saves = saver(resolved.stateFile, () => ({ ...store.data, credentials, port: listenPort || undefined }));
  const store = new Store(loaded.data, () => saves.changed());
  const timeline = new Timeline();
  const faults: Faults = { ...defaultFaults(), ...options.faults };
  const health = createHealth({ store, options: resolved, timeline });
  const runtime: Runtime = { store, options: resolved, faults, timeline, health, dns: createDns(options.routedFqdns) };
  const dataPlane = resolved.dataPlane && createDataPlane(runtime, serviceNameOf(options, store), resolved.dataPlane);
  runtime.dataPlane = dataPlane;
  resumeInterruptedTasks(runtime);
  const pipeline: Pipeline = {
    runtime,
    router: registerRoutes(new Router<Runtime>()),
    credentials,
    requests: [],
    listeners: new Set(),
    random: seededRandom(resolved.randomSeed),
    // Read once at listen time: a delayed request may still run after close(), when address() is null.
    port: () => listenPort,
  };
  const server = https.createServer(
    { cert: fs.readFileSync(path.join(certDir, "server.pem")), key: fs.readFileSync(path.join(certDir, "server-key.pem")) },
    withControlSurface(dataPlane, requestListener(pipeline)),
  );
  // No port asked for (0): the one the state file remembers, so that stack configs pointing at it stay right.
  const remembered = !resolved.port && loaded.port !== undefined;
  listenPort = await listen(server, remembered ? (loaded.port as number) : resolved.port, remembered);
  saves.saveNow();
  health.sync();
  dataPlane?.sync();
  await dataPlane?.settled();
  return emulatorHandle({ options, runtime, pipeline, saves, server, port: listenPort, dataPlane });
}

const serviceNameOf = (options: EmulatorOptions, store: Store) => options.serviceName ?? Object.keys(store.data.services)[0];

/** The data plane's control surface answers its own paths (outside the API's base path, never logged); the API the rest. */
function withControlSurface(dataPlane: DataPlane | undefined, api: ReturnType<typeof requestListener>): ReturnType<typeof requestListener> {
  return dataPlane ? (req, res) => void (dataPlane.control(req, res) || api(req, res)) : api;
}

function dataPlaneHandle(dataPlane: DataPlane, origin: string): DataPlaneHandle {
  const ports = () => Object.fromEntries(Object.entries(dataPlane.table()).map(([key, entry]) => [key, entry.port]));
  return {
    ports,
    table: () => dataPlane.table(),
    snapshot: () => dataPlane.snapshot(),
    settled: () => dataPlane.settled(),
    caPem: dataPlane.caPem,
    info: () => ({ ports: ports(), url: `${origin}${CONTROL_PATH}`, caUrl: `${origin}${CONTROL_PATH}/ca.pem` }),
  };
}

/**
 * Listens on 127.0.0.1:`port` (0: a free one) and returns the port. `fallBack`: the port is the one a state file
 * remembers, so when another process took it since, a free port is better than no emulator.
 */
async function listen(server: https.Server, port: number, fallBack: boolean): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => resolve());
    });
  } catch (e) {
    if (!fallBack || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    return listen(server, 0, false);
  }
  return (server.address() as AddressInfo).port;
}

/** What the caller holds: the JSON line's fields, the log, the faults, and the controls. */
interface HandleParts {
  options: EmulatorOptions;
  runtime: Runtime;
  pipeline: Pipeline;
  saves: Saver;
  server: https.Server;
  port: number;
  dataPlane?: DataPlane;
}

function emulatorHandle(parts: HandleParts): Emulator {
  const { runtime, pipeline, saves, server, port, dataPlane } = parts;
  const store = runtime.store;
  const credentials = pipeline.credentials;
  const serviceName = serviceNameOf(parts.options, store);
  return {
    url: `https://${HOST}:${port}${BASE_PATH}`,
    host: HOST,
    port,
    basePath: BASE_PATH,
    caFile: path.join(certDir, "ca.pem"),
    serviceName,
    ...credentials,
    requests: pipeline.requests,
    faults: runtime.faults,
    store,
    running: (zone, name = serviceName) => store.service(name)?.running[zone] ?? { farms: {}, servers: {}, frontends: {} },
    routeFqdn: (pattern) => setFqdnRouting(runtime, pattern, true),
    unrouteFqdn: (pattern) => setFqdnRouting(runtime, pattern, false),
    rotateConsumerKey(this: Emulator) {
      credentials.consumerKey = randomBytes(16).toString("hex");
      this.consumerKey = credentials.consumerKey;
      saves.saveNow();
      return credentials.consumerKey;
    },
    onRequest: (listener) => {
      pipeline.listeners.add(listener);
      return () => void pipeline.listeners.delete(listener);
    },
    ...(dataPlane ? { dataPlane: dataPlaneHandle(dataPlane, `https://${HOST}:${port}`) } : {}),
    close: async () => {
      runtime.timeline.close();
      runtime.health.close();
      await dataPlane?.close();
      saves.cancel();
      saves.saveNow();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { isoNow };

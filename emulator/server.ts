/**
 * The HTTPS server: body -> base path -> faults -> signature -> route -> JSON. Success is always HTTP 200 (`null`
 * for void) because node-ovh treats any other status, 201 and 204 included, as an error (ovh-iplb-api.md 1.6).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import { authenticate, Credentials, needsSignature } from "./auth";
import { ApiError, badRequest, internalError, tooManyRequests } from "./errors";
import { defaultFaults, Faults, pickDelay, pickFault, seededRandom } from "./faults";
import { registerRoutes } from "./handlers";
import { resumeInterruptedTasks } from "./resume";
import { createHealth } from "./probes";
import { RequestLogEntry } from "./requestLog";
import { Method, Router } from "./router";
import { EmulatorOptions, resolveOptions, Runtime } from "./runtime";
import { seed } from "./seed";
import { Config, isoNow, Store, StoreData } from "./store";
import { Timeline } from "./timeline";

export const HOST = "127.0.0.1";
export const BASE_PATH = "/1.0";
const BASE_PATHS = ["/1.0", "/v1"];
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

export interface Emulator extends EmulatorInfo {
  /** Every request received, in order. */
  requests: RequestLogEntry[];
  /** Live faults: assign fields to change them for the next requests and tasks. */
  faults: Faults;
  /** The state itself, for assertions (do not mutate from tests). */
  store: Store;
  /** The running configuration of a zone of a service (what a refresh made live). */
  running(zone: string, serviceName?: string): Config;
  /** Declares a host name (or `*.suffix`) as pointing at the load balancer, for free-certificate orders. */
  routeFqdn(pattern: string): void;
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
  close(): Promise<void>;
}

interface StoredFile extends StoreData {
  credentials?: Credentials;
}

function loadState(options: EmulatorOptions): { data: StoreData; credentials?: Credentials } {
  if (options.stateFile && fs.existsSync(options.stateFile)) {
    const { credentials, ...data } = JSON.parse(fs.readFileSync(options.stateFile, "utf8")) as StoredFile;
    return { data, credentials };
  }
  return { data: seed({ serviceName: options.serviceName, zones: options.zones }) };
}

function makeCredentials(options: EmulatorOptions, saved?: Credentials): Credentials {
  const random = (n: number) => randomBytes(n).toString("hex");
  return {
    applicationKey: options.credentials?.applicationKey ?? saved?.applicationKey ?? random(8),
    applicationSecret: options.credentials?.applicationSecret ?? saved?.applicationSecret ?? random(16),
    consumerKey: options.credentials?.consumerKey ?? saved?.consumerKey ?? random(16),
  };
}

function readBody(req: import("http").IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest("Invalid JSON received");
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const loaded = loadState(options);
  const credentials = makeCredentials(options, loaded.credentials);
  const store = new Store(loaded.data);
  const timeline = new Timeline();
  const faults: Faults = { ...defaultFaults(), ...options.faults };
  const random = seededRandom(resolved.randomSeed);
  const requests: RequestLogEntry[] = [];
  const requestListeners = new Set<(requests: readonly RequestLogEntry[]) => void>();
  const fqdnPatterns = new Set(options.routedFqdns ?? []);

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!resolved.stateFile) return;
    const file: StoredFile = { ...store.data, credentials };
    fs.writeFileSync(resolved.stateFile, JSON.stringify(file, null, 2));
  };
  const runtime: Runtime = {
    store,
    options: resolved,
    faults,
    timeline,
    health: undefined as never,
    dns: {
      routed: (fqdn) => [...fqdnPatterns].some((p) => (p.startsWith("*.") ? fqdn.endsWith(p.slice(1)) : p === fqdn)),
      add: (pattern) => void fqdnPatterns.add(pattern),
    },
    changed: () => {
      if (!resolved.stateFile || saveTimer) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        save();
      }, 20);
    },
  };
  runtime.health = createHealth(runtime);
  resumeInterruptedTasks(runtime);
  const router = registerRoutes(new Router<Runtime>());
  let listenPort = 0;

  const server = https.createServer(
    { cert: fs.readFileSync(path.join(certDir, "server.pem")), key: fs.readFileSync(path.join(certDir, "server-key.pem")) },
    (req, res) => {
      const started = Date.now();
      const target = req.url ?? "/";
      const [rawPath, rawQuery = ""] = target.split("?", 2);
      const base = BASE_PATHS.find((b) => rawPath === b || rawPath.startsWith(b + "/"));
      const apiPath = base ? rawPath.slice(base.length) : rawPath;
      const query = Object.fromEntries(new URLSearchParams(rawQuery));
      const method = (req.method ?? "GET").toUpperCase() as Method;
      const entry: RequestLogEntry = { method, path: apiPath, query, body: undefined, status: 0, time: new Date(started).toISOString(), durationMs: 0 };
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body ?? null);
        res.writeHead(status, {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Length": Buffer.byteLength(text),
          "X-Ovh-QueryID": `EU.emu-${started.toString(36)}-${requests.length}`,
          ...headers,
        });
        res.end(text);
        entry.status = status;
        entry.durationMs = Date.now() - started;
      };
      requests.push(entry);
      (async () => {
        const rawBody = await readBody(req);
        entry.body = rawBody.length > 0 ? safeJson(rawBody) : undefined;
        for (const listener of [...requestListeners]) listener(requests);
        await sleep(pickDelay(faults, method));
        if (!base) throw new ApiError(404, "Client::NotFound", `Got an invalid (or empty) URL: ${rawPath}`);
        if (method === "GET" && apiPath === "/auth/time") return answer(200, Math.round(Date.now() / 1000));
        if (needsSignature(apiPath)) {
          const fault = pickFault(faults, method, random);
          if (fault?.kind === "rateLimit") throw tooManyRequests(fault.retryAfterSeconds);
          if (fault?.kind === "status") throw new ApiError(fault.status, "Server::InternalServerError", fault.status === 500 ? "Internal server error" : "Service temporarily unavailable");
          // Read once at listen time: a delayed request may still run after close(), when address() is null.
          const port = listenPort;
          authenticate({ method, target, rawBody, headers: req.headers, hosts: [HOST, `${HOST}:${port}`, "localhost", `localhost:${port}`] }, credentials, Math.round(Date.now() / 1000), resolved.maxClockSkewSeconds);
        }
        const { handler, params } = router.match(method, apiPath);
        const result = await handler({ method, path: apiPath, params, query, body: parseBody(rawBody), state: runtime });
        answer(200, result === undefined ? null : result);
      })().catch((err: unknown) => {
        const apiError = err instanceof ApiError ? err : internalError();
        if (!(err instanceof ApiError)) process.stderr.write(`ovh-iplb-emulator: ${(err as Error)?.stack ?? String(err)}\n`);
        answer(apiError.status, apiError.body(), apiError.headers);
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  listenPort = port;
  const serviceName = options.serviceName ?? Object.keys(store.data.services)[0];
  save();
  runtime.health.sync();

  return {
    url: `https://${HOST}:${port}${BASE_PATH}`,
    host: HOST,
    port,
    basePath: BASE_PATH,
    caFile: path.join(certDir, "ca.pem"),
    serviceName,
    ...credentials,
    requests,
    faults,
    store,
    running: (zone, name = serviceName) => store.service(name)?.running[zone] ?? { farms: {}, servers: {}, frontends: {} },
    routeFqdn: (pattern) => runtime.dns.add(pattern),
    rotateConsumerKey(this: Emulator) {
      credentials.consumerKey = randomBytes(16).toString("hex");
      this.consumerKey = credentials.consumerKey;
      save();
      return credentials.consumerKey;
    },
    onRequest: (listener) => {
      requestListeners.add(listener);
      return () => void requestListeners.delete(listener);
    },
    close: async () => {
      timeline.close();
      runtime.health.close();
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
      }
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export { isoNow };

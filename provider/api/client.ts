/// <reference path="./ovh.d.ts" />
/**
 * The only place that calls the `ovh` client. It
 * - builds (and caches per process) a client for the settings, trusting an extra CA for URL endpoints;
 * - syncs the client's clock once (`GET /auth/time`) before its first call, for every call made meanwhile;
 * - sends bodies that may carry `null` (node-ovh deletes top-level null keys, so clearing a field would be impossible:
 *   ovh-iplb-api.md 1.4) by giving node-ovh an object whose only key is `toJSON`;
 * - turns every rejection into an IplbError naming the call (errors.ts);
 * - retries 5xx and network errors with bounded exponential backoff, for idempotent calls only; a 429 (the API did not
 *   process the call) is retried for any method, for up to 5 minutes, every call of the process then paced
 *   (rateGate.ts); other ambiguous POST failures go back to the caller, which checks what exists before trying again
 *   (a create is never sent twice blindly).
 */
import * as fs from "fs";
import * as https from "https";
import * as tls from "tls";
import type { ClientConfig } from "../config";
import { processShared } from "../processShared";
import * as errors from "./errors";
import { rateGate } from "./rateGate";

export type Query = Record<string, string | number | boolean>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: object): Promise<T>;
  put(path: string, body: object): Promise<void>;
  delete(path: string): Promise<void>;
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** How long a call answered 429 keeps being sent again (rateGate.ts paces it meanwhile). */
  rateLimitedMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxMs: 8000, rateLimitedMs: 5 * 60_000 };

/** Clients live per process (the dynamic-provider host), keyed by their settings: node-ovh syncs its clock once per client. */
const cache = () => processShared("Clients", () => new Map<string, import("ovh").OvhClient>());

/**
 * Trusts an extra CA (a URL endpoint's, e.g. the emulator's) for every HTTPS request of the process: node-ovh passes no
 * agent, so it goes on the global agent, as one secure context built once. Set as the agent's `ca` list instead (Node's
 * ~140 root certificates and ours), Node would parse the whole list again for every new connection and put it in the
 * pool key of every request: about 9 ms of CPU per connection, seconds when a deployment opens hundreds at once
 * (bench/README.md). A `ca` someone else set on the agent is kept as the base of the list, as before.
 */
function trustCa(caFile: string): void {
  const pem = fs.readFileSync(caFile, "utf8");
  const options = https.globalAgent.options as https.AgentOptions & { secureContext?: tls.SecureContext };
  const current = options.ca;
  const base = Array.isArray(current) ? current.map(String) : current ? [String(current)] : [...tls.rootCertificates];
  if (current && base.includes(pem)) return;
  const extra = processShared("TrustedCas", (): string[] => []);
  if (extra.includes(pem)) return;
  extra.push(pem);
  options.secureContext = tls.createSecureContext({ ca: [...base, ...extra] });
}

/**
 * node-ovh syncs its clock with `GET /auth/time` on a client's first call, but every call made before that answer
 * arrives syncs again: a deployment that begins with 100 diffs side by side sent 100 `GET /auth/time`. Here the first
 * call syncs and the others wait for it. A failed sync is forgotten (node-ovh syncs again on the call itself), but its
 * cause is kept: node-ovh would report only "[OVH] Unable to fetch OVH API time" (see `unreachable`).
 */
function syncClock(client: import("ovh").OvhClient, timeoutMs: number): Promise<void> {
  if (typeof client.apiTimeDiff === "number") return Promise.resolve();
  const syncs = processShared("ClockSyncs", () => new WeakMap<object, Promise<void>>());
  let sync = syncs.get(client);
  if (!sync) {
    sync = withTimeout(Promise.resolve(client.requestPromised("GET", "/auth/time")), timeoutMs).then(
      (time) => {
        if (typeof time === "number" && typeof client.apiTimeDiff !== "number") client.apiTimeDiff = time - Math.round(Date.now() / 1000);
      },
      (rejection: unknown) => {
        syncs.delete(client);
        clockFailures().set(client, errors.fromOvhRejection("GET", "/auth/time", rejection));
      },
    );
    syncs.set(client, sync);
  }
  return sync;
}

const clockFailures = () => processShared("ClockFailures", () => new WeakMap<object, errors.IplbError>());

/** node-ovh's answer when its own clock sync failed: the cause is lost. */
const CLOCK_FAILURE = "[OVH] Unable to fetch OVH API time";

/** Where the API is, for messages: a preset's name, or scheme, host, port and base path (nothing else of the URL). */
export function endpointLabel(config: Pick<ClientConfig, "endpoint">): string {
  const { endpoint } = config;
  return endpoint.kind === "preset" ? endpoint.name : `https://${endpoint.host}:${endpoint.port}${endpoint.basePath}`;
}

/**
 * The error of a call whose clock sync failed: the endpoint and the sync's own cause (ECONNREFUSED, an untrusted
 * certificate, a name that does not resolve) instead of node-ovh's bare message. Other errors pass unchanged.
 */
function unreachable(err: errors.IplbError, client: object, config: ClientConfig, method: string, path: string): errors.IplbError {
  if (!errors.isNetworkError(err) || err.cause !== CLOCK_FAILURE) return err;
  const first = clockFailures().get(client);
  const why = first ? first.message.replace(/^OVH API GET \/auth\/time failed: /, "") : CLOCK_FAILURE;
  return new errors.OvhNetworkError({ method, path, cause: `no answer from ${endpointLabel(config)} (its clock, GET /auth/time: ${why})` });
}

function ovhClient(config: ClientConfig): import("ovh").OvhClient {
  const key = JSON.stringify(config);
  const found = cache().get(key);
  if (found) return found;
  // Required here, not at module scope, so the serialized provider holds a `require("ovh")` call, never a client.
  const ovh = require("ovh") as typeof import("ovh");
  const { endpoint } = config;
  if (endpoint.kind === "url" && config.caFile) trustCa(config.caFile);
  const client = ovh({
    appKey: config.applicationKey,
    appSecret: config.applicationSecret,
    consumerKey: config.consumerKey,
    // No `timeout`: node-ovh adds a socket 'timeout' listener per request and never removes it, so on Node's
    // keep-alive sockets listeners pile up and a stale one can abort a later request. We time calls ourselves.
    // A preset's host overrides `host`, so a URL endpoint must not pass `endpoint` (ovh-iplb-api.md 1.2).
    ...(endpoint.kind === "preset" ? { endpoint: endpoint.name } : { host: endpoint.host, port: endpoint.port, basePath: endpoint.basePath }),
  });
  cache().set(key, client);
  return client;
}

/** A body node-ovh sends as is, `null` values included. */
export function jsonBody(body: object): object {
  return { toJSON: () => body };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * A rate-limited call was not processed, so it is sent again (POSTs too) for as long as `rateLimitedMs` allows, the
 * gate pacing it; any other retryable failure, for idempotent calls only, `policy.attempts` times.
 */
function shouldRetry(err: errors.IplbError, idempotent: boolean, attempt: number, elapsedMs: number, policy: RetryPolicy): boolean {
  if (errors.isRateLimited(err)) return elapsedMs < policy.rateLimitedMs;
  return errors.isRetryable(err) && idempotent && attempt + 1 < policy.attempts;
}

/** Rejects like a socket error when no answer came in time; the late answer, if any, is ignored. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `ovh-iplb:retryBaseMs` shortens (or lengthens) the backoff, e.g. for tests against the emulator. */
export function createClient(
  config: ClientConfig,
  policy: RetryPolicy = { ...DEFAULT_RETRY, baseMs: config.retryBaseMs ?? DEFAULT_RETRY.baseMs },
): ApiClient {
  const client = ovhClient(config);
  const gate = rateGate(JSON.stringify(config), 2 * policy.baseMs);
  async function call<T>(method: string, path: string, params: () => object | undefined, idempotent: boolean): Promise<T> {
    await syncClock(client, config.requestTimeoutMs);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      await gate.turn();
      try {
        return (await withTimeout(Promise.resolve(client.requestPromised(method, path, params())), config.requestTimeoutMs)) as T;
      } catch (rejection) {
        const err = unreachable(errors.fromOvhRejection(method, path, rejection), client, config, method, path);
        if (errors.isRateLimited(err)) gate.limited();
        if (!shouldRetry(err, idempotent, attempt, Date.now() - started, policy)) throw err;
        await sleep(backoffMs(policy, attempt));
      }
    }
  }
  return {
    get: (path, query) => call(`GET`, path, () => (query ? { ...query } : undefined), true),
    post: (path, body) => call(`POST`, path, () => (body ? jsonBody(body) : undefined), false),
    put: async (path, body) => void (await call(`PUT`, path, () => jsonBody(body), true)),
    delete: async (path) => void (await call(`DELETE`, path, () => undefined, true)),
  };
}

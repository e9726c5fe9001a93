/**
 * What happens to one request: body -> base path -> faults -> signature -> route -> JSON. Success is always HTTP 200
 * (`null` for void) because node-ovh treats any other status, 201 and 204 included, as an error (ovh-iplb-api.md 1.6).
 * Every request is logged (`requests`) before it is handled, and listeners see the log at that point.
 */
import type { IncomingMessage, ServerResponse } from "http";
import { authenticate, type Credentials, needsSignature } from "./auth";
import { ApiError, badRequest, internalError, tooManyRequests } from "./errors";
import { pickDelay, pickFault } from "./faults";
import type { RequestLogEntry } from "./requestLog";
import type { Method, Router } from "./router";
import type { Runtime } from "./runtime";

export const HOST = "127.0.0.1";
export const BASE_PATH = "/1.0";
const BASE_PATHS = ["/1.0", "/v1"];

export interface Pipeline {
  runtime: Runtime;
  router: Router<Runtime>;
  credentials: Credentials;
  requests: RequestLogEntry[];
  listeners: Set<(requests: readonly RequestLogEntry[]) => void>;
  random: () => number;
  /** The port the server listens on (for the signature's host), read once listening. */
  port(): number;
}

/** One request, parsed: which API path it names under which base path. */
interface Parsed {
  method: Method;
  target: string;
  rawPath: string;
  base: string | undefined;
  apiPath: string;
  query: Record<string, string>;
}

function parse(req: IncomingMessage): Parsed {
  const target = req.url ?? "/";
  const [rawPath, rawQuery = ""] = target.split("?", 2);
  const base = BASE_PATHS.find((b) => rawPath === b || rawPath.startsWith(b + "/"));
  return {
    method: (req.method ?? "GET").toUpperCase() as Method,
    target,
    rawPath,
    base,
    apiPath: base ? rawPath.slice(base.length) : rawPath,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
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

/** The body as logged: JSON when it parses, the text otherwise. */
function loggedBody(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Injected faults, then the signature: both only for signed routes (`/auth/time` and the like are open). */
function admit(p: Pipeline, r: Parsed, rawBody: string, req: IncomingMessage): void {
  if (!needsSignature(r.apiPath)) return;
  const { faults, options } = p.runtime;
  const fault = pickFault(faults, r.method, p.random);
  if (fault?.kind === "rateLimit") throw tooManyRequests(fault.retryAfterSeconds);
  if (fault?.kind === "status") throw new ApiError(fault.status, "Server::InternalServerError", fault.status === 500 ? "Internal server error" : "Service temporarily unavailable");
  const port = p.port();
  const hosts = [HOST, `${HOST}:${port}`, "localhost", `localhost:${port}`];
  const signed = { method: r.method, target: r.target, path: r.apiPath, rawBody, headers: req.headers, hosts };
  authenticate(signed, p.credentials, Math.round(Date.now() / 1000), options.maxClockSkewSeconds, options.consumerKeys);
}

async function handle(p: Pipeline, r: Parsed, req: IncomingMessage, entry: RequestLogEntry): Promise<unknown> {
  const rawBody = await readBody(req);
  entry.body = rawBody.length > 0 ? loggedBody(rawBody) : undefined;
  for (const listener of [...p.listeners]) listener(p.requests);
  await sleep(pickDelay(p.runtime.faults, r.method));
  if (!r.base) throw new ApiError(404, "Client::NotFound", `Got an invalid (or empty) URL: ${r.rawPath}`);
  if (r.method === "GET" && r.apiPath === "/auth/time") return Math.round(Date.now() / 1000);
  admit(p, r, rawBody, req);
  const { handler, params } = p.router.match(r.method, r.apiPath);
  return handler({ method: r.method, path: r.apiPath, params, query: r.query, body: parseBody(rawBody), state: p.runtime });
}

/** The HTTPS server's request listener. */
export function requestListener(p: Pipeline): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = Date.now();
    const r = parse(req);
    const entry: RequestLogEntry = { method: r.method, path: r.apiPath, query: r.query, body: undefined, status: 0, time: new Date(started).toISOString(), durationMs: 0 };
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body ?? null);
      res.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
        "X-Ovh-QueryID": `EU.emu-${started.toString(36)}-${p.requests.length}`,
        ...headers,
      });
      res.end(text);
      entry.status = status;
      entry.durationMs = Date.now() - started;
    };
    p.requests.push(entry);
    handle(p, r, req, entry).then(
      (result) => answer(200, result === undefined ? null : result),
      (err: unknown) => {
        const apiError = err instanceof ApiError ? err : internalError();
        if (!(err instanceof ApiError)) process.stderr.write(`ovh-iplb-emulator: ${(err as Error)?.stack ?? String(err)}\n`);
        answer(apiError.status, apiError.body(), apiError.headers);
      },
    );
  };
}

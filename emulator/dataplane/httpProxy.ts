/**
 * HTTP frontends: HTTP/1.1 from the client (Node's http server, keep-alive), to a server of the chosen farm (keep-alive
 * pools per zone, plane.ts). For each request, in this order:
 * 1. the frontend running now on the connection's (zone, port); none (it was just removed): 503;
 * 2. `allowedSource` / `deniedSource` on the client's address: 403 as HAProxy answers a denied request;
 * 3. the frontend's routes (routing.ts): `redirect` answers the expanded target, `reject` its status, `farm` picks
 *    the farm; no route applies: the frontend's `redirectLocation` (a 302 to it, "HTTP redirection (Ex :
 *    http://www.ovh.com)", schema; it wins over `defaultFarmId` when both are set, being a redirection "instead of a
 *    farm", ovh-iplb-api.md 9), else `defaultFarmId` (the routes guide: traffic goes "to the servers that make up the
 *    front-end's default farm, or its default redirection");
 * 4. the server (plane.ts `selectServer`); none up: 503 as HAProxy answers ("No server is available");
 * 5. the request goes to the server with its headers rewritten (headers.ts); the server's answer comes back with
 *    the stickiness cookie and HSTS added. A server that refuses or drops the connection before answering: 503
 *    (HAProxy's answer when the connection to the server fails; OVH's retry/redispatch settings are not published).
 */
import * as http from "http";
import * as https from "https";
import type * as net from "net";
import { errorPage, expandTarget, type ExtraHeaders, redirect } from "./answers";
import { towardsClient, towardsServer, HSTS_VALUE } from "./headers";
import type { Listener } from "./listeners";
import { agentsOf, type Plane, runningConfig, selectServer, type Selection } from "./plane";
import { frontendRoutes, type RequestFacts, routeFor } from "./routing";
import { clientAddress, sourceAllowed } from "./sources";
import { parseCookies } from "./stickiness";
import type { Model } from "../store";

/** What the HTTP server needs to know of a connection it was handed: where it came in, and whether over TLS. */
export interface Conn {
  listener: Listener;
  tls: boolean;
}

const connections = new WeakMap<net.Socket, Conn>();

/** Hands an accepted (or TLS-terminated) connection to the HTTP server. */
export function serveHttp(server: http.Server, socket: net.Socket, conn: Conn): void {
  connections.set(socket, conn);
  server.emit("connection", socket);
}

interface Exchange {
  plane: Plane;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  zone: string;
  frontend: Model;
  /** The frontend's port (OVH side): the servers' port when neither server nor farm has one. */
  frontendPort: number;
  client: { address: string; port: number; tls: boolean };
  hsts: ExtraHeaders;
  facts: RequestFacts;
}

function factsOf(req: http.IncomingMessage, client: Exchange["client"]): RequestFacts {
  const url = new URL(req.url ?? "/", "http://x");
  return {
    source: client.address,
    protocol: client.tls ? "https" : "http",
    method: req.method,
    host: req.headers.host?.replace(/:\d+$/, ""),
    uri: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    cookies: parseCookies(req.headers.cookie),
  };
}

function exchangeOf(plane: Plane, req: http.IncomingMessage, res: http.ServerResponse): Exchange | undefined {
  const conn = connections.get(req.socket);
  const binding = conn?.listener.binding;
  const frontend = binding && runningConfig(plane, binding.zone)?.frontends[binding.frontendId];
  if (!conn || !binding || !frontend) return undefined;
  const client = { address: clientAddress(req.socket.remoteAddress), port: req.socket.remotePort ?? 0, tls: conn.tls };
  const hsts: ExtraHeaders = conn.tls && frontend.data.hsts === true ? { "Strict-Transport-Security": HSTS_VALUE } : {};
  return { plane, req, res, zone: binding.zone, frontend: frontend.data, frontendPort: binding.port, client, hsts, facts: factsOf(req, client) };
}

function redirectTo(x: Exchange, status: number, target: string): void {
  const url = x.req.url ?? "/";
  const query = url.indexOf("?");
  const facts = {
    protocol: x.client.tls ? "https" : "http",
    host: x.req.headers.host ?? "",
    port: x.req.socket.localPort ?? 0,
    path: query < 0 ? url : url.slice(0, query),
    arguments: query < 0 ? "" : url.slice(query),
  };
  redirect(x.res, status, expandTarget(target, facts), x.hsts);
}

/** Steps 2 and 3 above: answers the request itself, or returns the farm it goes to. */
function decide(x: Exchange): number | undefined {
  if (!sourceAllowed(x.frontend, x.client.address)) return void errorPage(x.res, 403, x.hsts);
  const config = runningConfig(x.plane, x.zone)!;
  const action = routeFor(frontendRoutes(config, x.frontend.frontendId as number, "http"), x.facts);
  if (action?.type === "redirect") return void redirectTo(x, action.status, action.target);
  if (action?.type === "reject") return void errorPage(x.res, action.status, x.hsts);
  if (action?.type === "farm") return action.farmId;
  if (typeof x.frontend.redirectLocation === "string" && x.frontend.redirectLocation !== "") {
    return void redirect(x.res, 302, x.frontend.redirectLocation, x.hsts);
  }
  if (typeof x.frontend.defaultFarmId === "number") return x.frontend.defaultFarmId;
  errorPage(x.res, 503, x.hsts);
  return undefined;
}

/** Step 5: the request to the server and its answer back, counted. */
function forward(x: Exchange, chosen: Selection): void {
  const { server } = chosen;
  const { row, done } = x.plane.counters.open(x.zone, server.id);
  const secure = server.data.ssl === true;
  const agents = agentsOf(x.plane, x.zone);
  const options = { host: server.address, port: server.port, method: x.req.method, path: x.req.url, headers: towardsServer(x.req.headers, x.frontend, x.client) };
  const upstream = secure ? https.request({ ...options, agent: agents.https }) : http.request({ ...options, agent: agents.http });
  let answered = false;
  upstream.on("response", (answer) => {
    answered = true;
    x.res.writeHead(answer.statusCode ?? 502, answer.statusMessage, towardsClient(answer.headers, chosen.setCookie, Object.keys(x.hsts).length > 0));
    answer.on("data", (chunk: Buffer) => (row.bytesOut += chunk.length));
    answer.on("end", done);
    answer.on("error", () => x.res.destroy());
    answer.pipe(x.res);
  });
  upstream.on("error", () => {
    done();
    if (!answered && !x.res.headersSent) errorPage(x.res, 503, x.hsts);
    else x.res.destroy();
  });
  x.req.on("data", (chunk: Buffer) => (row.bytesIn += chunk.length));
  x.req.pipe(upstream);
  x.res.on("close", () => {
    done();
    if (!x.res.writableFinished) upstream.destroy();
  });
}

function handle(plane: Plane, req: http.IncomingMessage, res: http.ServerResponse): void {
  const x = exchangeOf(plane, req, res);
  if (!x) return errorPage(res, 503);
  const farmId = decide(x);
  if (farmId === undefined) return;
  const chosen = selectServer(plane, x.zone, farmId, x.frontendPort, { address: x.client.address, path: x.facts.uri ?? "/", cookieHeader: req.headers.cookie });
  if (!chosen) return errorPage(res, 503, x.hsts);
  forward(x, chosen);
}

/** The HTTP server every HTTP frontend's connections are handed to; it listens on nothing itself. */
export function createHttpEntry(plane: Plane): http.Server {
  const server = http.createServer((req, res) => handle(plane, req, res));
  server.on("clientError", (_err, socket) => socket.destroy());
  return server;
}

/**
 * What the balancer answers itself, the way HAProxy (which runs OVH's HTTP and TCP load balancers: OVH's
 * presentation guide, pages/network/load_balancer/use_presentation) does: its built-in error pages (HAProxy
 * src/http.c `http_err_msgs`: `Cache-Control: no-cache`, `Connection: close`, an HTML body naming the status) for
 * 403 (source refused), 503 (no server available), and a route's `reject` status; and redirects (`redirect location`,
 * an empty body with `Location`) for a frontend's `redirectLocation` (302, HAProxy's default code) and `redirect` routes.
 */
import type { ServerResponse } from "http";
import { STATUS_CODES } from "http";

/** HAProxy's sentence under each status it can answer itself. */
const MESSAGES: Record<number, string> = {
  200: "Service ready.",
  400: "Your browser sent an invalid request.",
  403: "Request forbidden by administrative rules.",
  405: "A request was made of a resource using a request method not supported by that resource",
  408: "Your browser didn't send a complete request in time.",
  429: "You have sent too many requests in a given amount of time.",
  500: "An internal server error occurred.",
  502: "The server returned an invalid or incomplete response.",
  503: "No server is available to handle this request.",
  504: "The server didn't respond in time.",
};

export type ExtraHeaders = Record<string, string>;

export function errorPage(res: ServerResponse, status: number, extra: ExtraHeaders = {}): void {
  const body = `<html><body><h1>${status} ${STATUS_CODES[status] ?? ""}</h1>\n${MESSAGES[status] ?? ""}\n</body></html>\n`;
  res.writeHead(status, {
    ...extra,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-cache",
    Connection: "close",
    "Content-Type": "text/html",
  });
  res.end(body);
}

export function redirect(res: ServerResponse, status: number, location: string, extra: ExtraHeaders = {}): void {
  res.writeHead(status, { ...extra, "Content-Length": 0, Location: location, "Cache-Control": "no-cache" });
  res.end();
}

/** What a redirect target's variables stand for in one request (the routes guide, "Redirection"). */
export interface RedirectFacts {
  /** `http` or `https`. */
  protocol: string;
  /** The Host header, port included when the client sent one. */
  host: string;
  /** The port the client connected to (HAProxy's `dst_port`): the local port of the emulator's listener. */
  port: number;
  /** Starts with `/`, ends before the first `?`. */
  path: string;
  /** `?` and the query, or "" without one. */
  arguments: string;
}

/** `${protocol}`, `${domain}` (host without port), `${host}`, `${port}`, `${path}`, `${arguments}`; others stay as written. */
export function expandTarget(target: string, facts: RedirectFacts): string {
  const values: Record<string, string> = {
    protocol: facts.protocol,
    domain: facts.host.replace(/:\d+$/, ""),
    host: facts.host,
    port: String(facts.port),
    path: facts.path,
    arguments: facts.arguments,
  };
  return target.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * Headers on their way through an HTTP frontend.
 * Towards the server: hop-by-hop headers dropped (RFC 9110 7.6.1: Connection and the headers it names, Keep-Alive,
 * Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade), then `X-Forwarded-For` (the client's address, appended
 * to any the client sent) and `X-Forwarded-Proto` (`http`/`https`), which OVH's load balancer adds (ovh/docs
 * pages/network/load_balancer/create_headers), then the frontend's `httpHeader` list ("Add header to your frontend.
 * Useful variables admitted : %ci <=> client_ip, %cp <=> client_port", schema). An entry is `Name: value` (or
 * `Name value`, HAProxy's `http-request add-header` syntax); the schema shows no example, so both are read.
 * Towards the client: hop-by-hop headers dropped (the client side keeps its own keep-alive), the stickiness cookie
 * added, and `Strict-Transport-Security` on TLS frontends with `hsts: true`.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "http";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/**
 * The HSTS value: OVH does not publish its max-age. HAProxy's documentation example and Mozilla's server-side TLS
 * guideline both use 15768000 s (six months); ASSUMED.
 */
export const HSTS_VALUE = "max-age=15768000";

export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? "").toLowerCase().split(",").map((h) => h.trim());
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}

/** `X-Client: %ci:%cp` -> ["X-Client", "127.0.0.9:53012"]; undefined for an entry without a name. */
export function frontendHeader(entry: string, client: { address: string; port: number }): [string, string] | undefined {
  const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?::\s*|\s+)(.*)$/.exec(entry);
  if (!m) return undefined;
  return [m[1], m[2].replace(/%ci/g, client.address).replace(/%cp/g, String(client.port))];
}

function append(headers: OutgoingHttpHeaders, name: string, value: string): void {
  const key = name.toLowerCase();
  const current = headers[key];
  headers[key] = current === undefined ? value : [...(Array.isArray(current) ? current : [String(current)]), value];
}

export function towardsServer(
  headers: IncomingHttpHeaders,
  frontend: Record<string, unknown>,
  client: { address: string; port: number; tls: boolean },
): OutgoingHttpHeaders {
  const out = withoutHopByHop(headers);
  const forwarded = headers["x-forwarded-for"];
  out["x-forwarded-for"] = forwarded ? `${String(forwarded)}, ${client.address}` : client.address;
  out["x-forwarded-proto"] = client.tls ? "https" : "http";
  const extra = Array.isArray(frontend.httpHeader) ? (frontend.httpHeader as unknown[]) : [];
  for (const entry of extra) {
    const header = typeof entry === "string" ? frontendHeader(entry, client) : undefined;
    if (header) append(out, header[0], header[1]);
  }
  return out;
}

export function towardsClient(headers: IncomingHttpHeaders, cookie: string | undefined, hsts: boolean): OutgoingHttpHeaders {
  const out = withoutHopByHop(headers);
  if (cookie) append(out, "set-cookie", cookie);
  if (hsts) out["strict-transport-security"] = HSTS_VALUE;
  return out;
}

/**
 * The farm's `stickiness` (OVH's connection-tracking guide, ovh/docs pages/network/load_balancer/create_stickiness):
 * - `cookie`: "a session cookie, which is used to distribute traffic from a single HTTP session to the same server".
 *   The balancer sets `SERVERID=<the server's cookie>; path=/` on the answer of a request it balanced, and a request
 *   presenting that cookie goes back to the server holding that value while it is up (HAProxy's
 *   `cookie SERVERID insert`). The cookie's name is not published by OVH: `SERVERID` is HAProxy's documented example
 *   (ASSUMED). The value is the server's `cookie` field, or, when it is null (a farm switched to cookie stickiness
 *   after its servers were made), the one the API would generate for it (models/farmServer.ts). No table is involved:
 *   the value names the server, so a session survives a refresh while that server keeps its cookie and stays up.
 * - `sourceIp`: "ensures the same client IP is consistently routed to the same server": a table client address ->
 *   server per farm and zone, filled when a client is first balanced, consulted first afterwards (a server that is
 *   no longer up is ignored and the client balanced again). Entries never expire; a refresh of the zone empties the
 *   zone's tables ("existing connections will be rebalanced", same guide).
 */
import { generatedCookie } from "../models/farmServer";
import type { ServerRef } from "./pool";

export const COOKIE_NAME = "SERVERID";

export function cookieValue(serviceName: string, server: ServerRef): string {
  const own = server.data.cookie;
  return typeof own === "string" && own !== "" ? own : generatedCookie(serviceName, server.farmId, server.id);
}

/** `a=1; b=2` -> {a: "1", b: "2"}; the first occurrence of a name wins (RFC 6265 5.4 orders them by path, then age). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** The up server a `SERVERID` cookie names, if any. */
export function cookieServer(serviceName: string, servers: readonly ServerRef[], cookieHeader: string | undefined): ServerRef | undefined {
  const value = parseCookies(cookieHeader).get(COOKIE_NAME);
  if (value === undefined) return undefined;
  return servers.find((s) => s.up && cookieValue(serviceName, s) === value);
}

export const setCookie = (value: string): string => `${COOKIE_NAME}=${value}; path=/`;

/** sourceIp tables of every farm, by `zone|farmId`. */
export class SourceTables {
  private readonly tables = new Map<string, Map<string, number>>();

  private table(zone: string, farmId: number): Map<string, number> {
    const key = `${zone}|${farmId}`;
    let table = this.tables.get(key);
    if (!table) this.tables.set(key, (table = new Map()));
    return table;
  }

  /** The up server the client was sent to before, if any. */
  lookup(zone: string, farmId: number, client: string, servers: readonly ServerRef[]): ServerRef | undefined {
    const id = this.table(zone, farmId).get(client);
    return id === undefined ? undefined : servers.find((s) => s.id === id && s.up);
  }

  remember(zone: string, farmId: number, client: string, serverId: number): void {
    this.table(zone, farmId).set(client, serverId);
  }

  resetZone(zone: string): void {
    for (const key of [...this.tables.keys()]) if (key.startsWith(`${zone}|`)) this.tables.delete(key);
  }
}

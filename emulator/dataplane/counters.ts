/**
 * Traffic counters per server and zone, for the control surface: `requests` (HTTP requests sent to the server, or TCP
 * connections opened to it), `bytesIn` (body or stream bytes from clients to the server), `bytesOut` (from the server
 * to clients) and `active` (requests in flight, or TCP connections open; leastconn reads it). Headers are not counted:
 * the proxy rewrites them. The emulator's own observability, not an OVH API: counters add up across refreshes
 * (HAProxy's statistics would restart at each reload).
 */

export interface ServerCounters {
  requests: number;
  bytesIn: number;
  bytesOut: number;
  active: number;
}

export interface CounterRow extends ServerCounters {
  zone: string;
  serverId: number;
}

export class Counters {
  private readonly rows = new Map<string, CounterRow>();

  /** The server's counters, zeros when it carried nothing yet (without recording it). */
  get(zone: string, serverId: number): ServerCounters {
    const { requests, bytesIn, bytesOut, active } = this.rows.get(`${zone}|${serverId}`) ?? { requests: 0, bytesIn: 0, bytesOut: 0, active: 0 };
    return { requests, bytesIn, bytesOut, active };
  }

  private of(zone: string, serverId: number): CounterRow {
    const key = `${zone}|${serverId}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { zone, serverId, requests: 0, bytesIn: 0, bytesOut: 0, active: 0 }));
    return row;
  }

  active(zone: string, serverId: number): number {
    return this.rows.get(`${zone}|${serverId}`)?.active ?? 0;
  }

  /** One request (or connection) starts: the returned function ends it, once, however often it is called. */
  open(zone: string, serverId: number): { row: CounterRow; done: () => void } {
    const row = this.of(zone, serverId);
    row.requests++;
    row.active++;
    let open = true;
    return {
      row,
      done: () => {
        if (open) row.active--;
        open = false;
      },
    };
  }

  all(): CounterRow[] {
    return [...this.rows.values()].sort((a, b) => a.zone.localeCompare(b.zone) || a.serverId - b.serverId).map((r) => ({ ...r }));
  }
}

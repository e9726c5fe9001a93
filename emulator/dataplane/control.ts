/**
 * The emulator's own control surface for the data plane: plain, unsigned HTTPS paths on the emulator's API server,
 * outside the OVH API base path (`/1.0`), so no OVH client ever calls them and the request log does not hold them.
 * They are the emulator's, not OVH's:
 * - `GET /_emulator/data-plane`: `{serviceName, ports, unserved, servers}`: the port table (`zone:port` -> the local
 *   port, the port asked for, the frontend, its type, and why it fell back when it did), the frontends or ports that
 *   do not listen with why, and per server of the running configuration (and any server that carried traffic) its
 *   zone, farm, address, port, health status and counters (counters.ts).
 * - `GET /_emulator/data-plane/ca.pem`: the data plane's CA certificate (x509.ts), to trust TLS frontends.
 */
import type { IncomingMessage, ServerResponse } from "http";
import type { Model } from "../store";
import { wantedBindings } from "./bindings";
import { downIn, type Plane } from "./plane";

export const CONTROL_PATH = "/_emulator/data-plane";

/** One server of the running configuration (or one that carried traffic and has left it), with its counters. */
export interface DataPlaneServer {
  zone: string;
  serverId: number;
  /** null for a server that left the running configuration (`status: "removed"`). */
  farmId: number | null;
  address: string | null;
  port: number | null;
  /** `UP` or `DOWN` as the data plane's pool sees the probes, `inactive`, or `removed`. */
  status: string;
  /** HTTP requests sent to the server, or TCP connections opened to it (they add up across refreshes). */
  requests: number;
  /** Body or stream bytes from clients to the server, and back (headers are not counted). */
  bytesIn: number;
  bytesOut: number;
  /** Requests in flight, or TCP connections open, now. */
  active: number;
}

/** Every running server of every zone, with its counters; servers that left the configuration keep their counters. */
function serverRows(plane: Plane): DataPlaneServer[] {
  const svc = plane.rt.store.service(plane.serviceName);
  const rows = new Map<string, DataPlaneServer>();
  for (const zone of svc ? plane.rt.store.serviceZones(svc) : []) {
    const down = downIn(plane, zone);
    for (const [id, server] of Object.entries(svc?.running[zone]?.servers ?? {})) {
      const data: Model = server.data;
      const status = data.status === "inactive" ? "inactive" : down(Number(id)) ? "DOWN" : "UP";
      const port = typeof data.port === "number" ? data.port : null;
      rows.set(`${zone}|${id}`, { zone, serverId: Number(id), farmId: server.farmId, address: String(data.address), port, status, ...plane.counters.get(zone, Number(id)) });
    }
  }
  for (const c of plane.counters.all()) {
    const key = `${c.zone}|${c.serverId}`;
    if (!rows.has(key)) rows.set(key, { ...c, farmId: null, address: null, port: null, status: "removed" });
  }
  return [...rows.values()].sort((a, b) => a.zone.localeCompare(b.zone) || a.serverId - b.serverId);
}

export function snapshot(plane: Plane): Record<string, unknown> {
  const svc = plane.rt.store.service(plane.serviceName);
  const zones = svc ? plane.rt.store.serviceZones(svc) : [];
  return {
    serviceName: plane.serviceName,
    ports: plane.listeners?.table() ?? {},
    unserved: wantedBindings(svc?.running ?? {}, zones).unserved,
    servers: serverRows(plane),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

/** Answers a control-surface request and returns true; false when the path is not one of its own. */
export function handleControl(plane: Plane, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== CONTROL_PATH && !path.startsWith(`${CONTROL_PATH}/`)) return false;
  req.resume();
  const json = (status: number, body: unknown) => send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
  if (req.method !== "GET") json(405, { message: `${req.method ?? ""} ${path}: the control surface only answers GET` });
  else if (path === CONTROL_PATH) json(200, snapshot(plane));
  else if (path === `${CONTROL_PATH}/ca.pem`) send(res, 200, "application/x-pem-file", plane.certificates.authority.certPem);
  else json(404, { message: `${path} is not a path of the emulator's control surface (${CONTROL_PATH}, ${CONTROL_PATH}/ca.pem)` });
  return true;
}

/**
 * TCP frontends: each accepted connection (TLS-terminated first when the frontend has `ssl: true`) is joined to one
 * server of the chosen farm and bytes flow both ways until either side closes. Per connection:
 * 1. the frontend running now on the connection's (zone, port); none: the connection is closed;
 * 2. `allowedSource` / `deniedSource` on the client's address: a refused client's connection is closed at once
 *    (HAProxy's `tcp-request connection reject`; TCP has no status to answer);
 * 3. the frontend's TCP routes (routing.ts; `source`, `protocol` tcp/tls, `sni`): `reject` closes the connection ("the
 *    request is terminated", routes guide), `farm` picks the farm; else `defaultFarmId`; no farm: closed;
 * 4. the server (plane.ts `selectServer`: balance, weights, backup, probe verdict, sourceIp; TCP farms have no
 *    cookie); none up, or the server refuses the connection: closed, as HAProxy closes a TCP connection it cannot serve.
 * The farm's `balance: uri` does not exist for TCP (the API refuses it), so the path is empty here.
 */
import * as net from "net";
import * as tls from "tls";
import type { Listener } from "./listeners";
import { type Plane, runningConfig, selectServer } from "./plane";
import type { ServerRef } from "./pool";
import { frontendRoutes, routeFor } from "./routing";
import { clientAddress, sourceAllowed } from "./sources";

/** Joins the client's connection to the server's, counting bytes; either side closing closes both. */
function join(plane: Plane, zone: string, client: net.Socket, server: ServerRef): void {
  const { row, done } = plane.counters.open(zone, server.id);
  const upstream: net.Socket = server.data.ssl === true
    ? tls.connect({ host: server.address, port: server.port, rejectUnauthorized: false })
    : net.connect({ host: server.address, port: server.port });
  const end = () => {
    done();
    client.destroy();
    upstream.destroy();
  };
  for (const socket of [client, upstream]) {
    socket.on("error", end);
    socket.on("close", end);
  }
  client.on("data", (chunk: Buffer) => (row.bytesIn += chunk.length));
  upstream.on("data", (chunk: Buffer) => (row.bytesOut += chunk.length));
  client.pipe(upstream);
  upstream.pipe(client);
}

/** The farm this connection goes to, or undefined when it must be closed (steps 1 to 3 above). */
function farmFor(plane: Plane, listener: Listener, socket: net.Socket, secure: boolean): number | undefined {
  const { zone, frontendId } = listener.binding;
  const config = runningConfig(plane, zone);
  const frontend = config?.frontends[frontendId];
  if (!config || !frontend) return undefined;
  const source = clientAddress(socket.remoteAddress);
  if (!sourceAllowed(frontend.data, source)) return undefined;
  const sni = socket instanceof tls.TLSSocket && typeof socket.servername === "string" ? socket.servername : undefined;
  const action = routeFor(frontendRoutes(config, frontendId, "tcp"), { source, protocol: secure ? "tls" : "tcp", sni });
  if (action?.type === "farm") return action.farmId;
  if (action) return undefined;
  return typeof frontend.data.defaultFarmId === "number" ? frontend.data.defaultFarmId : undefined;
}

export function serveTcp(plane: Plane, listener: Listener, socket: net.Socket, secure: boolean): void {
  const farmId = farmFor(plane, listener, socket, secure);
  const { zone, port } = listener.binding;
  const chosen = farmId === undefined ? undefined : selectServer(plane, zone, farmId, port, { address: clientAddress(socket.remoteAddress), path: "" });
  if (!chosen) {
    socket.destroy();
    return;
  }
  join(plane, zone, socket, chosen.server);
}

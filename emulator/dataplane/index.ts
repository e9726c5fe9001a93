/**
 * The data plane: the emulator carries traffic through the running configuration, on loopback only. Off by default
 * (option `dataPlane`, CLI `--data-plane`); with it off, nothing here runs and the emulator behaves as before.
 *
 * Where each behaviour comes from (OVH guides are ovh/docs pages/network/load_balancer/<name>/guide.en-gb.md):
 * - Listening (bindings.ts, listeners.ts): every port of every enabled HTTP/TCP frontend of the running configuration
 *   of each zone listens on 127.0.0.1 (options.ts for which local port). A refresh is what changes the running
 *   configuration (handlers/tasks.ts), so a staged frontend listens only after the refresh that applies it, and a
 *   deleted one stops with the refresh that applies the deletion.
 * - Balancing (balance.ts, pool.ts): create_balancing (algorithms), the schema (weight, backup, status), the probes'
 *   verdict (probes.ts) for which servers are up.
 * - Stickiness (stickiness.ts): create_stickiness. Routes (routing.ts): create_route. Frontend fields (httpProxy.ts,
 *   headers.ts, sources.ts, tls.ts): the schema's descriptions and create_headers. Answers the balancer makes itself
 *   (answers.ts): HAProxy's, which OVH runs for HTTP and TCP (use_presentation).
 * - A refresh (`sync` below, after handlers/tasks.ts applied a zone): create_stickiness warns that "once you have
 *   applied your configuration, existing connections will be rebalanced, and their associated HTTP sessions will be
 *   lost". The emulator therefore, for each zone a refresh applied (even with no change: OVH reloads then too):
 *   closes every client connection open on the zone's listeners (keep-alive and TCP alike) and the pooled connections
 *   to its servers, empties the zone's sourceIp tables and restarts its round robins. Listeners themselves stay up
 *   (a reload does not close the listening ports), so clients reconnect to the same local port.
 *   A `cookie` session is not a table: the cookie names its server (stickiness.ts), so a client presenting it after
 *   the refresh goes back to that server while it still exists with the same cookie value and is up. The guide's
 *   "HTTP sessions will be lost" is read as the balancer's state (connections, sourceIp entries); whether OVH also
 *   ignores existing cookies after a reload is not documented, and HAProxy, which it runs, honours them.
 * - Traffic counters (counters.ts) and the control surface (control.ts) are the emulator's own.
 *
 * Left out, and why:
 * - UDP frontends and farms (OVH runs them on Nginx, use_presentation; BETA in the schema): no listener, listed as
 *   unserved in the control surface.
 * - `proxyProtocolVersion` (no PROXY header is sent), the servers' `chain` (backend certificates are not verified),
 *   `onMarkedDown: shutdown-sessions` (open connections to a server marked down stay open), `dedicatedIpfo` (one
 *   loopback address serves every frontend), the service's `sslConfiguration` (Node's TLS defaults), HTTP/2 and
 *   WebSocket upgrades (HTTP/1.1 only; the Upgrade header is dropped), and TCP route `protocol` values that need
 *   content inspection (routing.ts).
 * - Only the emulator's own service (the handle's `serviceName`) carries traffic; the seeded second load balancer
 *   exists for `/ip` moves and is not served.
 */
import type { IncomingMessage, ServerResponse } from "http";
import type * as net from "net";
import type { DataPlaneHooks, Runtime } from "../runtime";
import type { Config } from "../store";
import { wantedBindings } from "./bindings";
import { handleControl, snapshot } from "./control";
import { createHttpEntry, serveHttp } from "./httpProxy";
import { type Listener, Listeners, type PortEntry } from "./listeners";
import type { ResolvedDataPlane } from "./options";
import { createPlane, type Plane, resetZone, runningConfig } from "./plane";
import { serveTcp } from "./tcpProxy";
import { terminate } from "./tls";

export { CONTROL_PATH } from "./control";
export { type DataPlaneOption, type DataPlaneOptions, resolveDataPlane } from "./options";

export interface DataPlane extends DataPlaneHooks {
  /** Answers a request to the control surface (true), or leaves it to the API (false). */
  control(req: IncomingMessage, res: ServerResponse): boolean;
  /** Resolves once every listener started or stopped so far listens or is closed. */
  settled(): Promise<void>;
  /** The port table: `zone:port` -> where it listens. */
  table(): Record<string, PortEntry>;
  /** What `GET /_emulator/data-plane` answers. */
  snapshot(): Record<string, unknown>;
  /** The data plane's CA certificate (PEM): TLS frontends' certificates chain to it. */
  caPem: string;
  close(): Promise<void>;
}

/** One accepted connection: TLS first when the frontend has `ssl`, then HTTP or TCP as the frontend is. */
function dispatch(plane: Plane, http: ReturnType<typeof createHttpEntry>, listener: Listener, socket: net.Socket): void {
  const { zone, frontendId } = listener.binding;
  const frontend = runningConfig(plane, zone)?.frontends[frontendId];
  if (!frontend) return void socket.destroy();
  const carry = (stream: net.Socket, secure: boolean) =>
    frontend.type === "http" ? serveHttp(http, stream, { listener, tls: secure }) : serveTcp(plane, listener, stream, secure);
  if (frontend.data.ssl === true) terminate(plane, frontend.data, socket, (tlsSocket) => carry(tlsSocket, true));
  else carry(socket, false);
}

/** After the running configuration of some zones changed: reset those zones, then listen where it now says. */
function sync(plane: Plane, seen: Map<string, Config | undefined>): void {
  const svc = plane.rt.store.service(plane.serviceName);
  if (!svc) return;
  const zones = plane.rt.store.serviceZones(svc);
  for (const zone of zones) {
    if (seen.has(zone) && seen.get(zone) !== svc.running[zone]) resetZone(plane, zone);
    seen.set(zone, svc.running[zone]);
  }
  plane.listeners?.follow(wantedBindings(svc.running, zones).bindings);
}

export function createDataPlane(rt: Runtime, serviceName: string, options: ResolvedDataPlane): DataPlane {
  const plane = createPlane(rt, serviceName, options);
  const http = createHttpEntry(plane);
  const listeners = new Listeners(options, (listener, socket) => dispatch(plane, http, listener, socket));
  plane.listeners = listeners;
  const seen = new Map<string, Config | undefined>();
  return {
    sync: () => sync(plane, seen),
    keepKey: (id, pem) => plane.certificates.keep(id, { cert: pem.certificate, key: pem.key, chain: pem.chain }),
    issue: (id, names, days) => plane.certificates.issue(id, names, days),
    forget: (id) => plane.certificates.forget(id),
    control: (req, res) => handleControl(plane, req, res),
    settled: () => listeners.settled(),
    table: () => listeners.table(),
    snapshot: () => snapshot(plane),
    caPem: plane.certificates.authority.certPem,
    close: async () => {
      await listeners.close();
      for (const zone of [...plane.agents.keys()]) resetZone(plane, zone);
      http.close();
    },
  };
}

/**
 * The data plane's sockets: one TCP listener on 127.0.0.1 per (zone, port) of the running configuration (bindings.ts),
 * and the client connections each has accepted. What a connection carries is decided per connection by whoever
 * owns the listeners (dataplane/index.ts), from the frontend running at that moment, so a listener outlives changes
 * of its frontend and keeps its local port for as long as its (zone, port) runs.
 *
 * Only 127.0.0.1 is ever bound: the emulator exposes nothing beyond loopback.
 */
import * as net from "net";
import type { Binding } from "./bindings";
import { requestedPort, type ResolvedDataPlane } from "./options";

const HOST = "127.0.0.1";

export interface Listener {
  binding: Binding;
  /** The local port asked for (0: any); `port` is the one it got, once listening. */
  requested: number;
  port?: number;
  /** Why `port` differs from `requested` (the port was taken, or needs privileges). */
  fallback?: string;
  server: net.Server;
  sockets: Set<net.Socket>;
}

export interface PortEntry {
  port: number;
  requested: number;
  frontendId: number;
  type: string;
  fallback?: string;
}

function listenOn(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export class Listeners {
  private readonly all = new Map<string, Listener>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Binds run one after the other, in the bindings' order (zones as the service lists them), so which of two
   * listeners asking for the same local port gets it (`zone: "all"` frontends ask once per zone) is the first one's. */
  private binds: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ResolvedDataPlane,
    private readonly onConnection: (listener: Listener, socket: net.Socket) => void,
  ) {}

  /** Starts the listeners `bindings` has and this lacks, stops those it no longer has, and re-points the others. */
  follow(bindings: ReadonlyMap<string, Binding>): void {
    for (const [key, listener] of this.all) {
      const binding = bindings.get(key);
      if (binding) listener.binding = binding;
      else this.stop(key, listener);
    }
    for (const [key, binding] of bindings) if (!this.all.has(key)) this.start(binding);
  }

  private start(binding: Binding): void {
    const server = net.createServer();
    const listener: Listener = { binding, requested: requestedPort(this.options, binding.zone, binding.port), server, sockets: new Set() };
    server.on("connection", (socket) => {
      listener.sockets.add(socket);
      socket.on("close", () => listener.sockets.delete(socket));
      socket.on("error", () => undefined); // a client resetting is its business; the proxy modules see it through close
      this.onConnection(listener, socket);
    });
    server.on("error", () => undefined);
    this.all.set(binding.key, listener);
    const bound = this.binds.then(() => this.bind(listener));
    this.binds = bound.catch(() => undefined);
    this.track(bound);
  }

  /** Listens on the requested port, else (taken, privileged) on a free one, saying why. */
  private async bind(listener: Listener): Promise<void> {
    if (this.all.get(listener.binding.key) !== listener) return; // stopped before its turn
    try {
      await listenOn(listener.server, listener.requested);
    } catch (e) {
      if (this.all.get(listener.binding.key) !== listener) return;
      listener.fallback = `${listener.requested}: ${(e as NodeJS.ErrnoException).code ?? "error"}`;
      await listenOn(listener.server, 0).catch(() => undefined);
    }
    const address = listener.server.address();
    if (address && typeof address === "object") listener.port = address.port;
    // Stopped while binding: let go of the port now.
    if (this.all.get(listener.binding.key) !== listener) listener.server.close();
  }

  private stop(key: string, listener: Listener): void {
    this.all.delete(key);
    for (const socket of listener.sockets) socket.destroy();
    if (listener.server.listening) this.track(new Promise((resolve) => listener.server.close(resolve)));
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Closes every client connection accepted on the listeners of `zone` (a refresh of that zone). */
  dropConnections(zone: string): void {
    for (const listener of this.all.values()) {
      if (listener.binding.zone === zone) for (const socket of listener.sockets) socket.destroy();
    }
  }

  /** Resolves once every listener started or stopped so far is listening or closed. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The port table: `zone:port` -> where it listens (listeners still binding are left out until they listen). */
  table(): Record<string, PortEntry> {
    const out: Record<string, PortEntry> = {};
    const keys = [...this.all.keys()].sort();
    for (const key of keys) {
      const l = this.all.get(key)!;
      if (l.port === undefined) continue;
      out[key] = { port: l.port, requested: l.requested, frontendId: l.binding.frontendId, type: l.binding.type, ...(l.fallback ? { fallback: l.fallback } : {}) };
    }
    return out;
  }

  async close(): Promise<void> {
    for (const [key, listener] of [...this.all]) this.stop(key, listener);
    await this.settled();
  }
}

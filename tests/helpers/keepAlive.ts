/**
 * A long-lived keep-alive HTTP client of a data-plane frontend (emulator/dataplane), as a browser or a connection pool
 * is: one connection that carries its requests, and a new one at once when the balancer closes it. It counts the
 * sessions it had (connections that carried at least one answered request) and how many of them the other side
 * closed, so a test or the benchmark can tell how often a deployment broke it.
 *
 * - The heartbeat: the data plane's HTTP side is Node's http server, which closes a keep-alive connection left idle
 *   for 5 s (its default `keepAliveTimeout`). A client that sends a request every second is never idle that long, so
 *   the closes it sees are the refreshes' (or the frontend's end), not the idle timer's.
 * - A connection that never got a 200 (the balancer's own `503 No server is available` closes the connection, as
 *   HAProxy's error pages do) is neither a session nor a broken one, and is not retried at once: the next heartbeat
 *   tries again, so a farm left without servers does not turn the client into a loop of reconnections.
 * Loopback only.
 */
import * as http from "http";
import type * as net from "net";

export interface KeepAliveOptions {
  /** The client's loopback address (the source the balancer sees). */
  from?: string;
  /** A request every this many ms while open (default 1000; 0: none). */
  heartbeatMs?: number;
  /** Called at each counted close, after it was counted. */
  onClose?: () => void;
}

export class KeepAliveSession {
  /** Connections that carried at least one answered (200) request, the first one included. */
  connections = 0;
  /** Of those, how many the other side closed while the session ran. */
  closes = 0;
  /** The frontend no longer accepts connections: the session gave up. */
  ended = false;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly sessions = new WeakSet<net.Socket>();
  private readonly watched = new WeakSet<net.Socket>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private waiters: { closes: number; resolve(): void }[] = [];

  private constructor(readonly port: number, private readonly options: KeepAliveOptions) {}

  /** Connects and sends a first request (so the connection carried traffic before it is counted on). */
  static async open(port: number, options: KeepAliveOptions = {}): Promise<KeepAliveSession> {
    const session = new KeepAliveSession(port, options);
    await session.request();
    const every = options.heartbeatMs ?? 1000;
    if (every > 0) {
      session.timer = setInterval(() => void session.request().catch(() => undefined), every);
      session.timer.unref();
    }
    return session;
  }

  /** One GET on the session's connection (a new one if the last was closed); resolves with the body. */
  request(): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: this.port, path: "/", agent: this.agent, localAddress: this.options.from }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode === 200) this.answered(req.socket);
          resolve(body);
        });
        res.on("error", reject);
      });
      req.on("socket", (socket) => this.watch(socket));
      req.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ECONNREFUSED") this.end();
        reject(e);
      });
      req.end();
    });
  }

  /** Resolves once `count` closes were seen (the close itself is the event: no timer). */
  closedTimes(count: number): Promise<void> {
    if (this.closes >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ closes: count, resolve }));
  }

  /** Stops the heartbeat and the reconnecting, and closes the connection (not counted). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.agent.destroy();
  }

  private answered(socket: net.Socket | null): void {
    if (!socket || this.sessions.has(socket)) return;
    this.sessions.add(socket);
    this.connections++;
  }

  private watch(socket: net.Socket): void {
    if (this.watched.has(socket)) return;
    this.watched.add(socket);
    socket.on("close", () => {
      if (this.stopped || !this.sessions.has(socket)) return;
      this.closes++;
      this.waiters = this.waiters.filter((w) => (w.closes <= this.closes ? (w.resolve(), false) : true));
      this.options.onClose?.();
      // Reconnect at once, as a client with work to do would; a frontend that stopped listening ends the session.
      if (!this.ended) void this.request().catch(() => undefined);
    });
  }

  private end(): void {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
  }
}

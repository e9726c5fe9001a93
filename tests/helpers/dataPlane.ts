/**
 * Test access to the emulator's data plane (emulator/dataplane): an emulator with it on, objects configured through
 * the official `ovh` client and made live with `POST .../refresh` as a user does, and clients that reach the
 * frontends' local ports from a chosen loopback address. Waits are for events (a task done, listeners settled, a
 * health state), never for time.
 */
import * as http from "http";
import * as net from "net";
import type { OvhClient } from "ovh";
import type { Emulator, EmulatorOptions } from "../../emulator";
import { TestBackend } from "./backends";
import { eventually, ovhClient, startTestEmulator, svcPath } from "./emulator";

type Body = Record<string, unknown>;

export interface Lb {
  emu: Emulator;
  client: OvhClient;
  call<T = Body>(method: string, suffix: string, body?: Body): Promise<T>;
  /** POST .../refresh (every zone, or `zone`), waits for its task to be done, then for the listeners it started or stopped. */
  refresh(zone?: string): Promise<void>;
  /** The local port of frontend port `port` in `zone` (gra unless given); throws when it does not listen. */
  port(port: number, zone?: string): number;
  farm(proto: "http" | "tcp", body?: Body): Promise<number>;
  server(proto: "http" | "tcp", farmId: number, backend: { address: string; port: number }, body?: Body): Promise<number>;
  frontend(proto: "http" | "tcp" | "udp", body: Body): Promise<number>;
  /** Waits until the API reports the server's probe status (`UP` or `DOWN`) on every instance of its zone. */
  health(proto: "http" | "tcp", farmId: number, serverId: number, status: "UP" | "DOWN"): Promise<void>;
}

/** Probes every 150 ms (30 s x 5), so a stopped backend is DOWN after two failed checks; loopback only. */
export async function startLb(options: EmulatorOptions = {}): Promise<Lb> {
  const emu = await startTestEmulator({ probeMsPerSecond: 5, probeTimeoutMs: 400, dataPlane: true, ...options });
  const client = ovhClient(emu);
  const call = <T>(method: string, suffix: string, body?: Body) => client.requestPromised(method, svcPath(emu, suffix), body === undefined ? undefined : { ...body }) as Promise<T>;
  const lb: Lb = {
    emu,
    client,
    call,
    async refresh(zone) {
      const task = await call<{ id: number }>("POST", "/refresh", zone === undefined ? undefined : { zone });
      await eventually(async () => (await call<{ status: string }>("GET", `/task/${task.id}`)).status === "done", 30_000, "the refresh task");
      await emu.dataPlane!.settled();
    },
    port(port, zone = "gra") {
      const local = emu.dataPlane!.ports()[`${zone}:${port}`];
      if (local === undefined) throw new Error(`${zone}:${port} does not listen (ports: ${JSON.stringify(emu.dataPlane!.ports())})`);
      return local;
    },
    farm: async (proto, body = {}) => (await call<{ farmId: number }>("POST", `/${proto}/farm`, { zone: "gra", ...body })).farmId,
    server: async (proto, farmId, backend, body = {}) =>
      (await call<{ serverId: number }>("POST", `/${proto}/farm/${farmId}/server`, { address: backend.address, port: backend.port, status: "active", ...body })).serverId,
    frontend: async (proto, body) => (await call<{ frontendId: number }>("POST", `/${proto}/frontend`, { zone: "gra", ...body })).frontendId,
    async health(proto, farmId, serverId, status) {
      const path = `/${proto}/farm/${farmId}/server/${serverId}`;
      const reported = async () => (await call<{ serverState: { status: string; checkStatus: string }[] }>("GET", path)).serverState;
      // UP after a successful check (not the initial INI, nor a first failure that leaves it UP): the probe saw it answer.
      const settled = (s: { status: string; checkStatus: string }) => s.status === status && (status === "DOWN" || /OK$/.test(s.checkStatus));
      await eventually(async () => (await reported()).every(settled), 30_000, `server ${serverId} ${status}`);
    },
  };
  return lb;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface GetOptions {
  headers?: http.OutgoingHttpHeaders;
  /** The client's loopback address (what the balancer sees as the source). */
  from?: string;
  /** Default: a new connection per request (no pool), so a refresh closing pooled connections cannot fail a request. */
  agent?: http.Agent | false;
  method?: string;
}

export function get(port: number, path = "/", options: GetOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers, localAddress: options.from, agent: options.agent ?? false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** The backends' answers to `count` requests, one after the other (backends.ts answers `200 from <address>`). */
export async function servedBy(port: number, count: number, options: GetOptions = {}): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await get(port, "/", options);
    seen.push(answer.status === 200 ? answer.body.trim().replace(/^200 from /, "") : String(answer.status));
  }
  return seen;
}

export const tally = (names: string[]): Record<string, number> =>
  names.reduce<Record<string, number>>((acc, n) => ((acc[n] = (acc[n] ?? 0) + 1), acc), {});

/**
 * A TCP backend that names itself (`<address>\n`) as soon as a client connects, then echoes what it gets and keeps
 * the connection open until the client closes; `open()` counts its connections.
 */
export async function namedTcpBackend(address: string): Promise<TestBackend & { open(): number }> {
  const sockets = new Set<net.Socket>();
  const make = () => net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    socket.write(`${address}\n`);
    socket.pipe(socket);
  });
  let server: net.Server | undefined = make();
  const listen = (s: net.Server, port: number) => new Promise<number>((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, address, () => resolve((s.address() as net.AddressInfo).port));
  });
  let port = 0;
  for (let attempt = 0; port === 0; attempt++) {
    port = await listen(server, 20000 + Math.floor(Math.random() * 29000)).catch((e) => (attempt > 20 ? Promise.reject(e) : ((server = make()), 0)));
  }
  return {
    address,
    port,
    answer: () => undefined,
    open: () => sockets.size,
    async stop() {
      const s = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    async start() {
      if (server) return;
      server = make();
      await listen(server, port);
    },
  };
}

/** Connects to a TCP frontend and resolves with the socket and the first line the server sent. */
export function tcpHello(port: number, from?: string): Promise<{ socket: net.Socket; line: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: from });
    let data = "";
    socket.on("error", reject);
    socket.on("data", (c: Buffer) => {
      data += c.toString();
      const end = data.indexOf("\n");
      if (end >= 0) resolve({ socket, line: data.slice(0, end) });
    });
    socket.on("close", () => reject(new Error(`closed before a line (got ${JSON.stringify(data)})`)));
  });
}

/** Resolves when the socket closes (the event itself, no timer). */
export const closed = (socket: net.Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

/** An HTTP backend that answers every request with JSON: its address, the method, the URL and the headers it got. */
export async function echoHttpBackend(address: string): Promise<{ address: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = JSON.stringify({ server: address, method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 29000);
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, address, () => resolve(true));
    });
    if (ok) return { address, port, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
    if (attempt > 20) throw new Error(`no free port on ${address}`);
  }
}

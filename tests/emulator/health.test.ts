/**
 * Real health checks (emulator/probes.ts) seen through `serverState` of farm servers, with backends started here on
 * 127.0.0.1. Farms and servers are created through the API and go live with a refresh, as a user's stack does.
 * Proves: UP -> DOWN when a backend stops (HAProxy codes, per LB instance of the zone), HTTP status and content
 * matches, TCP connect and banner checks, TLS towards the server, and the fixed states (`no check`, `MAINT`, `[]`
 * before a refresh). Not proven: timings of the real service (the emulator compresses 1 s of interval to 5 ms here).
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, startTestEmulator, svcPath } from "../helpers/emulator";

interface ServerState {
  instanceId: number;
  status: string | null;
  checkStatus: string | null;
  checkCode: string | null;
  checkTime: string | null;
  lastCheckContent: string | null;
}

const certDir = path.join(__dirname, "..", "..", "emulator", "certs");

/** Listens on 127.0.0.1 on a port the API accepts (1..49151; the kernel's ephemeral range starts above it). */
async function listenLow(server: net.Server): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 29000);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => (server.off("error", reject), resolve()));
      });
      return port;
    } catch (e) {
      if (attempt > 20) throw e;
    }
  }
}

function httpBackend(): http.Server {
  return http.createServer((req, res) => {
    if (req.url === "/health") return void res.writeHead(200, { "Content-Type": "text/plain" }).end("status: ready\n");
    if (req.url === "/bad") return void res.writeHead(503).end("maintenance");
    res.writeHead(req.method === "OPTIONS" ? 200 : 404).end();
  });
}

/** Connections of each test backend, so stopping one also drops the sockets it holds open. */
const connections = new WeakMap<net.Server, Set<net.Socket>>();

function track(server: net.Server): void {
  const open = new Set<net.Socket>();
  connections.set(server, open);
  server.on("connection", (socket: net.Socket) => {
    open.add(socket);
    socket.on("error", () => undefined); // the prober resets connections it is done with
    socket.on("close", () => open.delete(socket));
  });
  server.on("tlsClientError", () => undefined);
}

async function stop(server: net.Server): Promise<void> {
  if (!server.listening) return;
  for (const socket of connections.get(server) ?? []) socket.destroy();
  await new Promise((r) => server.close(r));
}

describe("emulator health probes", () => {
  let emu: Emulator;
  let client: OvhClient;
  const backends: net.Server[] = [];

  const backend = async <T extends net.Server>(server: T): Promise<{ server: T; port: number }> => {
    backends.push(server);
    track(server);
    return { server, port: await listenLow(server) };
  };
  const refreshed = async () => {
    const task = (await client.requestPromised("POST", svcPath(emu, "/refresh"))) as { id: number };
    await eventually(async () => ((await client.requestPromised("GET", svcPath(emu, `/task/${task.id}`))) as { status: string }).status === "done", 30_000, "refresh");
  };
  /** One farm with one server, applied with a refresh; returns the server's path. */
  const deploy = async (proto: "http" | "tcp", farm: Record<string, unknown>, server: Record<string, unknown>): Promise<string> => {
    const f = (await client.requestPromised("POST", svcPath(emu, `/${proto}/farm`), { zone: "gra", ...farm })) as { farmId: number };
    const base = `/${proto}/farm/${f.farmId}/server`;
    const s = (await client.requestPromised("POST", svcPath(emu, base), { address: "127.0.0.1", status: "active", probe: true, ...server })) as { serverId: number };
    await refreshed();
    return `${base}/${s.serverId}`;
  };
  const states = async (serverPath: string) => ((await client.requestPromised("GET", svcPath(emu, serverPath))) as { serverState: ServerState[] }).serverState;
  /** Polls until every instance's state satisfies `ok`; eventually() throws on timeout, so the result is defined. */
  const until = async (serverPath: string, what: string, ok: (s: ServerState) => boolean): Promise<ServerState[]> =>
    (await eventually(async () => {
      const all = await states(serverPath);
      return all.length > 0 && all.every(ok) ? all : undefined;
    }, 5000, what)) as ServerState[];

  beforeEach(async () => {
    emu = await startTestEmulator({ probeMsPerSecond: 5, probeTimeoutMs: 400 });
    client = ovhClient(emu);
  });
  afterEach(async () => {
    await emu.close();
    await Promise.all(backends.splice(0).map(stop));
  });

  it("reports UP with L7OK, then DOWN with L4CON once the backend stops", async () => {
    const { server, port } = await backend(httpBackend());
    const probe = { type: "http", method: "GET", url: "/health", match: "default" };
    const serverPath = await deploy("http", { port, probe }, {});
    const up = await until(serverPath, "UP", (s) => s.checkStatus === "L7OK");
    expect(up.map((s) => s.instanceId)).toEqual([101, 102]);
    expect(up[0]).toEqual({ instanceId: 101, status: "UP", checkStatus: "L7OK", checkCode: "200", checkTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/), lastCheckContent: "OK" });
    await stop(server);
    // fall 2: the first failure leaves the server UP (showing the failed check), the second takes it DOWN.
    const firstFailure = await until(serverPath, "a failed check", (s) => s.checkStatus === "L4CON");
    expect(firstFailure[0].status).toBe("UP");
    const down = await until(serverPath, "DOWN", (s) => s.status === "DOWN");
    expect(down[0]).toMatchObject({ status: "DOWN", checkStatus: "L4CON", checkCode: null, lastCheckContent: "Connection refused" });
  });

  it("reports L7STS with the HTTP code when a status probe gets another code", async () => {
    const { port } = await backend(httpBackend());
    const probe = { type: "http", method: "GET", url: "/bad", match: "status", pattern: "200, 204" };
    const serverPath = await deploy("http", { port, probe }, {});
    const down = await until(serverPath, "DOWN", (s) => s.status === "DOWN");
    expect(down[0]).toMatchObject({ checkStatus: "L7STS", checkCode: "503", lastCheckContent: "Service Unavailable" });
  });

  it("sends OPTIONS / in HTTP/1.0 without Host for an http probe with no method or url", async () => {
    const seen: string[] = [];
    const { port } = await backend(http.createServer((req, res) => (seen.push(`${req.method} ${req.url} ${req.httpVersion} ${req.headers.host ?? "-"}`), res.end())));
    const serverPath = await deploy("http", { port, probe: { type: "http" } }, {});
    expect((await until(serverPath, "L7OK", (s) => s.checkStatus === "L7OK"))[0].checkCode).toBe("200");
    expect(seen[0]).toBe("OPTIONS / 1.0 -");
  });

  it("runs smtp, mysql and pgsql checks", async () => {
    const smtp = await backend(net.createServer((socket) => {
      socket.write("220 mail.example.test ESMTP\r\n");
      socket.on("data", (d) => socket.end(d.toString().startsWith("HELO localhost") ? "250 mail.example.test\r\n" : "500 what\r\n"));
    }));
    const mysqlGreeting = Buffer.concat([Buffer.from([20, 0, 0, 0, 0x0a]), Buffer.from("8.0.36-emulated\0"), Buffer.alloc(4)]);
    const mysql = await backend(net.createServer((socket) => socket.end(mysqlGreeting)));
    const pgsql = await backend(net.createServer((socket) => socket.once("data", () => socket.end(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])))));
    const smtpPath = await deploy("tcp", { port: smtp.port, probe: { type: "smtp" } }, {});
    const mysqlPath = await deploy("tcp", { port: mysql.port, probe: { type: "mysql" } }, {});
    const pgsqlPath = await deploy("tcp", { port: pgsql.port, probe: { type: "pgsql" } }, {});
    expect((await until(smtpPath, "smtp", (s) => s.checkStatus === "L7OK"))[0]).toMatchObject({ checkCode: "250", lastCheckContent: "250 mail.example.test" });
    expect((await until(mysqlPath, "mysql", (s) => s.checkStatus === "L7OK"))[0].lastCheckContent).toBe("8.0.36-emulated");
    expect((await until(pgsqlPath, "pgsql", (s) => s.checkStatus === "L7OK"))[0].status).toBe("UP");
  });

  it("checks body content with contains/matches and negate, and sends Host for a URL with a host", async () => {
    const hosts: (string | undefined)[] = [];
    const { port } = await backend(http.createServer((req, res) => (hosts.push(req.headers.host), res.end("all good: v42"))));
    const ok = await deploy("http", { port, probe: { type: "http", method: "GET", url: "app.example.test/ping", match: "matches", pattern: "v\\d+$" } }, {});
    expect((await until(ok, "L7OK", (s) => s.checkStatus === "L7OK"))[0]).toMatchObject({ status: "UP", checkCode: "200", lastCheckContent: "HTTP content check matched" });
    expect(hosts).toContain("app.example.test");
    const negated = await deploy("http", { port, probe: { type: "http", method: "GET", url: "/", match: "contains", pattern: "good", negate: true } }, {});
    expect((await until(negated, "DOWN", (s) => s.status === "DOWN"))[0]).toMatchObject({ checkStatus: "L7RSP", lastCheckContent: "HTTP check matched unwanted content" });
  });

  it("uses a TCP connect check when the farm has no probe, and checks banners with a tcp probe", async () => {
    const { port } = await backend(net.createServer((socket) => socket.end("220 ready\r\n")));
    const plain = await deploy("tcp", { port }, {});
    expect((await until(plain, "L4OK", (s) => s.checkStatus === "L4OK"))[0]).toMatchObject({ status: "UP", checkCode: null, lastCheckContent: null });
    const banner = await deploy("tcp", { port, probe: { type: "tcp", match: "contains", pattern: "ready" } }, {});
    expect((await until(banner, "L7OK", (s) => s.checkStatus === "L7OK"))[0].status).toBe("UP");
    const wrong = await deploy("tcp", { port, probe: { type: "tcp", match: "matches", pattern: "^5\\d\\d" } }, {});
    expect((await until(wrong, "DOWN", (s) => s.status === "DOWN"))[0]).toMatchObject({ checkStatus: "L7RSP", lastCheckContent: "TCP content check did not match" });
  });

  it("speaks TLS to servers with ssl, and reports L6RSP when the server does not", async () => {
    const tlsOptions = { cert: fs.readFileSync(path.join(certDir, "server.pem")), key: fs.readFileSync(path.join(certDir, "server-key.pem")) };
    const secure = await backend(https.createServer(tlsOptions, (_req, res) => res.end("ok")));
    const ok = await deploy("http", { port: secure.port, probe: { type: "http", method: "GET", url: "/" } }, { ssl: true });
    expect((await until(ok, "L7OK", (s) => s.checkStatus === "L7OK"))[0]).toMatchObject({ status: "UP", checkCode: "200" });
    const plain = await backend(httpBackend());
    const broken = await deploy("http", { port: plain.port, probe: { type: "http", forceSsl: true } }, {});
    expect((await until(broken, "DOWN", (s) => s.status === "DOWN"))[0].checkStatus).toBe("L6RSP");
  });

  it("reports L7TOUT when a server accepts the connection but never answers", async () => {
    // (L4TOUT needs a connect that hangs, which loopback never does: it accepts or refuses at once.)
    const { port } = await backend(net.createServer(() => undefined));
    const serverPath = await deploy("http", { port, probe: { type: "http", method: "GET", url: "/" } }, {});
    expect((await until(serverPath, "DOWN", (s) => s.status === "DOWN"))[0]).toMatchObject({ checkStatus: "L7TOUT", checkCode: null });
  });

  it("reports `no check` without contacting servers whose probe is off or whose address is not loopback", async () => {
    let contacted = 0;
    const { port } = await backend(net.createServer((socket) => (contacted++, socket.end())));
    const off = await deploy("tcp", { port }, { probe: false });
    const remote = await deploy("tcp", { port }, { address: "192.0.2.50" });
    const expected = { status: "no check", checkStatus: null, checkCode: null, checkTime: null, lastCheckContent: null };
    expect(await states(off)).toEqual([{ instanceId: 101, ...expected }, { instanceId: 102, ...expected }]);
    expect(await states(remote)).toEqual([{ instanceId: 101, ...expected }, { instanceId: 102, ...expected }]);
    await new Promise((r) => setTimeout(r, 400));
    expect(contacted).toBe(0);
  });

  it("reports MAINT for inactive servers, [] before a refresh, and every instance of every zone for `all`", async () => {
    const { port } = await backend(httpBackend());
    const inactive = await deploy("tcp", { port }, { status: "inactive" });
    expect((await states(inactive)).map((s) => s.status)).toEqual(["MAINT", "MAINT"]);
    const f = (await client.requestPromised("POST", svcPath(emu, "/tcp/farm"), { zone: "all", port })) as { farmId: number };
    const s = (await client.requestPromised("POST", svcPath(emu, `/tcp/farm/${f.farmId}/server`), { address: "127.0.0.1", status: "active", probe: true })) as { serverId: number; serverState: ServerState[] };
    expect(s.serverState).toEqual([]);
    await refreshed();
    const all = await until(`/tcp/farm/${f.farmId}/server/${s.serverId}`, "L4OK", (x) => x.checkStatus === "L4OK");
    expect(all.map((x) => x.instanceId)).toEqual([101, 102, 111, 112]);
  });

  it("follows refreshes: a changed probe applies once refreshed, a removed server stops being contacted", async () => {
    let hits = 0;
    const { port } = await backend(http.createServer((_req, res) => (hits++, res.end("ok"))));
    const serverPath = await deploy("http", { port, probe: { type: "http", method: "GET", url: "/", match: "status", pattern: "200" } }, {});
    await until(serverPath, "L7OK", (s) => s.checkStatus === "L7OK");
    const farmPath = serverPath.replace(/\/server\/\d+$/, "");
    await client.requestPromised("PUT", svcPath(emu, farmPath), { probe: { type: "http", method: "GET", url: "/", match: "status", pattern: "204" } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await states(serverPath))[0].checkStatus).toBe("L7OK"); // staged only: the zone still runs the old probe
    await refreshed();
    expect((await until(serverPath, "L7STS", (s) => s.status === "DOWN"))[0]).toMatchObject({ checkStatus: "L7STS", checkCode: "200" });
    await client.requestPromised("DELETE", svcPath(emu, serverPath));
    await refreshed();
    const after = hits;
    await new Promise((r) => setTimeout(r, 500));
    expect(hits).toBe(after);
  });

  it("starts a server UP with checkStatus INI before its first check completes", async () => {
    // A backend that accepts but never answers keeps the first HTTP check pending until the 400 ms timeout.
    const { port } = await backend(net.createServer(() => undefined));
    const serverPath = await deploy("http", { port, probe: { type: "http", method: "GET", url: "/" } }, {});
    const first = await states(serverPath);
    expect(first[0]).toEqual({ instanceId: 101, status: "UP", checkStatus: "INI", checkCode: null, checkTime: null, lastCheckContent: null });
  });
});

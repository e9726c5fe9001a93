/**
 * The data plane's HTTP frontends through real requests (emulator/dataplane): objects made with the official client
 * and made live with a refresh, backends from tests/helpers/backends.ts on 127.0.11.x, clients from chosen loopback
 * addresses. Proves: listeners follow the running configuration (not the staged one), the port table (base port,
 * explicit mapping, fallback) in the handle and on the control surface, roundrobin shares by weight (exact, smooth
 * order), weight 0, `first`, `source`, `uri`, allowed/deniedSource (403), the forwarded and `httpHeader` headers,
 * `redirectLocation`, 503 without a server, the counters, and a refresh closing an open keep-alive connection.
 * Not proven: OVH's hash function (which server a given address lands on), timings.
 */
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { httpBackend, TestBackend } from "../helpers/backends";
import { closed, echoHttpBackend, get, Lb, servedBy, startLb, tally } from "../helpers/dataPlane";

const BASE = 11000;
const A = "127.0.11.1";
const B = "127.0.11.2";
const C = "127.0.11.3";
const D = "127.0.11.4";

describe("data plane: HTTP frontends", () => {
  let lb: Lb;
  let backends: TestBackend[];

  beforeAll(async () => {
    backends = await Promise.all([A, B, C, D].map((address) => httpBackend(address)));
  });
  afterAll(() => Promise.all(backends.map((b) => b.stop())));
  beforeEach(async () => (lb = await startLb({ dataPlane: { basePort: BASE } })));
  afterEach(() => lb.emu.close());
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => () => backends[i]);

  /** One HTTP farm with these servers behind a frontend on port 80, live. */
  async function deploy(farm: Record<string, unknown>, servers: [{ address: string; port: number }, Record<string, unknown>][], frontend: Record<string, unknown> = {}) {
    const farmId = await lb.farm("http", farm);
    const ids: number[] = [];
    for (const [backend, body] of servers) ids.push(await lb.server("http", farmId, backend, body));
    const frontendId = await lb.frontend("http", { port: "80", defaultFarmId: farmId, ...frontend });
    await lb.refresh();
    return { farmId, ids, frontendId, port: lb.port(80) };
  }

  it("listens once a refresh makes the frontend run, at base port + frontend port, and stops after the refresh that deletes it", async () => {
    const farmId = await lb.farm("http");
    await lb.server("http", farmId, a());
    const frontendId = await lb.frontend("http", { port: "80", defaultFarmId: farmId });
    expect(lb.emu.dataPlane!.ports()).toEqual({});
    await lb.refresh();
    expect(lb.emu.dataPlane!.table()).toEqual({ "gra:80": { port: BASE + 80, requested: BASE + 80, frontendId, type: "http" } });
    expect(await get(BASE + 80)).toMatchObject({ status: 200, body: `200 from ${A}\n` });
    await lb.call("DELETE", `/http/frontend/${frontendId}`);
    expect((await get(BASE + 80)).status).toBe(200); // staged: still running
    await lb.refresh();
    expect(lb.emu.dataPlane!.ports()).toEqual({});
    await expect(get(BASE + 80)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("listens at start-up for the frontends a state file restores as running", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-dataplane-"));
    try {
      await lb.emu.close();
      const stateFile = path.join(dir, "state.json");
      lb = await startLb({ stateFile, dataPlane: { basePort: BASE } });
      await deploy({}, [[a(), {}]]);
      await lb.emu.close();
      lb = await startLb({ stateFile, dataPlane: { basePort: BASE } });
      expect(lb.emu.dataPlane!.ports()).toEqual({ "gra:80": BASE + 80 }); // no refresh needed: it was running
      expect((await get(BASE + 80)).body).toBe(`200 from ${A}\n`);
    } finally {
      await lb.emu.close();
      lb = await startLb({ dataPlane: { basePort: BASE } }); // afterEach closes this one, not the one saving into dir
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the port table and per-server counters on the control surface", async () => {
    const { ids, frontendId } = await deploy({}, [[a(), {}], [b(), {}]]);
    await servedBy(lb.port(80), 3);
    const info = lb.emu.dataPlane!.info();
    expect(info).toEqual({ ports: { "gra:80": BASE + 80 }, url: `https://127.0.0.1:${lb.emu.port}/_emulator/data-plane`, caUrl: `https://127.0.0.1:${lb.emu.port}/_emulator/data-plane/ca.pem` });
    const body = await new Promise<string>((resolve, reject) => https.get(info.url, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve(text));
    }).on("error", reject));
    const surface = JSON.parse(body) as { ports: unknown; servers: Record<string, unknown>[] };
    expect(surface.ports).toEqual({ "gra:80": { port: BASE + 80, requested: BASE + 80, frontendId, type: "http" } });
    const gra = surface.servers.filter((s) => s.zone === "gra");
    expect(gra.map((s) => [s.serverId, s.address, s.status, s.requests, s.active])).toEqual([[ids[0], A, "UP", 2, 0], [ids[1], B, "UP", 1, 0]]);
    expect(gra[0].bytesOut).toBe(2 * `200 from ${A}\n`.length);
    expect(lb.emu.requests.some((r) => r.path.includes("_emulator"))).toBe(false); // not an API request
  });

  it("uses an explicit port mapping, and a free port when the asked one is taken", async () => {
    await lb.emu.close();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(BASE + 81, "127.0.0.1", () => r()));
    lb = await startLb({ dataPlane: { basePort: BASE, ports: { "gra:82": BASE + 999 } } });
    const farmId = await lb.farm("http");
    await lb.server("http", farmId, a());
    await lb.frontend("http", { port: "81-82", defaultFarmId: farmId });
    await lb.refresh();
    const table = lb.emu.dataPlane!.table();
    expect(table["gra:82"]).toMatchObject({ port: BASE + 999, requested: BASE + 999 });
    expect(table["gra:81"]).toMatchObject({ requested: BASE + 81, fallback: `${BASE + 81}: EADDRINUSE` });
    expect(table["gra:81"].port).not.toBe(BASE + 81);
    expect((await get(table["gra:81"].port)).body).toBe(`200 from ${A}\n`);
    await new Promise((r) => squatter.close(r));
  });

  it("listens once per zone for a frontend in `all`; a refresh closes the open keep-alive connections of its zones only", async () => {
    const farmId = await lb.farm("http", { zone: "all" });
    await lb.server("http", farmId, a());
    await lb.frontend("http", { zone: "all", port: "80", defaultFarmId: farmId });
    await lb.refresh();
    const table = lb.emu.dataPlane!.table();
    expect(table["gra:80"]).toMatchObject({ port: BASE + 80, requested: BASE + 80 });
    expect(table["rbx:80"]).toMatchObject({ requested: BASE + 80, fallback: `${BASE + 80}: EADDRINUSE` }); // gra took it first
    /** A raw keep-alive connection; `answered()` sends one request and resolves with the raw answer (chunked: the backend gave no length). */
    const keepAlive = (zone: string) => {
      const socket = net.connect({ host: "127.0.0.1", port: lb.port(80, zone) });
      const answered = () => new Promise<string>((resolve) => {
        let raw = "";
        const onData = (chunk: Buffer) => ((raw += chunk), raw.endsWith("\r\n0\r\n\r\n") && (socket.off("data", onData), resolve(raw)));
        socket.on("data", onData);
        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      });
      return { socket, answered };
    };
    const [gra, rbx] = [keepAlive("gra"), keepAlive("rbx")];
    const first = await gra.answered();
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toContain(`200 from ${A}\n`);
    expect(first).not.toMatch(/\r\nConnection: close\r\n/i); // the client side stays open although the backend closed its own
    await rbx.answered();
    await lb.refresh("rbx");
    await closed(rbx.socket);
    expect(await gra.answered()).toContain(`200 from ${A}\n`); // the same connection still carries requests
    await lb.refresh();
    await closed(gra.socket);
    expect((await get(lb.port(80, "rbx"))).status).toBe(200); // the listeners themselves stay
  });

  it("shares roundrobin traffic by weight 1/2/3 exactly over each cycle, in the smooth order, and gives weight 0 nothing", async () => {
    const { port } = await deploy({ balance: "roundrobin" }, [[a(), { weight: 1 }], [b(), { weight: 2 }], [c(), { weight: 3 }], [d(), { weight: 0 }]]);
    const seen = await servedBy(port, 12);
    expect(seen).toEqual([C, B, A, C, B, C, C, B, A, C, B, C]);
    expect(tally(seen)).toEqual({ [A]: 2, [B]: 4, [C]: 6 });
  });

  it("changes nothing for traffic until the refresh that applies a staged change", async () => {
    const { farmId, ids, port } = await deploy({}, [[a(), {}], [b(), {}]]);
    expect(await servedBy(port, 2)).toEqual([A, B]);
    await lb.call("PUT", `/http/farm/${farmId}/server/${ids[1]}`, { weight: 0 });
    expect(await servedBy(port, 2)).toEqual([A, B]);
    await lb.refresh();
    expect(await servedBy(port, 4)).toEqual([A, A, A, A]);
  });

  it("sends everything to the lowest id with `first`, and keeps a path on one server with `uri`", async () => {
    const { farmId, port } = await deploy({ balance: "first" }, [[a(), {}], [b(), {}], [c(), {}]]);
    expect(await servedBy(port, 5)).toEqual([A, A, A, A, A]);
    await lb.call("PUT", `/http/farm/${farmId}`, { balance: "uri" });
    await lb.refresh();
    for (const path of ["/a", "/b/c", "/d?x=1"]) {
      const answers = await Promise.all([1, 2, 3].map(() => get(port, path)));
      expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    }
    expect((await get(port, "/d?x=1")).body).toBe((await get(port, "/d?y=2")).body); // the query is not hashed
  });

  it("keeps each client address on one server with `source`", async () => {
    const { port } = await deploy({ balance: "source" }, [[a(), {}], [b(), {}], [c(), {}]]);
    const clients = ["127.0.11.101", "127.0.11.102", "127.0.11.103", "127.0.11.104"];
    for (const from of clients) expect(new Set(await servedBy(port, 4, { from })).size).toBe(1);
  });

  it("answers 403 as HAProxy does to a client outside allowedSource, or inside deniedSource", async () => {
    const { frontendId, port } = await deploy({}, [[a(), {}]], { allowedSource: ["127.0.11.96/30"] });
    expect((await get(port, "/", { from: "127.0.11.97" })).status).toBe(200);
    const refused = await get(port, "/", { from: "127.0.11.100" });
    expect(refused).toMatchObject({ status: 403, headers: { "cache-control": "no-cache", "content-type": "text/html" } });
    expect(refused.body).toBe("<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n");
    await lb.call("PUT", `/http/frontend/${frontendId}`, { toJSON: () => ({ allowedSource: null, deniedSource: ["127.0.11.97/32"] }) } as never);
    await lb.refresh();
    expect((await get(port, "/", { from: "127.0.11.97" })).status).toBe(403);
    expect((await get(port, "/", { from: "127.0.11.98" })).status).toBe(200);
  });

  it("adds X-Forwarded-For, X-Forwarded-Proto and the frontend's httpHeader with %ci and %cp", async () => {
    const echo = await echoHttpBackend("127.0.11.9");
    try {
      const { port } = await deploy({}, [[echo, {}]], { httpHeader: ["X-Client: %ci:%cp", "X-Origin iplb"] });
      const socket = net.connect({ host: "127.0.0.1", port, localAddress: "127.0.11.50" });
      await new Promise((r) => socket.once("connect", r));
      const sourcePort = socket.localPort;
      socket.write("GET /echo?q=1 HTTP/1.1\r\nHost: shop.example.test\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
      let raw = "";
      socket.on("data", (chunk) => (raw += chunk));
      await closed(socket);
      const seen = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe("/echo?q=1");
      expect(seen.headers).toMatchObject({
        host: "shop.example.test",
        "x-forwarded-for": "203.0.113.9, 127.0.11.50",
        "x-forwarded-proto": "http",
        "x-client": `127.0.11.50:${sourcePort}`,
        "x-origin": "iplb",
      });
    } finally {
      await echo.close();
    }
  });

  it("redirects with redirectLocation, and answers 503 when no server can take the request", async () => {
    const { farmId, ids, frontendId, port } = await deploy({}, [[a(), {}]]);
    await lb.call("PUT", `/http/farm/${farmId}/server/${ids[0]}`, { status: "inactive" });
    await lb.refresh();
    const unavailable = await get(port);
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toBe("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n");
    await lb.call("PUT", `/http/frontend/${frontendId}`, { redirectLocation: "https://www.example.test/" });
    await lb.refresh();
    expect(await get(port, "/x")).toMatchObject({ status: 302, headers: { location: "https://www.example.test/", "content-length": "0" } });
  });
});

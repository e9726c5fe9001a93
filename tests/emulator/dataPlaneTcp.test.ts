/**
 * TCP frontends carrying connections (emulator/dataplane/tcpProxy.ts): weighted roundrobin per connection, leastconn on
 * open connections, sourceIp, a refresh closing open connections and emptying the sourceIp table, deniedSource and
 * TCP routes (reject, farm by source), failover on the probes' verdict, byte counters, and UDP frontends listed as
 * not served. Backends name themselves on connect (tests/helpers/dataPlane.ts); on 127.0.15.x.
 */
import type * as net from "net";
import { closed, Lb, namedTcpBackend, startLb, tcpHello } from "../helpers/dataPlane";
import { eventually } from "../helpers/emulator";

const A = "127.0.15.1";
const B = "127.0.15.2";
const X = "127.0.15.101";
const Y = "127.0.15.102";

type Named = Awaited<ReturnType<typeof namedTcpBackend>>;

describe("data plane: TCP frontends", () => {
  let lb: Lb;
  let backends: Named[];
  const sockets: net.Socket[] = [];

  beforeAll(async () => (backends = await Promise.all([A, B].map((address) => namedTcpBackend(address)))));
  afterAll(() => Promise.all(backends.map((b) => b.stop())));
  beforeEach(async () => (lb = await startLb({ dataPlane: { basePort: 15000 } })));
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await lb.emu.close();
  });

  async function deploy(farm: Record<string, unknown>, servers: Record<string, unknown>[] = [{}, {}], frontend: Record<string, unknown> = {}) {
    const farmId = await lb.farm("tcp", farm);
    const ids: number[] = [];
    for (const [i, body] of servers.entries()) ids.push(await lb.server("tcp", farmId, backends[i], body));
    const frontendId = await lb.frontend("tcp", { port: "5432", defaultFarmId: farmId, ...frontend });
    await lb.refresh();
    return { farmId, ids, frontendId, port: lb.port(5432) };
  }
  /** Opens a connection through the frontend, keeps it (closed after the test), and returns the server's name. */
  const hello = async (port: number, from?: string) => {
    const { socket, line } = await tcpHello(port, from);
    sockets.push(socket);
    return { socket, line };
  };
  const names = async (port: number, count: number, from?: string) => {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const { socket, line } = await hello(port, from);
      seen.push(line);
      socket.destroy();
    }
    return seen;
  };

  it("spreads connections by weight with roundrobin and carries bytes both ways", async () => {
    const { ids, port } = await deploy({}, [{ weight: 1 }, { weight: 2 }]);
    expect(await names(port, 6)).toEqual([B, A, B, B, A, B]);
    const { socket } = await hello(port);
    socket.write("ping\n");
    const echoed = await new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(chunk.toString())));
    expect(echoed).toBe("ping\n");
    const rows = (lb.emu.dataPlane!.snapshot().servers as { zone: string; serverId: number; requests: number; bytesIn: number }[]).filter((r) => r.zone === "gra");
    expect(rows.map((r) => [r.serverId, r.requests])).toEqual([[ids[0], 2], [ids[1], 5]]);
    expect(rows[1].bytesIn).toBe(5);
  });

  it("sends a new connection to the server with the fewest open ones with leastconn", async () => {
    const { ids, port } = await deploy({ balance: "leastconn" });
    const first = await hello(port);
    expect(first.line).toBe(A);
    expect((await hello(port)).line).toBe(B); // A holds one
    first.socket.destroy();
    const activeOnA = () => (lb.emu.dataPlane!.snapshot().servers as { zone: string; serverId: number; active: number }[]).find((s) => s.zone === "gra" && s.serverId === ids[0])!.active;
    await eventually(() => activeOnA() === 0, 30_000, "the data plane to see A's connection closed");
    expect((await hello(port)).line).toBe(A); // A 0, B 1
  });

  it("keeps clients on their server with sourceIp; a refresh closes open connections and empties the table", async () => {
    const { port } = await deploy({ stickiness: "sourceIp" });
    const x = await hello(port, X);
    const y = await hello(port, Y);
    expect([x.line, y.line]).toEqual([A, B]);
    expect(await names(port, 3, X)).toEqual([A, A, A]);
    expect(await names(port, 3, Y)).toEqual([B, B, B]);
    await lb.refresh();
    await Promise.all([closed(x.socket), closed(y.socket)]);
    expect(await names(port, 2, Y)).toEqual([A, A]);
    expect(await names(port, 2, X)).toEqual([B, B]);
  });

  it("closes connections from a denied source, and applies TCP routes on the source", async () => {
    const { farmId, frontendId, port } = await deploy({}, [{}], { deniedSource: ["127.0.15.66/32"] });
    await expect(tcpHello(port, "127.0.15.66")).rejects.toThrow("closed before a line");
    expect((await hello(port, "127.0.15.67")).line).toBe(A);
    const other = await lb.farm("tcp");
    await lb.server("tcp", other, backends[1]);
    const reject = await lb.call<{ routeId: number }>("POST", "/tcp/route", { frontendId, action: { type: "reject" } });
    await lb.call("POST", `/tcp/route/${reject.routeId}/rule`, { field: "source", match: "is", pattern: "127.0.15.80/30" });
    const toOther = await lb.call<{ routeId: number }>("POST", "/tcp/route", { frontendId, action: { type: "farm", target: String(other) } });
    await lb.call("POST", `/tcp/route/${toOther.routeId}/rule`, { field: "source", match: "in", pattern: "127.0.15.90, 127.0.15.91" });
    await lb.refresh();
    await expect(tcpHello(port, "127.0.15.81")).rejects.toThrow("closed before a line");
    expect((await hello(port, "127.0.15.91")).line).toBe(B);
    expect((await hello(port, "127.0.15.92")).line).toBe(A);
    expect(farmId).not.toBe(other);
  });

  it("moves new connections off a server its probe marks down", async () => {
    const { farmId, ids, port } = await deploy({ probe: { type: "tcp" } }, [{ probe: true }, { probe: true }]);
    await lb.health("tcp", farmId, ids[0], "UP");
    await backends[0].stop();
    await lb.health("tcp", farmId, ids[0], "DOWN");
    expect(await names(port, 3)).toEqual([B, B, B]);
    await backends[0].start();
    await lb.health("tcp", farmId, ids[0], "UP");
    expect(await names(port, 2)).toEqual([A, B]);
  });

  it("lists UDP frontends as not served", async () => {
    const farmId = (await lb.call<{ farmId: number }>("POST", "/udp/farm", { zone: "gra", port: 53 })).farmId;
    const frontendId = await lb.frontend("udp", { port: "53", defaultFarmId: farmId });
    await lb.refresh();
    expect(lb.emu.dataPlane!.ports()).toEqual({});
    expect(lb.emu.dataPlane!.snapshot().unserved).toEqual([{ zone: "gra", frontendId, reason: "UDP frontends carry no traffic in the emulator" }]);
  });
});

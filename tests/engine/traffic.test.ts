/**
 * Traffic through deployments of the real `pulumi` (tests/fixtures/programs/traffic) on the emulator's data plane
 * (emulator/dataplane): an HTTP farm of three loopback backends (tests/helpers/backends.ts, each answering with its
 * address) behind an HTTP frontend, and a sourceIp-sticky TCP farm of two behind a TCP frontend, all in gra. Proves:
 * - when the first `up` returns, requests reach the servers as declared (weights 1/1/0: never the weight-0 one);
 * - a change staged outside Pulumi is not traffic; the `up` that sets a weight is, once it returns;
 * - an unchanged `up` refreshes nothing: a keep-alive connection and a TCP connection opened before it are open after
 *   it, and sourceIp-sticky clients stay on their servers;
 * - a one-weight `up` refreshes gra once: the keep-alive connection is closed exactly once (it reconnects and its new
 *   connection stays), the TCP connection closes, and the sticky clients are rebalanced;
 * - a backend that stops is marked down by its probe and traffic moves to the others; restarted, it gets its share.
 * Waits are for events (a close, a probe's verdict, bounded by 30 s), never for time. Not proven: OVH's own timings,
 * or whether OVH closes connections exactly as the emulator does (emulator/dataplane/index.ts gives its sources).
 */
import type * as net from "net";
import * as path from "path";
import type { Emulator } from "../../emulator";
import { httpBackend, type TestBackend } from "../helpers/backends";
import { closed, namedTcpBackend, servedBy, tally, tcpHello } from "../helpers/dataPlane";
import { refreshedZones, writes } from "../helpers/desiredState";
import { eventually, startTestEmulator } from "../helpers/emulator";
import { KeepAliveSession } from "../helpers/keepAlive";
import { emulatorSettings, outOfBand, pendingChanges } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy, type Deployment } from "./support/deploy";
import { TestStack } from "./support/stack";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "traffic");
const PROJECT = "iplb-traffic";
const [A, B, C] = ["127.0.31.1", "127.0.31.2", "127.0.31.3"];
const [D, E] = ["127.0.31.11", "127.0.31.12"];
/** sourceIp-sticky TCP clients, and the keep-alive HTTP client. */
const [X, Y, K] = ["127.0.31.101", "127.0.31.102", "127.0.31.120"];

describeWithCli("traffic through the real engine's deployments (emulator data plane)", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  let web: TestBackend[];
  let db: Awaited<ReturnType<typeof namedTcpBackend>>[];
  const sessions: KeepAliveSession[] = [];
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    web = await Promise.all([A, B, C].map((address) => httpBackend(address)));
    db = await Promise.all([D, E].map((address) => namedTcpBackend(address)));
    // Probes every 150 ms (30 s x 5): a stopped backend is DOWN within a second.
    emu = await startTestEmulator({ refreshSeconds: 0.1, dataPlane: { basePort: 16000 }, probeMsPerSecond: 5, probeTimeoutMs: 400 });
    stack = await TestStack.create({ bin, projectDir: PROGRAM, config: { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName } });
  });
  afterEach(() => {
    for (const s of sessions.splice(0)) s.stop();
    for (const s of sockets.splice(0)) s.destroy();
  });
  afterAll(async () => {
    await stack?.destroy();
    stack?.dispose();
    await emu?.close();
    await Promise.all([...(web ?? []), ...(db ?? [])].map((b) => b.stop()));
  });

  /** `preview`, then `up` with these weights for web-1..3 (on A, B, C); once it returns, the listeners it started listen. */
  async function up(weights: number[]): Promise<Deployment> {
    const d = await deploy(stack, emu, {
      [`${PROJECT}:web`]: JSON.stringify(web.map((b, i) => `${b.address}:${b.port}:${weights[i]}`)),
      [`${PROJECT}:db`]: JSON.stringify(db.map((b) => `${b.address}:${b.port}`)),
    });
    expect(d.previewWrites).toEqual([]);
    expect(d.preview).toEqual(d.planned);
    await emu.dataPlane!.settled();
    return d;
  }
  const port = (frontendPort: number) => emu.dataPlane!.ports()[`gra:${frontendPort}`];
  /** The TCP server that greets a new connection from `from` (closed once it did). */
  const dbServer = async (from: string) => {
    const { socket, line } = await tcpHello(port(5432), from);
    socket.destroy();
    return line;
  };
  /** The sticky clients' servers, X then Y (Y asked first: a table emptied by a refresh gives Y the server X had). */
  const stickyServers = async (yFirst = false) => (yFirst ? [await dbServer(Y), await dbServer(X)].reverse() : [await dbServer(X), await dbServer(Y)]);
  const keepAlive = async () => {
    const session = await KeepAliveSession.open(port(80), { from: K });
    sessions.push(session);
    return session;
  };
  const tcpConnection = async () => {
    const { socket } = await tcpHello(port(5432), X);
    sockets.push(socket);
    return socket;
  };
  const echo = (socket: net.Socket, text: string) => new Promise<string>((resolve) => (socket.once("data", (c: Buffer) => resolve(c.toString())), socket.write(text)));
  const webServerIds = async () => (await stack.outputs()).webServerIds as number[];

  it("carries requests to the servers as declared once the first up returns: weights 1/1/0 never reach the third", async () => {
    await up([1, 1, 0]);
    expect(tally(await servedBy(port(80), 6))).toEqual({ [A]: 3, [B]: 3 });
    const [x, y] = await stickyServers();
    expect([x, y].sort()).toEqual([D, E]);
    expect(await stickyServers(true)).toEqual([x, y]);
  });

  it("leaves traffic alone while a change is only staged, and changes it once the up that sets a weight returns", async () => {
    const farmId = (await stack.outputs()).webFarmId as number;
    const [idA] = await webServerIds();
    await outOfBand(emu).requestPromised("PUT", `/ipLoadbalancing/${emu.serviceName}/http/farm/${farmId}/server/${idA}`, { weight: 0 });
    expect(pendingChanges(emu).map((p) => p.zone)).toEqual(["gra"]);
    expect(tally(await servedBy(port(80), 4))).toEqual({ [A]: 2, [B]: 2 });
    // The up sets web-3's weight to 2 and web-1's back to 1 (the staged 0 is drift).
    const d = await up([1, 1, 2]);
    expect(d.steps).toEqual(["update web-1", "update web-3"]);
    expect(pendingChanges(emu)).toEqual([]);
    // Smooth round robin over weights 1/1/2, restarted by the refresh: two whole cycles of four.
    expect(tally(await servedBy(port(80), 8))).toEqual({ [A]: 2, [B]: 2, [C]: 4 });
  });

  it("refreshes nothing on an unchanged up: open connections stay open and sticky clients stay on their servers", async () => {
    const [x, y] = await stickyServers();
    const session = await keepAlive();
    const tcp = await tcpConnection();
    const d = await up([1, 1, 2]);
    expect(writes(d.requests)).toEqual([]);
    expect(d.steps).toEqual([]);
    expect(await session.request()).toMatch(/^200 from 127\.0\.31\.[123]\n$/);
    expect([session.connections, session.closes]).toEqual([1, 0]);
    expect(await echo(tcp, "ping\n")).toBe("ping\n");
    expect(await stickyServers(true)).toEqual([x, y]);
  });

  it("refreshes gra once on a one-weight up: the keep-alive connection is closed once, the sticky clients rebalanced", async () => {
    const [x, y] = await stickyServers();
    const session = await keepAlive();
    const tcp = await tcpConnection();
    const d = await up([1, 1, 1]);
    expect(d.steps).toEqual(["update web-3"]);
    expect(refreshedZones(d.requests)).toEqual(["gra"]);
    await session.closedTimes(1);
    await closed(tcp);
    // The session reconnected at once; its new connection carries requests and nothing closed it again.
    expect(await session.request()).toMatch(/^200 from /);
    expect([session.connections, session.closes]).toEqual([2, 1]);
    // The table was emptied: asked Y first, each client gets the other's server.
    expect(await stickyServers(true)).toEqual([y, x]);
  });

  it("moves traffic off a backend its probe marks down, and gives it its share again once it answers", async () => {
    const [idA] = await webServerIds();
    const status = () => (emu.dataPlane!.snapshot().servers as { zone: string; serverId: number; status: string }[]).find((s) => s.zone === "gra" && s.serverId === idA)?.status;
    await web[0].stop();
    await eventually(() => status() === "DOWN", 30_000, "web-1 marked DOWN by its probe");
    expect(tally(await servedBy(port(80), 6))).toEqual({ [B]: 3, [C]: 3 });
    await web[0].start();
    await eventually(() => status() === "UP", 30_000, "web-1 marked UP again");
    expect(tally(await servedBy(port(80), 6))).toEqual({ [A]: 2, [B]: 2, [C]: 2 });
  });
});

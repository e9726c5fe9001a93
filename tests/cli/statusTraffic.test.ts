/**
 * `ovh-iplb status --emulator-json` against an emulator that carries traffic (`dataPlane`): requests and connections
 * sent through its frontends show, per server, in a Traffic column (text) and in `traffic` (--json), read from the
 * emulator's control surface named by the JSON line's `dataPlane.url`. Without `dataPlane` in the line there is no
 * column and no key; a control surface that does not answer costs the column (a line on stderr), not the exit code;
 * a `dataPlane.url` off the emulator's origin is refused. Backends on 127.0.21.x.
 * Not proven here: the counters themselves (tests/emulator/dataPlane*.test.ts).
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Io, main } from "../../cli/main";
import { SERVER_COLUMNS, serverColumns } from "../../cli/render";
import { sumByServer, trafficCell } from "../../cli/traffic";
import { httpBackend, TestBackend } from "../helpers/backends";
import { closed, Lb, namedTcpBackend, servedBy, startLb, tcpHello } from "../helpers/dataPlane";

const A = "127.0.21.1";
const B = "127.0.21.2";
const CACHE = "127.0.21.3";

let lb: Lb;
let dir: string;
const backends: TestBackend[] = [];
let held: net.Socket;
const ids: Record<string, number> = {};

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: { write: (t: string) => (stdout += t), isTTY: false }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The emulator's JSON line as `ovh-iplb-emulator` prints it, with `extra` merged in; written to a file of its own. */
function jsonLine(name: string, extra: Record<string, unknown> = {}): string {
  const { url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName } = lb.emu;
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName, ...extra }) + "\n");
  return file;
}

const status = (file: string, ...args: string[]) => run(["status", "--emulator-json", file, "--farm", String(ids.web), "--farm", String(ids.cache), ...args]);

/** The cells of the first line whose first cell starts with `label` (cells are two or more spaces apart). */
function row(text: string, label: string): string[] {
  const found = text.split("\n").map((l) => l.trim().split(/\s{2,}/)).find((c) => c[0].startsWith(label));
  if (!found) throw new Error(`no line starting with ${label} in:\n${text}`);
  return found;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-status-traffic-"));
  lb = await startLb({ dataPlane: { basePort: 18000 } });
  const [a, b] = await Promise.all([A, B].map((address) => httpBackend(address)));
  const cache = await namedTcpBackend(CACHE);
  backends.push(a, b, cache);
  ids.web = await lb.farm("http", { displayName: "web" });
  ids.a = await lb.server("http", ids.web, a, { displayName: "web-1" });
  ids.b = await lb.server("http", ids.web, b, { displayName: "web-2" });
  ids.cache = await lb.farm("tcp", { displayName: "cache" });
  ids.c = await lb.server("tcp", ids.cache, cache, { displayName: "cache-1" });
  await lb.frontend("http", { port: "80", defaultFarmId: ids.web });
  await lb.frontend("tcp", { port: "6379", defaultFarmId: ids.cache });
  await lb.refresh();
  // Round robin by id: web-1, web-2, web-1. The TCP connection stays open, so it counts as active.
  expect(await servedBy(lb.port(80), 3)).toEqual([A, B, A]);
  const hello = await tcpHello(lb.port(6379));
  expect(hello.line).toBe(CACHE);
  held = hello.socket;
});

afterAll(async () => {
  held?.destroy();
  if (held) await closed(held);
  await Promise.all(backends.map((b) => b.stop()));
  await lb?.emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("ovh-iplb status on an emulator with a data plane", () => {
  it("adds a Traffic column after Health: requests and active ones (HTTP), connections and open ones (TCP)", async () => {
    const r = await status(jsonLine("with", { dataPlane: lb.emu.dataPlane!.info() }));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(row(r.stdout, "Server")).toEqual(["Server", "Health", "Traffic", "Instance", "Status", "Check code", "Check status", "Last check content", "Check time"]);
    expect(row(r.stdout, `${ids.a} web-1`).slice(1, 4)).toEqual(["UNKNOWN", "2 requests, 0 active", "101"]);
    expect(row(r.stdout, `${ids.b} web-2`).slice(1, 4)).toEqual(["UNKNOWN", "1 request, 0 active", "101"]);
    expect(row(r.stdout, `${ids.c} cache-1`).slice(1, 4)).toEqual(["UNKNOWN", "1 connection, 1 open", "101"]);
    // The second instance's row leaves the server's own cells (label, health, traffic) empty.
    expect(r.stdout).toMatch(new RegExp(`\\n {2}${ids.a} web-1 ${A}:\\d+ +UNKNOWN +2 requests, 0 active +101 .*\\n {20,}102 `));
  });

  it("gives each server its counters in --json", async () => {
    const r = await status(jsonLine("with", { dataPlane: lb.emu.dataPlane!.info() }), "--json");
    expect(r.code).toBe(0);
    const servers = JSON.parse(r.stdout).farms.flatMap((f: { servers: { serverId: number; traffic: unknown }[] }) => f.servers);
    const traffic = Object.fromEntries(servers.map((s: { serverId: number; traffic: unknown }) => [s.serverId, s.traffic]));
    const answer = (address: string) => Buffer.byteLength(`200 from ${address}\n`);
    expect(traffic).toEqual({
      [ids.a]: { requests: 2, active: 0, bytesIn: 0, bytesOut: 2 * answer(A) },
      [ids.b]: { requests: 1, active: 0, bytesIn: 0, bytesOut: answer(B) },
      [ids.c]: { requests: 1, active: 1, bytesIn: 0, bytesOut: Buffer.byteLength(`${CACHE}\n`) },
    });
  });

  it("has no Traffic column and no traffic key when the JSON line has no dataPlane", async () => {
    const file = jsonLine("without");
    const r = await status(file);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "Server")).toEqual(SERVER_COLUMNS);
    expect(r.stdout).not.toContain("requests");
    const doc = JSON.parse((await status(file, "--json")).stdout);
    expect(doc.farms[0].servers[0]).not.toHaveProperty("traffic");
  });

  it("still shows health, without the column, when the control surface does not answer", async () => {
    const info = lb.emu.dataPlane!.info();
    const r = await status(jsonLine("broken", { dataPlane: { ...info, url: `${info.url}/nope` } }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ovh-iplb: no traffic counters from the emulator (GET ${info.url}/nope answered 404)\n`);
    expect(row(r.stdout, "Server")).toEqual(SERVER_COLUMNS);
  });

  it("refuses a dataPlane.url off the emulator's origin (exit 2), contacting nothing", async () => {
    const r = await status(jsonLine("elsewhere", { dataPlane: { url: "https://127.0.0.2:1/_emulator/data-plane" } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ovh-iplb: --emulator-json: the JSON's "dataPlane.url" is not on the origin of its "url" (https://127.0.0.1:${lb.emu.port})`);
  });
});

describe("traffic cells and sums", () => {
  test.each([
    ["http", { requests: 0, active: 0, bytesIn: 0, bytesOut: 0 }, "0 requests, 0 active"],
    ["http", { requests: 1, active: 1, bytesIn: 0, bytesOut: 0 }, "1 request, 1 active"],
    ["tcp", { requests: 1, active: 0, bytesIn: 5, bytesOut: 5 }, "1 connection, 0 open"],
    ["tcp", { requests: 12, active: 3, bytesIn: 5, bytesOut: 5 }, "12 connections, 3 open"],
    ["udp", { requests: 4, active: 0, bytesIn: 0, bytesOut: 0 }, "-"],
    ["http", undefined, "-"],
  ])("a %s server with %j reads %j", (farmType, traffic, text) => {
    expect(trafficCell(farmType, traffic)).toBe(text);
  });

  it("sums a server's zones (a farm in `all` runs in each), or keeps one zone", () => {
    const snapshot = {
      servers: [
        { zone: "gra", serverId: 7, requests: 2, active: 1, bytesIn: 10, bytesOut: 20 },
        { zone: "rbx", serverId: 7, requests: 3, active: 0, bytesIn: 1, bytesOut: 2 },
        { zone: "gra", serverId: 8, requests: 1, active: 0, bytesIn: 0, bytesOut: 0 },
        { zone: "gra", serverId: "9", requests: 1 },
      ],
    };
    expect(sumByServer(snapshot)).toEqual(new Map([
      [7, { requests: 5, active: 1, bytesIn: 11, bytesOut: 22 }],
      [8, { requests: 1, active: 0, bytesIn: 0, bytesOut: 0 }],
    ]));
    expect(sumByServer(snapshot, "rbx")).toEqual(new Map([[7, { requests: 3, active: 0, bytesIn: 1, bytesOut: 2 }]]));
    expect(() => sumByServer({ ports: {} })).toThrow('the answer has no "servers" list');
  });

  it("puts the Traffic column after Health only when asked", () => {
    expect(serverColumns(false)).toEqual(SERVER_COLUMNS);
    expect(serverColumns(true).slice(0, 4)).toEqual(["Server", "Health", "Traffic", "Instance"]);
  });
});

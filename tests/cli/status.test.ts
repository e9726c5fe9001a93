/**
 * `ovh-iplb status` against the emulator, with real loopback backends started here and farms/servers created through
 * the provider implementations (so they are live and probed). Runs `main(argv, io)` in-process with captured output.
 * Proves: all up gives OK and exit 0 with the manager's columns; a stopped backend turns its server CRITICAL (exit 1,
 * the farm WARNING); a wrong HTTP status under a `status` probe is CRITICAL with the code shown; a server with the probe
 * off is UNKNOWN and not gated; `--wait-healthy` succeeds when the backend comes back and fails listing it otherwise;
 * the --json shape; filters; exit 2 with a clear message for a wrong service, refused or missing credentials, and bad
 * arguments, never printing a secret. Not proven: the real service's timings (the emulator compresses probe intervals).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, Io } from "../../cli/main";
import { SERVER_COLUMNS } from "../../cli/render";
import * as functions from "../../reads/health";
import { httpBackend, tcpBackend, TestBackend } from "../helpers/backends";
import { Emulator, eventually, startTestEmulator } from "../helpers/emulator";
import { apiFor, LiveObjects } from "../helpers/liveObjects";

let emu: Emulator;
let live: LiveObjects;
let dir: string;
let emuJson: string;
const backends: TestBackend[] = [];

interface Run { code: number; stdout: string; stderr: string }

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: { write: (t: string) => (stdout += t), isTTY: false }, stderr: { write: (t: string) => (stderr += t) }, env };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const status = (...args: string[]) => run(["status", "--emulator-json", emuJson, ...args]);

async function farmHealth(type: "http" | "tcp", farmId: number) {
  return functions.readFarmHealth(apiFor(emu), emu.serviceName, type, farmId);
}

/** Waits until every LB instance reports the server DOWN (it is CRITICAL from the first failed check, still UP). */
async function settleDown(type: "http" | "tcp", farmId: number, serverId: number) {
  await eventually(async () => {
    const server = (await farmHealth(type, farmId)).servers.find((s) => s.serverId === serverId);
    return server !== undefined && server.instances.length > 0 && server.instances.every((i) => i.status === "DOWN");
  }, 10000, `server ${serverId} DOWN on every instance`);
}

/** Waits until every server of the farm has the expected roll-up. */
async function settle(type: "http" | "tcp", farmId: number, expected: Record<number, string>) {
  const what = `farm ${farmId} to reach ${JSON.stringify(expected)}`;
  return eventually(async () => {
    const farm = await farmHealth(type, farmId);
    return farm.servers.every((s) => expected[s.serverId] === undefined || expected[s.serverId] === s.status) ? farm : undefined;
  }, 10000, what);
}

/**
 * The cells of the first table line whose first cell is `first` (or matches it), and whose second cell is `second`
 * when given. Cells are separated by two or more spaces.
 */
function row(text: string, first: string | RegExp, second?: string): string[] {
  const lines = text.split("\n").map((l) => l.trim().split(/\s{2,}/));
  const found = lines.find((c) => (typeof first === "string" ? c[0] === first : first.test(c[0])) && (second === undefined || c[1] === second));
  if (!found) throw new Error(`no line starting with ${first} ${second ?? ""} in:\n${text}`);
  return found;
}

/** The first row of a server in the table (its label starts with its id and display name). */
const serverRow = (text: string, serverId: number, name: string) => row(text, new RegExp(`^${serverId} ${name}\\b`));

let web: number;
let webServers: { serverId: number }[];
let webBackends: TestBackend[];
let cache: number;
let cacheProbed: number;
let cacheUnprobed: number;

beforeAll(async () => {
  emu = await startTestEmulator({ probeMsPerSecond: 2, probeTimeoutMs: 300 });
  live = new LiveObjects(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-status-"));
  emuJson = path.join(dir, "emulator.json");
  const { url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName } = emu;
  fs.writeFileSync(emuJson, JSON.stringify({ url, host, port, basePath, caFile, applicationKey, applicationSecret, consumerKey, serviceName }) + "\n");

  webBackends = await Promise.all(["127.0.0.11", "127.0.0.12"].map((a) => httpBackend(a)));
  const tcp = await Promise.all(["127.0.0.13", "127.0.0.14"].map((a) => tcpBackend(a)));
  backends.push(...webBackends, ...tcp);
  web = await live.farm("HttpFarm", { displayName: "web", stickiness: "cookie", probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200" } });
  webServers = await Promise.all(webBackends.map((b, i) => live.server("HttpFarmServer", web, { address: b.address, port: b.port, displayName: `web-${i + 1}` })));
  cache = await live.farm("TcpFarm", { displayName: "cache" });
  cacheProbed = (await live.server("TcpFarmServer", cache, { address: tcp[0].address, port: tcp[0].port, displayName: "cache-1" })).serverId;
  cacheUnprobed = (await live.server("TcpFarmServer", cache, { address: tcp[1].address, port: tcp[1].port, displayName: "cache-2", probe: false })).serverId;
  await settle("http", web, Object.fromEntries(webServers.map((s) => [s.serverId, "OK"])));
  await settle("tcp", cache, { [cacheProbed]: "OK" });
});

afterAll(async () => {
  await Promise.all(backends.map((b) => b.stop()));
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("ovh-iplb status, everything up", () => {
  it("exits 0 and shows each farm, each server's roll-up and the manager's columns per instance", async () => {
    const r = await status("--farm", String(web), "--farm", String(cache));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`HTTP farm ${web} "web" · zone gra · port (frontend's) · balance roundrobin · stickiness cookie · probe http GET /health status 200 every 30 s  OK (2 of 2 checked servers are OK)`);
    expect(row(r.stdout, "Server")).toEqual(SERVER_COLUMNS);
    const [first] = webServers;
    const cells = serverRow(r.stdout, first.serverId, "web-1");
    expect(cells.slice(0, 7)).toEqual([`${first.serverId} web-1 127.0.0.11:${webBackends[0].port}`, "OK", "101", "UP", "200", "L7OK", "OK"]);
    expect(cells[7]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    // The second LB instance of gra has its own row under the same server.
    expect(row(r.stdout, "102", "UP").slice(0, 5)).toEqual(["102", "UP", "200", "L7OK", "OK"]);
    expect(r.stdout).toContain(`TCP farm ${cache} "cache" · zone gra · port (frontend's) · balance roundrobin · stickiness none · probe default (tcp)  OK (1 of 1 checked servers are OK)`);
    expect(serverRow(r.stdout, cacheProbed, "cache-1").slice(1, 5)).toEqual(["OK", "101", "UP", "L4OK"]);
    expect(serverRow(r.stdout, cacheUnprobed, "cache-2").slice(1, 4)).toEqual(["UNKNOWN", "101", "no check"]);
    expect(r.stdout).toContain(`  ${cacheUnprobed}: UNKNOWN, probe is off: the load balancer does not check it`);
    expect(r.stdout).toContain("Servers: 3 OK, 0 WARNING, 0 CRITICAL, 1 UNKNOWN");
  });

  it("shows the instances, pending changes per zone and NAT IPs, and --zone keeps one zone", async () => {
    const all = await status("--farm", String(web));
    expect(row(all.stdout, "111", "rbx")).toEqual(["111", "rbx", "running", expect.stringMatching(/^\d{4}-/)]);
    expect(row(all.stdout, "gra", "0")).toEqual(["gra", "0"]);
    expect(all.stdout).toMatch(/NAT IPs \(allow them in the servers' firewalls\)\n {2}Zone +Subnets\n {2}gra +198\.51\.100\.\d+\/27\n {2}rbx +198\.51\.100\.\d+\/27\n/);
    const gra = await status("--zone", "gra", "--farm", String(web));
    expect(gra.code).toBe(0);
    expect(gra.stdout).not.toMatch(/^ {2}(111|112|rbx)\b/m);
    expect(row(gra.stdout, "101", "gra")).toEqual(["101", "gra", "running", expect.any(String)]);
  });

  it("--json gives the same data as one document", async () => {
    const r = await status("--json", "--farm", String(cache));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["serviceName", "displayName", "state", "zones", "farms", "instances", "pendingChanges", "natIps", "summary", "blocking", "exitCode"]);
    expect(doc).toMatchObject({ serviceName: emu.serviceName, state: "ok", zones: ["gra", "rbx"], summary: { OK: 1, WARNING: 0, CRITICAL: 0, UNKNOWN: 1 }, blocking: [], exitCode: 0 });
    expect(doc.farms).toHaveLength(1);
    expect(doc.farms[0]).toMatchObject({ farmType: "tcp", farmId: cache, zone: "gra", displayName: "cache", status: "OK", balance: null, stickiness: null, probe: null });
    expect(doc.farms[0].servers[0]).toEqual({
      serverId: cacheProbed, address: "127.0.0.13", port: backends[2].port, displayName: "cache-1", serverStatus: "active", backup: false, probe: true, weight: null,
      status: "OK", reason: "2 of 2 instances pass",
      instances: [101, 102].map((instanceId) => ({
        instanceId, status: "UP", checkStatus: "L4OK", checkCode: null, checkTime: expect.any(String), lastCheckContent: null, check: "OK",
      })),
    });
    expect(doc.pendingChanges).toEqual([{ zone: "gra", number: 0 }, { zone: "rbx", number: 0 }]);
    expect(doc.instances.map((i: { internalId: number }) => i.internalId)).toEqual([101, 102, 111, 112]);
    expect(doc.natIps.map((n: { zone: string }) => n.zone)).toEqual(["gra", "rbx"]);
  });
});

describe("ovh-iplb status, unhealthy servers", () => {
  it("turns the server of a stopped backend CRITICAL and exits 1, listing it", async () => {
    const [, second] = webServers;
    await webBackends[1].stop();
    try {
      await settleDown("http", web, second.serverId);
      const r = await status("--farm", String(web));
      expect(r.code).toBe(1);
      expect(serverRow(r.stdout, second.serverId, "web-2").slice(1, 7)).toEqual(["CRITICAL", "101", "DOWN", "L4CON", "Connection refused", expect.any(String)]);
      expect(r.stdout).toContain(`WARNING (1 of 2 checked servers are OK; not OK: ${second.serverId} CRITICAL)`);
      expect(r.stdout).toContain(`! http farm ${web} server ${second.serverId} "web-2" 127.0.0.12:${webBackends[1].port}: CRITICAL, 2 of 2 instances fail (L4CON Connection refused)`);
      const json = JSON.parse((await status("--farm", String(web), "--json")).stdout);
      expect(json.blocking).toEqual([{ farmType: "http", farmId: web, serverId: second.serverId, displayName: "web-2", address: "127.0.0.12", port: webBackends[1].port, status: "CRITICAL", reason: "2 of 2 instances fail (L4CON Connection refused)" }]);
      expect(json.exitCode).toBe(1);
    } finally {
      await webBackends[1].start();
      await settle("http", web, { [second.serverId]: "OK" });
    }
  });

  it("does not fail on a drained server (weight 0) whose backend is down: it is being taken out on purpose", async () => {
    const backend = await tcpBackend("127.0.0.16");
    backends.push(backend);
    const farm = await live.farm("TcpFarm", { displayName: "draining" });
    const { serverId } = await live.server("TcpFarmServer", farm, { address: backend.address, port: backend.port, displayName: "old", weight: 0 });
    await backend.stop();
    await settleDown("tcp", farm, serverId);
    const r = await status("--farm", String(farm));
    expect(r.code).toBe(0);
    expect(serverRow(r.stdout, serverId, "old").slice(0, 2)).toEqual([`${serverId} old 127.0.0.16:${backend.port} [drained]`, "CRITICAL"]);
    expect(JSON.parse((await status("--farm", String(farm), "--json")).stdout)).toMatchObject({ blocking: [], exitCode: 0 });
  });

  it("shows a wrong HTTP status under a `status` probe as CRITICAL with the check code", async () => {
    const wrong = await httpBackend("127.0.0.15", 503);
    backends.push(wrong);
    const farm = await live.farm("HttpFarm", { displayName: "api", probe: { type: "http", url: "/ready", match: "status", pattern: "200,204" } });
    const { serverId } = await live.server("HttpFarmServer", farm, { address: wrong.address, port: wrong.port });
    await settleDown("http", farm, serverId);
    const r = await status("--farm", String(farm));
    expect(r.code).toBe(1);
    expect(serverRow(r.stdout, serverId, "127\\.0\\.0\\.15").slice(1, 7)).toEqual(["CRITICAL", "101", "DOWN", "503", "L7STS", "Service Unavailable"]);
    expect(r.stdout).toContain(`HTTP farm ${farm} "api"`);
    expect(r.stdout).toContain(`CRITICAL (no checked server passes; not OK: ${serverId} CRITICAL)`);
    const doc = JSON.parse((await status("--farm", String(farm), "--json")).stdout);
    expect(doc.farms[0].servers[0].instances[0]).toMatchObject({ checkStatus: "L7STS", checkCode: "503", check: "INVALID_STATUS_CODE" });
  });
});

describe("ovh-iplb status --wait-healthy", () => {
  it("succeeds once a stopped backend comes back within the timeout, showing progress on stderr", async () => {
    const [, second] = webServers;
    await webBackends[1].stop();
    await settleDown("http", web, second.serverId);
    const running = status("--farm", String(web), "--wait-healthy", "--timeout", "20", "--interval", "0.1");
    setTimeout(() => void webBackends[1].start(), 500);
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^ovh-iplb: waiting for 1 server to be OK \\(\\d+\\.\\d s of 20 s\\):\\n  http farm ${web} server ${second.serverId} "web-2" .*: CRITICAL, 2 of 2 instances fail \\(L4CON Connection refused\\)\\n`));
    expect(r.stderr).toMatch(/ovh-iplb: every active, non-backup, probed server is OK \(after \d+\.\d s\)\n$/);
    expect(serverRow(r.stdout, second.serverId, "web-2")[1]).toBe("OK");
  });

  it("fails after the timeout, listing the servers that are not OK", async () => {
    const [, second] = webServers;
    await webBackends[1].stop();
    try {
      await settle("http", web, { [second.serverId]: "CRITICAL" });
      const r = await status("--farm", String(web), "--wait-healthy", "--timeout", "1", "--interval", "0.1");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`ovh-iplb: timed out after \\d+\\.\\d s; not OK:\\n  http farm ${web} server ${second.serverId} "web-2" 127\\.0\\.0\\.12:\\d+: CRITICAL, .*\\n$`));
      expect(r.stdout).toContain(`! http farm ${web} server ${second.serverId}`);
    } finally {
      await webBackends[1].start();
      await settle("http", web, { [second.serverId]: "OK" });
    }
  });

  it("does not wait for servers nothing checks (probe off)", async () => {
    const r = await status("--farm", String(cache), "--wait-healthy", "--timeout", "5", "--interval", "0.1");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^ovh-iplb: every active, non-backup, probed server is OK/);
  });
});

describe("ovh-iplb status errors (exit 2)", () => {
  const secrets = () => [emu.applicationKey, emu.applicationSecret, emu.consumerKey];

  it("says so when the service does not exist", async () => {
    const r = await status("loadbalancer-nope");
    expect(r).toEqual({ code: 2, stdout: "", stderr: expect.stringContaining('ovh-iplb: no IP Load Balancer named "loadbalancer-nope" for these credentials (OVH API GET /ipLoadbalancing/loadbalancer-nope failed: 404') });
  });

  it("says the credentials were refused, without printing any of them", async () => {
    const wrong = path.join(dir, "wrong.json");
    const info = JSON.parse(fs.readFileSync(emuJson, "utf8"));
    fs.writeFileSync(wrong, JSON.stringify({ ...info, applicationSecret: "not-the-secret-0123456789" }));
    const r = await run(["status", "--emulator-json", wrong]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ovh-iplb: the OVH API refused the credentials \(OVH API GET \/ipLoadbalancing\/\S+ failed: 400 Invalid signature\); check OVH_APPLICATION_KEY/);
    for (const secret of [...secrets(), "not-the-secret-0123456789"]) expect(r.stderr + r.stdout).not.toContain(secret);
  });

  it("reads OVH_* variables, and names the missing ones", async () => {
    const env = { OVH_ENDPOINT: emu.url, OVH_CA_FILE: emu.caFile, OVH_APPLICATION_KEY: emu.applicationKey, OVH_APPLICATION_SECRET: emu.applicationSecret, OVH_CONSUMER_KEY: emu.consumerKey };
    expect((await run(["status", emu.serviceName, "--farm", String(cache)], env)).code).toBe(0);
    const r = await run(["status", emu.serviceName], { OVH_ENDPOINT: emu.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("OVH credentials are missing: set ovh:applicationKey (or OVH_APPLICATION_KEY), ovh:applicationSecret (or OVH_APPLICATION_SECRET), ovh:consumerKey (or OVH_CONSUMER_KEY)");
  });

  test.each([
    [["status", "--zone", "sbg"], `--zone: "sbg" is not a zone of`],
    [["status", "--farm", "999999"], "--farm: "],
  ])("refuses an unknown zone or farm: %j", async (args, message) => {
    const r = await run([...args, "--emulator-json", emuJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test.each([
    [["status", "--timeout", "soon"], '--timeout must be a number of seconds in (0, 86400], got "soon"'],
    [["status", "--farm", "web"], '--farm must be a farm id (a positive integer), got "web"'],
    [["status", "--verbose"], "Unknown option '--verbose'"],
    [["status", "a", "b"], "unexpected argument: b"],
    [["stats"], 'unknown command "stats" (expected: status or access-rules)'],
    [["status"], "a service name is required: ovh-iplb status <serviceName>"],
  ])("prints the usage for bad arguments: %j", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ovh-iplb: ${message}`);
    expect(r.stderr).toContain("Usage: ovh-iplb status [<serviceName>] [options]");
  });

  it("does not echo an emulator JSON that does not parse (it may hold secrets)", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, `{"applicationSecret": "${emu.applicationSecret}"`);
    const r = await run(["status", "--emulator-json", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not start with a JSON line");
    expect(r.stderr).not.toContain(emu.applicationSecret);
  });
});

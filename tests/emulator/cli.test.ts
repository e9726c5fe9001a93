/**
 * `npx ovh-iplb-emulator` as a user runs it: `node bin/ovh-iplb-emulator.js` in a child process (from the sources
 * through ts-node, or from dist/ when built), one JSON line on stdout, the official client using its fields, a clean
 * exit on SIGTERM with the state saved, and exit code 2 with the usage on bad arguments.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ovh = require("ovh");
import { parseCliArgs } from "../../emulator/cli";
import { eventually, trustEmulatorCa } from "../helpers/emulator";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "ovh-iplb-emulator.js");
const INFO_KEYS = ["url", "host", "port", "basePath", "caFile", "applicationKey", "applicationSecret", "consumerKey", "serviceName"];
const SERVICE = "loadbalancer-00112233445566778899aabbccddeeff";

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function infoLine(r: Run): Promise<Record<string, unknown>> {
  const line = await eventually(() => (r.stdout().includes("\n") ? r.stdout().split("\n")[0] : ""), 30000, `the JSON line (stderr: ${r.stderr()})`);
  return JSON.parse(line) as Record<string, unknown>;
}

function clientFor(info: Record<string, unknown>): ovh.OvhClient {
  trustEmulatorCa(info.caFile as string);
  return ovh({
    appKey: info.applicationKey as string,
    appSecret: info.applicationSecret as string,
    consumerKey: info.consumerKey as string,
    host: info.host as string,
    port: info.port as number,
    basePath: info.basePath as string,
  });
}

describe("ovh-iplb-emulator CLI", () => {
  let dir: string;
  const running: Run[] = [];
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-cli-"))));
  afterAll(() => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints one JSON line, serves the API, exits 0 on SIGTERM and keeps its state across restarts", async () => {
    const stateFile = path.join(dir, "state.json");
    const args = ["--state-file", stateFile, "--refresh-seconds", "0.2", "--service-name", SERVICE, "--routed-fqdn", "www.example.net"];
    const first = run(args);
    running.push(first);
    const info = await infoLine(first);
    expect(Object.keys(info)).toEqual(INFO_KEYS);
    expect(info).toMatchObject({ host: "127.0.0.1", basePath: "/1.0", serviceName: SERVICE, url: `https://127.0.0.1:${info.port}/1.0` });
    expect(fs.existsSync(info.caFile as string)).toBe(true);

    const client = clientFor(info);
    await expect(client.requestPromised("GET", "/ipLoadbalancing")).resolves.toContain(SERVICE);
    await client.requestPromised("PUT", `/ipLoadbalancing/${SERVICE}`, { displayName: "from the CLI" });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain(`SIGTERM, saving state to ${stateFile} and closing`);
    expect(first.stdout()).toBe(JSON.stringify(info) + "\n");
    expect(fs.existsSync(stateFile)).toBe(true);

    const second = run(args);
    running.push(second);
    const again = await infoLine(second);
    for (const key of ["applicationKey", "applicationSecret", "consumerKey", "serviceName"]) expect(again[key]).toBe(info[key]);
    await expect(clientFor(again).requestPromised("GET", `/ipLoadbalancing/${SERVICE}`)).resolves.toMatchObject({ displayName: "from the CLI" });
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });

  it("says it closes, and nothing of a state it does not keep, when stopped without a state file", async () => {
    const r = run(["--refresh-seconds", "0.2"]);
    running.push(r);
    await infoLine(r);
    r.child.kill("SIGINT");
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toContain("ovh-iplb-emulator: SIGINT, closing\n");
    expect(r.stderr()).not.toContain("state");
  });

  it.each([
    [["--port", "nope"], "--port must be an integer in 0..65535"],
    [["--port", "70000"], "--port must be an integer in 0..65535"],
    [["--refresh-seconds=-1"], "--refresh-seconds must be a number of seconds"],
    [["--latency-ms", "1.5"], "--latency-ms must be an integer"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["extra"], "unexpected argument: extra"],
  ])("exits 2 with the usage on stderr for %j", async (args, message) => {
    const r = run(args);
    running.push(r);
    expect(await r.exited).toBe(2);
    expect(r.stdout()).toBe("");
    expect(r.stderr()).toContain(message);
    expect(r.stderr()).toContain("Usage: ovh-iplb-emulator");
  });

  it("defaults to a realistic 3 s refresh, port 0 and no faults", () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 0, refreshSeconds: 3, routedFqdns: [] } });
  });

  it("maps every option onto the emulator options", () => {
    const argv = ["--port", "8443", "--state-file", "s.json", "--refresh-seconds", "0.5", "--routed-fqdn", "a.example", "--routed-fqdn", "*.b.example", "--latency-ms", "40", "--service-name", SERVICE];
    expect(parseCliArgs(argv)).toEqual({
      help: false,
      options: { port: 8443, stateFile: "s.json", refreshSeconds: 0.5, routedFqdns: ["a.example", "*.b.example"], faults: { latencyMs: 40 }, serviceName: SERVICE },
    });
  });

  it("takes a profile and a time scale, and then leaves the refresh to the profile unless one is given", () => {
    expect(parseCliArgs(["--profile", "realistic", "--time-scale", "0.1"])).toEqual({
      help: false,
      options: { port: 0, routedFqdns: [], profile: "realistic", timeScale: 0.1 },
    });
    expect(parseCliArgs(["--profile", "realistic", "--refresh-seconds", "20"])).toMatchObject({ help: false, options: { profile: "realistic", refreshSeconds: 20 } });
  });

  it.each([
    [["--profile", "slow"], "--profile must be one of fast, realistic"],
    [["--time-scale", "0"], "--time-scale must be a number in (0, 100]"],
    [["--time-scale", "fast"], "--time-scale must be a number in (0, 100]"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

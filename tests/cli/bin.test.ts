/**
 * `npx ovh-iplb` as a pipeline runs it: `node bin/ovh-iplb.js status --emulator-json -` in a child process (from the
 * sources through ts-node, or from dist/ when built), the emulator's JSON line on stdin, a table on stdout without
 * colours (stdout is a pipe), and the exit code. The behaviours themselves are tested in-process (status.test.ts).
 */
import { spawn } from "child_process";
import * as path from "path";
import { SERVER_COLUMNS } from "../../cli/render";
import { httpBackend, TestBackend } from "../helpers/backends";
import { Emulator, eventually, startTestEmulator } from "../helpers/emulator";
import { apiFor, LiveObjects } from "../helpers/liveObjects";
import * as functions from "../../reads/health";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "ovh-iplb.js");

function runBin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // An empty environment but PATH: no OVH_* variable of the machine may leak into the run.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let emu: Emulator;
let backend: TestBackend;

beforeAll(async () => {
  emu = await startTestEmulator({ probeMsPerSecond: 2, probeTimeoutMs: 300 });
  backend = await httpBackend("127.0.0.31");
});

afterAll(async () => {
  await backend?.stop();
  await emu?.close();
});

it("prints the status table and exits 0 when every server is OK, then 1 once one is CRITICAL", async () => {
  const live = new LiveObjects(emu);
  const farmId = await live.farm("HttpFarm", { displayName: "bin", probe: { type: "http", url: "/", match: "default" } });
  const { serverId } = await live.server("HttpFarmServer", farmId, { address: backend.address, port: backend.port, displayName: "bin-1" });
  const health = () => functions.readServerHealth(apiFor(emu), emu.serviceName, "http", farmId, serverId);
  await eventually(async () => (await health()).status === "OK", 10000, "server OK");
  const { url, caFile, applicationKey, applicationSecret, consumerKey, serviceName } = emu;
  const line = JSON.stringify({ url, caFile, applicationKey, applicationSecret, consumerKey, serviceName }) + "\n";

  const ok = await runBin(["status", "--emulator-json", "-"], line);
  expect(ok.stderr).toBe("");
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(new RegExp(`^IP Load Balancer ${serviceName} {2}state ok · zones gra, rbx\\n`));
  expect(ok.stdout).not.toContain("\x1b[");
  expect(ok.stdout).toMatch(new RegExp(`\\n {2}${SERVER_COLUMNS.join(" +")}\\n {2}${serverId} bin-1 127\\.0\\.0\\.31:${backend.port} +OK +101 +UP +200 +L7OK +OK +\\S+\\n`));

  await backend.stop();
  try {
    await eventually(async () => (await health()).status === "CRITICAL", 10000, "server CRITICAL");
    const bad = await runBin(["status", serviceName, "--emulator-json", "-", "--json"], line);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ exitCode: 1, blocking: [{ farmId, serverId, status: "CRITICAL" }] });
  } finally {
    await backend.start();
  }
});

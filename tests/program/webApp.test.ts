/**
 * examples/web-app end to end: the LoadBalancer component run by the Node language runtime (cmd/run, ts-node), every
 * provider call made by the real dynamic-provider host, against the emulator. Runs with state kept: the first
 * deployment; one change (a server's weight); two servers removed; unchanged. After each run the emulator's running
 * configuration must equal the program with nothing pending, and the refreshes are counted from its request log.
 *
 * The refresh count of the first deployment is two, by design: ordering a free certificate first makes the staged
 * HTTP frontend live (OVH validates the names through it), then the batch applies the rest. Every later run that orders
 * no certificate makes one refresh per touched zone, removals included, and an unchanged run none.
 * Not proven here: the Go engine's own scheduling (the mini engine applies its rules, see tests/helpers/miniEngine.ts).
 */
import type { Emulator, RequestLogEntry } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runProgram, ProgramRunResult } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import {
  refreshedZonesInOrder, webAppConfig, webAppExpected, webAppLive, WebServer, WEB_APP_IP, WEB_APP_NAMES, WEB_APP_PROGRAM,
  WEB_APP_PROJECT, WEB_SERVERS,
} from "../helpers/webAppState";

const PROJECT = WEB_APP_PROJECT;
const PROGRAM = WEB_APP_PROGRAM;
const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];
const NAMES = WEB_APP_NAMES;
const IP = WEB_APP_IP;
type Server = WebServer;
const WEB = WEB_SERVERS;

let emu: Emulator;
let host: HostDriver;
let engine: MiniEngine;

async function run(web: Server[]): Promise<{ result: ProgramRunResult; requests: RequestLogEntry[] }> {
  const from = emu.requests.length;
  const config = { ...emulatorSettings(emu), ...webAppConfig(emu, web) };
  const result = await runProgram({
    programDir: PROGRAM, project: PROJECT, stack: "dev", config, secretKeys: SECRET_KEYS, engine,
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, // the repository's tsc checks the example
  });
  return { result, requests: emu.requests.slice(from) };
}

const writes = (requests: RequestLogEntry[]) => requests.filter((r) => r.method !== "GET");
const refreshes = refreshedZonesInOrder;
const svc = () => emu.store.service(emu.serviceName)!;

function expectLive(web: Server[]): void {
  expect(webAppLive(emu)).toEqual(webAppExpected(web));
  expect(emu.store.pendingChanges(svc())).toEqual([]);
}

beforeAll(async () => {
  emu = await startTestEmulator({ refreshSeconds: 0.1, routedFqdns: NAMES });
  host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
  engine = new MiniEngine(host, { secretKeys: SECRET_KEYS });
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("examples/web-app through the language runtime and the real host", () => {
  it("first deployment: everything live, the IP routed and the certificate built, with two refreshes", async () => {
    const { result, requests } = await run(WEB);
    expectLive(WEB);
    expect((emu.store.ip(IP)?.data.routedTo as { serviceName: string }).serviceName).toBe(emu.serviceName);
    const [cert] = Object.values(svc().ssl);
    expect(cert).toMatchObject({ type: "built", san: NAMES });
    expect(result.outputs.certificateIds).toEqual({ site: cert.id });
    const https = Object.values(emu.running("gra").frontends).find((f) => f.data.port === "443");
    expect(https?.data).toMatchObject({ defaultSslId: cert.id, hsts: true });
    // The certificate order makes the staged HTTP frontend live; the batch's commit applies the rest, and refreshes
    // every zone because a failover IP was routed (it is not a staged change).
    expect(refreshes(requests)).toEqual(["gra", "all"]);
  });

  it("one change (a weight): one PUT and one refresh of its zone", async () => {
    const changed = WEB.map((s) => (s.name === "web-2" ? { ...s, weight: 5 } : s));
    const { requests } = await run(changed);
    expectLive(changed);
    expect(writes(requests).filter((r) => !r.path.endsWith("/refresh")).map((r) => [r.method, r.body])).toEqual([["PUT", { weight: 5 }]]);
    expect(refreshes(requests)).toEqual(["gra"]);
  });

  it("two servers removed: both deletions live when the run ends, with one refresh", async () => {
    const remaining = WEB.slice(0, 2).map((s) => (s.name === "web-2" ? { ...s, weight: 5 } : s));
    const { result, requests } = await run(remaining);
    expectLive(remaining);
    expect(result.steps.filter((s) => s.op === "delete").map((s) => s.name).sort()).toEqual(["web-app-server-web-web-3", "web-app-server-web-web-4"]);
    expect(refreshes(requests)).toEqual(["gra"]);
  });

  it("an addition, a change and a removal in one run: applied together with one refresh", async () => {
    const mixed: Server[] = [
      { name: "web-1", address: "10.0.0.11", port: 8080, weight: 3 },
      { name: "web-5", address: "10.0.0.15", port: 8080 },
    ];
    const { result, requests } = await run(mixed);
    expectLive(mixed);
    const ops = result.steps.filter((s) => s.name.startsWith("web-app-server-web-") && s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
    expect(ops).toEqual(["create web-app-server-web-web-5", "delete web-app-server-web-web-2", "update web-app-server-web-web-1"]);
    expect(refreshes(requests)).toEqual(["gra"]);
  });

  it("unchanged: no write and no refresh", async () => {
    const remaining: Server[] = [{ name: "web-1", address: "10.0.0.11", port: 8080, weight: 3 }, { name: "web-5", address: "10.0.0.15", port: 8080 }];
    const { requests } = await run(remaining);
    expect(writes(requests)).toEqual([]);
    expectLive(remaining);
  });
});

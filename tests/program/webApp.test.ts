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
import * as path from "path";
import type { Emulator, RequestLogEntry } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runProgram, ProgramRunResult } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";

const PROJECT = "iplb-web-app";
const PROGRAM = path.join(REPO_ROOT, "examples", "web-app");
const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];
const NAMES = ["www.example.com", "example.com"];
const IP = "203.0.113.10/32";

interface Server { name: string; address: string; port: number; weight?: number }
const WEB: Server[] = [
  { name: "web-1", address: "10.0.0.11", port: 8080 },
  { name: "web-2", address: "10.0.0.12", port: 8080 },
  { name: "web-3", address: "10.0.0.13", port: 8080 },
  { name: "web-4", address: "10.0.0.14", port: 8080 },
];

let emu: Emulator;
let host: HostDriver;
let engine: MiniEngine;

async function run(web: Server[]): Promise<{ result: ProgramRunResult; requests: RequestLogEntry[] }> {
  const from = emu.requests.length;
  const config = {
    ...emulatorSettings(emu),
    [`${PROJECT}:serviceName`]: emu.serviceName,
    [`${PROJECT}:names`]: JSON.stringify(NAMES),
    [`${PROJECT}:webServers`]: JSON.stringify(web),
  };
  const result = await runProgram({
    programDir: PROGRAM, project: PROJECT, stack: "dev", config, secretKeys: SECRET_KEYS, engine,
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, // the repository's tsc checks the example
  });
  return { result, requests: emu.requests.slice(from) };
}

const writes = (requests: RequestLogEntry[]) => requests.filter((r) => r.method !== "GET");
const refreshes = (requests: RequestLogEntry[]) =>
  requests.filter((r) => r.method === "POST" && r.path.endsWith("/refresh")).map((r) => (r.body as { zone?: string } | undefined)?.zone ?? "all");
const svc = () => emu.store.service(emu.serviceName)!;

/** What runs in gra, in the program's terms. */
function live(): Record<string, unknown> {
  const running = emu.running("gra");
  const farms = Object.values(running.farms);
  const farmName = (id: unknown) => farms.find((f) => f.data.farmId === id)?.data.displayName ?? null;
  return {
    farms: Object.fromEntries(farms.map((f) => [f.type, {
      port: f.data.port, stickiness: f.data.stickiness,
      servers: Object.values(running.servers)
        .filter((s) => s.farmId === f.data.farmId)
        .map((s) => `${s.data.displayName} ${s.data.address}:${s.data.port} w${s.data.weight ?? 1}`)
        .sort(),
    }])),
    frontends: Object.values(running.frontends)
      .map((f) => `${f.type} ${f.data.port} ssl=${f.data.ssl} farm=${f.data.defaultFarmId === null ? "-" : "set"} ${(f.data.dedicatedIpfo as string[]).join(",")} ${f.data.redirectLocation ?? ""}`.trim())
      .sort(),
    farmNames: farms.map((f) => farmName(f.data.farmId)),
  };
}

function expected(web: Server[]): Record<string, unknown> {
  return {
    farms: {
      http: { port: 8080, stickiness: "cookie", servers: web.map((s) => `${s.name} ${s.address}:${s.port} w${s.weight ?? 1}`).sort() },
      tcp: { port: 9000, stickiness: null, servers: ["api-1 10.0.1.11:9000 w1", "api-2 10.0.1.12:9000 w1"] },
    },
    frontends: [
      `http 443 ssl=true farm=set ${IP}`,
      `http 80 ssl=false farm=- ${IP} https://www.example.com`,
      `tcp 9000 ssl=false farm=set ${IP}`,
    ],
    farmNames: [null, null],
  };
}

function expectLive(web: Server[]): void {
  expect(live()).toEqual(expected(web));
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

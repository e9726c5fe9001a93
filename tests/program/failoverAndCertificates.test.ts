/**
 * End to end, as tests/program/endToEnd.test.ts: a real program (fixtures/failover-cert) run by the Node language
 * runtime, its registrations applied by the mini engine, every provider call made by the real dynamic-provider host,
 * against the emulator, and the functions (getFailoverIps, getSslCertificates, getSslCertificate) called from the
 * program process with the stack config. Four runs with state kept: attach a failover IP and order a certificate for
 * two names; change the names (replaced, new certificate first); the same names in another order and case (nothing
 * happens); remove both. The emulator's state is checked after each run.
 *
 * Not proven here: the Go engine itself (its scheduling); the mini engine applies its rules.
 */
import * as path from "path";
import type { Emulator, RequestLogEntry } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runProgram, ProgramRunResult } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import type { Desired } from "./fixtures/failover-cert/desired";

const PROGRAM = path.join(__dirname, "fixtures", "failover-cert");
const PROJECT = "iplb-failover-cert";
const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];
const IP = "203.0.113.10/32";
const SEEDED_ROUTED = "203.0.113.12/32";

let emu: Emulator;
let host: HostDriver;
let engine: MiniEngine;

async function run(desired: Desired): Promise<{ result: ProgramRunResult; requests: RequestLogEntry[] }> {
  const from = emu.requests.length;
  const config = { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName, [`${PROJECT}:desired`]: JSON.stringify(desired) };
  const result = await runProgram({
    programDir: PROGRAM, project: PROJECT, stack: "e2e", config, secretKeys: SECRET_KEYS, engine,
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
  });
  return { result, requests: emu.requests.slice(from) };
}

const svc = () => emu.store.service(emu.serviceName)!;
const routedTo = (block: string) => (emu.store.ip(block)?.data.routedTo as { serviceName: string | null }).serviceName;
/** The `/failover` list as the API computes it: blocks routed to the service. */
const failoverList = () =>
  Object.entries(emu.store.data.ips).filter(([, r]) => (r.data.routedTo as { serviceName: string | null }).serviceName === emu.serviceName).map(([b]) => b).sort();
const certificates = () => Object.values(svc().ssl).map((s) => ({ id: s.id, type: s.type, san: s.san }));
const ops = (result: ProgramRunResult) => result.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
const writes = (requests: RequestLogEntry[]) => requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

beforeAll(async () => {
  emu = await startTestEmulator({ routedFqdns: ["*.example.com", "example.com"] });
  host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
  engine = new MiniEngine(host, { secretKeys: SECRET_KEYS });
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("a failover IP and a free certificate through a real program", () => {
  let firstSslId: number;

  it("run 1 routes the IP (then one refresh) and orders the certificate; the functions see both", async () => {
    const { result, requests } = await run({ ip: "203.0.113.10", fqdn: ["www.example.com", "example.com"] });
    expect(ops(result)).toEqual(["create vip", "create www"]);
    expect(routedTo(IP)).toBe(emu.serviceName);
    expect(failoverList()).toEqual([IP, SEEDED_ROUTED]);
    const [cert] = certificates();
    expect(certificates()).toEqual([{ id: cert.id, type: "built", san: ["www.example.com", "example.com"] }]);
    firstSslId = cert.id as number;
    expect(writes(requests).sort()).toEqual([
      `POST /ip/203.0.113.10%2F32/move`,
      `POST /ipLoadbalancing/${emu.serviceName}/freeCertificate`,
      `POST /ipLoadbalancing/${emu.serviceName}/refresh`,
    ].sort());
    expect(result.outputs).toEqual({
      routedTo: emu.serviceName,
      sslId: firstSslId,
      failoverIps: [IP, SEEDED_ROUTED],
      builtCertificates: [{ id: firstSslId, san: ["www.example.com", "example.com"] }],
      certificateSubject: "/CN=www.example.com",
    });
  });

  it("run 2 replaces the certificate for new names, ordering the new one before deleting the old one; the IP is untouched", async () => {
    const { result, requests } = await run({ ip: "203.0.113.10", fqdn: ["www.example.com", "shop.example.com"] });
    expect(ops(result)).toEqual(["replace www"]);
    const [cert] = certificates();
    expect(certificates()).toEqual([{ id: cert.id, type: "built", san: ["www.example.com", "shop.example.com"] }]);
    expect(cert.id).not.toBe(firstSslId);
    expect(writes(requests)).toEqual([
      `POST /ipLoadbalancing/${emu.serviceName}/freeCertificate`,
      `DELETE /ipLoadbalancing/${emu.serviceName}/ssl/${firstSslId}`,
    ]);
    expect(routedTo(IP)).toBe(emu.serviceName);
    // The functions run while the program runs; the engine deletes the replaced certificate at the end of the run.
    expect(result.outputs).toMatchObject({
      sslId: cert.id,
      builtCertificates: [{ id: firstSslId, san: ["www.example.com", "example.com"] }, { id: cert.id, san: ["www.example.com", "shop.example.com"] }],
    });
  });

  it("run 3, the same names in another order and case and the IP as a /32 block, changes nothing and writes nothing", async () => {
    const { result, requests } = await run({ ip: IP, fqdn: ["SHOP.example.com", "www.example.com"] });
    expect(ops(result)).toEqual([]);
    expect(writes(requests)).toEqual([]);
  });

  it("run 4 removes both: the IP is parked (then one refresh), the certificate deleted", async () => {
    const [cert] = certificates();
    const { result, requests } = await run({});
    expect(ops(result)).toEqual(["delete vip", "delete www"]);
    expect(routedTo(IP)).toBeNull();
    expect(failoverList()).toEqual([SEEDED_ROUTED]);
    expect(certificates()).toEqual([]);
    expect(writes(requests).sort()).toEqual([
      `DELETE /ipLoadbalancing/${emu.serviceName}/ssl/${cert.id}`,
      `POST /ip/203.0.113.10%2F32/park`,
      `POST /ipLoadbalancing/${emu.serviceName}/refresh`,
    ].sort());
    // Read while the program ran, before the engine's deletions at the end of the run: what was there before.
    expect(result.outputs).toEqual({ failoverIps: [IP, SEEDED_ROUTED], builtCertificates: [{ id: cert.id, san: cert.san }] });
  });
});

describe("examples/https-free-certificate", () => {
  const EXAMPLE = "iplb-https-free-certificate";
  let example: Emulator;
  let exampleHost: HostDriver;
  beforeAll(async () => {
    example = await startTestEmulator({ routedFqdns: ["www.example.com", "example.com"] });
    exampleHost = await startHost({ cwd: REPO_ROOT, project: EXAMPLE });
  });
  afterAll(async () => {
    await exampleHost?.close();
    await example?.close();
  });

  it("runs on the emulator with its defaults: farm, servers and frontends live, the IP routed, the certificate built", async () => {
    const result = await runProgram({
      programDir: path.join(REPO_ROOT, "examples", "https-free-certificate"), project: EXAMPLE, stack: "dev",
      config: { ...emulatorSettings(example), [`${EXAMPLE}:serviceName`]: example.serviceName },
      secretKeys: SECRET_KEYS, engine: new MiniEngine(exampleHost, { secretKeys: SECRET_KEYS }),
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    expect(result.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(
      ["create http", "create https", "create vip", "create web", "create web-1", "create web-2", "create www"],
    );
    const farm = example.running("gra").farms[result.outputs.farmId as number];
    expect(farm?.data).toMatchObject({ zone: "all", port: 8080, displayName: "web" });
    expect((example.store.ip(IP)?.data.routedTo as { serviceName: string }).serviceName).toBe(example.serviceName);
    const [cert] = Object.values(example.store.service(example.serviceName)!.ssl);
    expect(cert).toMatchObject({ id: result.outputs.sslId, type: "built", san: ["www.example.com", "example.com"] });
    expect(result.outputs).toMatchObject({ publicIp: IP, failoverIps: [IP, SEEDED_ROUTED], certificateNames: ["www.example.com", "example.com"] });
    // Both frontends listen on the failover IP; HTTPS uses the certificate; nothing is left pending.
    const frontends = Object.values(example.running("gra").frontends).map((f) => f.data);
    expect(frontends).toEqual(expect.arrayContaining([
      expect.objectContaining({ frontendId: result.outputs.httpFrontendId, port: "80", dedicatedIpfo: [IP], ssl: false }),
      expect.objectContaining({ frontendId: result.outputs.httpsFrontendId, port: "443", dedicatedIpfo: [IP], ssl: true, defaultSslId: cert.id, hsts: true }),
    ]));
    expect(example.store.pendingChanges(example.store.service(example.serviceName)!)).toEqual([]);
  });
});

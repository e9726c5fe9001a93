/**
 * The examples as a user runs them: `pulumi up` of examples/quickstart and examples/web-app (the LoadBalancer
 * component) with the real CLI against the emulator. After each `up` the emulator runs what the program declares and
 * nothing is pending; each `up` performs what its preview listed; an unchanged `up` writes and refreshes nothing.
 * The quickstart runs on the emulator's data plane with real backends (127.0.22.x): once `up` returns, requests
 * through its frontends reach the servers it declared.
 */
import * as path from "path";
import type { Emulator } from "../../emulator";
import { httpBackend, tcpBackend, TestBackend } from "../helpers/backends";
import { closed, servedBy, tcpHello } from "../helpers/dataPlane";
import { startTestEmulator } from "../helpers/emulator";
import { REPO_ROOT } from "../helpers/programRunner";
import {
  refreshedZonesInOrder, webAppConfig, webAppExpected, webAppLive, WebServer, WEB_APP_IP, WEB_APP_NAMES, WEB_APP_PROGRAM,
  WEB_APP_PROJECT, WEB_SERVERS,
} from "../helpers/webAppState";
import { emulatorSettings, pendingChanges } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { changedSteps, plannedSteps, TestStack } from "./support/stack";

const writes = (emu: Emulator, from: number) => emu.requests.slice(from).filter((r) => r.method !== "GET");

/** A preview, then the `up` it announced; what each did. */
async function previewThenUp(emu: Emulator, stack: TestStack) {
  const before = emu.requests.length;
  const preview = plannedSteps((await stack.preview()).steps);
  const previewWrites = writes(emu, before).length;
  const from = emu.requests.length;
  const { steps } = await stack.up();
  return { preview, previewWrites, planned: plannedSteps(steps), steps: changedSteps(steps), requests: emu.requests.slice(from) };
}

describeWithCli("examples/quickstart with pulumi up", (bin) => {
  const PROJECT = "iplb-quickstart";
  let emu: Emulator;
  let stack: TestStack;
  let web: TestBackend[];
  let cache: TestBackend[];
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1, dataPlane: { basePort: 19000 } });
    web = await Promise.all(["127.0.22.1", "127.0.22.2", "127.0.22.3"].map((a) => httpBackend(a)));
    cache = await Promise.all(["127.0.22.4", "127.0.22.5"].map((a) => tcpBackend(a)));
    stack = await TestStack.create({
      bin,
      projectDir: path.join(REPO_ROOT, "examples", "quickstart"),
      config: {
        ...emulatorSettings(emu),
        [`${PROJECT}:serviceName`]: emu.serviceName,
        [`${PROJECT}:webServers`]: web.map((b) => `${b.address}:${b.port}`),
        [`${PROJECT}:tcpServers`]: cache.map((b) => `${b.address}:${b.port}`),
      },
    });
  });
  afterAll(async () => {
    stack?.dispose();
    await Promise.all([...(web ?? []), ...(cache ?? [])].map((b) => b.stop()));
    await emu?.close();
  });

  it("first up: both farms, their five servers and two frontends run as declared, nothing pending, as previewed", async () => {
    const d = await previewThenUp(emu, stack);
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toBe(0);
    expect(d.steps).toEqual(["cache", "cache-1", "cache-2", "cache-frontend", "web", "web-1", "web-2", "web-3", "web-frontend"].map((n) => `create ${n}`));
    const running = emu.running("gra");
    const farms = Object.values(running.farms).map((f) => ({ type: f.type, ...f.data }));
    expect(farms).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: "http", displayName: "web", port: 8080, balance: "roundrobin", stickiness: "cookie" }),
      expect.objectContaining({ type: "tcp", displayName: "cache", port: 6379, balance: "leastconn", stickiness: "sourceIp" }),
    ]));
    expect(farms).toHaveLength(2);
    const servers = Object.values(running.servers).map((s) => `${s.data.displayName} ${s.data.address}:${s.data.port} ${s.data.status}`).sort();
    expect(servers).toEqual([
      ...cache.map((b, i) => `cache-${i + 1} ${b.address}:${b.port} active`),
      ...web.map((b, i) => `web-${i + 1} ${b.address}:${b.port} active`),
    ]);
    const outputs = await stack.outputs();
    expect(outputs).toMatchObject({ webFarmId: expect.any(Number), cacheFarmId: expect.any(Number), webFrontendId: expect.any(Number), cacheFrontendId: expect.any(Number) });
    const frontends = Object.values(running.frontends).map((f) => `${f.type} ${f.data.displayName} ${f.data.port} farm ${f.data.defaultFarmId}`).sort();
    expect(frontends).toEqual([`http web 80 farm ${outputs.webFarmId}`, `tcp cache 6379 farm ${outputs.cacheFarmId}`]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("after the first up, requests through the frontends reach the declared servers", async () => {
    await emu.dataPlane!.settled();
    const ports = emu.dataPlane!.ports();
    expect(Object.keys(ports).sort()).toEqual(["gra:6379", "gra:80"]);
    // Round robin over three servers of weight 1: three new visitors (no cookie) meet each server once.
    expect((await servedBy(ports["gra:80"], 3)).sort()).toEqual(web.map((b) => b.address));
    const { socket, line } = await tcpHello(ports["gra:6379"]);
    await closed(socket);
    expect(line.trim()).toBe("+PONG");
    const { cacheServerIds } = (await stack.outputs()) as { cacheServerIds: number[] };
    const counted = (emu.dataPlane!.snapshot().servers as { serverId: number; requests: number }[]).filter((s) => cacheServerIds.includes(s.serverId));
    expect(counted.map((s) => s.requests).sort()).toEqual([0, 1]);
  });

  it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
    const d = await previewThenUp(emu, stack);
    expect(d.preview).toEqual([]);
    expect(d.steps).toEqual([]);
    expect(writes(emu, emu.requests.length - d.requests.length)).toEqual([]);
  });
});

describeWithCli("examples/web-app (the LoadBalancer component) with pulumi up", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  const deploy = async (web: WebServer[]) => {
    await stack.setConfig({ ...webAppConfig(emu, web), [`${WEB_APP_PROJECT}:names`]: WEB_APP_NAMES, [`${WEB_APP_PROJECT}:webServers`]: web });
    return previewThenUp(emu, stack);
  };
  const expectLive = (web: WebServer[]) => {
    expect(webAppLive(emu)).toEqual(webAppExpected(web));
    expect(pendingChanges(emu)).toEqual([]);
  };
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1, routedFqdns: WEB_APP_NAMES });
    stack = await TestStack.create({ bin, projectDir: WEB_APP_PROGRAM, config: emulatorSettings(emu) });
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("first up: everything live, the IP routed, the certificate built and served on 443, as previewed", async () => {
    const d = await deploy(WEB_SERVERS);
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toBe(0);
    expectLive(WEB_SERVERS);
    const svc = emu.store.service(emu.serviceName)!;
    expect((emu.store.ip(WEB_APP_IP)?.data.routedTo as { serviceName: string }).serviceName).toBe(emu.serviceName);
    const [cert] = Object.values(svc.ssl);
    expect(cert).toMatchObject({ type: "built", san: WEB_APP_NAMES });
    const https = Object.values(emu.running("gra").frontends).find((f) => f.data.port === "443");
    expect(https?.data).toMatchObject({ defaultSslId: cert.id, hsts: true });
    // As under the test engine (tests/program/webApp.test.ts): the certificate order makes the staged HTTP frontend
    // live, then the batch applies the rest, every zone because a failover IP was routed.
    expect(refreshedZonesInOrder(d.requests)).toEqual(["gra", "all"]);
  });

  it("a weight change: one PUT and one refresh of its zone, as previewed", async () => {
    const changed = WEB_SERVERS.map((s) => (s.name === "web-2" ? { ...s, weight: 5 } : s));
    const d = await deploy(changed);
    expect(d.preview).toEqual(d.planned);
    expectLive(changed);
    expect(d.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/refresh")).map((r) => [r.method, r.body])).toEqual([["PUT", { weight: 5 }]]);
    expect(refreshedZonesInOrder(d.requests)).toEqual(["gra"]);
  });

  it("two servers removed: both deletions live when `up` returns, with one refresh, as previewed", async () => {
    const remaining = WEB_SERVERS.slice(0, 2).map((s) => (s.name === "web-2" ? { ...s, weight: 5 } : s));
    const d = await deploy(remaining);
    expect(d.preview).toEqual(d.planned);
    expectLive(remaining);
    expect(d.steps.filter((s) => s.startsWith("delete "))).toEqual(["delete web-app-server-web-web-3", "delete web-app-server-web-web-4"]);
    expect(refreshedZonesInOrder(d.requests)).toEqual(["gra"]);
  });

  it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
    const remaining = WEB_SERVERS.slice(0, 2).map((s) => (s.name === "web-2" ? { ...s, weight: 5 } : s));
    const d = await deploy(remaining);
    expect(d.preview).toEqual([]);
    expect(d.steps).toEqual([]);
    expect(d.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expectLive(remaining);
  });
});

/**
 * Stack policies on whole stacks: each server is related to its farm through the property dependencies of its
 * `farmId` (the preview that creates both knows no farm id yet), or by value when `farmId` is a plain number.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { backendTls, farmMinServers, serversProbed, stickyServerCookies } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, detail, flagged } from "./harness";
import { farmsProgram, goodServer, SERVICE, twoGoodServers } from "./programs";

describe("iplb-servers-probed", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      { name: "web", servers: [goodServer("web-1"), goodServer("web-2", { probe: false }), goodServer("web-3", { probe: undefined })] },
      { name: "cache", kind: "tcp", servers: [goodServer("cache-1"), goodServer("cache-2", { probe: false })] },
      { name: "dns", kind: "udp", servers: twoGoodServers("dns") },
    ]), { dryRun: true });
  });

  it("flags HTTP and TCP servers that do not run their farm's probe, naming the farm", async () => {
    const diagnostics = await analyze([serversProbed], stack);
    expect(flagged(diagnostics, stack, "iplb-servers-probed")).toEqual(["cache-2", "web-2", "web-3"]);
    expect(diagnostics.map(detail)).toContain(
      'HttpFarmServer "web-3" (farm "web") has probe unset: the farm\'s health check never runs against it, so OVH keeps ' +
        "sending it traffic when it is down. Set probe: true.");
  });
});

describe("iplb-farm-min-servers", () => {
  const program = farmsProgram([
    { name: "pair" },
    { name: "solo", servers: [goodServer("solo-1")] },
    {
      name: "mostly-idle",
      servers: [goodServer("idle-active"), goodServer("idle-backup", { backup: true }), goodServer("idle-off", { status: "inactive" }), goodServer("idle-zero", { weight: 0 })],
    },
    { name: "empty", servers: [] },
    { name: "elsewhere", displayName: "managed by the db stack", servers: [] },
    { name: "dns", kind: "udp", servers: [goodServer("dns-1")] },
  ]);
  let preview: CapturedStack;
  let update: CapturedStack;
  beforeAll(async () => {
    preview = await captureStack(program, { dryRun: true });
    update = await captureStack(program);
  });

  it("flags farms with fewer than 2 servers taking traffic, in preview and after the update alike", async () => {
    const expected = ["dns", "elsewhere", "empty", "mostly-idle", "solo"];
    expect(flagged(await analyze([farmMinServers], preview), preview, "iplb-farm-min-servers")).toEqual(expected);
    expect(flagged(await analyze([farmMinServers], update), update, "iplb-farm-min-servers")).toEqual(expected);
  });

  it("says which servers do not count and why", async () => {
    const messages = (await analyze([farmMinServers], preview)).map(detail);
    expect(messages).toContain(
      'HttpFarm "mostly-idle" has 1 server taking traffic (active, not backup, weight above 0); idle-backup is a backup, ' +
        "idle-off is inactive, idle-zero has weight 0. At least 2 are required so that one can fail or be replaced without " +
        'an outage. Add servers with status: "active", or list the farm in exemptFarms (or lower minServers) in the policy config.');
    expect(messages).toContain(
      'HttpFarm "empty" has no server taking traffic (active, not backup, weight above 0). At least 2 are required so that ' +
        'one can fail or be replaced without an outage. Add servers with status: "active", or list the farm in exemptFarms ' +
        "(or lower minServers) in the policy config.");
  });

  it("takes the team's minimum and exempt farms (by Pulumi name or displayName)", async () => {
    const config = { "iplb-farm-min-servers": { minServers: 3, exemptFarms: ["managed by the db stack", "dns", "empty"] } };
    expect(flagged(await analyze([farmMinServers], preview, config), preview, "iplb-farm-min-servers")).toEqual(["mostly-idle", "pair", "solo"]);
  });

  it("relates servers whose farmId is a plain number by value, and only to a farm of their protocol", async () => {
    const stack = await captureStack(async () => {
      const web = new iplb.HttpFarm("web", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
      const cache = new iplb.TcpFarm("cache", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
      // Known numbers, without the farms' dependency: as a farm id written in the program or read from config.
      const [webId, cacheId] = await new Promise<number[]>((resolve) => pulumi.all([web.farmId, cache.farmId]).apply(resolve));
      for (const i of [1, 2]) new iplb.HttpFarmServer(`web-${i}`, { serviceName: SERVICE, farmId: webId, address: `10.0.0.${i}`, status: "active", probe: true });
      new iplb.TcpFarmServer("cache-1", { serviceName: SERVICE, farmId: cacheId, address: "10.0.1.1", status: "active", probe: true });
      new iplb.TcpFarmServer("misfiled", { serviceName: SERVICE, farmId: webId, address: "10.0.1.2", status: "active", probe: true });
    });
    expect(stack.resources.find((r) => r.name === "web-1")!.propertyDependencies.farmId).toEqual([]);
    expect(flagged(await analyze([farmMinServers], stack), stack, "iplb-farm-min-servers")).toEqual(["cache"]);
  });
});

describe("iplb-sticky-server-cookies", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      {
        name: "shop",
        stickiness: "cookie",
        servers: [goodServer("shop-1", { cookie: "a" }), goodServer("shop-2", { cookie: undefined }), goodServer("shop-3", { cookie: "a" })],
      },
      { name: "api", stickiness: "sourceIp", servers: [goodServer("api-1", { cookie: undefined }), goodServer("api-2", { cookie: undefined })] },
      { name: "plain", servers: [goodServer("plain-1", { cookie: undefined }), goodServer("plain-2", { cookie: undefined })] },
    ]), { dryRun: true });
  });

  it("advises servers of cookie-sticky farms without their own cookie, and farms whose servers share one", async () => {
    const diagnostics = await analyze([stickyServerCookies], stack);
    expect(flagged(diagnostics, stack, "iplb-sticky-server-cookies")).toEqual(["shop", "shop-2"]);
    expect(diagnostics.map((d) => [d.enforcementLevel, detail(d)])).toEqual([
      ["advisory", 'HttpFarmServer "shop-2" (farm "shop") sets no `cookie` on a farm with cookie stickiness: OVH generates one, ' +
        "and a new one whenever the server is re-created (a new address, say), which sends every visitor stuck to it elsewhere " +
        'and loses their sessions. Set cookie to a stable value, e.g. "shop-2".'],
      ["advisory", 'HttpFarm "shop": servers "shop-1", "shop-3" share cookie "a", so visitors stuck to one may be sent to the other. Give each server its own cookie.'],
    ]);
  });
});

describe("iplb-backend-tls", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      { name: "secure", servers: [goodServer("secure-1", { ssl: true }), goodServer("secure-2", { ssl: false }), goodServer("secure-3")] },
      { name: "pay", kind: "tcp", displayName: "Payments API", servers: [goodServer("pay-1", { ssl: true }), goodServer("pay-2")] },
      { name: "plain", servers: twoGoodServers("plain") },
      { name: "dns", kind: "udp", servers: twoGoodServers("dns") },
    ]), { dryRun: true });
  });

  it("asks nothing until the team marks farms", async () => {
    expect(await analyze([backendTls], stack)).toEqual([]);
  });

  it("flags servers without ssl on the marked farms (Pulumi name or displayName)", async () => {
    const diagnostics = await analyze([backendTls], stack, { "iplb-backend-tls": { farms: ["secure", "Payments API"] } });
    expect(flagged(diagnostics, stack, "iplb-backend-tls")).toEqual(["pay-2", "secure-2", "secure-3"]);
    expect(detail(diagnostics.find((d) => d.urn?.endsWith("secure-2"))!)).toBe(
      'HttpFarmServer "secure-2" (farm "secure") is reached without TLS (ssl is false), but farm "secure" requires TLS to its ' +
        "servers (policy config farms). Set ssl: true, with chain set to the CA of the server's certificate so that OVH verifies it.");
  });

  it('marks every HTTP and TCP farm with "*"', async () => {
    const diagnostics = await analyze([backendTls], stack, { "iplb-backend-tls": { farms: ["*"] } });
    expect(flagged(diagnostics, stack, "iplb-backend-tls")).toEqual(["pay-2", "plain-1", "plain-2", "secure-2", "secure-3"]);
  });
});

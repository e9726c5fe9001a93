/**
 * A user's unit tests of a program: the resources it declares, under `pulumi.runtime.setMocks` (through the kit's
 * `setIplbMocks`), with no emulator, no Pulumi CLI and no OVH account: milliseconds per test. What they prove: the
 * program's own decisions (settings, wiring, what config it reads) and that every input passes the provider's
 * checks. What they cannot: what the API does with it (going live, drift, health); that is the emulator's layer
 * (examples/integration-test).
 */
// In your own project: import { setIplbMocks, valueOf, type IplbMocks } from "pulumi-ovh-iplb/testing";
import { type IplbMocks, setIplbMocks, valueOf } from "../../testing";
import { webTier, type WebTier } from "./webTier";

const serviceName = "loadbalancer-unit-test";
const servers = [{ address: "10.0.0.11", port: 8080 }, { address: "10.0.0.12", port: 8080 }];

describe("the web tier", () => {
  let mocks: IplbMocks;
  let tier: WebTier;

  beforeAll(async () => {
    mocks = await setIplbMocks();
    tier = webTier({ serviceName, zone: "gra", servers });
  });

  it("keeps a client on its server with a cookie, round robin otherwise", async () => {
    expect(await valueOf(tier.farm.stickiness)).toBe("cookie");
    expect(await valueOf(tier.farm.balance)).toBe("roundrobin");
  });

  it("probes GET /health every 30 s and wants a 200", async () => {
    expect(await valueOf(tier.farm.probe)).toEqual({ type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 });
  });

  it("attaches every server to the farm, probed, each with its own cookie", async () => {
    const farmId = await valueOf(tier.farm.farmId);
    const attached = await Promise.all(tier.servers.map(async (s) => [await valueOf(s.farmId), await valueOf(s.address), await valueOf(s.probe), await valueOf(s.cookie)]));
    expect(attached).toEqual([[farmId, "10.0.0.11", true, "web1"], [farmId, "10.0.0.12", true, "web2"]]);
  });

  it("sends the frontend's port 80 to the farm", async () => {
    expect(await valueOf(tier.frontend.defaultFarmId)).toBe(await valueOf(tier.farm.farmId));
    expect(await valueOf(tier.frontend.port)).toBe("80");
  });

  it("passes the provider's checks (what `pulumi preview` would refuse)", async () => {
    await Promise.all([tier.farm.id, tier.frontend.id, ...tier.servers.map((s) => s.id)].map(valueOf)); // all answered
    expect(mocks.failures()).toEqual([]);
  });
});

describe("the web tier with a bad server", () => {
  it("is refused before any deployment, with the provider's message", async () => {
    const mocks = await setIplbMocks();
    const tier = webTier({ serviceName, zone: "gra", servers: [{ address: "web-1.example", port: 70000 }] });
    await valueOf(tier.servers[0].serverId);
    expect(mocks.failures()).toEqual(['web-1: address: "web-1.example" is not an IPv4 address', "web-1: port: 70000 is out of range 1..49151"]);
  });
});

describe("the program (index.ts)", () => {
  it("reads serviceName and servers from its config", async () => {
    const mocks = await setIplbMocks({ project: "iplb-unit-test", config: { serviceName, servers: JSON.stringify(servers) } });
    const program = await import("./index");
    expect(await Promise.all(program.serverIds.map(valueOf))).toHaveLength(2);
    const registered = mocks.ofKind("HttpFarmServer").map((r) => [r.name, r.inputs.serviceName, r.inputs.address]).sort();
    expect(registered).toEqual([["web-1", serviceName, "10.0.0.11"], ["web-2", serviceName, "10.0.0.12"]]);
    expect(mocks.named("web")?.inputs).toMatchObject({ serviceName, zone: "gra" });
  });
});

/**
 * getIpLoadBalancing and getIpLoadBalancings (reads/services.ts) against the emulator, whose seed has two load
 * balancers: the main one (192.0.2.10, zones gra and rbx) and another (192.0.2.20, zone gra), both state ok.
 * Not proven here: the getXOutput variants in a real program.
 */
import { OTHER_SERVICE } from "../../emulator/seed";
import * as services from "../../reads/services";
import { apiFor } from "../helpers/liveObjects";
import { withEmulator } from "./support";

describe("getIpLoadBalancing(s)", () => {
  const started = withEmulator({}, async ({ emu, svc }) => {
    await apiFor(emu).put(`/ipLoadbalancing/${svc}`, { displayName: "main", sslConfiguration: "modern" });
  });
  const api = () => apiFor(started().emu);

  it("getIpLoadBalancings lists the names the credentials see, sorted", async () => {
    expect(await services.getIpLoadBalancings(api())).toEqual({ serviceNames: [OTHER_SERVICE, started().svc].sort() });
  });

  it.each([
    ["serviceName", () => ({ serviceName: started().svc })],
    ["displayName", () => ({ displayName: "main" })],
    ["ipv4", () => ({ ipv4: "192.0.2.10" })],
    ["sslConfiguration", () => ({ sslConfiguration: "modern" as const })],
    ["zone, in any order", () => ({ zone: ["rbx", "gra"] })],
    ["several filters", () => ({ state: "ok" as const, offer: "iplb-lb1", ipLoadbalancing: "192.0.2.10" })],
  ])("finds the one service by %s, without its metrics token", async (_what, args) => {
    const found = await services.getIpLoadBalancing(api(), args());
    expect(found).toMatchObject({ serviceName: started().svc, displayName: "main", ipv4: "192.0.2.10", zone: ["gra", "rbx"] });
    expect(found).not.toHaveProperty("metricsToken");
  });

  it("reads only the named service when serviceName is given", async () => {
    const { emu, svc } = started();
    const from = emu.requests.length;
    await services.getIpLoadBalancing(api(), { serviceName: svc });
    expect(emu.requests.slice(from).filter((r) => r.path !== "/auth/time").map((r) => `${r.method} ${r.path}`)).toEqual([`GET /ipLoadbalancing/${svc}`]);
  });

  it("fails naming the filters and the services seen when none matches", async () => {
    await expect(services.getIpLoadBalancing(api(), { displayName: "nope", ipv4: "192.0.2.10" })).rejects.toThrow(
      `getIpLoadBalancing: no load balancer matches displayName "nope", ipv4 "192.0.2.10"; these credentials see ${[OTHER_SERVICE, started().svc].sort().join(", ")}`,
    );
    await expect(services.getIpLoadBalancing(api(), { serviceName: "loadbalancer-nope" })).rejects.toThrow('no load balancer matches serviceName "loadbalancer-nope"');
  });

  it("fails naming the matches when several do", async () => {
    await expect(services.getIpLoadBalancing(api(), { state: "ok" })).rejects.toThrow(
      `getIpLoadBalancing: 2 load balancers match state "ok" (${[OTHER_SERVICE, started().svc].sort().join(", ")}); add a filter that tells them apart`,
    );
  });

  it("refuses bad filters before any call, every one at once", async () => {
    const { emu } = started();
    const from = emu.requests.length;
    await expect(services.getIpLoadBalancing(api(), { state: "up" as never, ipv4: "300.1.1.1", color: "red" } as never)).rejects.toThrow(
      /^getIpLoadBalancing: color: unknown field; .*; ipv4: "300\.1\.1\.1" .*; state: "up" is not one of blacklisted, deleted, free, ok, quarantined, suspended$/,
    );
    expect(emu.requests.length).toBe(from);
  });
});

/**
 * The LoadBalancer component under the mini engine (in-process host) against the emulator: its children and their
 * parents, its outputs, a farm removed from the configuration, and a configuration whose cross-references do not hold,
 * which fails before anything reaches the API. The full example with real processes is webApp.test.ts.
 */
import * as iplb from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, pendingChanges } from "../provider/support";

const PROJECT = "iplb-component";
let emu: Emulator;

beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05 })));
afterAll(() => emu.close());

function program(withCache: boolean) {
  return () => {
    const lb = new iplb.LoadBalancer("lb", {
      serviceName: emu.serviceName,
      farms: {
        web: { type: "http", zone: "gra", port: 80, servers: { a: { address: "192.0.2.1", status: "active" }, b: { address: "192.0.2.2", status: "active" } } },
        ...(withCache ? { cache: { type: "tcp" as const, zone: "rbx", port: 6379, servers: { c: { address: "192.0.2.3", status: "active" as const } } } } : {}),
      },
      frontends: { www: { type: "http", zone: "gra", port: 80, farm: "web" } },
    });
    return { farmIds: lb.farmIds, serverIds: lb.serverIds, frontendIds: lb.frontendIds, health: lb.health };
  };
}

describe("LoadBalancer component", () => {
  const engine = new MiniEngine(new InProcessHost(PROJECT));
  const up = (p: () => Record<string, unknown>) => runWithMocks(engine, p, { project: PROJECT, stack: "dev", config: emulatorSettings(emu) });
  const refreshes = (from: number) => emu.requests.slice(from).filter((r) => r.method === "POST" && r.path.endsWith("/refresh"));

  it("creates its children under itself, live in both zones with one refresh per zone, and outputs their ids", async () => {
    const from = emu.requests.length;
    const outputs = await up(program(true));
    const children = [...engine.state.values()].filter((r) => r.custom).map((r) => r.name).sort();
    expect(children).toEqual(["lb-commit", "lb-farm-cache", "lb-farm-web", "lb-frontend-www", "lb-server-cache-c", "lb-server-web-a", "lb-server-web-b", "lb-start"]);
    const component = [...engine.state.values()].find((r) => r.type === "pulumi-ovh-iplb:index:LoadBalancer")!;
    const farmWeb = [...engine.state.values()].find((r) => r.name === "lb-farm-web")!;
    expect(farmWeb.parent).toBe(component.urn);
    expect(outputs.farmIds).toEqual({ web: expect.any(Number), cache: expect.any(Number) });
    expect(Object.keys((outputs.serverIds as Record<string, object>).web)).toEqual(["a", "b"]);
    expect(outputs.health).toEqual({
      web: { a: { status: "UNKNOWN", reason: expect.any(String) }, b: { status: "UNKNOWN", reason: expect.any(String) } },
      cache: { c: { status: "UNKNOWN", reason: expect.any(String) } },
    });
    // Both zones of the service have changes, so one refresh without a zone applies them both.
    expect(refreshes(from).map((r) => r.body ?? "all")).toEqual(["all"]);
    expect(pendingChanges(emu)).toEqual([]);
    expect(Object.keys(emu.running("rbx").farms)).toHaveLength(1);
  });

  it("removes a farm with its server, live when the run ends, with one refresh of its zone", async () => {
    const from = emu.requests.length;
    await up(program(false));
    expect(Object.keys(emu.running("rbx").farms)).toEqual([]);
    expect(Object.keys(emu.running("rbx").servers)).toEqual([]);
    expect(pendingChanges(emu)).toEqual([]);
    expect(refreshes(from).map((r) => r.body)).toEqual([{ zone: "rbx" }]);
  });

  it("fails a configuration whose references do not hold, naming each problem, before any API call", async () => {
    const from = emu.requests.length;
    const bad = () => {
      new iplb.LoadBalancer("bad", {
        serviceName: emu.serviceName,
        farms: { web: { type: "http", zone: "gra" } },
        frontends: { www: { type: "http", zone: "gra", port: 80, farm: "shop" }, tls: { type: "tcp", zone: "gra", port: 443, dedicatedIpfo: ["203.0.113.99"] } },
        certificates: { site: { fqdn: ["www.example.com"] } },
      });
    };
    await expect(runWithMocks(new MiniEngine(new InProcessHost(PROJECT)), bad, { project: PROJECT, stack: "bad", config: emulatorSettings(emu) })).rejects.toThrow(
      'LoadBalancer bad: frontends.www.farm: "shop" is not a farm of this load balancer (farms: web); ' +
        "frontends.tls.dedicatedIpfo: 203.0.113.99 is not attached to this load balancer; add it to failoverIps; " +
        'certificates.site: used by no HTTPS frontend; set certificate: "site" on an HTTP or TCP frontend, or remove it',
    );
    expect(emu.requests.slice(from)).toEqual([]);
  });

  it("refuses a Refresh member of another service (its changes would never be applied), before any write", async () => {
    const from = emu.requests.length;
    const program = () => {
      const refresh = new iplb.Refresh("lb", { serviceName: emu.serviceName });
      new iplb.HttpFarm("elsewhere", { serviceName: "loadbalancer-other", zone: "gra", refresh });
    };
    await expect(runWithMocks(new MiniEngine(new InProcessHost(PROJECT)), program, { project: PROJECT, stack: "other", config: emulatorSettings(emu) })).rejects.toThrow(
      `HttpFarm elsewhere: serviceName "loadbalancer-other" is not the service of its Refresh "lb" ("${emu.serviceName}")`,
    );
    // The batch itself was declared before the member failed; it may read the service, never write to it.
    expect(emu.requests.slice(from).filter((r) => r.method !== "GET")).toEqual([]);
  });
});

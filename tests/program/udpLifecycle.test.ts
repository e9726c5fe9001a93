/**
 * Program lifecycle of a UDP farm and its servers, run after run against the emulator (see lifecycle.test.ts for the
 * method). The `it`s are successive runs of ONE stack and depend on each other, in order.
 */
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { MiniEngine } from "../helpers/miniEngine";
import { mark, pendingChanges, refreshesSince, requestsSince, writesSince } from "../provider/support";
import { Desired, ops, runningView, stagedView } from "./iplbProgram";
import { farm, stack, pathOf, expectLive } from "./lifecycleSupport";

describe("a UDP farm and its servers, run after run", () => {
  let emu: Emulator;
  let svc: string;
  let engine: MiniEngine;
  let up: ReturnType<typeof stack>["up"];
  let desired: Desired;

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.05 });
    svc = emu.serviceName;
    ({ engine, up } = stack(emu));
    desired = {
      serviceName: svc,
      farms: [{
        name: "dns", type: "udp", zone: "rbx", port: 53,
        servers: [{ name: "dns-1", address: "192.0.2.53", port: 53 }, { name: "dns-2", address: "192.0.2.54" }],
      }],
    };
  });
  afterAll(() => emu.close());

  it("creates them live in rbx", async () => {
    await up(desired);
    expect(ops(engine.steps)).toEqual(["create dns", "create dns-1", "create dns-2"]);
    expectLive(emu, engine, desired, "rbx");
    expect(runningView(emu, "gra")).toEqual([]);
  });

  it("updates the farm's port and a server's status in place", async () => {
    desired.farms[0].port = 5353;
    desired.farms[0].servers[1].status = "inactive";
    const from = mark(emu);
    await up(desired);
    expect(ops(engine.steps)).toEqual(["same dns-1", "update dns", "update dns-2"]);
    expect(writesSince(emu, from).filter((r) => r.method === "PUT").map((r) => [r.path, r.body])).toEqual([
      [pathOf(engine, "dns"), { port: 5353 }],
      [pathOf(engine, "dns-2"), { status: "inactive" }],
    ]);
    // The server registers only once its farm's step is done (it takes `farm.farmId`), so without a `Refresh` batch
    // each level of the dependency graph goes live on its own: one refresh for the farm, then one for the server.
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "rbx" }, { zone: "rbx" }]);
    const log = requestsSince(emu, from).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(log).toEqual([
      `PUT ${pathOf(engine, "dns")}`, `POST /ipLoadbalancing/${svc}/refresh`,
      `PUT ${pathOf(engine, "dns-2")}`, `POST /ipLoadbalancing/${svc}/refresh`,
    ]);
    expectLive(emu, engine, desired, "rbx");
  });

  it("destroys them", async () => {
    await engine.destroy();
    expect(stagedView(emu)).toEqual([]);
    expect(runningView(emu, "rbx")).toEqual([]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

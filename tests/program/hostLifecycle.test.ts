/**
 * The main program lifecycle (lifecycle.test.ts) with providers run by the real dynamic-provider host process instead
 * of the in-process twin. The `it`s are successive runs of ONE stack and depend on each other, in order.
 */
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { startHost } from "../helpers/hostDriver";
import { REPO_ROOT } from "../helpers/programRunner";
import { calls, mark, pendingChanges, writesSince } from "../provider/support";
import { apiPath, managed, ops, runningView, stagedView } from "./iplbProgram";
import { PROJECT, quickstart, farm, stack, pathOf, expectLive } from "./lifecycleSupport";

describe("the main lifecycle through the real dynamic-provider host process", () => {
  let emu: Emulator;
  let host: Awaited<ReturnType<typeof startHost>>;

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.05 });
    // cwd = the repository: the serialized shim loads provider/registry.ts from there (through ts-node).
    host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
  });
  afterAll(async () => {
    await host?.close();
    await emu.close();
  });

  it("creates, does nothing on a second run, updates one field with one PUT and one refresh, then destroys", async () => {
    const { engine, up } = stack(emu, host);
    const desired = quickstart(emu.serviceName);
    await up(desired);
    expect(ops(engine.steps)).toEqual(
      ["create cache", "create cache-1", "create cache-2", "create web", "create web-1", "create web-2", "create web-3"]);
    expectLive(emu, engine, desired, "gra");

    let from = mark(emu);
    await up(desired);
    expect(engine.steps.every((s) => s.op === "same")).toBe(true);
    expect(writesSince(emu, from)).toEqual([]);
    expect(calls(emu, from).sort()).toEqual(managed(engine).map((r) => `GET ${apiPath(r)}`).sort());

    farm(desired, "cache").servers[0].weight = 3;
    from = mark(emu);
    await up(desired);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", pathOf(engine, "cache-1"), { weight: 3 }],
      ["POST", `/ipLoadbalancing/${emu.serviceName}/refresh`, { zone: "gra" }],
    ]);
    expectLive(emu, engine, desired, "gra");

    await engine.destroy();
    expect(stagedView(emu)).toEqual([]);
    expect(runningView(emu, "gra")).toEqual([]);
    expect(pendingChanges(emu)).toEqual([]);
    expect(host.stderr).toBe("");
  }, 120000);
});

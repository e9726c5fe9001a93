/**
 * The `Refresh` batch (sdk/refresh.ts, provider/changes/batch.ts), measured on the emulator's request log:
 * a deployment's writes are applied with one refresh per touched zone, deletions included, where immediate mode
 * applies each level of the dependency graph (farms, then their servers; then each antichain of deletes) on its own.
 *
 * The same runs of one stack are made twice, with and without a batch, on a load balancer with three zones (gra, rbx,
 * sbg): with only gra and rbx touched, provider/changes/makeLive.ts posts one refresh per zone, each naming its zone.
 * (When every zone of the service has pending changes it posts ONE refresh without a zone instead: the last describe
 * shows that on a two-zone load balancer.) The `it`s of a describe are successive runs of one stack, in order.
 *
 * Not proven here: the Go engine itself. The MiniEngine registers resources concurrently and deletes by antichains as
 * pkg/resource/deploy/step_generator.go `ScheduleDeletes` does; the counts below hold under those rules.
 */
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine, ProviderCall } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { calls, emulatorSettings, mark, pendingChanges, refreshesSince, requestsSince, writesSince } from "../provider/support";
import {
  apiPath, apiStateView, Desired, expectedView, FarmSpec, iplbProgram, managed, ops, runningView, stagedView, stateView,
} from "./iplbProgram";

const PROJECT = "iplb-batch";

type Scenario = "create" | "noChange" | "weight" | "removeTwo" | "mixed" | "destroy";

/**
 * Refreshes per run, by the zone each names (sorted). Immediate mode pays one refresh per zone per dependency level:
 * farms then servers on create, the servers' antichain then the farms' on destroy, writes then deletes in a mixed run.
 */
const REFRESHES: Record<Scenario, { batch: string[]; immediate: string[] }> = {
  create: { batch: ["gra", "rbx"], immediate: ["gra", "gra", "rbx", "rbx"] },
  noChange: { batch: [], immediate: [] },
  weight: { batch: ["rbx"], immediate: ["rbx"] },
  removeTwo: { batch: ["gra"], immediate: ["gra"] },
  mixed: { batch: ["gra", "rbx"], immediate: ["gra", "gra", "rbx"] },
  destroy: { batch: ["gra", "rbx"], immediate: ["gra", "gra", "rbx", "rbx"] },
};

/** web (HTTP, gra, three servers) and api (TCP, rbx, two servers). */
function twoZones(serviceName: string, batch: boolean): Desired {
  return {
    serviceName,
    batch,
    farms: [
      {
        name: "web", type: "http", zone: "gra", port: 80,
        servers: [1, 2, 3].map((i) => ({ name: `web-${i}`, address: `192.0.2.${i}`, weight: 1, cookie: `w${i}` })),
      },
      { name: "api", type: "tcp", zone: "rbx", port: 443, servers: [1, 2].map((i) => ({ name: `api-${i}`, address: `192.0.2.${10 + i}`, weight: 1 })) },
    ],
  };
}

const farm = (d: Desired, name: string): FarmSpec => d.farms.find((f) => f.name === name)!;
/** Zones named by the refreshes since `from`, sorted; `*` for a refresh without a zone (every zone). */
const refreshedZones = (emu: Emulator, from: number): string[] =>
  refreshesSince(emu, from).map((r) => (r.body as { zone?: string } | undefined)?.zone ?? "*").sort();
const shortName = (c: ProviderCall) => `${c.method} ${c.urn.split("::").pop()}`;

/** A fresh three-zone load balancer and one stack on it. */
function setup(batch: boolean) {
  const ctx = {} as { emu: Emulator; engine: MiniEngine; desired: Desired; up: (dryRun?: boolean) => Promise<unknown> };
  beforeAll(async () => {
    ctx.emu = await startTestEmulator({ refreshSeconds: 0.05, zones: ["gra", "rbx", "sbg"] });
    ctx.engine = new MiniEngine(new InProcessHost(PROJECT));
    ctx.desired = twoZones(ctx.emu.serviceName, batch);
    ctx.up = (dryRun = false) => runWithMocks(ctx.engine, iplbProgram(ctx.desired), {
      project: PROJECT, stack: batch ? "batch" : "immediate", config: emulatorSettings(ctx.emu), dryRun,
    });
  });
  afterAll(() => ctx.emu.close());
  return ctx;
}

/** What every run must end with: gra and rbx run the program, sbg nothing, nothing pending, state = API. */
function expectLive(ctx: { emu: Emulator; engine: MiniEngine; desired: Desired }): void {
  const { emu, engine, desired } = ctx;
  expect(runningView(emu, "gra")).toEqual(expectedView(desired, "gra"));
  expect(runningView(emu, "rbx")).toEqual(expectedView(desired, "rbx"));
  expect(runningView(emu, "sbg")).toEqual([]);
  expect(stagedView(emu)).toEqual(expectedView(desired));
  expect(pendingChanges(emu)).toEqual([]);
  expect(stateView(engine)).toEqual(apiStateView(emu));
}

/** Each refresh was posted after every write of the run: the batch applies once, at the end of its work. */
function expectRefreshesLast(emu: Emulator, from: number): void {
  const writes = writesSince(emu, from);
  const firstRefresh = writes.findIndex((r) => r.method === "POST" && r.path.endsWith("/refresh"));
  expect(firstRefresh).toBeGreaterThan(0);
  expect(writes.slice(firstRefresh).every((r) => r.method === "POST" && r.path.endsWith("/refresh"))).toBe(true);
}

describe("with a Refresh batch", () => {
  const ctx = setup(true);

  it("first deployment of two farms in two zones: one refresh per touched zone, after every write", async () => {
    const from = mark(ctx.emu);
    await ctx.up();
    expect(ops(ctx.engine.steps)).toEqual([
      "create api", "create api-1", "create api-2", "create lb", "create lb-commit", "create lb-start",
      "create web", "create web-1", "create web-2", "create web-3",
    ]);
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.create.batch);
    expectRefreshesLast(ctx.emu, from);
    // The start is registered before every member, the commit (which applies) after all of them.
    const creates = ctx.engine.calls.filter((c) => c.method === "create").map(shortName);
    expect(creates[0]).toBe("create lb-start");
    expect(creates[creates.length - 1]).toBe("create lb-commit");
    expectLive(ctx);
  });

  it("no change: no write, no refresh, and the batch itself calls no API", async () => {
    const from = mark(ctx.emu);
    await ctx.up();
    expect(ctx.engine.steps.every((s) => s.op === "same")).toBe(true);
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.noChange.batch);
    expect(writesSince(ctx.emu, from)).toEqual([]);
    expect(calls(ctx.emu, from).sort()).toEqual(managed(ctx.engine).map((r) => `GET ${apiPath(r)}`).sort());
  });

  it("one weight changed: the member writes, the commit applies with one refresh of that zone", async () => {
    farm(ctx.desired, "api").servers[0].weight = 4;
    const from = mark(ctx.emu);
    await ctx.up();
    expect(ctx.engine.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual(["update api-1", "update lb-commit"]);
    expect(writesSince(ctx.emu, from).map((r) => [r.method, r.body])).toEqual([["PUT", { weight: 4 }], ["POST", { zone: "rbx" }]]);
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.weight.batch);
    expectLive(ctx);
  });

  it("two servers removed: one refresh, posted by deleting the old start AFTER the removed members", async () => {
    farm(ctx.desired, "web").servers = farm(ctx.desired, "web").servers.slice(0, 1);
    const oldStart = [...ctx.engine.state.values()].find((r) => r.name === "lb-start")!.id;
    const from = mark(ctx.emu);
    await ctx.up();

    expect(ops(ctx.engine.steps).filter((s) => !s.startsWith("same"))).toEqual(
      ["delete web-2", "delete web-3", "replace lb-start", "update lb-commit"]);
    // The member set changed, so the start is replaced, create before delete: the new one is created at registration,
    // the old one deleted at the end, after the members that depend on it (ScheduleDeletes: dependents first).
    expect(ctx.engine.steps.find((s) => s.name === "lb-start")).toMatchObject({ op: "replace", replaces: ["members"], oldId: oldStart });
    const sequence = ctx.engine.calls.filter((c) => c.method !== "check" && c.method !== "diff").map(shortName);
    expect(sequence.slice(0, 2)).toEqual(["create lb-start", "update lb-commit"]);
    expect(sequence.slice(2, 4).sort()).toEqual(["delete web-2", "delete web-3"]);
    expect(sequence.slice(4)).toEqual(["delete lb-start"]);

    expect(requestsSince(ctx.emu, from).filter((r) => r.method !== "GET").map((r) => r.method)).toEqual(["DELETE", "DELETE", "POST"]);
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.removeTwo.batch);
    // The removals are live when the run ends.
    expectLive(ctx);
  });

  it("an addition, a change and a removal in one run: previewed without a write, then one refresh per touched zone", async () => {
    const web = farm(ctx.desired, "web");
    web.servers = [{ name: "web-4", address: "192.0.2.4", weight: 1, cookie: "w4" }];
    farm(ctx.desired, "api").servers[1].weight = 7;
    const planned = ["create web-4", "delete web-1", "replace lb-start", "update api-2", "update lb-commit"];
    let from = mark(ctx.emu);
    await ctx.up(true);
    expect(ops(ctx.engine.steps).filter((s) => !s.startsWith("same"))).toEqual(planned);
    expect(writesSince(ctx.emu, from)).toEqual([]);

    from = mark(ctx.emu);
    await ctx.up();
    expect(ops(ctx.engine.steps).filter((s) => !s.startsWith("same"))).toEqual(planned);
    expect(writesSince(ctx.emu, from).filter((r) => !r.path.endsWith("/refresh")).map((r) => r.method).sort()).toEqual(["DELETE", "POST", "PUT"]);
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.mixed.batch);
    expectRefreshesLast(ctx.emu, from);
    expectLive(ctx);
  });

  it("destroy: everything gone and live, one refresh per zone, the start deleted last", async () => {
    const from = mark(ctx.emu);
    await ctx.engine.destroy();
    const deletes = ctx.engine.calls.filter((c) => c.method === "delete").map(shortName);
    expect(deletes[deletes.length - 1]).toBe("delete lb-start");
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.destroy.batch);
    expectRefreshesLast(ctx.emu, from);
    expect(ctx.engine.state.size).toBe(0);
    ctx.desired.farms = [];
    expectLive(ctx);
  });
});

describe("the same runs without a batch (immediate mode), for comparison", () => {
  const ctx = setup(false);

  it("first deployment: each farm's zone refreshed once for the farms, then once more for their servers", async () => {
    const from = mark(ctx.emu);
    await ctx.up();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.create.immediate);
    expectLive(ctx);
  });

  it("no change: no write, no refresh", async () => {
    const from = mark(ctx.emu);
    await ctx.up();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.noChange.immediate);
    expect(writesSince(ctx.emu, from)).toEqual([]);
  });

  it("one weight changed: one refresh, as with a batch", async () => {
    farm(ctx.desired, "api").servers[0].weight = 4;
    const from = mark(ctx.emu);
    await ctx.up();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.weight.immediate);
    expectLive(ctx);
  });

  it("two servers removed: deleted side by side (one antichain), so they share one refresh", async () => {
    farm(ctx.desired, "web").servers = farm(ctx.desired, "web").servers.slice(0, 1);
    const from = mark(ctx.emu);
    await ctx.up();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.removeTwo.immediate);
    expectLive(ctx);
  });

  it("an addition, a change and a removal: the deletes come after the writes were applied, so gra is refreshed twice", async () => {
    farm(ctx.desired, "web").servers = [{ name: "web-4", address: "192.0.2.4", weight: 1, cookie: "w4" }];
    farm(ctx.desired, "api").servers[1].weight = 7;
    const from = mark(ctx.emu);
    await ctx.up();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.mixed.immediate);
    expectLive(ctx);
  });

  it("destroy: the servers' antichain, then the farms', each refreshed per zone", async () => {
    const from = mark(ctx.emu);
    await ctx.engine.destroy();
    expect(refreshedZones(ctx.emu, from)).toEqual(REFRESHES.destroy.immediate);
    ctx.desired.farms = [];
    expectLive(ctx);
  });
});

describe("a Refresh batch touching every zone of a two-zone load balancer", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05, zones: ["gra", "rbx"] })));
  afterAll(() => emu.close());

  it("applies with ONE refresh without a zone (changes/makeLive.ts), on create and on destroy", async () => {
    const engine = new MiniEngine(new InProcessHost(PROJECT));
    const desired = twoZones(emu.serviceName, true);
    let from = mark(emu);
    await runWithMocks(engine, iplbProgram(desired), { project: PROJECT, stack: "all-zones", config: emulatorSettings(emu) });
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    expect(runningView(emu, "gra")).toEqual(expectedView(desired, "gra"));
    expect(runningView(emu, "rbx")).toEqual(expectedView(desired, "rbx"));
    expect(pendingChanges(emu)).toEqual([]);

    from = mark(emu);
    await engine.destroy();
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    expect(stagedView(emu)).toEqual([]);
    expect(runningView(emu, "gra")).toEqual([]);
    expect(runningView(emu, "rbx")).toEqual([]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("a Refresh batch member replaced without the batch seeing it coming", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05 })));
  afterAll(() => emu.close());

  it("moves a server to another farm: the old server's deletion is applied with the creation, nothing left pending", async () => {
    const engine = new MiniEngine(new InProcessHost(PROJECT));
    const server = { name: "s-1", address: "192.0.2.1", weight: 1, cookie: "s1" };
    const desired: Desired = {
      serviceName: emu.serviceName,
      batch: true,
      farms: [
        { name: "blue", type: "http", zone: "gra", port: 80, servers: [server] },
        { name: "green", type: "http", zone: "gra", port: 81, servers: [] },
      ],
    };
    const up = () => runWithMocks(engine, iplbProgram(desired), { project: PROJECT, stack: "move", config: emulatorSettings(emu) });
    await up();
    const oldServer = apiPath(managed(engine).find((r) => r.name === "s-1")!);

    desired.farms[0].servers = [];
    desired.farms[1].servers = [server];
    const from = mark(emu);
    await up();
    // `farmId` is an Output, so the batch's fingerprint is unchanged and its start is NOT replaced: no deletion runs
    // at the end of the run. The member is therefore replaced delete-first, before the commit applies.
    expect(ops(engine.steps).filter((s) => !s.startsWith("same"))).toEqual(["replace s-1", "update lb-commit"]);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE ${oldServer}`,
      `POST ${apiPath(managed(engine).find((r) => r.name === "green")!)}/server`,
      `POST /ipLoadbalancing/${emu.serviceName}/refresh`,
    ]);
    expect(pendingChanges(emu)).toEqual([]);
    expect(runningView(emu, "gra")).toEqual(expectedView(desired, "gra"));
    expect(stateView(engine)).toEqual(apiStateView(emu));
  });
});

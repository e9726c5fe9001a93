/**
 * Program lifecycles (layer C): a program declaring an HTTP farm (cookie stickiness, HTTP probe, three servers) and a
 * TCP farm (source-IP stickiness, two servers), run again and again with state kept in a MiniEngine, against the
 * emulator. After every run the emulator's running configuration must be the program, nothing may be left pending,
 * and the request log shows exactly what the run cost (writes, refreshes, reads).
 *
 * The `it`s of a lifecycle `describe` are the successive runs of ONE stack and depend on each other, in order.
 *
 * What this does not prove: the Go engine itself. The MiniEngine applies our reading of its rules (registrations run
 * concurrently, a resource registers once the resources whose outputs it takes are done, deletes go dependents first);
 * refresh counts with and without a `Refresh` batch are compared in refreshBatch.test.ts.
 */
import type { OvhClient } from "ovh";
import * as iplb from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { MiniEngine } from "../helpers/miniEngine";
import {
  applyPendingOutOfBand, calls, mark, outOfBand, pendingChanges, refreshesSince, requestsSince, writesSince,
} from "../provider/support";
import {
  apiPath, Desired, expectedView, iplbProgram, managed, ops, runningView, stagedView, stateView,
} from "./iplbProgram";
import { quickstart, farm, stack, resourceId, pathOf, expectLive } from "./lifecycleSupport";

describe("a stack with an HTTP and a TCP farm, run after run (in-process host)", () => {
  let emu: Emulator;
  let client: OvhClient;
  let svc: string;
  let engine: MiniEngine;
  let up: ReturnType<typeof stack>["up"];
  let desired: Desired;
  /** Made out of band in step 7; only read by the program, never managed. */
  let external: { farmId: number };

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.05 });
    client = outOfBand(emu);
    svc = emu.serviceName;
    ({ engine, up } = stack(emu));
    desired = quickstart(svc);
  });
  afterAll(() => emu.close());

  it("1. creates both farms and their five servers, live in gra when `up` returns", async () => {
    const from = mark(emu);
    const outputs = await up(desired);

    expect(ops(engine.steps)).toEqual(
      ["create cache", "create cache-1", "create cache-2", "create web", "create web-1", "create web-2", "create web-3"]);
    expectLive(emu, engine, desired, "gra");
    // Stack outputs are the ids the API gave.
    const state = stateView(engine);
    expect(outputs).toEqual({
      farmIds: { web: Number((state.web.id as string).split("/")[1]), cache: Number((state.cache.id as string).split("/")[1]) },
      serverIds: Object.fromEntries(["web-1", "web-2", "web-3", "cache-1", "cache-2"].map((n) => [n, state[n].id])),
    });
    // Two farm POSTs side by side share one refresh of gra; the five servers (each waits for its farm's id) share another.
    const writes = writesSince(emu, from);
    expect(writes.filter((r) => /\/(http|tcp)\/farm$/.test(r.path))).toHaveLength(2);
    expect(writes.filter((r) => /\/farm\/\d+\/server$/.test(r.path))).toHaveLength(5);
    expect(writes.filter((r) => r.method !== "POST")).toEqual([]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }, { zone: "gra" }]);
  });

  it("2. the same program again: only `same` steps, no write, no refresh, one GET per resource", async () => {
    const from = mark(emu);
    await up(desired);

    expect(ops(engine.steps)).toEqual(
      ["same cache", "same cache-1", "same cache-2", "same web", "same web-1", "same web-2", "same web-3"]);
    expect(writesSince(emu, from)).toEqual([]);
    // The whole cost of a no-op run: each diff reads its object once, nothing else is called.
    expect(calls(emu, from).sort()).toEqual(managed(engine).map((r) => `GET ${apiPath(r)}`).sort());
    expectLive(emu, engine, desired, "gra");
  });

  it("3. one weight changed: one update, exactly one PUT with that field and one refresh", async () => {
    farm(desired, "web").servers[1].weight = 5;
    const from = mark(emu);
    await up(desired);

    expect(engine.steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name, s.detailedDiff])).toEqual([["update", "web-2", ["weight"]]]);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", pathOf(engine, "web-2"), { weight: 5 }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expectLive(emu, engine, desired, "gra");
  });

  it("4. stickiness dropped, a server and the TCP farm removed, a server readdressed: its replace creates before it deletes", async () => {
    const web = farm(desired, "web");
    delete web.stickiness;
    web.servers = [web.servers[0], { ...web.servers[1], address: "192.0.2.22" }];
    desired.farms = [web];
    const oldWeb2 = pathOf(engine, "web-2");
    const oldWeb2Id = resourceId(engine, "web-2");
    const oldCache = pathOf(engine, "cache");
    const from = mark(emu);
    await up(desired);

    expect(ops(engine.steps)).toEqual(
      ["delete cache", "delete cache-1", "delete cache-2", "delete web-3", "replace web-2", "same web-1", "update web"]);
    expect(engine.steps.find((s) => s.name === "web-2")).toMatchObject({ replaces: ["address"], oldId: oldWeb2Id, id: resourceId(engine, "web-2") });
    expect(resourceId(engine, "web-2")).not.toBe(oldWeb2Id);
    const log = requestsSince(emu, from);
    // Removing a field clears it on the API: the PUT sends null.
    expect(log.filter((r) => r.method === "PUT").map((r) => [r.path, r.body])).toEqual([[pathOf(engine, "web"), { stickiness: null }]]);
    const created = log.findIndex((r) => r.method === "POST" && (r.body as { address?: string })?.address === "192.0.2.22");
    const deletedOld = log.findIndex((r) => r.method === "DELETE" && r.path === oldWeb2);
    expect(created).toBeGreaterThanOrEqual(0);
    expect(deletedOld).toBeGreaterThan(created);
    // Dependents first: both cache servers are deleted before their farm.
    const deletes = log.filter((r) => r.method === "DELETE").map((r) => r.path);
    const cacheServerDeletes = deletes.filter((p) => p.startsWith(`${oldCache}/server/`));
    expect(cacheServerDeletes.map((p) => deletes.indexOf(p) < deletes.indexOf(oldCache))).toEqual([true, true]);
    expect(log.filter((r) => r.status >= 400)).toEqual([]);
    expectLive(emu, engine, desired, "gra");
  });

  it("5. drift: preview shows the update and the re-creation without writing; `up` then repairs both", async () => {
    const web1 = pathOf(engine, "web-1");
    const web2 = pathOf(engine, "web-2");
    const before = stateView(engine);
    await client.requestPromised("PUT", web1, { weight: 9 });
    await client.requestPromised("DELETE", web2);
    await applyPendingOutOfBand(emu, client);

    let from = mark(emu);
    await up(desired, true);
    expect(ops(engine.steps)).toEqual(["replace web-2", "same web", "update web-1"]);
    // A server deleted out of band is re-created: its diff blames the id.
    expect(engine.steps.find((s) => s.name === "web-2")?.replaces).toEqual(["serverId"]);
    expect(writesSince(emu, from)).toEqual([]);
    expect(stateView(engine)).toEqual(before);

    from = mark(emu);
    await up(desired);
    expect(ops(engine.steps)).toEqual(["replace web-2", "same web", "update web-1"]);
    const writes = writesSince(emu, from).map((r) => [r.method, r.path, r.status]);
    expect(writes).toContainEqual(["PUT", web1, 200]);
    expect(writes).toContainEqual(["POST", `${pathOf(engine, "web")}/server`, 200]);
    // The old half of the replace is already gone: its DELETE answers 404, which counts as done.
    expect(writes).toContainEqual(["DELETE", web2, 404]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(resourceId(engine, "web-2")).not.toBe(before["web-2"].id);
    expectLive(emu, engine, desired, "gra");
  });

  it("6. `pulumi refresh` reads every object and records an out-of-band change in state, without writing", async () => {
    await client.requestPromised("PUT", pathOf(engine, "web-1"), { weight: 7 });
    await applyPendingOutOfBand(emu, client);
    const from = mark(emu);
    const steps = await engine.refresh();

    expect(steps.map((s) => [s.op, s.name, s.detailedDiff]).sort()).toEqual([
      ["read", "web", []], ["read", "web-1", ["weight"]], ["read", "web-2", []],
    ]);
    expect(stateView(engine)["web-1"].weight).toBe(7);
    expect(writesSince(emu, from)).toEqual([]);
    expect(calls(emu, from).sort()).toEqual(managed(engine).map((r) => `GET ${apiPath(r)}`).sort());

    // The program still says weight 1: the next `up` puts it back.
    const next = mark(emu);
    await up(desired);
    expect(ops(engine.steps)).toEqual(["same web", "same web-2", "update web-1"]);
    expect(writesSince(emu, next).map((r) => [r.method, r.body])).toEqual([["PUT", { weight: 1 }], ["POST", { zone: "gra" }]]);
    expectLive(emu, engine, desired, "gra");
  });

  it("7. adopts a farm made outside Pulumi (no POST, only the differing field PUT) and reads another with `get`", async () => {
    const farms = `/ipLoadbalancing/${svc}/http/farm`;
    const legacy = (await client.requestPromised("POST", farms, { zone: "gra", port: 8081, displayName: "legacy" })) as { farmId: number };
    external = (await client.requestPromised("POST", farms, { zone: "gra", port: 8082, displayName: "external" })) as { farmId: number };
    await applyPendingOutOfBand(emu, client);
    desired.farms.push({ name: "legacy", type: "http", zone: "gra", port: 8081, balance: "first", adoptFarmId: legacy.farmId, servers: [] });

    const from = mark(emu);
    const outputs = await up(() => {
      const declared = iplbProgram(desired)();
      const seen = iplb.HttpFarm.get("external-view", `${svc}/${external.farmId}`);
      return { ...declared, externalPort: seen.port, externalName: seen.displayName };
    });

    expect(ops(engine.steps)).toEqual(["create legacy", "read external-view", "same web", "same web-1", "same web-2"]);
    expect(outputs).toMatchObject({ externalPort: 8082, externalName: "external" });
    expect(resourceId(engine, "legacy")).toBe(`${svc}/${legacy.farmId}`);
    expect([...engine.state.values()].map((r) => r.name)).not.toContain("external-view");
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", `${farms}/${legacy.farmId}`, { balance: "first" }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    const externalView = { type: "http", displayName: "external", vrackNetworkId: null, zone: "gra", port: 8082, probe: null, balance: null, stickiness: null, servers: [] };
    expect(runningView(emu, "gra")).toEqual([...expectedView(desired, "gra"), externalView].sort((a, b) => String(a.displayName).localeCompare(String(b.displayName))));
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("8. destroy deletes every managed object, servers before their farm, all live; the farm only read stays", async () => {
    const web = pathOf(engine, "web");
    const from = mark(emu);
    const steps = await engine.destroy();

    expect(ops(steps)).toEqual(["delete legacy", "delete web", "delete web-1", "delete web-2"]);
    const deletes = writesSince(emu, from).filter((r) => r.method === "DELETE").map((r) => r.path);
    const serverDeletes = deletes.filter((p) => p.startsWith(`${web}/server/`));
    expect(serverDeletes.map((p) => deletes.indexOf(p) < deletes.indexOf(web))).toEqual([true, true]);
    expect(engine.state.size).toBe(0);
    const externalOnly = [{ type: "http", displayName: "external", vrackNetworkId: null, zone: "gra", port: 8082, probe: null, balance: null, stickiness: null, servers: [] }];
    expect(stagedView(emu)).toEqual(externalOnly);
    expect(runningView(emu, "gra")).toEqual(externalOnly);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("check failures", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05 })));
  afterAll(() => emu.close());

  it("fail the run with the field, the value and the allowed values, before any request is sent", async () => {
    const { engine, up } = stack(emu);
    const bad = quickstart(emu.serviceName);
    bad.farms = [farm(bad, "web")];
    farm(bad, "web").balance = "fastest";
    farm(bad, "web").servers[0] = { ...farm(bad, "web").servers[0], weight: 300, address: "10.0.0.300" };
    const from = mark(emu);

    await expect(up(bad)).rejects.toThrow(
      "pulumi-nodejs:dynamic/iplb:HttpFarm resource 'web' failed check: balance: \"fastest\" is not one of first, leastconn, roundrobin, source, uri");
    // The servers wait for the farm's id, which never comes: the engine stops at the first failure.
    expect(engine.errors).toHaveLength(1);
    expect(emu.requests.length).toBe(from);
    expect(engine.state.size).toBe(1); // the Stack only
  });

  it("report every failure of one resource at once", async () => {
    const { up } = stack(emu);
    const from = mark(emu);
    await expect(up(() => {
      new iplb.HttpFarmServer("web-1", { serviceName: emu.serviceName, farmId: 1, address: "10.0.0.300", weight: 300, status: "active" });
    })).rejects.toThrow(
      "pulumi-nodejs:dynamic/iplb:HttpFarmServer resource 'web-1' failed check: address: \"10.0.0.300\" is not an IPv4 address; weight: 300 is out of range 0..256");
    expect(emu.requests.length).toBe(from);
  });
});

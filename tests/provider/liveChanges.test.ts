/**
 * Changes go live before a provider method returns, with as few refreshes as possible (provider/changes/writeWindow.ts, makeLive.ts):
 * operations running side by side share a refresh per zone, `all` refreshes every zone, someone else's running refresh
 * is waited for, and a refresh that fails or never ends fails the operation while keeping the created object.
 * The emulator has three zones here (gra, rbx, sbg) so that "some zones" and "every zone" differ, and refreshes of
 * 0.3 s so that a refresh started out of band is still running when the provider looks.
 * Not proven here: how the Go engine schedules operations (only Promise.all stands in for its parallelism).
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually } from "../helpers/emulator";
import {
  configured, declared, failureOf, farmId, mark, pendingChanges, Props, Provider, refreshesSince, runningFarm,
  runningServer, withEmulator, writesSince,
} from "./support";

let emu: Emulator;
let client: OvhClient;
let farms: Provider;
let servers: Provider;
let svc: string;
const refreshPath = () => `/ipLoadbalancing/${svc}/refresh`;

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.3, zones: ["gra", "rbx", "sbg"] }, async (started) => {
    ({ emu, client, svc } = started);
    farms = await configured("HttpFarm", emu);
    servers = await configured("HttpFarmServer", emu);
  });

describe("refreshes shared by concurrent operations", () => {
  withOwnEmulator();
  it("makes 5 servers of one farm live with ONE refresh of the farm's zone", async () => {
    const farm = farmId((await farms.create({ serviceName: svc, zone: "gra" })).id);
    const from = mark(emu);
    const created = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => servers.create({ serviceName: svc, farmId: farm, address: `192.0.2.${n}`, status: "active" })),
    );
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(writesSince(emu, from).filter((r) => r.method === "POST" && r.path.endsWith("/server"))).toHaveLength(5);
    for (const { id } of created) expect(runningServer(emu, "gra", Number(id.split("/")[2]))).toMatchObject({ serverId: Number(id.split("/")[2]) });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("makes concurrent updates and deletes of several servers live with one refresh", async () => {
    const farm = farmId((await farms.create({ serviceName: svc, zone: "rbx" })).id);
    const made = await Promise.all([1, 2, 3].map((n) => servers.create({ serviceName: svc, farmId: farm, address: `192.0.2.${10 + n}`, status: "active" })));
    const from = mark(emu);
    await Promise.all([
      servers.update(made[0].id, made[0].outs, { ...made[0].outs, weight: 7 }),
      servers.update(made[1].id, made[1].outs, { ...made[1].outs, status: "inactive" }),
      servers.delete(made[2].id, made[2].outs),
    ]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "rbx" }]);
    expect(runningServer(emu, "rbx", Number(made[0].id.split("/")[2]))).toMatchObject({ weight: 7 });
    expect(runningServer(emu, "rbx", Number(made[1].id.split("/")[2]))).toMatchObject({ status: "inactive" });
    expect(runningServer(emu, "rbx", Number(made[2].id.split("/")[2]))).toBeUndefined();
  });

  it("gives operations on two zones one refresh per zone, each naming its zone", async () => {
    const from = mark(emu);
    const [a, b, c] = await Promise.all([
      farms.create({ serviceName: svc, zone: "gra", displayName: "a" }),
      farms.create({ serviceName: svc, zone: "rbx", displayName: "b" }),
      farms.create({ serviceName: svc, zone: "rbx", displayName: "c" }),
    ]);
    const bodies = refreshesSince(emu, from).map((r) => r.body as Props);
    expect(bodies.sort((x, y) => String(x.zone).localeCompare(String(y.zone)))).toEqual([{ zone: "gra" }, { zone: "rbx" }]);
    expect(runningFarm(emu, "gra", farmId(a.id))).toMatchObject({ farmId: farmId(a.id) });
    expect(runningFarm(emu, "rbx", farmId(b.id))).toMatchObject({ farmId: farmId(b.id) });
    expect(runningFarm(emu, "rbx", farmId(c.id))).toMatchObject({ farmId: farmId(c.id) });
    expect(runningFarm(emu, "sbg", farmId(a.id))).toBeUndefined();
  });

  it("applies a farm in zone `all` to every zone with one refresh without a zone", async () => {
    const from = mark(emu);
    const { id } = await farms.create({ serviceName: svc, zone: "all", displayName: "everywhere" });
    expect(refreshesSince(emu, from).map((r) => [r.body, r.status])).toEqual([[undefined, 200]]);
    for (const zone of ["gra", "rbx", "sbg"]) expect(runningFarm(emu, zone, farmId(id))).toMatchObject({ zone: "all" });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("gives changes in every zone of the service one refresh without a zone", async () => {
    const from = mark(emu);
    const made = await Promise.all(["gra", "rbx", "sbg"].map((zone) => farms.create({ serviceName: svc, zone })));
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    made.forEach(({ id }, i) => expect(runningFarm(emu, ["gra", "rbx", "sbg"][i], farmId(id))).toMatchObject({ farmId: farmId(id) }));
  });

  it("applies a server of an `all` farm to every zone", async () => {
    const farm = await farms.create({ serviceName: svc, zone: "all" });
    const from = mark(emu);
    const { id, outs } = await servers.create({ serviceName: svc, farmId: farmId(farm.id), address: "192.0.2.20", status: "active" });
    expect(outs.zone).toBe("all");
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    for (const zone of ["gra", "rbx", "sbg"]) expect(runningServer(emu, zone, Number(id.split("/")[2]))).toMatchObject({ serverId: Number(id.split("/")[2]) });
  });
});

describe("a refresh started by someone else", () => {
  withOwnEmulator();
  it("is waited for: the provider polls it, then posts its own refresh, and no 409 ever comes back", async () => {
    const theirs = (await client.requestPromised("POST", refreshPath(), { zone: "gra" })) as { id: number };
    await eventually(() => emu.store.service(svc)?.tasks[theirs.id].status === "doing", 30_000, "their refresh to start");
    const from = mark(emu);
    const { id } = await farms.create({ serviceName: svc, zone: "gra", displayName: "after theirs" });
    const log = emu.requests.slice(from);
    expect(log.filter((r) => r.status === 409)).toEqual([]);
    const ourRefresh = log.findIndex((r) => r.method === "POST" && r.path === refreshPath());
    const pollOfTheirs = log.findIndex((r) => r.method === "GET" && r.path === `/ipLoadbalancing/${svc}/task/${theirs.id}`);
    expect(pollOfTheirs).toBeGreaterThanOrEqual(0);
    expect(ourRefresh).toBeGreaterThan(pollOfTheirs);
    expect(emu.store.service(svc)?.tasks[theirs.id].status).toBe("done");
    expect(refreshesSince(emu, from).map((r) => [r.body, r.status])).toEqual([[{ zone: "gra" }, 200]]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ displayName: "after theirs" });
  });
});

describe("a refresh that does not succeed", () => {
  withOwnEmulator();
  it("fails create with an error naming the task, zone and service, carrying id and properties so the engine keeps the farm", async () => {
    emu.faults.refreshOutcome = "error";
    const inputs = { serviceName: svc, zone: "rbx", displayName: "not live", __provider: "shim text" };
    const from = mark(emu);
    const e = await failureOf(farms.create(inputs));
    const farm = Math.max(...Object.keys(emu.store.service(svc)!.staged.farms).map(Number));
    const task = Object.values(emu.store.service(svc)!.tasks).find((t) => t.status === "error");
    expect(task).toMatchObject({ action: "refreshIplb", status: "error", zones: ["rbx"] });
    expect(e.name).toBe("ResourceInitError");
    expect(e.message).toBe(
      `HttpFarm ${svc}/${farm} was created but is not live yet: OVH task ${task!.id} (refreshIplb) on ${svc} ended with status error (zones rbx). ` +
        "The next `pulumi up` will apply it.",
    );
    expect(e.id).toBe(`${svc}/${farm}`);
    expect(e.properties).toEqual({
      farmId: farm, serviceName: svc, zone: "rbx", port: null, displayName: "not live", vrackNetworkId: null,
      balance: null, stickiness: null, probe: null, __provider: "shim text", ...declared(inputs),
    });
    expect(e.reasons).toEqual([`OVH task ${task!.id} (refreshIplb) on ${svc} ended with status error (zones rbx)`]);
    expect(refreshesSince(emu, from)).toHaveLength(1);
    expect(runningFarm(emu, "rbx", farm)).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([{ zone: "rbx", number: 1 }]);

    // The engine updates a resource that has init errors on the next `up`: with nothing to PUT, that applies it.
    emu.faults.refreshOutcome = "done";
    const next = mark(emu);
    await farms.update(e.id as string, e.properties as Props, inputs);
    expect(writesSince(emu, next).map((r) => [r.method, r.path, r.body])).toEqual([["POST", refreshPath(), { zone: "rbx" }]]);
    expect(runningFarm(emu, "rbx", farm)).toMatchObject({ displayName: "not live" });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("fails every operation of the batch that shared the failed refresh, each keeping its own object", async () => {
    const farm = farmId((await farms.create({ serviceName: svc, zone: "gra" })).id);
    emu.faults.refreshOutcome = "error";
    const from = mark(emu);
    const results = await Promise.allSettled(
      [1, 2].map((n) => servers.create({ serviceName: svc, farmId: farm, address: `192.0.2.${30 + n}`, status: "active" })),
    );
    const failures = results.map((r) => (r.status === "rejected" ? (r.reason as Error & { id: string; properties: Props }) : undefined));
    const task = Object.values(emu.store.service(svc)!.tasks).find((t) => t.status === "error" && t.zones.join() === "gra");
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    const staged = Object.keys(emu.store.service(svc)!.staged.servers).map(Number).filter((id) => emu.store.service(svc)!.staged.servers[id].farmId === farm);
    expect(failures.map((e) => e?.id).sort()).toEqual(staged.map((id) => `${svc}/${farm}/${id}`).sort());
    for (const e of failures) {
      expect(e?.name).toBe("ResourceInitError");
      expect(e?.message).toContain(`OVH task ${task!.id} (refreshIplb) on ${svc} ended with status error (zones gra)`);
      expect(e?.properties).toMatchObject({ farmId: farm, zone: "gra", status: "active" });
    }
  });

  // Last: the task that never ends keeps sbg busy for the rest of this emulator's life.
  it("times out after ovh-iplb:taskTimeoutSeconds when the refresh never ends, still carrying the id", async () => {
    emu.faults.refreshOutcome = "never";
    const impatient = await configured("HttpFarm", emu, { "ovh-iplb:taskTimeoutSeconds": "0.5" });
    const started = Date.now();
    const e = await failureOf(impatient.create({ serviceName: svc, zone: "sbg" }));
    const elapsed = Date.now() - started;
    const task = Object.values(emu.store.service(svc)!.tasks).find((t) => t.status === "doing");
    expect(e.name).toBe("ResourceInitError");
    expect(e.message).toMatch(
      new RegExp(`^HttpFarm ${svc}/(\\d+) was created but is not live yet: OVH task ${task!.id} \\(refreshIplb\\) on ${svc} was still doing after 500 ms\\.`),
    );
    expect(e.id).toMatch(new RegExp(`^${svc}/\\d+$`));
    expect(elapsed).toBeGreaterThanOrEqual(500); // it waited the whole timeout (no upper bound: a loaded machine is slow)
  });
});

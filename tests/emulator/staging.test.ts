/**
 * Staged configuration as a client sees it (ovh-iplb-api.md 3 and 10): every farm, server and frontend write counts
 * in `pendingChanges` for the zones it touches, GET shows it at once, and a zone runs it (`emu.running(zone)`) only
 * once a `POST refresh` task covering that zone is done. Each describe starts its own emulator so counts start at 0.
 * Not proven here: task listing and filters (tasks.test.ts) and health probes of running servers.
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";

type Body = Record<string, unknown>;
interface Task { id: number; status: string; zones: string[]; action: string }

function harness(options: { refreshSeconds?: number } = {}) {
  const h = {} as { emu: Emulator; client: OvhClient };
  beforeAll(async () => {
    h.emu = await startTestEmulator(options);
    h.client = ovhClient(h.emu);
  });
  afterAll(() => h.emu.close());
  const call = (method: string, suffix: string, body?: object) => h.client.requestPromised(method, svcPath(h.emu, suffix), body);
  return {
    h,
    call,
    post: async (suffix: string, body: Body) => (await call("POST", suffix, body)) as Body,
    /** pendingChanges as `{zone: number}`, so the order of the answer does not matter. */
    pending: async () =>
      Object.fromEntries(((await call("GET", "/pendingChanges")) as { zone: string; number: number }[]).map((p) => [p.zone, p.number])),
    refresh: async (zone?: string) => (await call("POST", "/refresh", zone === undefined ? undefined : { zone })) as Task,
    until: (task: Task, status: string) =>
      eventually(async () => ((await call("GET", `/task/${task.id}`)) as Task).status === status, 30_000, `task ${task.id} ${status}`),
  };
}

describe("pendingChanges", () => {
  const { post, call, pending } = harness();

  it("counts each farm, server and frontend write once in the zone it touches; a server counts in its farm's zone", async () => {
    expect(await pending()).toEqual({});
    const farm = await post("/http/farm", { zone: "gra" });
    expect(await pending()).toEqual({ gra: 1 });
    const server = await post(`/http/farm/${farm.farmId}/server`, { address: "10.0.0.1", status: "active" });
    await call("PUT", `/http/farm/${farm.farmId}/server/${server.serverId}`, { weight: 2 });
    expect(await pending()).toEqual({ gra: 3 });
    await post("/tcp/frontend", { zone: "rbx", port: "443" });
    expect(await pending()).toEqual({ gra: 3, rbx: 1 });
    await call("DELETE", `/http/farm/${farm.farmId}`);
    expect(await pending()).toEqual({ gra: 4, rbx: 1 });
  });

  it("counts a write on an `all` farm, its servers and an `all` frontend in every zone", async () => {
    const before = await pending();
    const farm = await post("/udp/farm", { zone: "all", port: 53 });
    await post(`/udp/farm/${farm.farmId}/server`, { address: "10.0.0.2", status: "active" });
    await post("/udp/frontend", { zone: "all", port: "53" });
    expect(await pending()).toEqual({ gra: before.gra + 3, rbx: before.rbx + 3 });
  });

  it("counts a frontend moved to another zone in both zones", async () => {
    const fe = await post("/http/frontend", { zone: "gra", port: "80" });
    const before = await pending();
    await call("PUT", `/http/frontend/${fe.frontendId}`, { zone: "rbx" });
    expect(await pending()).toEqual({ gra: before.gra + 1, rbx: before.rbx + 1 });
  });
});

describe("staged and running configuration", () => {
  const { h, post, call, pending, refresh, until } = harness();

  it("shows a change in GET at once while the zone keeps running the old value until the refresh is done", async () => {
    const farm = await post("/tcp/farm", { zone: "gra", port: 80 });
    const id = farm.farmId as number;
    expect(h.emu.running("gra").farms[id]).toBeUndefined();
    await until(await refresh("gra"), "done");
    expect(h.emu.running("gra").farms[id].data.port).toBe(80);
    expect(await pending()).toEqual({});

    await call("PUT", `/tcp/farm/${id}`, { port: 81 });
    expect(await call("GET", `/tcp/farm/${id}`)).toMatchObject({ port: 81 });
    expect(h.emu.running("gra").farms[id].data.port).toBe(80);
    expect(await pending()).toEqual({ gra: 1 });

    const task = await refresh("gra");
    expect(task).toMatchObject({ action: "refreshIplb", zones: ["gra"] });
    await until(task, "done");
    expect(h.emu.running("gra").farms[id].data.port).toBe(81);
    expect(await pending()).toEqual({});
  });

  it("keeps the other zone pending after a refresh of one zone, and applies every zone on a refresh without zone", async () => {
    const farm = await post("/http/farm", { zone: "all" });
    const id = farm.farmId as number;
    const server = await post(`/http/farm/${id}/server`, { address: "10.0.0.3", status: "active" });
    expect(await pending()).toEqual({ gra: 2, rbx: 2 });

    await until(await refresh("gra"), "done");
    expect(await pending()).toEqual({ rbx: 2 });
    expect(h.emu.running("gra").servers[server.serverId as number].data.address).toBe("10.0.0.3");
    expect(h.emu.running("rbx").farms[id]).toBeUndefined();

    const task = await refresh();
    expect(task.zones).toEqual(["gra", "rbx"]);
    await until(task, "done");
    expect(await pending()).toEqual({});
    expect(h.emu.running("rbx").farms[id].data.zone).toBe("all");
    expect(h.emu.running("rbx").servers[server.serverId as number].farmId).toBe(id);
  });

  it("keeps a deleted frontend running until the refresh is done", async () => {
    const fe = await post("/udp/frontend", { zone: "rbx", port: "53" });
    const id = fe.frontendId as number;
    await until(await refresh("rbx"), "done");
    await call("DELETE", `/udp/frontend/${id}`);
    expect(await rejection(call("GET", `/udp/frontend/${id}`))).toMatchObject({ error: 404 });
    expect(h.emu.running("rbx").frontends[id].data.port).toBe("53");
    await until(await refresh("rbx"), "done");
    expect(h.emu.running("rbx").frontends[id]).toBeUndefined();
  });
});

describe("writes during a refresh", () => {
  const { h, post, call, pending, refresh, until } = harness({ refreshSeconds: 1 });

  it("keeps a write made while a refresh is `doing` pending after it, and out of the running configuration", async () => {
    const farm = await post("/http/farm", { zone: "gra", port: 80 });
    const id = farm.farmId as number;
    const task = await refresh();
    await until(task, "doing");
    await call("PUT", `/http/farm/${id}`, { port: 99 });
    expect(await pending()).toEqual({ gra: 2 });
    await until(task, "done");
    expect(await pending()).toEqual({ gra: 1 });
    expect(h.emu.running("gra").farms[id].data.port).toBe(80);
    expect(await call("GET", `/http/farm/${id}`)).toMatchObject({ port: 99 });
  });

  it("answers 409 to a second refresh while one runs, for all zones or one of them", async () => {
    await post("/tcp/farm", { zone: "rbx" });
    const task = await refresh();
    const busy = { error: 409, message: `A refresh is already in progress on zone gra, rbx (task ${task.id})` };
    expect(await rejection(refresh())).toEqual(busy);
    expect(await rejection(refresh("rbx"))).toEqual({ error: 409, message: `A refresh is already in progress on zone rbx (task ${task.id})` });
    await until(task, "done");
    expect(await pending()).toEqual({});
  });
});

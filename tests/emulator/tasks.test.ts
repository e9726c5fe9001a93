/**
 * `POST .../refresh` and the task views (ovh-iplb-api.md section 10): the todo -> doing -> done sequence seen by
 * polling `task/{id}`, the `/task` filters, overlap and bad zones. The staged -> live effect of a done refresh is
 * checked with one HTTP farm (the farms family), so this file also fails if farm creation does.
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";

interface Task {
  id: number;
  action: string;
  status: string;
  progress: number;
  zones: string[];
  creationDate: string;
  doneDate: string | null;
}

describe("emulator refresh tasks", () => {
  let emu: Emulator;
  let client: OvhClient;
  const task = (id: number) => client.requestPromised("GET", svcPath(emu, `/task/${id}`)) as Promise<Task>;
  const refresh = (zone?: string) => client.requestPromised("POST", svcPath(emu, "/refresh"), zone ? { zone } : {}) as Promise<Task>;
  const waitFor = (id: number, status: string) => eventually(async () => (await task(id)).status === status, 30_000, `task ${id} ${status}`);

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.4 });
    client = ovhClient(emu);
  });
  afterAll(() => emu.close());

  it("moves a refresh task todo -> doing -> done, seen by polling task/{id}", async () => {
    const created = await refresh();
    expect(created).toMatchObject({ action: "refreshIplb", status: "todo", progress: 0, zones: ["gra", "rbx"], doneDate: null });
    const seen = [created.status];
    let last = created;
    while (last.status !== "done" && last.status !== "error") {
      await new Promise((r) => setTimeout(r, 10));
      last = await task(created.id);
      if (seen[seen.length - 1] !== last.status) seen.push(last.status);
    }
    expect(seen).toEqual(["todo", "doing", "done"]);
    expect(last).toMatchObject({ id: created.id, status: "done", progress: 100, creationDate: created.creationDate });
    expect(Date.parse(last.doneDate as string)).toBeGreaterThanOrEqual(Date.parse(created.creationDate));
  });

  it("filters /task by action and status", async () => {
    const all = (await client.requestPromised("GET", svcPath(emu, "/task"))) as number[];
    const refreshes = (await client.requestPromised("GET", svcPath(emu, "/task"), { action: "refreshIplb" })) as number[];
    const installs = (await client.requestPromised("GET", svcPath(emu, "/task"), { action: "installIplb" })) as number[];
    const done = (await client.requestPromised("GET", svcPath(emu, "/task"), { action: "refreshIplb", status: "done" })) as number[];
    const doing = (await client.requestPromised("GET", svcPath(emu, "/task"), { status: "doing" })) as number[];
    expect(installs).toEqual([1]);
    expect(refreshes.length).toBe(1);
    expect(all).toEqual([...installs, ...refreshes].sort((a, b) => a - b));
    expect(done).toEqual(refreshes);
    expect(doing).toEqual([]);
  });

  it("answers 409 to a refresh overlapping one still running, and allows another zone", async () => {
    const first = await refresh("gra");
    const overlapAll = await rejection(refresh());
    expect(overlapAll.error).toBe(409);
    expect(overlapAll.message).toBe(`A refresh is already in progress on zone gra (task ${first.id})`);
    expect((await rejection(refresh("gra"))).error).toBe(409);
    const other = await refresh("rbx");
    expect(other.zones).toEqual(["rbx"]);
    await waitFor(first.id, "done");
    await waitFor(other.id, "done");
  });

  it("answers 400 to a refresh of a zone the service does not have", async () => {
    const err = await rejection(refresh("waw"));
    expect(err).toEqual({ error: 400, message: "[zone] Given data (waw) is not a zone of this load balancer (gra, rbx)" });
  });

  it("answers 404 for an unknown task id", async () => {
    const err = await rejection(task(999999));
    expect(err).toEqual({ error: 404, message: "The requested object (id = 999999) does not exist" });
  });

  it("makes staged changes live when done and clears pendingChanges", async () => {
    const farm = (await client.requestPromised("POST", svcPath(emu, "/http/farm"), { zone: "gra", port: 8080 })) as { farmId: number };
    await expect(client.requestPromised("GET", svcPath(emu, "/pendingChanges"))).resolves.toEqual([{ zone: "gra", number: 1 }]);
    expect(emu.running("gra").farms[farm.farmId]).toBeUndefined();
    const t = await refresh("gra");
    await waitFor(t.id, "done");
    expect(emu.running("gra").farms[farm.farmId]).toMatchObject({ type: "http", data: { farmId: farm.farmId, port: 8080 } });
    await expect(client.requestPromised("GET", svcPath(emu, "/pendingChanges"))).resolves.toEqual([]);
  });
});

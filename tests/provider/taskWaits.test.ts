/**
 * Waiting for OVH tasks as terraform-provider-ovh does: a `blocked` task is still running (OVH holds it, then it
 * resumes), and the whole wait of one write for its changes to go live (someone else's refreshes, then ours) is bounded
 * by `ovh-iplb:taskTimeoutSeconds` in total, not once per task it waits for.
 */
import { Emulator, ovhClient, svcPath } from "../helpers/emulator";
import { configured, failureOf, farmId, mark, requestsSince, runningFarm, withEmulator } from "./support";

let emu: Emulator;

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.4, zones: ["gra", "rbx", "sbg"] }, (started) => {
    emu = started.emu;
  });

describe("a blocked refresh", () => {
  withOwnEmulator();
  it("is waited for until it ends: the farm is created and runs, where it used to fail at the first poll", async () => {
    emu.faults.refreshOutcome = "blocked";
    const farms = await configured("HttpFarm", emu);
    const from = mark(emu);
    const { id } = await farms.create({ serviceName: emu.serviceName, zone: "gra" });
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ farmId: farmId(id), zone: "gra" });
    const polls = requestsSince(emu, from, "GET", /\/task\/\d+$/).map((r) => r.path);
    expect(new Set(polls).size).toBe(1);
    const task = Object.values(emu.store.service(emu.serviceName)!.tasks).find((t) => t.action === "refreshIplb");
    expect(task).toMatchObject({ status: "done" });
  });
});

describe("a refresh of someone else that starts as ours is posted, and never ends", () => {
  withOwnEmulator();
  it("ends the write with a timeout naming it within the one budget, not a bare 409 after five timeouts", async () => {
    const client = ovhClient(emu);
    await client.requestPromised("GET", svcPath(emu)); // the client's clock is synced before the race below
    const impatient = await configured("HttpFarm", emu, { "ovh-iplb:taskTimeoutSeconds": "1" });
    // Our POST .../refresh is held 2 s; meanwhile another tool's refresh of the same zone starts, and never ends.
    emu.faults.methods = ["POST"];
    let theirs: Promise<unknown> | undefined;
    const stop = emu.onRequest((log) => {
      const last = log[log.length - 1];
      if (theirs || last.method !== "POST" || !last.path.endsWith("/refresh")) return;
      emu.faults.refreshOutcome = "never";
      theirs = client.requestPromised("POST", svcPath(emu, "/refresh"), { zone: "gra" });
    });
    const created = impatient.create({ serviceName: emu.serviceName, zone: "gra" });
    emu.faults.latencySpikes = { count: 2, ms: 2000 }; // the farm's POST, then the refresh's
    const e = await failureOf(created);
    stop();
    const stuck = (await theirs) as { id: number };
    expect(e.name).toBe("ResourceInitError");
    expect(e.message).toContain(`OVH task ${stuck.id} (refreshIplb) on ${emu.serviceName} was still doing after 1 s`);
    expect(e.message).not.toContain("409");
  });
});

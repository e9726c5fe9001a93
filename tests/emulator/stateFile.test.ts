/**
 * `stateFile`: an emulator restarted on the same file accepts the same credentials and serves the same state
 * (staged and running configuration, tasks, id counter). Uses one HTTP farm (the farms family).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, eventually, ovhClient, startTestEmulator, svcPath } from "../helpers/emulator";

describe("emulator state file", () => {
  let dir: string;
  let stateFile: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-state-"));
    stateFile = path.join(dir, "state.json");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("restarts with the same credentials and the same state", async () => {
    let first: Emulator | undefined = await startTestEmulator({ stateFile });
    let farmId: number;
    let taskId: number;
    try {
      const client = ovhClient(first);
      await client.requestPromised("PUT", svcPath(first), { displayName: "kept across restarts" });
      farmId = ((await client.requestPromised("POST", svcPath(first, "/http/farm"), { zone: "gra", port: 8080, displayName: "web" })) as { farmId: number }).farmId;
      taskId = ((await client.requestPromised("POST", svcPath(first, "/refresh"), { zone: "gra" })) as { id: number }).id;
      await eventually(async () => ((await client.requestPromised("GET", svcPath(first!, `/task/${taskId}`))) as { status: string }).status === "done", 3000);
      await client.requestPromised("POST", svcPath(first, "/tcp/farm"), { zone: "rbx", port: 5432 }); // staged, not refreshed
    } finally {
      await first.close();
    }
    const saved = { applicationKey: first.applicationKey, applicationSecret: first.applicationSecret, consumerKey: first.consumerKey };
    first = undefined;
    expect(fs.existsSync(stateFile)).toBe(true);

    const second = await startTestEmulator({ stateFile });
    try {
      expect({ applicationKey: second.applicationKey, applicationSecret: second.applicationSecret, consumerKey: second.consumerKey }).toEqual(saved);
      const client = ovhClient(second);
      await expect(client.requestPromised("GET", svcPath(second))).resolves.toMatchObject({ displayName: "kept across restarts" });
      await expect(client.requestPromised("GET", svcPath(second, `/http/farm/${farmId}`))).resolves.toMatchObject({ farmId, zone: "gra", port: 8080, displayName: "web" });
      await expect(client.requestPromised("GET", svcPath(second, `/task/${taskId}`))).resolves.toMatchObject({ status: "done", action: "refreshIplb" });
      await expect(client.requestPromised("GET", svcPath(second, "/pendingChanges"))).resolves.toEqual([{ zone: "rbx", number: 1 }]);
      expect(second.running("gra").farms[farmId]).toMatchObject({ type: "http" });
      const next = (await client.requestPromised("POST", svcPath(second, "/udp/farm"), { zone: "gra", port: 53 })) as { farmId: number };
      expect(next.farmId).toBeGreaterThan(farmId);
    } finally {
      await second.close();
    }
  });

  it("finishes, at restart, the refresh and IP tasks that were still running when it stopped", async () => {
    const file = path.join(dir, "interrupted.json");
    const first = await startTestEmulator({ stateFile: file, faults: { refreshOutcome: "never", ipTaskOutcome: "never" } });
    let farmId: number;
    let taskId: number;
    try {
      const client = ovhClient(first);
      farmId = ((await client.requestPromised("POST", svcPath(first, "/http/farm"), { zone: "gra", port: 80 })) as { farmId: number }).farmId;
      taskId = ((await client.requestPromised("POST", svcPath(first, "/refresh"), { zone: "gra" })) as { id: number }).id;
      await client.requestPromised("POST", `/ip/${encodeURIComponent("203.0.113.10/32")}/move`, { to: first.serviceName });
    } finally {
      await first.close();
    }
    const second = await startTestEmulator({ stateFile: file });
    try {
      const client = ovhClient(second);
      await expect(client.requestPromised("GET", svcPath(second, `/task/${taskId}`))).resolves.toMatchObject({ status: "done" });
      expect(second.running("gra").farms[farmId]).toMatchObject({ type: "http" });
      await expect(client.requestPromised("GET", svcPath(second, "/pendingChanges"))).resolves.toEqual([]);
      await expect(client.requestPromised("GET", svcPath(second, "/failover"))).resolves.toContain("203.0.113.10/32");
      // Nothing is left blocking: a new refresh is accepted.
      await expect(client.requestPromised("POST", svcPath(second, "/refresh"), { zone: "gra" })).resolves.toMatchObject({ action: "refreshIplb" });
    } finally {
      await second.close();
    }
  });

  it("starts from the seed and writes the file when it does not exist yet", async () => {
    const fresh = path.join(dir, "fresh.json");
    const emu = await startTestEmulator({ stateFile: fresh });
    await emu.close();
    const written = JSON.parse(fs.readFileSync(fresh, "utf8")) as { credentials: unknown; services: Record<string, unknown> };
    expect(written.credentials).toEqual({ applicationKey: emu.applicationKey, applicationSecret: emu.applicationSecret, consumerKey: emu.consumerKey });
    expect(Object.keys(written.services)).toContain(emu.serviceName);
  });
});

/**
 * End to end, as close to `pulumi up` as this machine allows: a real TypeScript program (tests/fixtures/programs/e2e) run by the
 * Node language runtime (`@pulumi/pulumi/cmd/run`, ts-node) in its own process, its registrations applied by the mini
 * engine, every provider call made by the real dynamic-provider host process, against the emulator. Three runs with
 * state kept: create; then a weight change, stickiness cookie -> none, a server and a farm removed, a server replaced
 * by a new address; then unchanged. After each run the emulator's running configuration must equal the program, with
 * nothing pending; writes and refreshes are counted from the emulator's request log.
 *
 * Not proven here: the Go engine itself (its step scheduling and parallelism); the mini engine applies its rules.
 */
import type { Emulator, RequestLogEntry } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runProgram, ProgramRunResult } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import {
  Desired, E2E_PROGRAM as PROGRAM, E2E_PROJECT as PROJECT, expectLiveEquals, FIRST, refreshedZones, refreshes, SECOND, writeKinds, writes,
} from "../helpers/desiredState";

const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

interface Deployment {
  emu: Emulator;
  host: HostDriver;
  engine: MiniEngine;
  run(desired: Desired): Promise<{ result: ProgramRunResult; requests: RequestLogEntry[] }>;
}

async function deployment(zones?: string[]): Promise<Deployment> {
  const emu = await startTestEmulator({ refreshSeconds: 0.1, ...(zones ? { zones } : {}) });
  const host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
  const engine = new MiniEngine(host, { secretKeys: SECRET_KEYS });
  return {
    emu,
    host,
    engine,
    async run(desired) {
      const from = emu.requests.length;
      const config = { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName, [`${PROJECT}:desired`]: JSON.stringify(desired) };
      const result = await runProgram({
        programDir: PROGRAM, project: PROJECT, stack: "e2e", config, secretKeys: SECRET_KEYS, engine,
        // The repository's `tsc --noEmit` type-checks this program; skipping it here saves ~3 s per run.
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      });
      return { result, requests: emu.requests.slice(from) };
    },
  };
}

describe("a real program through the language runtime and the real dynamic-provider host", () => {
  let d: Deployment;
  beforeAll(async () => (d = await deployment()));
  afterAll(async () => {
    await d?.host.close();
    await d?.emu.close();
  });

  it("run 1 creates every farm and server, live in both zones when the run ends", async () => {
    const { result, requests } = await d.run(FIRST);
    expect(result.steps.filter((s) => s.op !== "create")).toEqual([]);
    expect(result.steps).toHaveLength(10);
    expectLiveEquals(d.emu, FIRST);
    expect(writeKinds(requests)).toEqual([...Array(3).fill("POST farm"), ...Array(7).fill("POST server")]);
    // Farms first (their servers need the farm id), then the servers: two waves of refreshes at most.
    expect(refreshes(requests).length).toBeGreaterThanOrEqual(1);
    expect(refreshes(requests).length).toBeLessThanOrEqual(2);
    expect(Object.keys(result.outputs.ids as object).sort()).toEqual(
      ["apiFarmId", "api-1ServerId", "api-2ServerId", "cacheFarmId", "cache-1ServerId", "cache-2ServerId", "webFarmId", "web-1ServerId", "web-2ServerId", "web-3ServerId"].sort(),
    );
  });

  it("run 2 applies a weight change, clears stickiness, removes a server and a farm, replaces a server, all live", async () => {
    const { result, requests } = await d.run(SECOND);
    const byOp = (op: string) => result.steps.filter((s) => s.op === op).map((s) => s.name).sort();
    expect(byOp("update")).toEqual(["web", "web-1"]);
    expect(byOp("replace")).toEqual(["api-2"]);
    expect(byOp("delete")).toEqual(["cache", "cache-1", "cache-2", "web-3"]);
    expectLiveEquals(d.emu, SECOND);
    expect(writeKinds(requests)).toEqual(["DELETE farm", "DELETE server", "DELETE server", "DELETE server", "DELETE server", "POST server", "PUT farm", "PUT server"]);
    const puts = writes(requests).filter((r) => r.method === "PUT").map((r) => r.body);
    expect(puts).toEqual(expect.arrayContaining([{ weight: 5 }, { stickiness: null }]));
    expect(puts).toHaveLength(2);
    // Operation by operation, operations the engine runs together share one refresh. This run has at most five such
    // groups: the web farm update and the new api-2 (independent, so together when their registrations arrive close
    // enough), the web-1 update (it waits for its farm), then the engine's two delete antichains (the cache servers;
    // then the cache farm, web-3 and the old api-2). Eight writes never take more than five refreshes; a Refresh batch
    // makes it one per zone (below).
    expect(refreshes(requests).length).toBeGreaterThanOrEqual(3);
    expect(refreshes(requests).length).toBeLessThanOrEqual(5);
  });

  it("run 3, unchanged, makes no write and no refresh, and reads each object at most once (plus listings)", async () => {
    const { result, requests } = await d.run(SECOND);
    expect(result.steps.every((s) => s.op === "same")).toBe(true);
    expect(writes(requests)).toEqual([]);
    expect(refreshes(requests)).toEqual([]);
    // Each object at most once; beside them only listings of collections (a farm's servers read ahead together).
    const reads = requests.filter((r) => r.method === "GET" && r.path !== "/auth/time").map((r) => r.path);
    const objects = reads.filter((p) => /\/\d+$/.test(p));
    expect(new Set(objects).size).toBe(objects.length);
    expect(objects.length).toBeLessThanOrEqual(result.steps.length);
    expect(reads.filter((p) => !/\/\d+$/.test(p)).every((p) => /\/(farm|server|frontend)$/.test(p))).toBe(true);
    expectLiveEquals(d.emu, SECOND);
  });
});

describe("the same three runs applied with a Refresh batch", () => {
  let d: Deployment;
  // Three zones, so a change in gra and rbx is two per-zone refreshes, not the single all-zones refresh the provider
  // sends when every zone of the service has pending changes.
  beforeAll(async () => (d = await deployment(["gra", "rbx", "sbg"])));
  afterAll(async () => {
    await d?.host.close();
    await d?.emu.close();
  });
  const batched = (desired: Desired): Desired => ({ ...desired, batch: true });

  it("create: exactly one refresh per touched zone", async () => {
    const { requests } = await d.run(batched(FIRST));
    expectLiveEquals(d.emu, FIRST);
    expect(refreshedZones(requests)).toEqual(["gra", "rbx"]);
  });

  it("changes and removals together: still one refresh per touched zone, removals live when the run ends", async () => {
    const { requests } = await d.run(batched(SECOND));
    expectLiveEquals(d.emu, SECOND);
    expect(refreshedZones(requests)).toEqual(["gra", "rbx"]);
  });

  it("unchanged: no write, no refresh", async () => {
    const { requests } = await d.run(batched(SECOND));
    expect(writes(requests)).toEqual([]);
    expectLiveEquals(d.emu, SECOND);
  });
});

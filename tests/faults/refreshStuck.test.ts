/**
 * A refresh that never ends during a first deployment of the fault program (tests/faults/support.ts): the farms and
 * the failover IP share it; run 1 fails once `ovh-iplb:taskTimeoutSeconds` (1.5 s here) has passed, with an error
 * naming the task, and keeps the farms and the IP in the state with init errors. The task holds the zone (every other
 * refresh of it would be refused) until OVH ends it; here the emulator restarts, which finishes it. Run 2 with the
 * faults off keeps the farms (no second POST), creates the servers and the frontend, and converges; run 3 is a no-op.
 *
 * Not proven here: what OVH really does with a stuck refresh (the emulator's restart stands in for OVH finishing it
 * late); a refresh stuck for good, after which no `up` can make that zone live (each fails naming the task).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectConverged, expectNoOp, FaultStack, initErrored, objectPosts } from "./support";

const ops = (stack: FaultStack) => stack.engine.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
const inState = (stack: FaultStack) => [...stack.engine.state.values()].filter((r) => r.custom).map((r) => r.name).sort();

describe("a refresh that never finishes", () => {
  let stack: FaultStack;
  let dir: string;
  let farmIds: string[];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-faults-"));
    stack = await FaultStack.start(path.join(dir, "emulator.json"));
  });
  afterAll(async () => {
    await stack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("run 1 fails after ovh-iplb:taskTimeoutSeconds, naming the task; the farms and the IP stay in the state", async () => {
    stack.emu.faults.refreshOutcome = "never";
    const run = await stack.up();
    const svc = stack.emu.serviceName;
    const [stuck] = Object.values(stack.emu.store.service(svc)!.tasks).filter((t) => t.action === "refreshIplb");
    expect(stuck.status).toBe("doing");
    expect(run.error?.message).toContain(`OVH task ${stuck.id} (refreshIplb) on ${svc} was still doing after 1500 ms`);
    expect(initErrored(stack.engine)).toEqual(["cache", "vip", "web"]);
    expect(inState(stack)).toEqual(["cache", "vip", "web"]);
    farmIds = ["cache", "web"].map((n) => [...stack.engine.state.values()].find((r) => r.name === n)!.id);
  });

  it("run 2, once OVH has ended the task, keeps the farms (no second POST), creates the rest and converges", async () => {
    await stack.restartEmulator();
    stack.faultsOff();
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    expect(ops(stack)).toEqual(["create cache-1", "create front", "create web-1", "create web-2", "update cache", "update vip", "update web"]);
    expect(objectPosts(run.requests).filter((r) => r.path.endsWith("/farm"))).toEqual([]);
    expect(["cache", "web"].map((n) => [...stack.engine.state.values()].find((r) => r.name === n)!.id)).toEqual(farmIds);
    expectConverged(stack);
  });

  it("run 3 is a no-op", () => expectNoOp(stack));
});

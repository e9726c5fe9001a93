/**
 * An `/ip` move ending in `ovhError` during a first deployment of the fault program (tests/faults/support.ts): run 1
 * fails with OVH's comment and keeps nothing of the attachment (the IP was never routed); run 2 with the faults off
 * routes it with one move and converges; run 3 is a no-op.
 *
 * Not proven here: OVH's real comments (the emulator's is modelled on the reference's failure states).
 */
import { expectConverged, expectNoOp, FaultStack, VIP } from "./support";

const ops = (stack: FaultStack) => stack.engine.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
const inState = (stack: FaultStack) => [...stack.engine.state.values()].filter((r) => r.custom).map((r) => r.name).sort();

describe("an IP move ending in ovhError", () => {
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 fails with OVH's comment; the IP is not in the state, and still parked", async () => {
    stack.emu.faults.ipTaskOutcome = "error";
    const run = await stack.up();
    const svc = stack.emu.serviceName;
    const [task] = Object.values(stack.emu.store.ip(VIP)!.tasks);
    expect(task).toMatchObject({ function: "genericMoveFloatingIp", status: "ovhError" });
    expect(run.error?.message).toContain(
      `FailoverIpAttachment: Routing ${VIP} to ${svc} failed: OVH task ${task.taskId} (genericMoveFloatingIp) on ${VIP} ended with status ovhError: ${task.comment}`);
    expect(task.comment).toBe(`Unable to route ${VIP} to ${svc}: internal error while updating the routing, please retry`);
    expect(inState(stack)).not.toContain("vip");
    expect((stack.emu.store.ip(VIP)!.data.routedTo as { serviceName: string | null }).serviceName).toBeNull();
  });

  it("run 2 with the faults off routes the IP with one move and converges", async () => {
    stack.faultsOff();
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    expect(run.requests.filter((r) => r.method === "POST" && r.path.startsWith("/ip/")).map((r) => r.path)).toEqual([`/ip/${encodeURIComponent(VIP)}/move`]);
    expect(ops(stack)).toContain("create vip");
    expectConverged(stack);
  });

  it("run 3 is a no-op", () => expectNoOp(stack));
});

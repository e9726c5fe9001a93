/**
 * A burst of 503 answers on POSTs during a first deployment of the fault program (tests/faults/support.ts): OVH may
 * have processed a POST answered 503, so a create lists its collection before posting again, and makes exactly one
 * object. Run 1 succeeds; run 2 with the faults off converges and run 3 is a no-op.
 *
 * Not proven here: a 503 answered after OVH made the object (the emulator fails before processing; latencyPosts.test.ts
 * covers a create processed after the client gave up).
 */
import { duplicates, expectConverged, expectEachRetried, expectNoOp, FaultStack, objectPosts, retryOf } from "./support";

describe("a burst of 503 answers on POSTs", () => {
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 succeeds: a create answered 503 looks for its object before posting again, and makes exactly one", async () => {
    stack.emu.faults.methods = ["POST"];
    stack.emu.faults.errorBurst = { count: 3, status: 503 };
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    const failed = run.requests.filter((r) => r.status === 503);
    expect(failed.map((r) => r.method)).toEqual(["POST", "POST", "POST"]);
    expectEachRetried(run.requests, failed);
    // A 503 may come after the API made the object: every re-post of a farm, server or frontend was preceded by a list.
    for (const f of objectPosts(failed)) {
      const between = run.requests.slice(run.requests.indexOf(f) + 1, run.requests.indexOf(retryOf(run.requests, f)!));
      expect(between.some((r) => r.method === "GET" && r.path === f.path)).toBe(true);
    }
    expect(duplicates(stack.emu)).toEqual([]);
  });

  it("run 2 with the faults off converges", async () => {
    stack.faultsOff();
    expect((await stack.up()).error).toBeUndefined();
    expectConverged(stack);
  });

  it("run 3 is a no-op", () => expectNoOp(stack));
});

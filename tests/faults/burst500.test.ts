/**
 * A burst of 500 answers on every method during a first deployment of the fault program (tests/faults/support.ts):
 * run 1 succeeds by retrying, each failed request made again and answered; run 2 with the faults off converges and
 * run 3 is a no-op. Retries are counted in the emulator's request log.
 *
 * Not proven here: a 5xx answered after OVH made the object (the emulator fails before processing; latencyPosts.test.ts
 * covers a create processed after the client gave up). 503s on POSTs are in burst503Posts.test.ts, 429s in
 * rateLimit.test.ts.
 */
import { duplicates, expectConverged, expectEachRetried, expectNoOp, FaultStack } from "./support";

describe("a burst of 500 answers on every method", () => {
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 succeeds: each of the 5 failed requests is made again and answered", async () => {
    stack.emu.faults.errorBurst = { count: 5, status: 500 };
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    const failed = run.requests.filter((r) => r.status === 500);
    expect(failed).toHaveLength(5);
    expectEachRetried(run.requests, failed);
    expect(duplicates(stack.emu)).toEqual([]);
  });

  it("run 2 with the faults off converges: the program runs, nothing pending, no duplicate, no orphan", async () => {
    stack.faultsOff();
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    expectConverged(stack);
  });

  it("run 3 is a no-op", () => expectNoOp(stack));
});

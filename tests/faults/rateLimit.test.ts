/**
 * 429 answers (with `Retry-After: 1`) to POSTs during a first deployment of the fault program
 * (tests/faults/support.ts): the API did not process a rate-limited call, so the provider sends it again, after its
 * back-off; run 1 succeeds, run 2 with the faults off converges and run 3 is a no-op.
 *
 * Not proven here: OVH's own rate-limit policy (how many calls, over which window); the emulator answers 429 to the
 * next N calls, which is the shape a client must survive.
 */
import { duplicates, expectConverged, expectEachRetried, expectNoOp, FaultStack, keyOf, retryOf } from "./support";

describe("429 answers with Retry-After", () => {
  const BASE_MS = 200;
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 succeeds: each rate-limited POST is sent again (it was not processed) after at least the back-off", async () => {
    stack.emu.faults.methods = ["POST"];
    stack.emu.faults.rateLimit = { count: 4, retryAfterSeconds: 1 };
    const run = await stack.up({ "ovh-iplb:retryBaseMs": String(BASE_MS) });
    expect(run.error).toBeUndefined();
    const limited = run.requests.filter((r) => r.status === 429);
    expect(limited).toHaveLength(4);
    expectEachRetried(run.requests, limited);
    // node-ovh 2.0.3 drops response headers (ovh-iplb-api.md 1.6), so the emulator's `Retry-After: 1` never reaches
    // the provider: it waits its own back-off instead, at least half of retryBaseMs x 2^attempt (client.ts backoffMs).
    const attempts = new Map<string, number>();
    for (const r of limited) {
      const attempt = attempts.get(keyOf(r)) ?? 0;
      attempts.set(keyOf(r), attempt + 1);
      const answeredAt = Date.parse(r.time) + r.durationMs;
      const retriedAt = Date.parse(retryOf(run.requests, r)!.time);
      expect(retriedAt - answeredAt).toBeGreaterThanOrEqual((BASE_MS * 2 ** attempt) / 2);
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

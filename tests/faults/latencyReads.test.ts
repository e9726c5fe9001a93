/**
 * Latency spikes beyond the client timeout on reads (`ovh-iplb:requestTimeoutSeconds` = 1 s, spikes of 1.5 s) during a
 * first deployment of the fault program (tests/faults/support.ts): a read that gets no answer in time is sent again.
 * Run 1 succeeds; run 2 with the faults off converges; run 3 is a no-op.
 *
 * Not proven here: a network that drops requests without the server ever processing them (the emulator always
 * processes a delayed request). Spikes on POSTs are in latencyPosts.test.ts.
 */
import type { RequestLogEntry } from "../../emulator";
import { allAnswered, duplicates, expectConverged, expectNoOp, FaultStack, keyOf, whenRequests } from "./support";

const SPIKE_MS = 1500;
const spiked = (requests: RequestLogEntry[]) => requests.filter((r) => r.durationMs >= SPIKE_MS);
const sameRequest = (a: RequestLogEntry, b: RequestLogEntry) => keyOf(a) === keyOf(b);

describe("latency spikes beyond the client timeout on reads", () => {
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 succeeds: each of the 3 reads that got no answer within 1 s was sent again and answered", async () => {
    // Armed once node-ovh has synced its clock (GET /auth/time, once per client), so that the spikes hit API reads.
    const stop = whenRequests(stack.emu, (log) => log.some((r) => r.path !== "/auth/time" && r.status === 200), () => {
      Object.assign(stack.emu.faults, { methods: ["GET"], latencySpikes: { count: 3, ms: SPIKE_MS } });
    });
    const run = await stack.up();
    stop();
    await allAnswered(stack.emu);
    expect(run.error).toBeUndefined();
    const slow = spiked(stack.emu.requests.slice(run.from));
    expect(slow.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
    const log = stack.emu.requests.slice(run.from);
    for (const r of slow) {
      const again = log.slice(log.indexOf(r) + 1).find((x) => sameRequest(x, r) && x.status === 200);
      expect(again).toMatchObject({ method: r.method, path: r.path, status: 200 });
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

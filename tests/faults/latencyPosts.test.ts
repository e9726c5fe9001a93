/**
 * Latency spikes beyond the client timeout on POSTs (`ovh-iplb:requestTimeoutSeconds` = 1 s, spikes of 1.5 s) during a
 * first deployment of the fault program (tests/faults/support.ts). A create whose POST gets no answer in time is NOT
 * sent again blindly: the API may still make the object (the emulator does, 1.5 s after the request), so the provider
 * watches the collection and takes the late object as its own. Run 1 succeeds; run 2 with the faults off converges;
 * run 3 is a no-op.
 *
 * Not proven here: a POST OVH never processes (that is the 503 burst of burst503Posts.test.ts, from the provider's
 * side). Spikes on reads are in latencyReads.test.ts.
 */
import type { RequestLogEntry } from "../../emulator";
import { allAnswered, duplicates, expectConverged, expectNoOp, FaultStack, keyOf, objectPosts } from "./support";

const SPIKE_MS = 1500;
const spiked = (requests: RequestLogEntry[]) => requests.filter((r) => r.durationMs >= SPIKE_MS);
const sameRequest = (a: RequestLogEntry, b: RequestLogEntry) => keyOf(a) === keyOf(b);

describe("latency spikes beyond the client timeout on POSTs", () => {
  let stack: FaultStack;
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 succeeds: each farm POST answered too late was made once, found in the collection and taken as its own", async () => {
    // The first three POSTs are the two farms' and the IP move's (the servers and the frontend wait for farm ids).
    Object.assign(stack.emu.faults, { methods: ["POST"], latencySpikes: { count: 3, ms: SPIKE_MS } });
    const run = await stack.up();
    await allAnswered(stack.emu);
    expect(run.error).toBeUndefined();
    const log = stack.emu.requests.slice(run.from);
    const slowCreates = objectPosts(spiked(log));
    expect(slowCreates.map((r) => r.path).sort()).toEqual([
      `/ipLoadbalancing/${stack.emu.serviceName}/http/farm`, `/ipLoadbalancing/${stack.emu.serviceName}/tcp/farm`,
    ]);
    for (const post of slowCreates) {
      // Never posted again; the collection was listed after the timeout instead.
      expect(log.filter((r) => sameRequest(r, post))).toEqual([post]);
      expect(log.slice(log.indexOf(post) + 1).some((r) => r.method === "GET" && r.path === post.path)).toBe(true);
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

/**
 * A refresh ending in `error` during a first deployment of the fault program (tests/faults/support.ts), while the
 * servers and the frontend are being created: run 1 fails with an error naming the task, and those objects, which
 * exist but are not live, are kept in the state with init errors rather than orphaned. Run 2 with the faults off
 * updates them without sending anything but the one refresh that makes them live; run 3 is a no-op.
 *
 * Not proven here: why OVH fails a refresh (the emulator fails it without applying anything). A refresh that never
 * ends is in refreshStuck.test.ts.
 */
import { refreshesSince, writesSince } from "../provider/support";
import { duplicates, expectConverged, expectNoOp, FaultStack, initErrored, objectPosts, whenRequests } from "./support";

const ops = (stack: FaultStack) => stack.engine.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
const inState = (stack: FaultStack) => [...stack.engine.state.values()].filter((r) => r.custom).map((r) => r.name).sort();

describe("a refresh ending in error while the servers and the frontend are created", () => {
  let stack: FaultStack;
  let kept: string[];
  beforeAll(async () => (stack = await FaultStack.start()));
  afterAll(() => stack.close());

  it("run 1 fails naming the task; the servers and the frontend stay in the state, with init errors", async () => {
    // The farms go live first; from the first server or frontend POST on, refreshes end in error. The emulator decides
    // a refresh's outcome when it starts, which is when it takes what is staged: a refresh posted before that POST (the
    // IP's, of every zone) but started after it fails too, so none can make a server live. (Waiting for all four POSTs
    // would race: the IP's refresh may start between them and make the last ones live.)
    const stop = whenRequests(stack.emu, (log) => objectPosts(log).some((r) => /\/(server|frontend)$/.test(r.path)), () => {
      stack.emu.faults.refreshOutcome = "error";
    });
    const run = await stack.up();
    stop();
    const svc = stack.emu.serviceName;
    expect(run.error?.message).toMatch(new RegExp(
      `(was created but is|but) not (live|in use) yet: OVH task \\d+ \\(refreshIplb\\) on ${svc} ended with status error \\(zones gra(, rbx)?\\)\\. The next \`pulumi up\` will`));
    // The IP's refresh (forced, every zone) may have waited for the servers' operations and shared their failed refresh.
    kept = initErrored(stack.engine);
    expect(kept.filter((n) => n !== "vip")).toEqual(["cache-1", "front", "web-1", "web-2"]);
    expect(inState(stack)).toEqual(["cache", "cache-1", "front", "vip", "web", "web-1", "web-2"]);
    expect(objectPosts(run.requests)).toHaveLength(6);
    expect(duplicates(stack.emu)).toEqual([]);
  });

  it("run 2 with the faults off updates them (no POST, no PUT) and makes them live with one refresh", async () => {
    stack.faultsOff();
    const run = await stack.up();
    expect(run.error).toBeUndefined();
    expect(ops(stack)).toEqual(kept.map((n) => `update ${n}`));
    expect(writesSince(stack.emu, run.from).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /ipLoadbalancing/${stack.emu.serviceName}/refresh`]);
    // Of gra; of every zone (no body) when the IP's forced refresh is part of it.
    expect(refreshesSince(stack.emu, run.from).map((r) => r.body)).toEqual([kept.includes("vip") ? undefined : { zone: "gra" }]);
    expectConverged(stack);
  });

  it("run 3 is a no-op", () => expectNoOp(stack));
});

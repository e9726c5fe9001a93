/**
 * Calls per task (provider/config.ts has the table): computed from the poll cadence itself, so that a change making
 * polling chattier fails here before it reaches the API's rate limit. Counts, not timing.
 */
import { POLL_DEFAULTS, pollTimeScale } from "../../provider/config";
import { pollsUntil } from "../../provider/changes/tasks";

/** The documented bounds: a task of this many seconds costs at most this many GETs. */
const DOCUMENTED: [seconds: number, polls: number][] = [
  [1, 3],
  [3, 5],
  [30, 9],
  [60, 12],
  [90, 15],
];

describe("calls per task", () => {
  it.each(DOCUMENTED)("a %i s task is polled at most %i times", (seconds, bound) => {
    expect(pollsUntil(seconds * 1000)).toBeLessThanOrEqual(bound);
  });

  it("a 30 s refresh costs at most 10 GETs, and a task running to the 10-minute timeout at most 70", () => {
    expect(pollsUntil(30_000)).toBeLessThanOrEqual(10);
    expect(pollsUntil(600_000)).toBeLessThanOrEqual(70);
  });

  it("polls a task a few times while it is young: a 50 ms emulator refresh is seen at the first poll", () => {
    expect(pollsUntil(50)).toBe(1);
    expect(POLL_DEFAULTS.minIntervalMs).toBeLessThanOrEqual(250);
  });

  it.each([0.1, 0.01])("with the poll bounds scaled by %f, a task scaled alike costs the same calls", (scale) => {
    const scaled = { minIntervalMs: POLL_DEFAULTS.minIntervalMs * scale, maxIntervalMs: POLL_DEFAULTS.maxIntervalMs * scale };
    for (const [seconds] of DOCUMENTED) expect(pollsUntil(seconds * 1000 * scale, scaled)).toBe(pollsUntil(seconds * 1000));
  });
});

describe("OVH_IPLB_POLL_TIME_SCALE", () => {
  it("is read from the environment, and ignored (1) unless a positive number", () => {
    expect(pollTimeScale({ OVH_IPLB_POLL_TIME_SCALE: "0.1" })).toBe(0.1);
    expect(pollTimeScale({})).toBe(1);
    for (const bad of ["", "0", "-1", "fast"]) expect(pollTimeScale({ OVH_IPLB_POLL_TIME_SCALE: bad })).toBe(1);
  });
});

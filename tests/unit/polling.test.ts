import { nextPollDelay } from "../../provider/changes/tasks";

describe("nextPollDelay (how long to wait before polling a task again)", () => {
  it.each([
    [0, 100],
    [800, 100],
    [1600, 200],
    [2400, 300],
    [24000, 3000],
    [600000, 3000],
  ])("after %i ms waits %i ms: an eighth of the time so far, between 100 ms and 3 s", (elapsed, wait) => {
    expect(nextPollDelay(elapsed, {})).toBe(wait);
  });

  it("sees a 3 s refresh done at most 375 ms late, where waits growing by half saw it up to 0.6 s late", () => {
    const seenAt = (duration: number) => {
      let t = 0;
      while (t < duration) t += nextPollDelay(t, {});
      return t;
    };
    const worst = Math.max(...Array.from({ length: 300 }, (_, i) => seenAt(2700 + i) - (2700 + i)));
    expect(worst).toBeLessThanOrEqual(375);
  });

  it("keeps the bounds it is given", () => {
    expect(nextPollDelay(0, { minIntervalMs: 20, maxIntervalMs: 50 })).toBe(20);
    expect(nextPollDelay(10000, { minIntervalMs: 20, maxIntervalMs: 50 })).toBe(50);
    expect(nextPollDelay(10000, { minIntervalMs: 200, maxIntervalMs: 50 })).toBe(200);
  });
});

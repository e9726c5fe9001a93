import { nextPollDelay } from "../../provider/changes/tasks";

describe("nextPollDelay (how long to wait before polling a task again)", () => {
  it.each([
    [0, 250],
    [100, 250],
    [250, 250],
    [500, 500],
    [4000, 4000],
    [16000, 10000],
    [600000, 10000],
  ])("after %i ms waits %i ms: as long as the task has run so far, between 250 ms and 10 s", (elapsed, wait) => {
    expect(nextPollDelay(elapsed, {})).toBe(wait);
  });

  it("sees a task done at most its own duration late while it is short, and at most 10 s late once long", () => {
    const seenAt = (duration: number) => {
      let t = 0;
      do t += nextPollDelay(t, {});
      while (t < duration);
      return t;
    };
    for (let d = 250; d <= 20000; d += 37) expect(seenAt(d) - d).toBeLessThanOrEqual(d);
    for (let d = 20000; d <= 200000; d += 997) expect(seenAt(d) - d).toBeLessThanOrEqual(10000);
  });

  it("keeps the bounds it is given", () => {
    expect(nextPollDelay(0, { minIntervalMs: 20, maxIntervalMs: 50 })).toBe(20);
    expect(nextPollDelay(10000, { minIntervalMs: 20, maxIntervalMs: 50 })).toBe(50);
    expect(nextPollDelay(10000, { minIntervalMs: 200, maxIntervalMs: 50 })).toBe(200);
  });
});

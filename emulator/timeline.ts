import type { TaskOutcome } from "./faults";

/** Timers owned by one emulator, so `close()` leaves nothing running behind it. */
export class Timeline {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    timer.unref();
    this.timers.add(timer);
  }

  every(ms: number, fn: () => void): () => void {
    const timer = setInterval(fn, Math.max(1, ms));
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * The life every task shares, IPLB and `/ip` alike: `doing` shortly after it is created (a fifth of its duration, at
 * most 50 ms, so a client that polls at once still sees `todo`), then its end after `durationMs`. A task whose outcome
 * is `never` stays `doing`; `blocked` runs at half the duration when the outcome is `blocked` (OVH holds the task).
 *
 * The outcome is decided when the task starts running, not when it is created: a task works on the state of that
 * moment (a refresh applies what is staged when it starts), so a fault set after a refresh was posted, but before it
 * ran, is the fault of that refresh, as a failure of OVH's at that moment would be.
 */
export function scheduleTask(
  timeline: Timeline,
  durationMs: number,
  outcome: () => TaskOutcome,
  steps: { doing: () => void; blocked?: () => void; end: (outcome: TaskOutcome) => void },
): void {
  const start = Math.min(50, durationMs / 5);
  timeline.after(start, () => {
    const decided = outcome();
    steps.doing();
    if (decided === "never") return;
    if (decided === "blocked" && steps.blocked) timeline.after(durationMs / 2 - start, steps.blocked);
    timeline.after(durationMs - start, () => steps.end(decided));
  });
}

/**
 * Pacing after a rate limit: once the API answers 429, every call of the process to that API (same settings) is sent
 * one `spacingMs` after the other until `calmMs` pass without another 429. Without it each call retried on its own
 * back-off: a deployment sends its diffs, reads and writes side by side (8 engine steps at once, with read-ahead), so
 * the retries came back together, found the bucket empty again, and gave up after their attempts (a 5x20 stack under
 * a 60-a-minute limit failed its first `up`: bench/results/realistic-5x20-x0.1.md). OVH publishes no limit; a
 * maintainer wrote that under 60 calls a minute per key "should be ok" (github.com/ovh/python-ovh issue 81), hence one
 * call a second by default (twice `ovh-iplb:retryBaseMs`). node-ovh drops the `Retry-After` header, so it is not read.
 * Nothing is paced before the first 429: a run within the limit goes at full speed.
 */
import { processShared } from "../processShared";

export interface RateGate {
  /** Waits for this call's turn (at once when no 429 was seen lately). */
  turn(): Promise<void>;
  /** A 429 was answered: pace the calls from now on. */
  limited(): void;
}

interface State {
  pacedUntil: number;
  nextSlot: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The gate shared by every client of the process with this `key` (the client's settings). */
export function rateGate(key: string, spacingMs: number): RateGate {
  const state = processShared("RateGates", () => new Map<string, State>());
  let s = state.get(key);
  if (!s) state.set(key, (s = { pacedUntil: 0, nextSlot: 0 }));
  const gate = s;
  const calmMs = 60 * spacingMs;
  return {
    async turn() {
      const now = Date.now();
      if (now >= gate.pacedUntil) return;
      const slot = Math.max(now, gate.nextSlot);
      gate.nextSlot = slot + spacingMs;
      if (slot > now) await sleep(slot - now);
    },
    limited() {
      const now = Date.now();
      gate.pacedUntil = now + calmMs;
      gate.nextSlot = Math.max(gate.nextSlot, now + spacingMs);
    },
  };
}

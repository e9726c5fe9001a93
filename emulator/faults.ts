/**
 * Faults a test or benchmark turns on per emulator instance, and changes at run time through `emulator.faults`.
 * Counted faults (`errorBurst`, `rateLimit`, `latencySpikes`) hit the next N matching requests and then stop, so a test
 * knows exactly how many answers fail; `errorRate` draws from a seeded generator so runs repeat.
 */
import type { Method } from "./router";

/** `blocked`: the task is `blocked` for a while (OVH holds it), then done. */
export type TaskOutcome = "done" | "error" | "never" | "blocked";

export interface Faults {
  /** Added to every answer, in milliseconds. */
  latencyMs: number;
  /** Up to this much more, drawn per answer (seeded): a real API's latency varies. */
  latencyJitterMs: number;
  /** The next `count` requests wait `ms` more (e.g. beyond the client timeout). */
  latencySpikes: { count: number; ms: number };
  /** Probability (0..1) that a signed call answers 500 or 503 instead of being served. */
  errorRate: number;
  /** The next `count` signed calls answer `status` instead of being served. */
  errorBurst: { count: number; status: 500 | 502 | 503 | 504 };
  /** The next `count` signed calls answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit: { count: number; retryAfterSeconds: number };
  /**
   * A rate limit, as an API enforces one (unlike `rateLimit`, which refuses a counted number of calls): a bucket of
   * `burst` signed calls, refilled at `perMinute`; a call that finds it empty answers 429 with the seconds until the
   * next call would pass in `Retry-After`. `perMinute` 0: off. Every method counts, whatever `methods` says.
   */
  throttle: { perMinute: number; burst: number };
  /** Only these methods are hit by errorRate/errorBurst/rateLimit/latencySpikes (all when empty). */
  methods: Method[];
  /** How `refreshIplb` tasks end: applied (`done`), `error` without applying, or stuck in `doing` (`never`). */
  refreshOutcome: TaskOutcome;
  /** How `/ip` move and park tasks end; `error` ends them in `ovhError` with a comment. */
  ipTaskOutcome: TaskOutcome;
  /** How `orderFreeCertificate` tasks end. */
  certificateOutcome: TaskOutcome;
}

export function defaultFaults(): Faults {
  return {
    latencyMs: 0,
    latencyJitterMs: 0,
    latencySpikes: { count: 0, ms: 0 },
    errorRate: 0,
    errorBurst: { count: 0, status: 503 },
    rateLimit: { count: 0, retryAfterSeconds: 1 },
    throttle: { perMinute: 0, burst: 0 },
    methods: [],
    refreshOutcome: "done",
    ipTaskOutcome: "done",
    certificateOutcome: "done",
  };
}

/** Mulberry32: a tiny seeded generator, enough to make `errorRate` repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type InjectedFault = { kind: "status"; status: number } | { kind: "rateLimit"; retryAfterSeconds: number } | undefined;

/**
 * What a faults object keeps between calls: the throttle's bucket, the jitter's generator. Not part of `Faults`, so
 * that a test's `Object.assign(emu.faults, defaultFaults())` stays a plain reset.
 */
interface Meter {
  tokens: number;
  at: number;
  jitter: () => number;
}
const meters = new WeakMap<Faults, Meter>();

function meterOf(faults: Faults, now: number): Meter {
  let m = meters.get(faults);
  if (!m) meters.set(faults, (m = { tokens: faults.throttle.burst, at: now, jitter: seededRandom(2) }));
  return m;
}

/** Takes one call from the throttle's bucket; returns the seconds to wait when it is empty, undefined when it passes. */
export function throttled(faults: Faults, now: number = Date.now()): number | undefined {
  const { perMinute, burst } = faults.throttle;
  if (!(perMinute > 0)) return undefined;
  const m = meterOf(faults, now);
  const perMs = perMinute / 60000;
  m.tokens = Math.min(burst, m.tokens + (now - m.at) * perMs);
  m.at = now;
  if (m.tokens >= 1) {
    m.tokens -= 1;
    return undefined;
  }
  return Math.max(1, Math.ceil((1 - m.tokens) / perMs / 1000));
}

/** Decides, for one signed request, which answer fault (if any) replaces the real answer. Consumes counted faults. */
export function pickFault(faults: Faults, method: Method, random: () => number, now: number = Date.now()): InjectedFault {
  const wait = throttled(faults, now);
  if (wait !== undefined) return { kind: "rateLimit", retryAfterSeconds: wait };
  if (faults.methods.length > 0 && !faults.methods.includes(method)) return undefined;
  if (faults.rateLimit.count > 0) {
    faults.rateLimit.count--;
    return { kind: "rateLimit", retryAfterSeconds: faults.rateLimit.retryAfterSeconds };
  }
  if (faults.errorBurst.count > 0) {
    faults.errorBurst.count--;
    return { kind: "status", status: faults.errorBurst.status };
  }
  if (faults.errorRate > 0 && random() < faults.errorRate) {
    return { kind: "status", status: random() < 0.5 ? 500 : 503 };
  }
  return undefined;
}

/** Extra delay for one request, consuming a latency spike when one is armed. */
export function pickDelay(faults: Faults, method: Method): number {
  let ms = faults.latencyMs;
  if (faults.latencyJitterMs > 0) ms += Math.round(meterOf(faults, Date.now()).jitter() * faults.latencyJitterMs);
  const spikeApplies = faults.methods.length === 0 || faults.methods.includes(method);
  if (spikeApplies && faults.latencySpikes.count > 0) {
    faults.latencySpikes.count--;
    ms += faults.latencySpikes.ms;
  }
  return ms;
}

/**
 * The emulator's profiles set what they say (emulator/profiles.ts): option values only, never timing. The profile's
 * effect on a run (calls per task, peak rate) is measured by the benchmark, not here.
 */
import { PROFILES, withProfile } from "../../emulator/profiles";
import { resolveOptions } from "../../emulator/runtime";
import { defaultFaults, pickFault, throttled } from "../../emulator/faults";

describe("emulator profiles", () => {
  it("realistic: refresh 30 s, IP move 60 s, certificate 90 s, 50-150 ms per answer, 60 calls a minute", () => {
    expect(withProfile({ profile: "realistic" })).toEqual({
      refreshSeconds: 30,
      ipTaskSeconds: 60,
      certificateSeconds: 90,
      faults: { latencyMs: 50, latencyJitterMs: 100, throttle: { perMinute: 60, burst: 60 } },
    });
    expect(resolveOptions({ profile: "realistic" })).toMatchObject({ refreshMs: 30000, ipTaskMs: 60000, certificateMs: 90000 });
  });

  it("fast is the library's defaults, and no profile changes nothing", () => {
    const fast = resolveOptions({ profile: "fast" });
    expect(fast).toEqual(resolveOptions({}));
    expect(fast).toMatchObject({ refreshMs: 500, ipTaskMs: 300, certificateMs: 300 });
    expect(withProfile({ refreshSeconds: 2 })).toEqual({ refreshSeconds: 2 });
    expect(PROFILES.fast.throttle.perMinute).toBe(0);
  });

  it("timeScale multiplies durations and latency and divides the rate, keeping the burst", () => {
    expect(withProfile({ profile: "realistic", timeScale: 0.1 })).toEqual({
      refreshSeconds: 3,
      ipTaskSeconds: 6,
      certificateSeconds: 9,
      faults: { latencyMs: 5, latencyJitterMs: 10, throttle: { perMinute: 600, burst: 60 } },
    });
  });

  it("options given beside the profile win, and are scaled too", () => {
    const o = withProfile({ profile: "realistic", timeScale: 0.5, refreshSeconds: 10, faults: { latencyMs: 20, errorRate: 0.1 } });
    expect(o).toMatchObject({ refreshSeconds: 5, ipTaskSeconds: 30, faults: { latencyMs: 10, latencyJitterMs: 50, errorRate: 0.1 } });
  });

  it("is applied once: applying it again changes nothing", () => {
    const once = withProfile({ profile: "realistic", timeScale: 0.1 });
    expect(withProfile(once)).toEqual(once);
    expect(once).not.toHaveProperty("profile");
  });

  it("refuses an unknown profile and a time scale that is not positive", () => {
    expect(() => withProfile({ profile: "slow" as never })).toThrow('unknown emulator profile "slow"');
    expect(() => withProfile({ timeScale: 0 })).toThrow("timeScale must be a positive number");
  });
});

describe("the throttle (a rate limit, as the realistic profile sets it)", () => {
  const faults = () => ({ ...defaultFaults(), throttle: { perMinute: 60, burst: 3 } });

  it("lets a burst through, then refuses with the seconds until the next call would pass, and refills", () => {
    const f = faults();
    const t0 = 1_000_000;
    expect([throttled(f, t0), throttled(f, t0), throttled(f, t0)]).toEqual([undefined, undefined, undefined]);
    expect(throttled(f, t0)).toBe(1);
    expect(throttled(f, t0 + 1000)).toBeUndefined();
    expect(throttled(f, t0 + 1000)).toBe(1);
  });

  it("answers 429 through pickFault whatever the method filter says, and is off at 0 a minute", () => {
    const f = { ...faults(), methods: ["POST" as const] };
    const t0 = 2_000_000;
    for (let i = 0; i < 3; i++) expect(pickFault(f, "GET", () => 1, t0)).toBeUndefined();
    expect(pickFault(f, "GET", () => 1, t0)).toEqual({ kind: "rateLimit", retryAfterSeconds: 1 });
    const off = defaultFaults();
    for (let i = 0; i < 100; i++) expect(throttled(off, t0)).toBeUndefined();
  });
});

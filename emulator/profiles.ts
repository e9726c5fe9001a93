/**
 * Named sets of durations, latency and rate limit for the emulator. `fast` (the default) suits test suites: tasks end
 * in fractions of a second and nothing is throttled. `realistic` is what a deployment meets on OVH's API, so that a
 * benchmark counts the calls a real `up` makes, and sees whether they stay under the API's rate limit:
 *
 * - **Refresh 30 s.** OVH publishes no duration. Its own Terraform provider (terraform-provider-ovh,
 *   `ovh/resource_iploadbalancing_refresh.go`) waits 10 s before its first poll of a refresh task, then polls every
 *   3 s or more for up to 10 minutes: tasks of tens of seconds. 30 s is our assumption within that.
 * - **IP move 60 s, free-certificate order 90 s.** No public figure found: assumptions (an `/ip` move reroutes an
 *   address across the network; a certificate order runs an ACME validation, then deploys to the load balancer).
 * - **Latency 50-150 ms** per answer: an assumption for a client in Europe calling `eu.api.ovh.com`.
 * - **Rate limit 60 calls a minute.** OVH does not document its limits; a maintainer wrote that under 60 requests a
 *   minute per consumer key a client "should be ok" (github.com/ovh/python-ovh issue 81, 2019). The profile enforces
 *   that figure as a hard limit (a bucket of 60 calls, refilled at one a second), which is likely stricter than OVH:
 *   a run that stays under it stays under the real one.
 *
 * `timeScale` compresses time: durations and latency are multiplied by it and the rate limit divided by it, so with 0.1
 * a 30 s refresh takes 3 s and 600 calls a minute are allowed. Calls per task depend only on the ratio of the poll
 * cadence to the task's duration: a client that scales its poll waits by the same factor (the provider reads
 * `OVH_IPLB_POLL_TIME_SCALE`, provider/config.ts) makes the same number of calls as at full scale.
 */
import type { Faults } from "./faults";
import type { EmulatorOptions } from "./runtime";

export const PROFILE_NAMES = ["fast", "realistic"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Profile {
  refreshSeconds: number;
  ipTaskSeconds: number;
  certificateSeconds: number;
  /** Each answer waits `latencyMs` plus up to `latencyJitterMs` more. */
  latencyMs: number;
  latencyJitterMs: number;
  /** Signed calls a minute (0: none refused) and how many may come at once. */
  throttle: Faults["throttle"];
}

export const PROFILES: Readonly<Record<ProfileName, Readonly<Profile>>> = {
  fast: { refreshSeconds: 0.5, ipTaskSeconds: 0.3, certificateSeconds: 0.3, latencyMs: 0, latencyJitterMs: 0, throttle: { perMinute: 0, burst: 0 } },
  realistic: { refreshSeconds: 30, ipTaskSeconds: 60, certificateSeconds: 90, latencyMs: 50, latencyJitterMs: 100, throttle: { perMinute: 60, burst: 60 } },
};

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/**
 * The options with the profile (default `fast`) filled in where the options say nothing, then scaled by `timeScale`
 * (default 1): plain options, without `profile` and `timeScale`, so applying it twice changes nothing more.
 */
export function withProfile(options: EmulatorOptions): EmulatorOptions {
  const { profile: name = "fast", timeScale = 1, ...rest } = options;
  if (!isProfileName(name)) throw new Error(`unknown emulator profile "${String(name)}" (known: ${PROFILE_NAMES.join(", ")})`);
  if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  if (options.profile === undefined && options.timeScale === undefined) return rest;
  const p = PROFILES[name];
  const given = rest.faults ?? {};
  const throttle = given.throttle ?? p.throttle;
  return {
    ...rest,
    refreshSeconds: (rest.refreshSeconds ?? p.refreshSeconds) * timeScale,
    ipTaskSeconds: (rest.ipTaskSeconds ?? p.ipTaskSeconds) * timeScale,
    certificateSeconds: (rest.certificateSeconds ?? p.certificateSeconds) * timeScale,
    faults: {
      ...given,
      latencyMs: Math.round((given.latencyMs ?? p.latencyMs) * timeScale),
      latencyJitterMs: Math.round((given.latencyJitterMs ?? p.latencyJitterMs) * timeScale),
      // The same calls per task-duration are allowed: a minute of the profile lasts timeScale minutes.
      throttle: { perMinute: throttle.perMinute / timeScale, burst: throttle.burst },
    },
  };
}

/**
 * What a run costs the API's rate limit, under an emulator profile (emulator/profiles.ts): the GETs spent polling each
 * task, the calls of each command, and the busiest minute against the profile's limit. Under `--time-scale` a minute of
 * the profile lasts `timeScale` real minutes, and the provider scales its poll waits by the same factor
 * (`OVH_IPLB_POLL_TIME_SCALE`), so the counts are those of the full-scale run.
 */
import type { LoggedRequest } from "./emulatorProcess";

/** `GET .../task/{id}` of an IPLB service or an `/ip` block: one poll of one task. */
const TASK_PATH = /^\/(ipLoadbalancing\/[^/]+|ip\/[^/]+(\/[^/]+)?)\/task\/(\d+)$/;

export interface ApiCost {
  /** Every call the command sent, `/auth/time` included. */
  calls: number;
  /** GETs of each task the command polled, by task path, in the order first polled. */
  pollsPerTask: Record<string, number>;
  /** Calls in the busiest window of one profile-minute (60 s x timeScale), `/auth/time` left out as the throttle does. */
  peakPerMinute: number;
  /** Answers 429 (the throttle, or a rate-limit fault). */
  refused: number;
}

export function taskPolls(requests: readonly LoggedRequest[]): Record<string, number> {
  const polls: Record<string, number> = {};
  for (const r of requests) if (r.method === "GET" && TASK_PATH.test(r.path)) polls[r.path] = (polls[r.path] ?? 0) + 1;
  return polls;
}

/** The largest number of requests whose arrival falls within any window of `windowMs`. */
export function peakInWindow(requests: readonly LoggedRequest[], windowMs: number): number {
  const times = requests.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
  let peak = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= windowMs) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

export function apiCost(requests: readonly LoggedRequest[], timeScale: number): ApiCost {
  const signed = requests.filter((r) => r.path !== "/auth/time");
  return {
    calls: requests.length,
    pollsPerTask: taskPolls(requests),
    peakPerMinute: peakInWindow(signed, 60_000 * timeScale),
    refused: requests.filter((r) => r.status === 429).length,
  };
}

export interface ApiCostRow {
  run: string;
  up: ApiCost;
  preview?: ApiCost;
}

export interface ApiCostSettings {
  profile: string;
  timeScale: number;
  /** The profile's rate limit, in calls per profile-minute (0: none). */
  limitPerMinute: number;
}

const polls = (c: ApiCost) => {
  const counts = Object.values(c.pollsPerTask);
  return counts.length === 0 ? "none" : `${counts.join(", ")} (${counts.length} task${counts.length > 1 ? "s" : ""})`;
};

/** The markdown section appended to the report when the run used a profile. */
export function apiCostMarkdown(rows: readonly ApiCostRow[], s: ApiCostSettings): string {
  const limit = s.limitPerMinute > 0 ? `${s.limitPerMinute}` : "none";
  const lines = [
    `## API calls under the \`${s.profile}\` profile (time scale ${s.timeScale})`,
    "",
    "GETs per task: the polls of each task the `up` waited for. Peak: the most calls (`/auth/time` left out) within one",
    `minute of the profile (${60 * s.timeScale} s of real time), against its limit of ${limit} a minute. Refused: 429 answers.`,
    "",
    "| run | calls per up | GETs per task | peak per minute / limit | refused | preview calls | preview peak |",
    "|---|---:|---|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.run} | ${r.up.calls} | ${polls(r.up)} | ${r.up.peakPerMinute} / ${limit} | ${r.up.refused} | ${r.preview?.calls ?? ""} | ${r.preview?.peakPerMinute ?? ""} |`,
    );
  }
  return lines.join("\n");
}

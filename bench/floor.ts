/**
 * The floor of each scenario: the shortest time any provider keeping this package's promise (every change live when
 * `up` returns) could take, given the API latency L and the refresh duration R. It is the critical path of the
 * deployment in API round trips and refreshes, computed from the settings alone:
 *
 * - every API call costs L (the emulator adds L to each answer), and calls the engine runs side by side overlap;
 * - the first call of a deployment is node-ovh's clock sync, `GET /auth/time` (the host is a new process each run);
 * - a farm's servers are registered only once the farm's step has ended (they take `farm.farmId`), so farm and server
 *   steps are sequential; in a `Refresh` batch, the commit comes after every member and the start before them;
 * - making changes live costs one wave: `POST .../refresh` (L) then R until the task is done; seeing it done costs
 *   nothing more (a poll sent at the right moment answers as the task ends). Zones refresh in parallel, so the number
 *   of touched zones does not change the floor;
 * - operation by operation, a create, update or delete returns only once live: a farm is live before its servers are
 *   posted, and at destroy the servers are deleted and live before their farms are deleted (the engine deletes
 *   dependents first). With a batch, one wave at the end applies everything;
 * - a diff reads the object (drift shows in preview): one read per level of the graph (farms, then servers);
 * - nothing else: no listing before a create, no `pendingChanges` or task listing, no read after a refresh, no quiet
 *   window, no polling delay, no CPU time. Those are what the provider adds, and the ratio shows it.
 */

export const SCENARIOS = ["create", "noChange", "oneWeight", "remove10", "drift", "destroy"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const MODES = ["immediate", "batch"] as const;
export type Mode = (typeof MODES)[number];

export const SCENARIO_TITLES: Record<Scenario, string> = {
  create: "first deployment",
  noChange: "up, no change",
  oneWeight: "one weight changed",
  remove10: "10% of servers removed",
  drift: "drift corrected",
  destroy: "destroy",
};

export interface FloorSettings {
  latencyMs: number;
  refreshMs: number;
}

export interface Floor {
  ms: number;
  /** API round trips on the critical path. */
  roundTrips: number;
  /** Refresh waves on the critical path (each: POST refresh, then the refresh duration). */
  waves: number;
  /** The critical path, step by step. */
  path: string[];
}

type Segment = "preview auth" | "preview farms" | "preview servers" | "auth" | "read farms" | "read servers" | "POST farms" | "POST servers" | "PUT server" | "DELETE servers" | "DELETE farms" | "wave";

const PATHS: Record<Mode, Record<Scenario, Segment[]>> = {
  immediate: {
    create: ["auth", "POST farms", "wave", "POST servers", "wave"],
    noChange: ["auth", "read farms", "read servers"],
    oneWeight: ["auth", "read farms", "read servers", "PUT server", "wave"],
    remove10: ["auth", "read farms", "read servers", "DELETE servers", "wave"],
    drift: ["auth", "read farms", "read servers", "PUT server", "wave"],
    destroy: ["auth", "DELETE servers", "wave", "DELETE farms", "wave"],
  },
  batch: {
    create: ["auth", "POST farms", "POST servers", "wave"],
    noChange: ["auth", "read farms", "read servers"],
    oneWeight: ["auth", "read farms", "read servers", "PUT server", "wave"],
    remove10: ["auth", "read farms", "read servers", "DELETE servers", "wave"],
    drift: ["auth", "read farms", "read servers", "PUT server", "wave"],
    destroy: ["auth", "DELETE servers", "DELETE farms", "wave"],
  },
};

const LABELS: Record<Segment, string> = {
  "preview auth": "GET /auth/time (the up's preview)",
  "preview farms": "GET farms (the up's preview)",
  "preview servers": "GET servers (the up's preview)",
  auth: "GET /auth/time",
  "read farms": "GET farms (diff)",
  "read servers": "GET servers (diff)",
  "POST farms": "POST farms",
  "POST servers": "POST servers",
  "PUT server": "PUT server",
  "DELETE servers": "DELETE servers",
  "DELETE farms": "DELETE farms",
  wave: "POST refresh + refresh",
};

/** Scenarios whose preview diffs existing resources (a first deployment's and a destroy's make no API call). */
const PREVIEW_READS: Scenario[] = ["noChange", "oneWeight", "remove10", "drift"];

/**
 * `previewFirst`: the `up` runs a preview first (the real engine), in a host of its own, which reads what it diffs:
 * its clock sync and one read per level of the graph come before the update's own.
 */
export function floor(scenario: Scenario, mode: Mode, s: FloorSettings, o: { previewFirst?: boolean } = {}): Floor {
  if (!(s.latencyMs >= 0) || !(s.refreshMs >= 0)) throw new Error(`floor: latency and refresh must be >= 0 (got ${s.latencyMs}, ${s.refreshMs})`);
  const preview: Segment[] = o.previewFirst && PREVIEW_READS.includes(scenario) ? ["preview auth", "preview farms", "preview servers"] : [];
  const segments = [...preview, ...PATHS[mode][scenario]];
  const waves = segments.filter((x) => x === "wave").length;
  const roundTrips = segments.length;
  return {
    ms: roundTrips * s.latencyMs + waves * s.refreshMs,
    roundTrips,
    waves,
    path: segments.map((x) => LABELS[x]),
  };
}

/** `5L + 2R`: the floor as a formula. */
export function formula(f: Pick<Floor, "roundTrips" | "waves">): string {
  return [f.roundTrips > 0 ? `${f.roundTrips}L` : "", f.waves > 0 ? `${f.waves === 1 ? "" : f.waves}R` : ""].filter(Boolean).join(" + ") || "0";
}

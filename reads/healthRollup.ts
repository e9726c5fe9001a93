// Server and farm health: HAProxy check codes normalised to the categories of Oracle Cloud's backend-health API, then
// rolled up per server (over the LB instances) and per farm (over its servers). Pure functions only: the reads are in
// reads/health.ts, and the SDK functions and the `ovh-iplb status` command share these rules.
//
// Why Oracle's categories: OVH's `serverState` passes HAProxy's raw `checkStatus` through (ovh-iplb-api.md 6.2), which
// names a protocol layer rather than what went wrong for the user; Oracle's network load balancer
// (`HealthCheckResult.healthCheckStatus`) has the small, well-known set below, and its backend health levels
// (OK / WARNING / CRITICAL / UNKNOWN; a backend is critical when none of its checks is OK) are what the roll-ups follow.
import type * as wire from "../provider/api/wire";

export const CHECK_RESULTS = ["OK", "INVALID_STATUS_CODE", "TIMED_OUT", "HEALTH_PAYLOAD_MISMATCH", "CONNECT_FAILED", "UNKNOWN"] as const;
/** One instance's last check, normalised (Oracle's `healthCheckStatus` values). */
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const HEALTH_STATUSES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;
/** A rolled-up health level (Oracle's backend and backend-set `status` values). */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * HAProxy `check_status` codes (HAProxy configuration manual, "show stat" field 36) -> category. Codes not listed
 * here, and a missing code, are UNKNOWN.
 * - L7OKC ("conditionally passed", a 404 with `disable-on-404`) drains the server: judged by its status code, so
 *   INVALID_STATUS_CODE. OVH probes have no such option; it is listed so that it never reads as a pass.
 * - L6RSP (TLS handshake failed) and SOCKERR mean no usable connection: CONNECT_FAILED, like L4CON.
 * - PROC* come from external checks, which OVH does not offer; a failed script is judged by its exit status.
 */
export const HAPROXY_CHECK_RESULTS: Readonly<Record<string, CheckResult>> = {
  L4OK: "OK",
  L6OK: "OK",
  L7OK: "OK",
  PROCOK: "OK",
  L7STS: "INVALID_STATUS_CODE",
  L7OKC: "INVALID_STATUS_CODE",
  PROCERR: "INVALID_STATUS_CODE",
  L4TOUT: "TIMED_OUT",
  L6TOUT: "TIMED_OUT",
  L7TOUT: "TIMED_OUT",
  PROCTOUT: "TIMED_OUT",
  L7RSP: "HEALTH_PAYLOAD_MISMATCH",
  L4CON: "CONNECT_FAILED",
  L6RSP: "CONNECT_FAILED",
  SOCKERR: "CONNECT_FAILED",
  INI: "UNKNOWN",
  UNK: "UNKNOWN",
};

/**
 * The category of a `checkStatus`. HAProxy's stats page writes `* L7OK` while a check runs and `L7STS/503` with the
 * code appended; both forms are accepted, in any case.
 */
export function normaliseCheck(checkStatus: string | null | undefined): CheckResult {
  if (typeof checkStatus !== "string") return "UNKNOWN";
  const code = checkStatus.trim().replace(/^\*\s*/, "").split(/[\s/]/)[0].toUpperCase();
  return Object.prototype.hasOwnProperty.call(HAPROXY_CHECK_RESULTS, code) ? HAPROXY_CHECK_RESULTS[code] : "UNKNOWN";
}

/** One LB instance's view of a server: OVH's fields as they are, plus the normalised check. */
export interface InstanceHealth extends wire.ServerState {
  check: CheckResult;
}

/** What one instance says about a server: it passes, it fails, or it has no verdict (no check ran). */
export type Verdict = "pass" | "fail" | "unknown";

/**
 * - `status` DOWN (also HAProxy's transitional `DOWN 1/2`) fails whatever the last check said: the instance sends the
 *   server no traffic, even while a passing check climbs back towards `rise`.
 * - `status` MAINT is a server taken out on purpose (inactive): no verdict.
 * - otherwise the last check decides, so a first failure from full health (`UP`, L4CON) already fails: HAProxy will
 *   mark it down at the next failure, and a deploy gate should not wait for that.
 */
export function instanceVerdict(state: Pick<wire.ServerState, "status" | "checkStatus">): Verdict {
  const status = typeof state.status === "string" ? state.status.trim().toUpperCase() : "";
  if (status.startsWith("DOWN")) return "fail";
  if (status.startsWith("MAINT")) return "unknown";
  const check = normaliseCheck(state.checkStatus);
  if (check === "OK") return "pass";
  return check === "UNKNOWN" ? "unknown" : "fail";
}

/** The server fields the roll-up reads (a BackendServer of any type, or farm server outputs). */
export interface ServerHealthSource {
  /** `active` or `inactive`. */
  status?: string | null;
  /** The server's probe flag; undefined for UDP servers, which have none. */
  probe?: boolean | null;
  serverState?: wire.ServerState[] | null;
}

export interface RolledUp {
  status: HealthStatus;
  /** One line saying why, for people: `2 of 2 instances fail (L4CON Connection refused)`. */
  reason: string;
}

function describeCheck(state: wire.ServerState): string {
  return [state.checkStatus ?? state.status, state.checkCode, state.lastCheckContent].filter((p) => p !== null && p !== "").join(" ");
}

/**
 * Server health over its instances (Oracle's backend health): OK when every instance passes, WARNING when some do,
 * CRITICAL when none does and at least one fails, UNKNOWN when no instance has a verdict. It is also UNKNOWN, whatever
 * the instances say, for an inactive server, a server whose probe is off and a UDP server: nothing checks them.
 */
export function rollUpServer(server: ServerHealthSource): RolledUp & { instances: InstanceHealth[] } {
  const states = Array.isArray(server.serverState) ? server.serverState : [];
  const instances = states.map((s) => ({ ...s, check: normaliseCheck(s.checkStatus) }));
  const unknown = (reason: string) => ({ status: "UNKNOWN" as const, reason, instances });
  if (server.status === "inactive") return unknown("inactive: takes no traffic and is not checked");
  if (server.probe === undefined) return unknown("no health check (UDP servers have no probe)");
  if (server.probe !== true) return unknown("probe is off: the load balancer does not check it");
  if (states.length === 0) return unknown("no health data yet (the server is not live)");
  const verdicts = states.map(instanceVerdict);
  const passing = verdicts.filter((v) => v === "pass").length;
  const failing = verdicts.filter((v) => v === "fail").length;
  const n = states.length;
  if (passing === 0 && failing === 0) return unknown(`no check has completed yet on ${n === 1 ? "its instance" : `its ${n} instances`}`);
  if (passing === n) return { status: "OK", reason: `${n} of ${n} instances pass`, instances };
  const firstFailure = states[verdicts.indexOf("fail")];
  const why = firstFailure ? ` (${describeCheck(firstFailure)})` : "";
  if (passing === 0) return { status: "CRITICAL", reason: `${failing} of ${n} instances fail${why}`, instances };
  return { status: "WARNING", reason: `${passing} of ${n} instances pass${why}`, instances };
}

/** A server with its roll-up, as the farm roll-up and the gates need it. */
export interface GateMember {
  /** `active` or `inactive`. */
  serverStatus: string;
  backup: boolean;
  /** The probe flag; false or undefined for UDP servers, which have none. */
  probe?: boolean | null;
  /** 0: drained (no new traffic); null or undefined: the API default, 1. */
  weight?: number | null;
  status: HealthStatus;
}

/**
 * A server with weight 0 takes no new traffic: it is being taken out, usually on purpose (its backend stopped for
 * maintenance). It is neither waited for nor a reason to fail: a pipeline that drains a server before stopping it must
 * not fail on that server being down. It still shows with its own status.
 */
export function isDrained(server: Pick<GateMember, "weight">): boolean {
  return server.weight === 0;
}

/**
 * The servers that decide a farm's health and that `--wait-healthy` waits for: active, not backup, and probed. A
 * server nothing checks (probe off, UDP) can never be OK, yet the load balancer sends it traffic all the same, so
 * counting it would leave its farm WARNING forever and make a wait time out.
 */
export function isGated(server: GateMember): boolean {
  return server.serverStatus === "active" && !server.backup && server.probe === true && !isDrained(server);
}

/** Gated servers that are not OK yet: `--wait-healthy` is done when this is empty. */
export function notYetHealthy<T extends GateMember>(servers: T[]): T[] {
  return servers.filter((s) => isGated(s) && s.status !== "OK");
}

/** Active servers (backups included, drained ones not) that are CRITICAL: `ovh-iplb status` exits 1 when there is any. */
export function criticalServers<T extends GateMember>(servers: T[]): T[] {
  return servers.filter((s) => s.serverStatus === "active" && !isDrained(s) && s.status === "CRITICAL");
}

/** A server of a farm as the farm roll-up sees it. */
export interface FarmMember extends GateMember {
  serverId: number;
}

/** `12 CRITICAL, 13 UNKNOWN` */
function states(servers: FarmMember[]): string {
  return servers.map((s) => `${s.serverId} ${s.status}`).join(", ");
}

/**
 * Farm health over its checked servers (`isGated`: active, non-backup, probed, not drained), Oracle's levels with
 * "some" and "none" instead of halves:
 * - UNKNOWN: no checked server, or none of them has a check result yet;
 * - OK: every checked server is OK, and no active backup server fails;
 * - CRITICAL: no checked server passes anywhere (each is CRITICAL or UNKNOWN, at least one CRITICAL): the traffic
 *   has no server known to be good left, only backups if any;
 * - WARNING: everything in between, including an all-OK farm whose backup server fails (it has no fallback).
 * Inactive, unprobed and drained servers never count; they show with their own status.
 */
export function rollUpFarm(servers: FarmMember[]): RolledUp {
  const checked = servers.filter(isGated);
  const count = (status: HealthStatus) => checked.filter((s) => s.status === status).length;
  const n = checked.length;
  if (n === 0) return { status: "UNKNOWN", reason: "no active, non-backup server with the probe on" };
  if (count("UNKNOWN") === n) return { status: "UNKNOWN", reason: `no check result yet for its ${n} checked server${n === 1 ? "" : "s"}` };
  if (count("OK") === n) {
    const failingBackups = servers.filter((s) => s.serverStatus === "active" && s.backup && !isDrained(s) && (s.status === "CRITICAL" || s.status === "WARNING"));
    if (failingBackups.length > 0) return { status: "WARNING", reason: `${n} of ${n} checked servers are OK; not OK: ${states(failingBackups)} (backup)` };
    return { status: "OK", reason: `${n} of ${n} checked servers are OK` };
  }
  const notOk = checked.filter((s) => s.status !== "OK");
  if (count("OK") + count("WARNING") === 0) return { status: "CRITICAL", reason: `no checked server passes; not OK: ${states(notOk)}` };
  return { status: "WARNING", reason: `${n - notOk.length} of ${n} checked servers are OK; not OK: ${states(notOk)}` };
}

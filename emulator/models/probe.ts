/**
 * `ipLoadbalancing.BackendProbe`, the health check of HTTP and TCP farms, and the rules the API applies on top of the
 * field types (ovh-iplb-api.md 5.3):
 * - `negate` without a `match` is refused with the API's own message (quoted in terraform-provider-ovh
 *   `types_iploadbalancing.go`). `negate: false` is accepted: terraform sends it on every probe.
 * - `internal` (in the type, method and match enums) is set by OVH itself, never accepted from a client.
 * - `match` must be one the probe type supports, and `negate` needs a negatable match, as `availableFarmProbes`
 *   lists them; the schema says outright that `status` "is only supported for HTTP probes".
 * - `interval` is 30..3600 s: the schema says at least 30 (and "defaults to 30"), terraform checks 30..3600.
 * - `method` and `url` on a non-http probe, like `port` on an `oco` probe, are accepted, kept and ignored: the schema
 *   says such fields are "ignored" for other types rather than refused, and terraform re-sends what it read.
 * Unset fields stay `null` (null = the API's default); the emulator does not fill in defaults it cannot confirm.
 */
import { badRequest } from "../errors";
import type { ModelSpec } from "../validate";
import { PORT_MAX, PORT_MIN } from "./spec";

export const PROBE_TYPES = ["http", "internal", "mysql", "oco", "pgsql", "smtp", "tcp"] as const;
export const PROBE_METHODS = ["GET", "HEAD", "OPTIONS", "internal"] as const;
export const PROBE_MATCHES = ["contains", "default", "internal", "matches", "status"] as const;

export const PROBE_SCHEMA_MODEL = "ipLoadbalancing.BackendProbe";

export const PROBE_SPEC: ModelSpec = {
  forceSsl: { type: "boolean", nullable: true },
  interval: { type: "integer", nullable: true, min: 30, max: 3600 },
  match: { type: "string", nullable: true, enum: PROBE_MATCHES, enumName: "ipLoadbalancing.ProbeExpectMatchEnum" },
  method: { type: "string", nullable: true, enum: PROBE_METHODS, enumName: "ipLoadbalancing.ProbeMethodEnum" },
  negate: { type: "boolean", nullable: true },
  pattern: { type: "string", nullable: true },
  port: { type: "integer", nullable: true, min: PORT_MIN, max: PORT_MAX },
  type: { type: "string", nullable: true, enum: PROBE_TYPES, enumName: "ipLoadbalancing.ProbeTypeEnum" },
  url: { type: "string", nullable: true },
};

/**
 * `GET .../availableFarmProbes` (`ipLoadbalancing.FarmAvailableProbe[]`), as the OVH probes guide describes each
 * type; `checkProbe` enforces its `matches` and `negatableMatches`, so what the API advertises is what it accepts.
 */
export const AVAILABLE_FARM_PROBES = [
  { type: "http", port: true, url: true, method: ["GET", "HEAD", "OPTIONS"], matches: ["default", "contains", "matches", "status"], negatableMatches: ["contains", "matches", "status"] },
  { type: "tcp", port: true, url: false, method: null, matches: ["default", "contains", "matches"], negatableMatches: ["contains", "matches"] },
  { type: "smtp", port: true, url: false, method: null, matches: ["default"], negatableMatches: [] },
  { type: "mysql", port: true, url: false, method: null, matches: ["default"], negatableMatches: [] },
  { type: "pgsql", port: true, url: false, method: null, matches: ["default"], negatableMatches: [] },
  { type: "oco", port: false, url: false, method: null, matches: ["default"], negatableMatches: [] },
] as const;

/** Full probe object as GET returns it: every BackendProbe field, `null` when not given. */
export function fullProbe(probe: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(PROBE_SPEC).map((k) => [k, probe[k] ?? null]));
}

/** The rules beyond field types; `probe` has already passed PROBE_SPEC. */
export function checkProbe(probe: Record<string, unknown>): void {
  for (const field of ["type", "method", "match"] as const) {
    if (probe[field] === "internal") throw badRequest(`[probe.${field}] Given data (internal) is reserved for OVHcloud internal use`);
  }
  const type = (probe.type as string | null) ?? "tcp";
  const match = probe.match as string | null;
  if (probe.negate === true && match === null) throw badRequest("A probe can not negate without a match");
  const rules = AVAILABLE_FARM_PROBES.find((p) => p.type === type);
  const matches: readonly string[] = rules?.matches ?? [];
  const negatable: readonly string[] = rules?.negatableMatches ?? [];
  if (match !== null && !matches.includes(match)) {
    throw badRequest(`[probe.match] Given data (${match}) is not supported by ${type} probes (${matches.join(", ")})`);
  }
  if (probe.negate === true && match !== null && !negatable.includes(match)) {
    throw badRequest(`[probe.negate] The ${match} match of ${type} probes can not be negated`);
  }
}

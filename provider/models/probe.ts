// The health probe of HTTP and TCP farms (`ipLoadbalancing.BackendProbe`). Every field is nullable and
// null means the API default, so the diff compares effective values: an API that answers with its
// defaults filled in (type "tcp", interval 30, match "default" ...) must not cause a perpetual diff.
// Per-type rules come from the OVH probes guide and `GET .../availableFarmProbes` (shared note
// ovh-iplb-api.md, 5.3). A probe only runs for servers whose own `probe` flag is true.
import type * as wire from "../api/wire";
import * as fields from "./fields";
import type { CheckFailure } from "./fields";

/** Probe types users may set; the schema's `internal` is reserved by OVH and left out. */
export const PROBE_TYPES = ["http", "mysql", "oco", "pgsql", "smtp", "tcp"] as const satisfies readonly wire.ProbeTypeEnum[];
export type ProbeType = (typeof PROBE_TYPES)[number];

/** Methods of `http` probes; `internal` left out. Without one, the service sends OPTIONS (PROBE_DEFAULT_METHOD). */
export const PROBE_METHODS = ["GET", "HEAD", "OPTIONS"] as const satisfies readonly wire.ProbeMethodEnum[];
export type ProbeMethod = (typeof PROBE_METHODS)[number];

/** How the answer is checked; `status` is for `http` probes only; `internal` left out. */
export const PROBE_MATCHES = ["contains", "default", "matches", "status"] as const satisfies readonly wire.ProbeExpectMatchEnum[];
export type ProbeMatch = (typeof PROBE_MATCHES)[number];

export const PROBE_FIELDS = ["type", "port", "interval", "method", "url", "match", "pattern", "negate", "forceSsl"] as const;

/** What each probe type supports (availableFarmProbes: `port`, `url`, `method`, `matches`). */
export interface ProbeCapabilities {
  port: boolean;
  urlAndMethod: boolean;
  matches: readonly ProbeMatch[];
}

export const PROBE_CAPABILITIES: Readonly<Record<ProbeType, ProbeCapabilities>> = {
  tcp: { port: true, urlAndMethod: false, matches: ["default", "contains", "matches"] },
  http: { port: true, urlAndMethod: true, matches: ["default", "contains", "matches", "status"] },
  smtp: { port: true, urlAndMethod: false, matches: ["default"] },
  mysql: { port: true, urlAndMethod: false, matches: ["default"] },
  pgsql: { port: true, urlAndMethod: false, matches: ["default"] },
  // oco (OVH's own agent) always answers on port 79.
  oco: { port: false, urlAndMethod: false, matches: ["default"] },
};

/** API defaults (schema descriptions; terraform bounds interval to 30..3600). */
export const PROBE_DEFAULT_TYPE = "tcp";
export const PROBE_DEFAULT_INTERVAL = 30;
export const PROBE_MIN_INTERVAL = 30;
export const PROBE_MAX_INTERVAL = 3600;
/**
 * What an http probe without a method sends: `OPTIONS /` in HTTP/1.0 without Host. The OVH probes guide says so
 * twice (ovh/docs pages/network/load_balancer/create_probes: "By default, the HTTP probe sends an `OPTIONS` request on
 * `/` in HTTP/1.0" and "It is recommended to configure at least the method with GET", as nginx refuses OPTIONS), and it
 * is HAProxy's `option httpchk` default, which the service runs. The schema's description says GET; it documents the
 * field, not what runs: with GET as the default, a user adding `method: "GET"` saw no diff and the probe kept failing.
 */
export const PROBE_DEFAULT_METHOD = "OPTIONS";
export const PROBE_DEFAULT_URL = "/";
export const PROBE_DEFAULT_MATCH = "default";

const STATUS_CODES = /^\d{3}(,\d{3})*$/;

/** What `pattern` holds for each match that needs one (OVH probes guide). */
const PATTERN_KINDS: Readonly<Record<"contains" | "matches" | "status", string>> = {
  contains: "the text the answer must contain",
  matches: "a regular expression the answer must match",
  status: 'comma-separated 3-digit status codes, e.g. "200" or "200,301"',
};

const PROBE_RULES: fields.RuleTable = {
  type: { check: fields.enumOf(PROBE_TYPES), nullable: true },
  port: { check: fields.port, nullable: true },
  interval: { check: fields.intRange(PROBE_MIN_INTERVAL, PROBE_MAX_INTERVAL), nullable: true },
  method: { check: fields.enumOf(PROBE_METHODS), nullable: true },
  url: { check: fields.text, nullable: true },
  match: { check: fields.enumOf(PROBE_MATCHES), nullable: true },
  pattern: { check: fields.text, nullable: true },
  negate: { check: fields.bool, nullable: true },
  forceSsl: { check: fields.bool, nullable: true },
};

/** Validates a probe object: each field, then the rules that tie the fields to the probe type. */
export const checkProbe: fields.Checker = (property, value) => {
  if (!fields.isPlainObject(value)) return [fields.failure(property, `${fields.formatValue(value)} is not an object`)];
  const failures = fields.checkFields(value, PROBE_RULES, { prefix: property });
  if (failures.length > 0) return failures;
  return crossFieldFailures(property, value);
};

// Runs only on well-typed fields; an unknown (preview) value skips the rules that depend on it.
function crossFieldFailures(property: string, probe: Record<string, unknown>): CheckFailure[] {
  if (fields.containsUnknown(probe.type) || fields.containsUnknown(probe.match)) return [];
  const type = (probe.type ?? PROBE_DEFAULT_TYPE) as ProbeType;
  const caps = PROBE_CAPABILITIES[type];
  const match = probe.match as ProbeMatch | null | undefined;
  const failures: CheckFailure[] = [];
  const fail = (key: string, detail: string) => failures.push(fields.failure(`${property}.${key}`, detail));
  if (!fields.isNil(probe.port) && !caps.port) fail("port", `${type} probes always use port 79`);
  for (const key of ["method", "url"]) {
    if (!fields.isNil(probe[key]) && !caps.urlAndMethod) fail(key, `only http probes have a ${key} (type is ${type})`);
  }
  if (!fields.isNil(match) && !caps.matches.includes(match)) {
    fail("match", `"${match}" is not allowed for ${type} probes (allowed: ${caps.matches.join(", ")})`);
  }
  failures.push(...patternFailures(property, match, probe.pattern));
  // Error 400 of the API: "A probe can not negate without a match".
  if (probe.negate === true && fields.isNil(match)) {
    fail("negate", `A probe can not negate without a match; set ${property}.match (${type} probes: ${caps.matches.join(", ")}) or remove negate`);
  }
  return failures;
}

function patternFailures(property: string, match: ProbeMatch | null | undefined, pattern: unknown): CheckFailure[] {
  const path = `${property}.pattern`;
  if (fields.containsUnknown(pattern)) return [];
  const needsPattern = match === "contains" || match === "matches" || match === "status";
  if (!needsPattern) {
    return fields.isNil(pattern) || pattern === "" ? [] : [fields.failure(path, `is only used with match contains, matches or status`)];
  }
  if (fields.isNil(pattern) || pattern === "") return [fields.failure(path, `a pattern is required when match is "${match}": ${PATTERN_KINDS[match]}`)];
  if (match === "status" && !STATUS_CODES.test(pattern as string)) {
    return [fields.failure(path, `${fields.formatValue(pattern)} is not a comma-separated list of 3-digit status codes`)];
  }
  return [];
}

/**
 * The probe the API actually runs, with every default filled in. `farmPort` is the farm's port: a
 * probe without port checks the farm port, so a probe port equal to it counts as "no port" (an API
 * that reports it explicitly compares equal, and a farm port change alone does not touch the probe).
 * method and url only exist for http probes; oco ignores the port; the pattern only counts with a match.
 */
export function effectiveProbe(probe: unknown, farmPort: unknown): wire.BackendProbe {
  const p: Record<string, unknown> = fields.isPlainObject(probe) ? probe : {};
  const type = (p.type ?? PROBE_DEFAULT_TYPE) as wire.ProbeTypeEnum;
  const isHttp = type === "http";
  const match = (p.match ?? PROBE_DEFAULT_MATCH) as wire.ProbeExpectMatchEnum;
  const port = type === "oco" || p.port === farmPort ? null : ((p.port ?? null) as number | null);
  return {
    type,
    port,
    interval: (p.interval ?? PROBE_DEFAULT_INTERVAL) as number,
    method: isHttp ? ((p.method ?? PROBE_DEFAULT_METHOD) as wire.ProbeMethodEnum) : null,
    url: isHttp ? ((p.url || PROBE_DEFAULT_URL) as string) : null,
    match,
    pattern: match === "default" ? null : ((p.pattern || null) as string | null),
    negate: (p.negate ?? false) as boolean,
    forceSsl: (p.forceSsl ?? false) as boolean,
  };
}

/**
 * The probe as sent in a POST or PUT: all fields, null where the user set nothing, so a PUT replaces
 * the whole probe declaratively. `negate` is sent only with a match, as terraform does, because the
 * API answers 400 "A probe can not negate without a match" when negate comes alone.
 */
export function probeBody(probe: unknown): wire.BackendProbe {
  const p: Record<string, unknown> = fields.isPlainObject(probe) ? probe : {};
  const body: Record<string, unknown> = {};
  for (const key of PROBE_FIELDS) body[key] = p[key] ?? null;
  body.forceSsl = p.forceSsl ?? false;
  if (fields.isNil(p.match)) delete body.negate;
  else body.negate = p.negate ?? false;
  return body as unknown as wire.BackendProbe;
}

/** The probe as an output: null when the API says null, otherwise every field present. */
export function probeOutput(probe: unknown): wire.BackendProbe | null {
  if (!fields.isPlainObject(probe)) return null;
  const out: Record<string, unknown> = {};
  for (const key of PROBE_FIELDS) out[key] = probe[key] ?? null;
  return out as unknown as wire.BackendProbe;
}

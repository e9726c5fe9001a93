// The validation vocabulary shared by the models (their diff vocabulary is fieldDiff.ts, re-exported here with the
// value helpers of values.ts). Inputs reach check() straight from the engine (or from untyped JavaScript), so every
// checker takes `unknown` and reports a failure instead of throwing. Each reason names the value and the allowed
// values, never the property: the engine prints the property before it ("HttpFarm resource 'web's property 'balance'
// value {fastest} has a problem: <reason>"), and a reason naming it again read "balance: balance: ...". Where a
// failure is shown without the engine (a function's arguments: reads/args.ts), the caller prefixes the property.

import { isIpv4 } from "./ipv4";
import { containsUnknown } from "./values";

export * from "./fieldDiff";
export * from "./values";

/** A check() failure as the Pulumi engine expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Validates one present, non-null, known value; returns [] when it is fine. */
export type Checker = (property: string, value: unknown) => CheckFailure[];

export function failure(property: string, detail: string): CheckFailure {
  return { property, reason: detail };
}

/** A short rendering of a user value for messages: strings quoted, objects not dumped. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(typeof value);
}

export function enumOf(values: readonly string[]): Checker {
  return (property, value) =>
    typeof value === "string" && values.includes(value)
      ? []
      : [failure(property, `${formatValue(value)} is not one of ${values.join(", ")}`)];
}

/**
 * Integers only: "80" (a string) and 80.5 are failures, and say which integers are allowed. Without max, the minimum
 * applies, and the largest integer a JSON number carries exactly (an id of 1e308 would reach the API as another id).
 */
export function intRange(min: number, max?: number): Checker {
  const allowed = max === undefined ? `${min} or more` : `${min}..${max}`;
  return (property, value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return [failure(property, `${formatValue(value)} is not an integer (allowed: ${allowed})`)];
    }
    if (max === undefined) {
      if (value < min) return [failure(property, `${value} is less than ${min}`)];
      return Number.isSafeInteger(value) ? [] : [failure(property, `${value} is beyond ${Number.MAX_SAFE_INTEGER}, the largest integer sent exactly`)];
    }
    return value < min || value > max ? [failure(property, `${value} is out of range ${min}..${max}`)] : [];
  };
}

/** Farm, server and probe ports (schema descriptions and the OVH guide). */
export const MIN_PORT = 1;
export const MAX_PORT = 49151;
export const port: Checker = intRange(MIN_PORT, MAX_PORT);

/** Dotted-quad IPv4 without leading zeros (the schema's `ipv4`; servers take no IPv6). */
export const ipv4: Checker = (property, value) =>
  typeof value === "string" && isIpv4(value) ? [] : [failure(property, `${formatValue(value)} is not an IPv4 address`)];

/** A backend's address: an IPv4 address that names one host (not 0.0.0.0, "any", nor 255.255.255.255, broadcast). */
export const hostAddress: Checker = (property, value) => {
  const bad = ipv4(property, value);
  if (bad.length > 0) return bad;
  return value === "0.0.0.0" || value === "255.255.255.255" ? [failure(property, `${formatValue(value)} is not the address of one server`)] : [];
};

export const bool: Checker = (property, value) =>
  typeof value === "boolean" ? [] : [failure(property, `${formatValue(value)} is not a boolean`)];

/** An empty string and no value are the same thing to users (a display name, a redirect). */
export function emptyAsNull(value: unknown): unknown {
  return value === undefined || value === "" ? null : value;
}

export interface StringRules {
  nonEmpty?: boolean;
  maxLength?: number;
  /**
   * One line of text: no control character (CR/LF would inject a header or a line into the balancer's configuration),
   * no bidirectional override (text that displays other than it reads), no lone surrogate (not Unicode text).
   */
  singleLine?: boolean;
  /** with the end of the message when the value does not match, e.g. "is not a zone name" */
  pattern?: { re: RegExp; hint: string };
}

export function str(rules: StringRules = {}): Checker {
  // A value that is not a string, or empty, is described by the pattern's hint when there is one: `zone: "" is not a
  // zone name (...)` says what is allowed, "must not be empty" does not.
  return (property, value) => {
    if (typeof value !== "string" || (rules.nonEmpty && value === "")) {
      if (rules.pattern) return [failure(property, `${formatValue(value)} ${rules.pattern.hint}`)];
      return [failure(property, typeof value !== "string" ? `${formatValue(value)} is not a string` : "must not be empty")];
    }
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      return [failure(property, `is ${value.length} characters long, more than ${rules.maxLength}`)];
    }
    const unsafe = rules.singleLine ? unsafeCharacter(value) : undefined;
    if (unsafe) return [failure(property, `contains ${unsafe}; one line of text is allowed`)];
    if (rules.pattern && !rules.pattern.re.test(value)) return [failure(property, `${formatValue(value)} ${rules.pattern.hint}`)];
    return [];
  };
}

/** The first character that has no place in one line of text, described (never shown: it may not print), if any. */
export function unsafeCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    if (code < 0x20 || code === 0x7f) return `a control character (${hex})`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return `a bidirectional override (${hex})`;
    const high = code >= 0xd800 && code <= 0xdbff;
    const low = code >= 0xdc00 && code <= 0xdfff;
    if (high && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff) i++;
    else if (high || low) return `a lone surrogate (${hex})`;
  }
  return undefined;
}

/** Display names, cookies, URLs and the like: one line, and not a document. */
export const MAX_TEXT_LENGTH = 255;
export const text: Checker = str({ singleLine: true, maxLength: MAX_TEXT_LENGTH });

/**
 * OVH service names (`loadbalancer-abc...`, `ip-203.0.113.7`): letters, digits, `-`, `_` and `.`, not starting with a
 * dot. The name is a segment of every path, so `..` or a `/` would name another path.
 */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
export const serviceName: Checker = (property, value) => {
  const basic = str({ nonEmpty: true, maxLength: 100 })(property, value);
  if (basic.length > 0 || SERVICE_NAME_PATTERN.test(value as string)) return basic;
  return [failure(property, `${formatValue(value)} is not a service name (letters, digits, "-", "_" and ".", not starting with "."; e.g. loadbalancer-ab12cd34)`)];
};

/** Zone names (`gra`, `rbx`, ... or `all`): lower-case letters. */
export const ZONE_PATTERN = /^[a-z]+$/;
export const zone: Checker = str({ nonEmpty: true, pattern: { re: ZONE_PATTERN, hint: "is not a zone name (lower-case letters such as gra, or all)" } });

/**
 * How one input is validated. Absent means `undefined`; `null` is "clear it" and needs `nullable`. A `null` where it is
 * not allowed (untyped JavaScript) is reported by the checker itself (`status: null is not one of active, inactive`),
 * so the reason names what is allowed.
 */
export interface FieldRule {
  check: Checker;
  required?: boolean;
  nullable?: boolean;
}
export type RuleTable = Readonly<Record<string, FieldRule>>;

export interface CheckFieldsOptions {
  /** path prefix for nested objects, e.g. "probe" gives "probe.port" */
  prefix?: string;
  /** fields that exist for other types of the object, with the reason they are refused here */
  unsupported?: Readonly<Record<string, string>>;
  /** keys left alone, such as `__provider` (the serialized provider the engine adds) */
  passThrough?: readonly string[];
}

/** Validates an object against a rule table and reports every failure, in a stable order. */
export function checkFields(obj: Record<string, unknown>, rules: RuleTable, opts: CheckFieldsOptions = {}): CheckFailure[] {
  const path = (key: string) => (opts.prefix ? `${opts.prefix}.${key}` : key);
  const failures = checkUnknownFields(obj, Object.keys(rules), opts);
  for (const [key, rule] of Object.entries(rules)) {
    const value = obj[key];
    if (value === undefined) {
      if (rule.required) failures.push(failure(path(key), "a value is required"));
    } else if (value === null) {
      if (!rule.nullable) failures.push(...rule.check(path(key), null));
    } else if (!containsUnknown(value)) {
      failures.push(...rule.check(path(key), value));
    }
  }
  return failures;
}

/** Rejects keys outside `allowed`, listing the allowed ones. Keys whose value is undefined are absent. */
export function checkUnknownFields(
  obj: Record<string, unknown>, allowed: readonly string[], opts: CheckFieldsOptions = {},
): CheckFailure[] {
  const path = (key: string) => (opts.prefix ? `${opts.prefix}.${key}` : key);
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || opts.passThrough?.includes(key) || obj[key] === undefined) continue;
    // Own keys only: `constructor` or `toString` must not find Object.prototype's.
    const reason = opts.unsupported && Object.prototype.hasOwnProperty.call(opts.unsupported, key) ? opts.unsupported[key] : undefined;
    if (reason !== undefined) {
      if (obj[key] !== null) failures.push(failure(path(key), reason));
    } else {
      failures.push(failure(path(key), `unknown field; allowed fields: ${allowed.join(", ")}`));
    }
  }
  return failures;
}

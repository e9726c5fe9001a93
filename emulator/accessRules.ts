/**
 * Scoped consumer keys, OVH style: a key is granted a list of access rules `{method, path}` when it is requested
 * (`POST /auth/credential`, ovh-iplb-api.md 1.5), and every call outside them is refused with 403 `NOT_GRANTED_CALL`.
 * In a rule's path `*` matches any run of characters, `/` included (`/ipLoadbalancing/*` grants every sub-path); any
 * other path matches only itself. A key that expired, or was never validated by its owner, is refused whatever the call
 * (403 `INVALID_CREDENTIAL`).
 *
 * The emulator's own consumer key stays all-powerful; these are extra keys of the same application, given as an option
 * (`consumerKeys`). They are not written to the state file: like faults, they are the test's set-up, given again at each
 * start, and the state file keeps only what the API's calls change.
 */
import { forbidden } from "./errors";

export const RULE_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
export type RuleMethod = (typeof RULE_METHODS)[number];

/** The states of `auth.CredentialStateEnum`; only `validated` keys may call. */
export const KEY_STATES = ["validated", "pendingValidation", "expired", "refused"] as const;
export type KeyState = (typeof KEY_STATES)[number];

export interface AccessRule {
  method: RuleMethod;
  path: string;
}

export interface ScopedConsumerKey {
  consumerKey: string;
  accessRules: AccessRule[];
  /** Default `validated`. */
  state?: KeyState;
}

/** True when `rule` grants `method` on `path` (the API path, without base path and query). */
export function ruleGrants(rule: AccessRule, method: string, path: string): boolean {
  if (rule.method !== method) return false;
  const pattern = rule.path.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(path);
}

/**
 * Throws the API's refusal unless `key` may make this call. `path` is the raw one (`/ip/203.0.113.7%2F32/move`): a
 * rule may name it as sent or decoded (`/ip/203.0.113.7/32/move`), since OVH documents neither.
 */
export function admitScoped(key: ScopedConsumerKey, method: string, path: string): void {
  if ((key.state ?? "validated") !== "validated") throw forbidden("This credential is not valid", "INVALID_CREDENTIAL");
  const forms = [path, decoded(path)];
  if (!key.accessRules.some((rule) => forms.some((form) => ruleGrants(rule, method, form)))) {
    throw forbidden("This call has not been granted", "NOT_GRANTED_CALL");
  }
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The keys as given, checked and copied (later changes to the caller's objects change nothing). Throws an Error naming
 * the wrong field and what is allowed.
 */
export function checkScopedKeys(given: unknown, defaultKey: string | undefined): ScopedConsumerKey[] {
  if (given === undefined) return [];
  if (!Array.isArray(given)) throw new Error("consumerKeys must be a list of {consumerKey, accessRules, state?}");
  const seen = new Set<string>();
  return given.map((key: Partial<ScopedConsumerKey>, i) => {
    const where = `consumerKeys[${i}]`;
    if (typeof key?.consumerKey !== "string" || key.consumerKey === "") throw new Error(`${where}.consumerKey must be a non-empty string`);
    if (key.consumerKey === defaultKey || seen.has(key.consumerKey)) throw new Error(`${where}.consumerKey must differ from the emulator's own key and from the other keys`);
    seen.add(key.consumerKey);
    const state = key.state ?? "validated";
    if (!KEY_STATES.includes(state)) throw new Error(`${where}.state must be one of ${KEY_STATES.join(", ")}, got ${JSON.stringify(state)}`);
    if (!Array.isArray(key.accessRules)) throw new Error(`${where}.accessRules must be a list of {method, path}`);
    return { consumerKey: key.consumerKey, state, accessRules: key.accessRules.map((rule, j) => checkRule(rule, `${where}.accessRules[${j}]`)) };
  });
}

function checkRule(rule: Partial<AccessRule>, where: string): AccessRule {
  if (!RULE_METHODS.includes(rule?.method as RuleMethod)) throw new Error(`${where}.method must be one of ${RULE_METHODS.join(", ")}, got ${JSON.stringify(rule?.method)}`);
  if (typeof rule.path !== "string" || !rule.path.startsWith("/")) throw new Error(`${where}.path must be a path starting with "/", got ${JSON.stringify(rule.path)}`);
  return { method: rule.method as RuleMethod, path: rule.path };
}

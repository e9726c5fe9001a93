/**
 * Request authentication exactly as node-ovh signs (ovh-iplb-api.md 1.4):
 *   "$1$" + sha1hex(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TIMESTAMP)
 * where URL is `https://<host without port><raw request target>`. node-ovh leaves the port out even when it is not
 * 443; go-ovh and python-ovh sign the endpoint URL they were given, port included. Both forms are accepted.
 */
import { createHash, timingSafeEqual } from "crypto";
import { admitScoped, type ScopedConsumerKey } from "./accessRules";
import { forbidden, invalidSignature, queryOutOfTime, unauthorized } from "./errors";

export interface Credentials {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

export interface SignedRequest {
  method: string;
  /** The raw request target as received: base path, path and query, still URL-encoded. */
  target: string;
  /** The API path alone (no base path, no query), as access rules name it. */
  path: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  /** Host names under which the client may have built the signed URL (`127.0.0.1`, `127.0.0.1:8443`). */
  hosts: string[];
}

export function signature(secret: string, consumerKey: string, method: string, url: string, body: string, timestamp: string): string {
  const text = [secret, consumerKey, method, url, body, timestamp].join("+");
  return "$1$" + createHash("sha1").update(text).digest("hex");
}

/**
 * The API's routes that take no signature (ovh-iplb-api.md 1.5): the clock, and asking for a consumer key (application
 * key only). Every other path is signed, even one that merely contains `/auth` (a service named `authlb-...`): node-ovh
 * skips signing such paths, and the real API then refuses them, as this does.
 */
const OPEN_ROUTES = new Set(["/auth/time", "/auth/credential"]);

export function needsSignature(path: string): boolean {
  return !OPEN_ROUTES.has(path);
}

/**
 * Throws the ApiError the real API would answer, or returns normally when the request is properly signed and, for a
 * scoped key (accessRules.ts), valid and granted this call. `maxSkewSeconds` bounds the difference between the request
 * timestamp and the server clock. The emulator's own key (`creds.consumerKey`) is granted every call.
 */
export function authenticate(
  req: SignedRequest, creds: Credentials, nowSeconds: number, maxSkewSeconds: number, scoped: readonly ScopedConsumerKey[] = [],
): void {
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const appKey = header("X-Ovh-Application");
  if (!appKey || appKey !== creds.applicationKey) throw forbidden("Invalid application key", "INVALID_KEY");
  const consumer = header("X-Ovh-Consumer");
  const sig = header("X-Ovh-Signature");
  const ts = header("X-Ovh-Timestamp");
  if (!consumer || !sig || !ts) throw unauthorized("You must login first", "NOT_AUTHENTICATED");
  const scopedKey = consumer === creds.consumerKey ? undefined : scoped.find((k) => k.consumerKey === consumer);
  if (consumer !== creds.consumerKey && !scopedKey) throw forbidden("This credential does not exist", "NOT_CREDENTIAL");
  if (!/^\d+$/.test(ts) || Math.abs(Number(ts) - nowSeconds) > maxSkewSeconds) throw queryOutOfTime();
  const valid = req.hosts.some((host) =>
    sameText(sig, signature(creds.applicationSecret, consumer, req.method, `https://${host}${req.target}`, req.rawBody, ts)),
  );
  if (!valid) throw invalidSignature();
  // Only an authentic request learns anything about the key's state or rules.
  if (scopedKey) admitScoped(scopedKey, req.method, req.path);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// Free certificates ordered from the load balancer (`POST .../freeCertificate`, ovh-iplb-api.md section 8).
//
// Semantics of the inputs (what users rely on):
// - `fqdn` lists the names of one certificate (the first is its subject, all are in its SAN). Names are compared
//   case-insensitively and in any order, as DNS does, so reordering or re-casing them never causes a diff.
// - Any change of `fqdn` or `serviceName` replaces the certificate: a certificate cannot be edited. The new one is
//   ordered first and the old one deleted after, so a frontend that uses it is never left without one.
// - The diff compares the program with the certificate as `GET .../ssl/{id}` reports it now: deleted outside Pulumi,
//   or no longer `built` (`built_not_routed`: a name stopped pointing to the load balancer), it is ordered again.
// - OVH validates each name with an HTTP request to `http://<name>/` (domain control validation), so names must be
//   public host names: no wildcard, no IP address, at least two labels.
// - DNS is a prerequisite of the order, not a detail of it: "For the order to be finalized, the chosen domain name must
//   point to your OVH Load Balancer service" (ovh/docs pages/network/load_balancer/order_freecertificate/guide.en-gb.md);
//   otherwise the `orderFreeCertificate` task ends in `error`, with no reason in the task. `built_not_routed` comes
//   later: "a certificate that has been ordered and delivered, but whose domain cannot be validated. Usually, this is
//   because the domain no longer points to the OVHcloud Load Balancer" (ovh/docs .../create_faq/guide.en-gb.md).
//   Both are explained with the names and the addresses they must resolve to (`LbAddresses`).
// - `checkDns` (optional boolean) checks the names' A records before ordering, where `pulumi` runs; by default only
//   against OVH's own endpoints (`dnsCheckEnabled`). False for split-horizon DNS, where that view is not OVH's.
import * as errors from "../api/errors";
import type * as wire from "../api/wire";
import * as fields from "./fields";
import type { Checked, ModelBasics } from "./model";
import { networkOf } from "./ipBlocks";
import { parseResourceId } from "./resourceId";

/**
 * The most names one certificate carries here. OVH documents no limit; 100 is the largest SAN list public ACME
 * authorities such as Let's Encrypt issue, and an order beyond it could only fail after minutes of validation.
 */
export const MAX_NAMES = 100;

/** Outputs of a free certificate (the API's `Ssl`, minus `displayName`, plus the resource's own fields). */
export interface FreeCertificateOutputs {
  serviceName: string;
  sslId: number;
  type: wire.SslTypeEnum | null;
  subject: string;
  san: string[];
  fingerprint: string;
  serial: string;
  expireDate: string;
}

type Obj = Readonly<Record<string, unknown>>;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const IPV4_LIKE = /^\d+(\.\d+){3}$/;

/** Why `name` cannot be on a free certificate, or undefined when it can (RFC 1123 host name, publicly validated). */
export function hostNameProblem(name: string): string | undefined {
  if (name.startsWith("*.")) return "is a wildcard; OVH validates each name over HTTP, so list the names one by one";
  if (IPV4_LIKE.test(name)) return "is an IP address; free certificates are for host names";
  if (name.length > 253) return `is ${name.length} characters long, more than 253`;
  const labels = name.split(".");
  if (!labels.every((l) => LABEL.test(l))) {
    return "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)";
  }
  if (labels.length < 2) return "is not a fully qualified name (at least two labels, e.g. www.example.com)";
  return undefined;
}

function checkNames(property: string, value: unknown): fields.CheckFailure[] {
  if (!Array.isArray(value)) return [fields.failure(property, `${fields.formatValue(value)} is not a list of host names`)];
  if (value.length === 0) return [fields.failure(property, "at least one name is required")];
  if (value.length > MAX_NAMES) return [fields.failure(property, `${value.length} names, more than ${MAX_NAMES} (the most one certificate carries)`)];
  const failures: fields.CheckFailure[] = [];
  const seen = new Map<string, number>();
  value.forEach((name: unknown, i) => {
    const at = `${property}[${i}]`;
    if (fields.containsUnknown(name)) return;
    if (typeof name !== "string") return void failures.push(fields.failure(at, `${fields.formatValue(name)} is not a string`));
    const problem = hostNameProblem(name);
    if (problem) return void failures.push(fields.failure(at, `${fields.formatValue(name)} ${problem}`));
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) return void failures.push(fields.failure(at, `${fields.formatValue(name)} repeats ${property}[${first}] (names are case-insensitive)`));
    seen.set(name.toLowerCase(), i);
  });
  return failures;
}

const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName, required: true },
  fqdn: { check: checkNames, required: true },
  checkDns: { check: fields.bool },
};

/** Validates the inputs; every failure is reported, none is thrown, no API call. The inputs are returned as given. */
export function checkFreeCertificate(news: Record<string, unknown>): Checked<FreeCertificateInputs> {
  return { inputs: { ...news } as FreeCertificateInputs, failures: fields.checkFields(news, RULES, { passThrough: ["__provider"] }) };
}

/** The order body's names: lower-case, in the program's order (the first becomes the subject). */
export function orderBody(fqdn: readonly string[]): wire.FreeCertificateBody {
  return { fqdn: fqdn.map((n) => n.toLowerCase()) };
}

/** A name set in canonical form, for comparisons: lower-case, unique, sorted. */
export function canonicalNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort();
}

/** The names a certificate covers: its subject's CN and its SAN (`/C=FR/CN=www.example.com` or `CN=..., O=...`). */
export function certificateNames(ssl: Pick<wire.Ssl, "subject" | "san">): string[] {
  const cn = /(?:^|[/,]\s*)CN=([^/,]+)/.exec(ssl.subject ?? "")?.[1]?.trim();
  return canonicalNames([...(cn ? [cn] : []), ...(ssl.san ?? [])]);
}

export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return fields.deepEqual(canonicalNames(a), canonicalNames(b));
}

/**
 * The certificate an order produced, among certificates that did not exist before it (the caller lists them before
 * ordering and leaves those out): one issued by OVH for exactly these names. The lowest id when several match (two
 * orders for the same names at once: each takes one, see the provider's claims).
 */
export function pickOrdered(fresh: readonly wire.Ssl[], fqdn: readonly string[]): wire.Ssl | undefined {
  return fresh
    .filter((ssl) => ssl.type !== "custom" && sameNames(certificateNames(ssl), fqdn))
    .sort((a, b) => a.id - b.id)[0];
}

/**
 * Desired inputs against the old outputs and the certificate as the API reports it now (undefined after a 404).
 * Every difference replaces: there is nothing to update in place.
 */
export function diffFreeCertificate(desired: Obj, olds: Obj, live: wire.Ssl | undefined): fields.DiffResult {
  const result: fields.DiffResult = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
  const replace = (name: string, inputDiff: boolean) => {
    result.replaces.push(name);
    result.diffs.push(name);
    result.detailedDiff[name] = { kind: "update-replace", inputDiff };
  };
  if (desired.serviceName !== olds.serviceName) replace("serviceName", true);
  if (live === undefined) {
    replace("sslId", false);
  } else {
    const names = desired.fqdn;
    if (fields.containsUnknown(names) || !Array.isArray(names) || !sameNames(certificateNames(live), names as string[])) replace("fqdn", true);
    if (live.type !== "built") replace("type", false);
  }
  result.changes = result.replaces.length > 0;
  return result;
}

export function certificateOutputs(serviceName: string, ssl: wire.Ssl): FreeCertificateOutputs {
  return {
    serviceName,
    sslId: ssl.id,
    type: ssl.type ?? null,
    subject: ssl.subject,
    san: [...(ssl.san ?? [])],
    fingerprint: ssl.fingerprint,
    serial: ssl.serial,
    expireDate: ssl.expireDate,
  };
}

/** Why a `built_not_routed` result is refused, and what to do about it. */
export function notRoutedMessage(serviceName: string, fqdn: readonly string[], sslId: number, lbAddress: string | null, deleted: boolean): string {
  const target = lbAddress ? `the load balancer's address ${lbAddress} (or a failover IP routed to it)` : "the load balancer";
  return (
    `FreeCertificate: OVH issued certificate ${sslId} on ${serviceName} for ${fqdn.join(", ")} as built_not_routed: ` +
    `not every name points to ${target}. OVH validates and renews a free certificate with an HTTP request to each name, ` +
    `so before ordering, every name must resolve (DNS A record) to ${target} and be served by an HTTP frontend on port 80. ` +
    (deleted ? "The certificate was deleted; fix DNS and run `pulumi up` again." : "Fix DNS; the next `pulumi up` orders it again.")
  );
}

/** Where a free certificate's names must point: the load balancer's own addresses, and failover IPs routed to it. */
export interface LbAddresses {
  /** `ipv4`, `ipLoadbalancing` and `ipv6` of `GET /ipLoadbalancing/{serviceName}`, each once. */
  own: string[];
  /** `GET .../failover`: blocks such as `203.0.113.12/32`. */
  failover: string[];
}

function targetText(serviceName: string, lb: LbAddresses | null): string {
  if (!lb || lb.own.length === 0) return `the load balancer ${serviceName} (its address could not be read)`;
  const failover = lb.failover.length > 0 ? `, or a failover IP routed to it (${lb.failover.join(", ")})` : "";
  return `the load balancer ${serviceName}: ${lb.own.join(", ")}${failover}`;
}

/** The DNS prerequisite, with the names and where they must point. */
export function dnsPrerequisite(serviceName: string, fqdn: readonly string[], lb: LbAddresses | null): string {
  return (
    `OVH completes a free certificate order, and renews the certificate, only when every name (${fqdn.join(", ")}) ` +
    `resolves (DNS A record) to ${targetText(serviceName, lb)}, and an HTTP frontend on port 80 answers it: it validates ` +
    "each name with an HTTP request to http://<name>/"
  );
}

/** A failed order task: OVH gives no reason, and DNS is the prerequisite it checks. */
export function orderFailedMessage(serviceName: string, fqdn: readonly string[], cause: string, lb: LbAddresses | null): string {
  return (
    `FreeCertificate: ordering a certificate on ${serviceName} for ${fqdn.join(", ")} failed: ${cause}. ` +
    `${dnsPrerequisite(serviceName, fqdn, lb)}. Check each name's A record (e.g. \`dig +short A ${fqdn[0]}\`), fix DNS, ` +
    "and run `pulumi up` again."
  );
}

/** What preview, up and refresh say of a delivered certificate that OVH now reports `built_not_routed`. */
export function notRoutedNote(serviceName: string, sslId: number, names: readonly string[], lb: LbAddresses | null): string {
  return (
    `FreeCertificate ${serviceName}/${sslId}: OVH reports the certificate as built_not_routed: a name of it stopped ` +
    `pointing to the load balancer, so OVH can no longer validate or renew it. ${dnsPrerequisite(serviceName, names, lb)}. ` +
    "`pulumi up` orders a new certificate (it fails until DNS is fixed) and deletes this one."
  );
}

/** The DNS pre-check is on when asked (`checkDns`), else only against OVH's endpoints, whose DNS view is the public one. */
export function dnsCheckEnabled(checkDns: unknown, endpointKind: "preset" | "url"): boolean {
  return typeof checkDns === "boolean" ? checkDns : endpointKind === "preset";
}

function pointsToLb(address: string, lb: LbAddresses): boolean {
  if (lb.own.includes(address)) return true;
  return lb.failover.some((block) => {
    const [, bits = "32"] = block.split("/");
    return networkOf(`${address}/${bits}`) === networkOf(block.includes("/") ? block : `${block}/32`);
  });
}

/** Each name whose A records (`[]`: none) are not all addresses of the load balancer, described for the message. */
export function dnsMismatches(answers: ReadonlyMap<string, readonly string[]>, lb: LbAddresses): string[] {
  return [...answers]
    .filter(([, a]) => a.length === 0 || !a.every((address) => pointsToLb(address, lb)))
    .map(([name, a]) => `${name} -> ${a.length === 0 ? "no A record" : a.join(", ")}`);
}

/** The pre-check found names that do not point to the load balancer: nothing was ordered. */
export function dnsCheckMessage(serviceName: string, fqdn: readonly string[], mismatches: readonly string[], lb: LbAddresses): string {
  return (
    `FreeCertificate: checkDns: not every name resolves to the load balancer (${mismatches.join("; ")}), so nothing was ` +
    `ordered. ${dnsPrerequisite(serviceName, fqdn, lb)}. Fix DNS and run \`pulumi up\` again; if these names resolve ` +
    "differently where `pulumi` runs than on the Internet (split-horizon DNS), set checkDns: false on this FreeCertificate."
  );
}

/** The Pulumi id: `serviceName/sslId`. */
export function certificateResourceId(serviceName: string, sslId: number): string {
  return `${serviceName}/${sslId}`;
}

export function parseCertificateResourceId(id: string): { serviceName: string; sslId: number } {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new errors.IplbError(`invalid free certificate id ${JSON.stringify(id)}: expected <serviceName>/<sslId>, e.g. loadbalancer-abc/42`);
  return { serviceName: ids.serviceName, sslId: ids.numbers[0] };
}

export type FreeCertificateInputs = { serviceName: string; fqdn: string[]; checkDns?: boolean; __provider?: string };
export type FreeCertificateKey = { serviceName: string; sslId: number };

/**
 * The verbs a free certificate shares with the object models (model.ts). Not an object model: a certificate cannot be
 * edited (every change replaces it, so there is no update body), its create is an order (a task) whose certificate
 * is then found among the service's, and its diff needs the old outputs to tell a delivered certificate from one
 * whose names stopped validating.
 */
export const freeCertificateModel: ModelBasics<FreeCertificateInputs, FreeCertificateKey> = {
  name: "FreeCertificate",
  check: checkFreeCertificate,
  id: (key) => certificateResourceId(key.serviceName, key.sslId),
  parseId: parseCertificateResourceId,
};

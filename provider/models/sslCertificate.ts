// Custom certificates uploaded to the load balancer (`POST .../ssl`, the official `ipLoadbalancing.Ssl.Ssl`).
//
// Semantics of the inputs (what users rely on):
// - `certificate` (PEM, one X.509 certificate), `key` (PEM, its unencrypted private key), `chain` (optional PEM, the
//   intermediates, the one that issued `certificate` first). All three are checked before any call, each failure naming
//   its field; no message ever holds the key or any part of it (`checkPem`).
// - `key` is a secret end to end: the SDK registers it as a Pulumi secret (so the state keeps it encrypted), the
//   provider never outputs it (`sslOutputs` has no such field) and scrubs it from every error (`redactKey`).
// - The key is never diffed: it must match the certificate, so the same certificate means the same key (another PEM
//   encoding of it changes nothing OVH serves). A change of `certificate` or `chain` replaces: a certificate cannot be
//   edited. A new certificate is uploaded first, so frontends move to it before the old one is deleted; OVH refuses the
//   same certificate twice, so a change of the chain alone deletes the old one first (`needsDeleteFirst`).
// - `displayName` is updated in place (PUT).
// - `adoptSslId` takes over a certificate already uploaded (the console, another tool): OVH holds a certificate once, so
//   uploading it again is refused. It must be the declared certificate (same fingerprint); it never diffs.
import { createPrivateKey, X509Certificate } from "crypto";
import * as errors from "../api/errors";
import type * as wire from "../api/wire";
import * as fields from "./fields";
import { certificateOutputs, type FreeCertificateOutputs } from "./freeCertificate";
import type { Checked, ModelBasics } from "./model";
import { parseResourceId } from "./resourceId";

export type SslCertificateInputs = {
  serviceName: string;
  certificate: string;
  key: string;
  chain?: string;
  displayName?: string | null;
  adoptSslId?: number | null;
  __provider?: string;
};
export type SslCertificateKey = { serviceName: string; sslId: number };

/** Outputs: the API's `Ssl` as reported (as a free certificate's, plus `displayName`), never the key. */
export interface SslCertificateOutputs extends FreeCertificateOutputs {
  displayName: string | null;
}

type Obj = Readonly<Record<string, unknown>>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;
const CERTIFICATE_HINT = "a PEM encoded X.509 certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)";
const KEY_HINT = "a PEM encoded private key (a BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY block)";

/** The PEM blocks of `text`, with their labels. */
function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], pem: m[0] }));
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** `certificate`: exactly one parseable certificate. */
function checkCertificate(value: unknown): { cert?: X509Certificate; failures: fields.CheckFailure[] } {
  const fail = (detail: string) => ({ failures: [fields.failure("certificate", detail)] });
  if (typeof value !== "string") return fail(`${fields.formatValue(value)} is not ${CERTIFICATE_HINT}`);
  const blocks = pemBlocks(value);
  if (blocks.some((b) => b.label.includes("PRIVATE KEY"))) return fail("holds a private key; put it in `key`, never in `certificate`");
  const certs = blocks.filter((b) => b.label === "CERTIFICATE");
  if (certs.length === 0) return fail(`is not ${CERTIFICATE_HINT}`);
  if (certs.length > 1) return fail(`holds ${certs.length} certificates; put the server's certificate here and the intermediates in \`chain\``);
  const cert = parseCertificate(certs[0].pem);
  return cert ? { cert, failures: [] } : fail(`does not parse as ${CERTIFICATE_HINT}`);
}

/** `key`: a private key that matches the certificate. The reasons never quote the value: it is a secret. */
function checkKey(value: unknown, cert: X509Certificate | undefined): fields.CheckFailure[] {
  const fail = (detail: string) => [fields.failure("key", detail)];
  if (typeof value !== "string") return fail(`is not a string (${KEY_HINT})`);
  const blocks = pemBlocks(value);
  if (blocks.some((b) => b.label === "ENCRYPTED PRIVATE KEY") || /Proc-Type: 4,ENCRYPTED/.test(value)) {
    return fail("is encrypted with a passphrase; OVH needs the key without one (e.g. `openssl pkey -in key.pem -out plain.pem`)");
  }
  if (!blocks.some((b) => b.label.endsWith("PRIVATE KEY"))) return fail(`is not ${KEY_HINT}`);
  let key;
  try {
    key = createPrivateKey(value);
  } catch {
    return fail(`does not parse as ${KEY_HINT}`);
  }
  if (cert && !cert.checkPrivateKey(key)) return fail("does not match the certificate (it is not the private key of the certificate's public key)");
  return [];
}

/** `chain`: certificates only, each issuing the one before it, the first issuing `certificate`. */
function checkChain(value: unknown, cert: X509Certificate | undefined): fields.CheckFailure[] {
  const fail = (detail: string) => [fields.failure("chain", detail)];
  if (typeof value !== "string") return fail(`${fields.formatValue(value)} is not a PEM certificate chain (one or more ${CERTIFICATE_HINT})`);
  const blocks = pemBlocks(value);
  if (blocks.some((b) => b.label.includes("PRIVATE KEY"))) return fail("holds a private key; put it in `key`, never in `chain`");
  if (blocks.length === 0 || blocks.some((b) => b.label !== "CERTIFICATE")) return fail(`is not a PEM certificate chain (one or more ${CERTIFICATE_HINT})`);
  const chain = blocks.map((b) => parseCertificate(b.pem));
  const bad = chain.findIndex((c) => c === undefined);
  if (bad >= 0) return fail(`certificate ${bad + 1} of the chain does not parse as ${CERTIFICATE_HINT}`);
  const links = [cert, ...chain] as (X509Certificate | undefined)[];
  for (let i = 0; i + 1 < links.length; i++) {
    const [child, parent] = [links[i], links[i + 1] as X509Certificate];
    if (!child || (child.checkIssued(parent) && child.verify(parent.publicKey))) continue;
    const what = i === 0 ? "the certificate" : `certificate ${i} of the chain`;
    return fail(`certificate ${i + 1} of the chain (${oneLine(parent.subject)}) did not issue ${what} (issuer ${oneLine(child.issuer)}); list the issuer of the certificate first, then its issuer, and so on`);
  }
  return [];
}

const oneLine = (dn: string) => dn.split("\n").filter((l) => l !== "").join(", ");

/** The PEM checks of the three fields; unknown values (a preview) are left for the create. */
export function checkPem(news: Obj): fields.CheckFailure[] {
  const known = (v: unknown) => v !== undefined && v !== null && !fields.containsUnknown(v);
  const { cert, failures } = known(news.certificate) ? checkCertificate(news.certificate) : { cert: undefined, failures: [] };
  if (known(news.key)) failures.push(...checkKey(news.key, cert));
  if (known(news.chain) && news.chain !== "") failures.push(...checkChain(news.chain, cert));
  return failures;
}

const present: fields.Checker = () => [];
const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName, required: true },
  certificate: { check: present, required: true },
  key: { check: present, required: true },
  chain: { check: present },
  displayName: { check: fields.text, nullable: true },
  adoptSslId: { check: fields.intRange(1), nullable: true },
};

/** Validates the inputs; every failure is reported, none is thrown, no API call. The inputs are returned as given. */
export function checkSslCertificate(news: Record<string, unknown>): Checked<SslCertificateInputs> {
  const failures = fields.checkFields(news, RULES, { passThrough: ["__provider"] });
  return { inputs: { ...news } as SslCertificateInputs, failures: [...failures, ...checkPem(news)] };
}

/** The DER of each certificate in `pem` (for comparisons that ignore line breaks and spacing), or the text itself. */
function derOf(pem: unknown): string {
  if (typeof pem !== "string") return "";
  const certs = pemBlocks(pem).map((b) => parseCertificate(b.pem));
  return certs.length > 0 && certs.every((c) => c) ? certs.map((c) => c!.raw.toString("base64")).join(",") : pem.trim();
}

export function parseSslResourceId(id: string): SslCertificateKey {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new errors.IplbError(`invalid SSL certificate id ${JSON.stringify(id)}: expected <serviceName>/<sslId>, e.g. loadbalancer-abc/42`);
  return { serviceName: ids.serviceName, sslId: ids.numbers[0] };
}

/** Same certificate or chain, whatever the PEM's line breaks. */
export const samePem = (a: unknown, b: unknown): boolean => derOf(a) === derOf(b);

const blankAsAbsent = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : v);

/** The POST body: the PEMs as given (OVH parses them), no empty chain, the display name when there is one. */
export function uploadBody(inputs: SslCertificateInputs): wire.SslCreate {
  const chain = blankAsAbsent(inputs.chain) as string | undefined;
  const displayName = blankAsAbsent(inputs.displayName) as string | undefined;
  return { certificate: inputs.certificate, key: inputs.key, ...(chain ? { chain } : {}), ...(displayName ? { displayName } : {}) };
}

/**
 * Desired inputs against the old outputs and the certificate as the API reports it now (undefined after a 404).
 * `certificate` and `chain` replace, `displayName` updates; `key` is never compared (see the top of this file).
 */
export function diffSslCertificate(desired: Obj, olds: Obj, live: wire.Ssl | undefined): fields.DiffResult {
  const result: fields.DiffResult = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
  const change = (name: string, kind: "update" | "update-replace", inputDiff = true) => {
    if (kind === "update-replace") result.replaces.push(name);
    result.diffs.push(name);
    result.detailedDiff[name] = { kind, inputDiff };
  };
  if (desired.serviceName !== olds.serviceName) change("serviceName", "update-replace");
  if (live === undefined) change("sslId", "update-replace", false);
  if (fields.containsUnknown(desired.certificate) || !samePem(desired.certificate, olds.certificate)) change("certificate", "update-replace");
  if (fields.containsUnknown(desired.chain) || !samePem(blankAsAbsent(desired.chain) ?? "", blankAsAbsent(olds.chain) ?? "")) change("chain", "update-replace");
  const name = blankAsAbsent(desired.displayName) ?? null;
  if (live !== undefined && result.replaces.length === 0 && name !== (blankAsAbsent(live.displayName) ?? null)) change("displayName", "update");
  result.changes = result.diffs.length > 0;
  return result;
}

/** OVH refuses the same certificate twice: a replace that keeps it (a new chain only) must delete the old one first. */
export function needsDeleteFirst(replaces: readonly string[]): boolean {
  return replaces.length > 0 && replaces.every((r) => r === "chain");
}

/** The fingerprints of `pem`'s certificate (SHA-1 and SHA-256, as hex digits), as the API may report either. */
export function fingerprintsOf(pem: string): Set<string> {
  const cert = new X509Certificate(pem);
  return new Set([hexOf(cert.fingerprint), hexOf(cert.fingerprint256)]);
}
export const hexOf = (fingerprint: string): string => fingerprint.replace(/[^0-9a-f]/gi, "").toLowerCase();

/** Why `found` (the certificate `adoptSslId` names, undefined when gone) cannot be taken over, or undefined. */
export function adoptionProblem(inputs: SslCertificateInputs, sslId: number, found: wire.Ssl | undefined): string | undefined {
  const where = `adoptSslId: ${sslId}`;
  if (!found) return `${where} is not a certificate of ${inputs.serviceName} (GET .../ssl/${sslId} answered 404)`;
  if (found.type !== "custom") return `${where} is a ${found.type ?? "built"} certificate; only uploaded (custom) certificates can be taken over`;
  if (!fingerprintsOf(inputs.certificate).has(hexOf(found.fingerprint ?? ""))) {
    const declared = oneLine(new X509Certificate(inputs.certificate).subject);
    return `${where} is another certificate (${found.subject}, fingerprint ${found.fingerprint}) than \`certificate\` (${declared}); name the certificate that holds it, or leave adoptSslId out to upload it`;
  }
  return undefined;
}

/**
 * The display name the program declared at the last create or update, kept in the outputs (`declaredDisplayName`):
 * `pulumi refresh` overwrites `displayName` with the live one, and drift must still show. Older states fall back to it.
 */
const DECLARED_NAME = "declaredDisplayName";
const declaredName = (outs: Obj) => (DECLARED_NAME in outs ? outs[DECLARED_NAME] : blankAsAbsent(outs.displayName) ?? null);

/** The certificate's name changed outside Pulumi since the last `up` (the only field that can drift; gone is a replace). */
export function driftOf(olds: Obj, live: wire.Ssl | undefined): { changes: boolean; replaces: string[]; diffs: string[] } | undefined {
  if (!live) return undefined;
  const drifted = declaredName(olds) !== (blankAsAbsent(live.displayName) ?? null);
  return { changes: drifted, replaces: [], diffs: drifted ? ["displayName"] : [] };
}

/** The outputs: the inputs minus the key, plus the certificate as the API reports it. */
export function sslOutputs(inputs: Obj, serviceName: string, ssl: wire.Ssl, declared: Obj = inputs): Record<string, unknown> {
  const { key: _key, ...rest } = inputs;
  const outputs: SslCertificateOutputs = { ...certificateOutputs(serviceName, ssl), displayName: ssl.displayName ?? null };
  return { ...rest, ...outputs, [DECLARED_NAME]: declaredName(declared) };
}

const REDACTED = "[key redacted]";

/**
 * `text` without the key: the whole key, each line of its base64 body (an API may quote part of what it was given)
 * and any PEM private-key block, replaced by a marker.
 */
export function redactKey(text: string, key: unknown): string {
  let out = text.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED);
  if (typeof key !== "string" || key.trim() === "") return out;
  out = out.split(key).join(REDACTED);
  const lines = key.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 8 && !l.startsWith("-----"));
  for (const line of lines.sort((a, b) => b.length - a.length)) out = out.split(line).join(REDACTED);
  return out;
}

/** A frontend that names the certificate in `defaultSslId`, for the refused delete's message. */
export interface CertificateUser {
  type: "http" | "tcp";
  frontendId: number;
  displayName: string | null;
}

/** Why OVH refused the delete, and what to do. */
export function inUseMessage(serviceName: string, sslId: number, users: readonly CertificateUser[]): string {
  const named = users.map((u) => `${u.type} frontend ${u.frontendId}${u.displayName ? ` (${JSON.stringify(u.displayName)})` : ""}`);
  return (
    `SslCertificate ${serviceName}/${sslId}: OVH refuses to delete the certificate while a frontend uses it as its ` +
    `defaultSslId: ${named.join(", ")}. Point ${users.length > 1 ? "them" : "it"} at another certificate first (a frontend ` +
    "whose defaultSslId is this resource's sslId moves to the new certificate when it is replaced), then run `pulumi up` again."
  );
}

export const sslCertificateModel: ModelBasics<SslCertificateInputs, SslCertificateKey> = {
  name: "SslCertificate",
  check: checkSslCertificate,
  id: (key) => `${key.serviceName}/${key.sslId}`,
  parseId: parseSslResourceId,
};

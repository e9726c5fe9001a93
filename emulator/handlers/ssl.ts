/**
 * SSL certificates (`.../ssl`, `.../ssl/{id}`) and free certificate orders (`.../freeCertificate`), ovh-iplb-api.md 8.
 *
 * Formats of the read-only fields (the schema only says "string"; [infer] choices, kept in one place, `certificateFields`):
 * - `subject`: OpenSSL's one-line form, `/C=FR/O=Example/CN=www.example.com`; a client of the real API extracts the
 *   common name with the regex `/CN=([\w\d\.]+)` (TraceSoftwareInternational/ovh-ssl-iplb, LoadBalancerSslManager.py).
 * - `san`: the DNS names of the subjectAltName extension, in certificate order (IP entries are left out).
 * - `fingerprint`: SHA-1 of the DER, upper-case hex pairs joined by `:` (what `openssl x509 -fingerprint` prints).
 * - `serial`: upper-case hex without separators (what `openssl x509 -serial` prints).
 * - `expireDate`: notAfter, as an OVH datetime (`+00:00`).
 *
 * Behaviour the reference leaves open, decided here:
 * - POST validates the PEMs: a certificate, key or chain that does not parse, or a key that does not match the
 *   certificate, is a 400. The same certificate (same fingerprint) uploaded twice is a 409: a client of the real API
 *   catches `ResourceConflictError` around this POST (same source as above). Expired certificates are accepted.
 * - The key, certificate and chain are never stored: the model has no such fields, and the state file holds no secret.
 *   With the data plane on, they are handed to it and kept in its memory only, for TLS frontends (dataplane/certificates.ts).
 * - Certificates are not staged: adding or deleting one adds no pending change (the reference is silent).
 * - DELETE works for every type (the manager offers it on every row) but answers 400 while a staged frontend still
 *   names the certificate in `defaultSslId`: repoint the frontends first, as terraform's `create_before_destroy` hint implies.
 * - Free certificates: `fqdn` must be a non-empty array of host names (no wildcard: the DCV is an HTTP request to each
 *   name); duplicates are dropped. Whether the names resolve to the load balancer is decided when the task completes.
 *
 * Free certificates follow OVH's documented sequence:
 * - An order completes only when every name points to the load balancer: "For the order to be finalized, the chosen
 *   domain name must point to your OVH Load Balancer service" (ovh/docs, pages/network/load_balancer/
 *   order_freecertificate/guide.en-gb.md). So an order with a name that does not resolve here (the emulator's DNS,
 *   dns.ts: option `routedFqdns`, `emu.routeFqdn`/`emu.unrouteFqdn`) ends its task in `error` and delivers nothing.
 *   The task model has no field for a reason (ovh-iplb-api.md 4, `Task.Task`), so the answer carries none either.
 * - `built_not_routed` "is a certificate that has been ordered and delivered, but whose domain cannot be validated.
 *   Usually, this is because the domain no longer points to the OVHcloud Load Balancer" (ovh/docs,
 *   pages/network/load_balancer/create_faq/guide.en-gb.md). So a delivered `built` certificate turns
 *   `built_not_routed` when one of its names stops resolving here, at once (OVH notices at its next validation,
 *   whose schedule is not documented; at once keeps tests free of waits).
 * - Back to `built` when every name resolves here again: whether OVH does this is not documented. The emulator does
 *   it because the FAQ words the type as a present state ("cannot be validated"), not as a final one; a client must
 *   not rely on it either way (this provider orders a new certificate instead).
 */
import { createHash, createPrivateKey, randomBytes, X509Certificate } from "crypto";
import { badRequest, conflict, invalidField, missingField } from "../errors";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { isoNow, Model, ServiceState } from "../store";
import { SSL_CREATE_SPEC, SSL_SPEC, SSL_TYPES } from "../models/ssl";
import { validateCreate, validateUpdate } from "../validate";
import { Ctx, filterIds, idIn, serviceOf } from "./common";
import { publicTask, runIplbTask } from "./tasks";

export const FREE_CERTIFICATE_DAYS = 90;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function parseCertificate(field: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw badRequest(`[${field}] Given data is not a valid PEM encoded X509 certificate`);
  }
}

/** The read-only fields of a certificate, in the formats documented at the top of this file. */
export function certificateFields(cert: X509Certificate): Pick<Model, "subject" | "san" | "serial" | "fingerprint" | "expireDate"> {
  return {
    subject: cert.subject
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => "/" + line)
      .join(""),
    san: dnsNames(cert.subjectAltName),
    serial: cert.serialNumber.toUpperCase(),
    fingerprint: cert.fingerprint.toUpperCase(),
    expireDate: isoNow(new Date(cert.validTo)),
  };
}

/** `DNS:a.example, DNS:"b,c.example", IP Address:1.2.3.4` -> the DNS entries (Node quotes values with special characters). */
function dnsNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  const names: string[] = [];
  const entry = /(?:^|, )([A-Za-z ]+):(?:"((?:[^"\\]|\\.)*)"|([^,]*))/g;
  for (let m = entry.exec(subjectAltName); m; m = entry.exec(subjectAltName)) {
    if (m[1] === "DNS") names.push(m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]);
  }
  return names;
}

function uploadCustom(ctx: Ctx): Model {
  const svc = serviceOf(ctx);
  const input = validateCreate(SSL_CREATE_SPEC, ctx.body) as { certificate: string; key: string; chain?: string; displayName?: string };
  const cert = parseCertificate("certificate", input.certificate);
  let key;
  try {
    key = createPrivateKey(input.key);
  } catch {
    throw badRequest("[key] Given data is not a valid PEM encoded private key");
  }
  if (!cert.checkPrivateKey(key)) throw badRequest("The private key does not match the certificate");
  if (input.chain !== undefined && input.chain.trim() !== "") {
    const blocks = input.chain.match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) throw badRequest("[chain] Given data is not a valid PEM encoded X509 certificate chain");
    blocks.forEach((block) => parseCertificate("chain", block));
  }
  const fields = certificateFields(cert);
  const twin = Object.values(svc.ssl).find((s) => s.fingerprint === fields.fingerprint);
  if (twin) throw conflict(`This certificate already exists (id ${String(twin.id)})`);
  const id = ctx.state.store.nextId();
  const ssl: Model = { id, type: "custom", displayName: input.displayName ?? null, ...fields };
  ctx.state.store.addSsl(svc, id, ssl);
  ctx.state.dataPlane?.keepKey(id, input);
  return ssl;
}

function listIds(ctx: Ctx): number[] {
  const svc = serviceOf(ctx);
  const query = { ...ctx.query };
  if (query.type !== undefined && !(SSL_TYPES as readonly string[]).includes(query.type)) {
    throw invalidField("type", query.type, "does not belong to the ipLoadbalancing.SslTypeEnum enumeration");
  }
  if (query.expireDate !== undefined) {
    const bound = new Date(query.expireDate);
    if (Number.isNaN(bound.getTime())) throw invalidField("expireDate", query.expireDate, "is not valid for type datetime");
    query.expireDate = isoNow(bound);
  }
  return filterIds(Object.entries(svc.ssl), query, {
    type: { field: (s) => s.type, op: "=" },
    fingerprint: { field: (s) => s.fingerprint, op: "like" },
    serial: { field: (s) => s.serial, op: "like" },
    expireDate: { field: (s) => s.expireDate, op: "<" },
  });
}

function remove(ctx: Ctx): null {
  const svc = serviceOf(ctx);
  const { id } = idIn(svc.ssl, ctx, "id");
  const users = Object.entries(svc.staged.frontends)
    .filter(([, fe]) => fe.data.defaultSslId === id)
    .map(([feId, fe]) => `${fe.type}/frontend/${feId}`);
  if (users.length > 0) throw badRequest(`This certificate is used by ${users.join(", ")}: change their defaultSslId first`);
  ctx.state.store.removeSsl(svc, id);
  ctx.state.dataPlane?.forget(id);
  return null;
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A public host name: at least two labels, letters/digits/hyphens, not all-numeric at the top level. */
export function isHostName(value: string): boolean {
  const labels = value.split(".");
  return value.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

function fqdnList(body: unknown): string[] {
  const raw = (body ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) throw badRequest("Invalid body: a JSON object is expected");
  const unknown = Object.keys(raw).find((k) => k !== "fqdn");
  if (unknown) throw badRequest(`[${unknown}] Unknown property`);
  const fqdn = raw.fqdn;
  if (fqdn === undefined || fqdn === null) throw missingField("fqdn");
  if (!Array.isArray(fqdn)) throw invalidField("fqdn", fqdn, "is not valid for type string[]");
  if (fqdn.length === 0) throw badRequest("[fqdn] At least one FQDN is required");
  for (const name of fqdn) {
    if (typeof name !== "string" || !isHostName(name)) throw invalidField("fqdn", name, "is not a valid fully qualified domain name");
  }
  return [...new Set((fqdn as string[]).map((n) => n.toLowerCase()))];
}

/**
 * What a completed order delivers: a `built` certificate for these names (every one validated, see above). With the
 * data plane on, a real certificate issued under its CA, described by its own fields (dataplane/certificates.ts).
 */
export function builtCertificate(rt: Runtime, svc: ServiceState, fqdns: string[]): void {
  const id = rt.store.nextId();
  const issued = rt.dataPlane?.issue(id, fqdns, FREE_CERTIFICATE_DAYS);
  if (issued !== undefined) {
    rt.store.addSsl(svc, id, { id, type: "built", displayName: null, ...certificateFields(new X509Certificate(issued)) });
    return;
  }
  const expire = new Date(Date.now() + FREE_CERTIFICATE_DAYS * 86_400_000);
  const digest = createHash("sha1").update(`${svc.info.serviceName}:${id}:${fqdns.join(",")}`).digest("hex").toUpperCase();
  rt.store.addSsl(svc, id, {
    id,
    type: "built",
    displayName: null,
    subject: `/CN=${fqdns[0]}`,
    san: [...fqdns],
    serial: "03" + randomBytes(17).toString("hex").toUpperCase(),
    fingerprint: digest.match(/../g)!.join(":"),
    expireDate: isoNow(expire),
  });
}

/**
 * Delivers the order when every name resolves to the load balancer at this moment (OVH validates the names when it
 * processes the order, so DNS fixed after ordering still counts); false, with nothing delivered, otherwise. Runs when
 * the order's task ends, or at start-up for an order a restart interrupted (resume.ts).
 */
export function deliverOrder(rt: Runtime, svc: ServiceState, fqdns: readonly string[]): boolean {
  const validated = fqdns.length > 0 && fqdns.every((name) => rt.dns.routed(name));
  if (validated) builtCertificate(rt, svc, [...fqdns]);
  return validated;
}

function orderFree(ctx: Ctx) {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const fqdn = fqdnList(ctx.body);
  const task = runIplbTask(rt, svc, "orderFreeCertificate", rt.store.serviceZones(svc), rt.options.certificateMs, () => rt.faults.certificateOutcome, {
    finish: () => deliverOrder(rt, svc, fqdn),
  }, { fqdn });
  return publicTask(task);
}

/**
 * DNS changed (`emu.routeFqdn`, `emu.unrouteFqdn`): every delivered certificate of every service is `built` when all
 * its names resolve to the load balancer and `built_not_routed` otherwise (see the top of this file). Custom
 * certificates are the user's: OVH validates nothing for them.
 */
export function setFqdnRouting(rt: Runtime, pattern: string, routed: boolean): void {
  if (routed) rt.dns.add(pattern);
  else rt.dns.remove(pattern);
  for (const svc of Object.values(rt.store.data.services)) {
    for (const ssl of Object.values(svc.ssl)) {
      if (ssl.type !== "built" && ssl.type !== "built_not_routed") continue;
      const type = (ssl.san as string[]).every((name) => rt.dns.routed(name)) ? "built" : "built_not_routed";
      if (ssl.type !== type) rt.store.updateSsl(ssl, { type });
    }
  }
}

export function register(router: Router<Runtime>): void {
  router
    .add("GET", "/ipLoadbalancing/{serviceName}/ssl", listIds)
    .add("POST", "/ipLoadbalancing/{serviceName}/ssl", uploadCustom)
    .add("GET", "/ipLoadbalancing/{serviceName}/ssl/{id}", (ctx) => idIn(serviceOf(ctx).ssl, ctx, "id").item)
    .add("PUT", "/ipLoadbalancing/{serviceName}/ssl/{id}", (ctx) => {
      const { item } = idIn(serviceOf(ctx).ssl, ctx, "id");
      ctx.state.store.updateSsl(item, validateUpdate(SSL_SPEC, ctx.body, item));
      return null;
    })
    .add("DELETE", "/ipLoadbalancing/{serviceName}/ssl/{id}", remove)
    .add("POST", "/ipLoadbalancing/{serviceName}/freeCertificate", orderFree);
}

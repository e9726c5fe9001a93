/**
 * SslCertificate: a custom certificate uploaded to the load balancer (the official `Ssl`).
 *   check  -> the model's validation: PEMs parse, the key matches the certificate, the chain issues it (no API call)
 *   diff   -> GET .../ssl/{sslId}: another certificate or chain, another service, or gone = replace (new one first;
 *             a new chain alone deletes first: OVH refuses the same certificate twice); displayName = update
 *   create -> POST .../ssl {certificate, key, chain?, displayName?}; after an ambiguous failure (5xx, network) the
 *             certificate may exist: GET .../ssl?type=custom and each of them finds it (same fingerprint) before failing
 *   read   -> GET .../ssl/{sslId} (a 404 returns an empty id)
 *   update -> PUT .../ssl/{sslId} {displayName} when it differs, then GET for the outputs
 *   delete -> DELETE .../ssl/{sslId} (a 404 counts as done); refused while a frontend uses the certificate: GET
 *             .../{http,tcp}/frontend?defaultSslId= and each of them, and fail naming them
 * Resource id: `serviceName/sslId`. No refresh: certificates are not staged (see freeCertificate.ts).
 * The key: sent in the POST body only, never in the outputs, and scrubbed from every error of the create (an API
 * refusal could quote what it was given): `model.redactKey`.
 */
import { X509Certificate } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import * as model from "../models/sslCertificate";
import { configure, type Props, type ProviderThis, session } from "./session";

const getSsl = (api: ApiClient, serviceName: string, sslId: number) => errors.unlessGone(api.get<wire.Ssl>(paths.ssl(serviceName, sslId)));

/** The certificate of `pem` among the service's, by fingerprint (SHA-1 or SHA-256, any case or separators). */
async function findUploaded(api: ApiClient, serviceName: string, pem: string): Promise<wire.Ssl | undefined> {
  const cert = new X509Certificate(pem);
  const hex = (f: string) => f.replace(/[^0-9a-f]/gi, "").toLowerCase();
  const ours = new Set([hex(cert.fingerprint), hex(cert.fingerprint256)]);
  const ids = await api.get<number[]>(paths.sslList(serviceName), { type: "custom" });
  const all = await Promise.all(ids.map((id) => getSsl(api, serviceName, id)));
  return all.find((s): s is wire.Ssl => s !== undefined && ours.has(hex(s.fingerprint ?? "")));
}

/** POST the certificate; after an ambiguous failure, the one that failure may have made is taken as ours. */
async function upload(api: ApiClient, serviceName: string, inputs: model.SslCertificateInputs): Promise<wire.Ssl> {
  try {
    return await api.post<wire.Ssl>(paths.sslList(serviceName), model.uploadBody(inputs));
  } catch (e) {
    if (!errors.isRetryable(e)) throw e;
    const made = await findUploaded(api, serviceName, inputs.certificate).catch(() => undefined);
    if (made) return made;
    throw e;
  }
}

/** An error of the create, without the key: a fresh error with the scrubbed message and no cause. */
function withoutKey(e: unknown, key: unknown): errors.IplbError {
  const message = model.redactKey(errors.messageOf(e), key);
  const conflict = errors.isApiError(e, 409) ? " (OVH holds each certificate once: import that one, or delete it)" : "";
  return new errors.IplbError(`SslCertificate: uploading the certificate failed: ${message}${conflict}`);
}

async function create(api: ApiClient, inputs: Props): Promise<{ id: string; outs: Props }> {
  const checked = inputs as model.SslCertificateInputs; // what check() returned
  const { serviceName } = checked;
  let ssl: wire.Ssl;
  try {
    ssl = await upload(api, serviceName, checked);
  } catch (e) {
    throw withoutKey(e, checked.key);
  }
  return { id: model.sslCertificateModel.id({ serviceName, sslId: ssl.id }), outs: model.sslOutputs(inputs, serviceName, ssl) };
}

/** The frontends whose defaultSslId is the certificate (HTTP and TCP: UDP has none). */
async function usersOf(api: ApiClient, serviceName: string, sslId: number): Promise<model.CertificateUser[]> {
  const users: model.CertificateUser[] = [];
  for (const type of ["http", "tcp"] as const) {
    const ids = await api.get<number[]>(paths.frontends(serviceName, type), { defaultSslId: sslId });
    for (const id of ids) {
      const fe = await errors.unlessGone(api.get<wire.FrontendTcp>(paths.frontend(serviceName, type, id)));
      if (fe && fe.defaultSslId === sslId) users.push({ type, frontendId: id, displayName: fe.displayName ?? null });
    }
  }
  return users;
}

async function remove(api: ApiClient, serviceName: string, sslId: number): Promise<void> {
  try {
    await errors.unlessGone(api.delete(paths.ssl(serviceName, sslId))); // gone already counts as deleted
  } catch (e) {
    if (!errors.isApiError(e, 400) && !errors.isApiError(e, 409)) throw e;
    const users = await usersOf(api, serviceName, sslId).catch(() => []);
    if (users.length === 0) throw e;
    throw new errors.IplbError(model.inUseMessage(serviceName, sslId, users), { cause: e });
  }
}

export const sslCertificateProvider: pulumi.dynamic.ResourceProvider = {
  configure,

  async check(_olds: Props, news: Props) {
    return model.sslCertificateModel.check(news);
  },

  async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.sslCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    const { changes, replaces, detailedDiff } = model.diffSslCertificate(news, olds, live);
    // Create before delete, so frontends move to the new certificate before the old one goes (see the model).
    return { changes, replaces, deleteBeforeReplace: model.needsDeleteFirst(replaces), detailedDiff };
  },

  async create(this: ProviderThis, inputs: Props) {
    return create(session(this).api, inputs);
  },

  async read(this: ProviderThis, id: string, props: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.sslCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    if (!live) return { id: "", props: {} };
    return { id, props: model.sslOutputs(props, serviceName, live) };
  },

  async update(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.sslCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    const wanted = (news.displayName === "" ? null : news.displayName) ?? null;
    if (live && wanted !== (live.displayName ?? null)) {
      await s.api.put(paths.ssl(serviceName, sslId), { displayName: wanted });
    }
    const fresh = live ? await getSsl(s.api, serviceName, sslId) : undefined;
    return { outs: fresh ? model.sslOutputs({ ...olds, ...news }, serviceName, fresh) : model.sslOutputs({ ...olds, ...news }, serviceName, { ...(olds as unknown as wire.Ssl), id: sslId }) };
  },

  async delete(this: ProviderThis, id: string) {
    const { serviceName, sslId } = model.sslCertificateModel.parseId(id);
    await remove(session(this).api, serviceName, sslId);
  },
};

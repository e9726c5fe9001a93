/**
 * SslCertificate: a custom certificate uploaded to the load balancer (the official `Ssl`).
 *   check  -> the model's validation: PEMs parse, the key matches the certificate, the chain issues it (no API call)
 *   diff   -> GET .../ssl/{sslId}: another certificate or chain, another service, or gone = replace (new one first;
 *             a new chain alone deletes first: OVH refuses the same certificate twice); displayName = update
 *   create -> POST .../ssl {certificate, key, chain?, displayName?}; after an ambiguous failure (5xx, network) the
 *             certificate may exist: GET .../ssl?type=custom and each of them finds it (same fingerprint) before failing;
 *             with `adoptSslId`: GET .../ssl/{adoptSslId}, the declared certificate (same fingerprint), renamed if need be
 *   read   -> GET .../ssl/{sslId} (a 404 returns an empty id)
 *   update -> PUT .../ssl/{sslId} {displayName} when it differs, then GET for the outputs
 *   delete -> DELETE .../ssl/{sslId} (a 404 counts as done); refused while a frontend uses the certificate: GET
 *             .../{http,tcp}/frontend?defaultSslId= and each of them, and fail naming them
 * Resource id: `serviceName/sslId`. No refresh: certificates are not staged (see freeCertificate.ts).
 * The key: sent in the POST body only, never in the outputs, and scrubbed from every error of the create (an API
 * refusal could quote what it was given): `model.redactKey`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import { engineDiff } from "../changes/engineDiff";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import * as model from "../models/sslCertificate";
import { configure, type Props, type ProviderThis, session } from "./session";

const getSsl = (api: ApiClient, serviceName: string, sslId: number) => errors.unlessGone(api.get<wire.Ssl>(paths.ssl(serviceName, sslId)));

/** The certificate of `pem` among the service's, by fingerprint (SHA-1 or SHA-256, any case or separators). */
async function findUploaded(api: ApiClient, serviceName: string, pem: string): Promise<wire.Ssl | undefined> {
  const ours = model.fingerprintsOf(pem);
  const ids = await api.get<number[]>(paths.sslList(serviceName), { type: "custom" });
  const all = await Promise.all(ids.map((id) => getSsl(api, serviceName, id)));
  return all.find((s): s is wire.Ssl => s !== undefined && ours.has(model.hexOf(s.fingerprint ?? "")));
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

/**
 * An error of the create, without the key: a fresh error with the scrubbed message and no cause. A 409 means the
 * certificate is there already (OVH holds each once): the message names it and how to take it over.
 */
async function withoutKey(e: unknown, api: ApiClient, inputs: model.SslCertificateInputs): Promise<errors.IplbError> {
  const message = model.redactKey(errors.messageOf(e), inputs.key);
  let conflict = "";
  if (errors.isApiError(e, 409)) {
    const there = await findUploaded(api, inputs.serviceName, inputs.certificate).catch(() => undefined);
    conflict = there
      ? ` (OVH holds each certificate once, and this one is there already as sslId ${there.id}: set \`adoptSslId: ${there.id}\` to take it over, or delete it)`
      : " (OVH holds each certificate once: take the existing one over with `adoptSslId`, or delete it)";
  }
  return new errors.IplbError(`SslCertificate: uploading the certificate failed: ${message}${conflict}`);
}

/** The certificate `adoptSslId` names, taken over: checked to be the declared one, renamed if the name differs. */
async function adopt(api: ApiClient, inputs: model.SslCertificateInputs, sslId: number): Promise<wire.Ssl> {
  const found = await getSsl(api, inputs.serviceName, sslId);
  const problem = model.adoptionProblem(inputs, sslId, found);
  if (problem || !found) throw new errors.IplbError(`SslCertificate: ${problem}`);
  const wanted = (inputs.displayName === "" ? null : inputs.displayName) ?? null;
  if (wanted === (found.displayName ?? null)) return found;
  await api.put(paths.ssl(inputs.serviceName, sslId), { displayName: wanted });
  return (await getSsl(api, inputs.serviceName, sslId)) ?? found;
}

async function create(api: ApiClient, inputs: Props): Promise<{ id: string; outs: Props }> {
  const checked = inputs as model.SslCertificateInputs; // what check() returned
  const { serviceName, adoptSslId } = checked;
  let ssl: wire.Ssl;
  if (typeof adoptSslId === "number") {
    ssl = await adopt(api, checked, adoptSslId);
  } else {
    try {
      ssl = await upload(api, serviceName, checked);
    } catch (e) {
      throw await withoutKey(e, api, checked);
    }
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
    const desired = model.diffSslCertificate(news, olds, live);
    // Create before delete, so frontends move to the new certificate before the old one goes (see the model).
    const deleteBeforeReplace = model.needsDeleteFirst(desired.replaces);
    return engineDiff({ desired, drift: model.driftOf(olds, live), what: `SslCertificate ${id}`, deleteBeforeReplace });
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
    const reported = fresh ?? { ...(olds as unknown as wire.Ssl), id: sslId };
    return { outs: model.sslOutputs({ ...olds, ...news }, serviceName, reported, news) };
  },

  async delete(this: ProviderThis, id: string) {
    const { serviceName, sslId } = model.sslCertificateModel.parseId(id);
    await remove(session(this).api, serviceName, sslId);
  },
};

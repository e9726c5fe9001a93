/**
 * `getSslCertificates` and `getSslCertificate`: the certificates of a load balancer (`GET .../ssl`, `.../ssl/{id}`),
 * custom and free ones. Runs in the caller's process (a program: sdk/programSettings.ts gives the client).
 */
import type { ApiClient } from "../provider/api/client";
import * as errors from "../provider/api/errors";
import * as paths from "../provider/api/paths";
import type * as wire from "../provider/api/wire";
import * as fields from "../provider/models/fields";
import { checkArgs, SERVICE_NAME } from "./args";

export const SSL_TYPES = ["built", "built_not_routed", "custom"] as const satisfies readonly wire.SslTypeEnum[];

/** One certificate as the API reports it (`ipLoadbalancing.Ssl.Ssl`; the PEM material is never readable). */
export type SslCertificate = wire.Ssl;

export interface GetSslCertificatesArgs {
  serviceName: string;
  type?: wire.SslTypeEnum;
}

export interface GetSslCertificatesResult {
  serviceName: string;
  /** The filter, when one was given. */
  type?: wire.SslTypeEnum;
  /** Sorted by id. */
  certificates: SslCertificate[];
}

export interface GetSslCertificateArgs {
  serviceName: string;
  id: number;
}

export interface GetSslCertificateResult extends SslCertificate {
  serviceName: string;
}

const getOrUndefined = (api: ApiClient, serviceName: string, id: number) => errors.unlessGone(api.get<wire.Ssl>(paths.ssl(serviceName, id)));

export async function getSslCertificates(api: ApiClient, args: GetSslCertificatesArgs): Promise<GetSslCertificatesResult> {
  checkArgs("getSslCertificates", { ...args }, { serviceName: SERVICE_NAME, type: { check: fields.enumOf(SSL_TYPES) } });
  const ids = await api.get<number[]>(paths.sslList(args.serviceName), args.type ? { type: args.type } : undefined);
  // A certificate deleted between the list and its GET is simply not there any more.
  const found = (await Promise.all(ids.map((id) => getOrUndefined(api, args.serviceName, id)))).filter((c): c is wire.Ssl => c !== undefined);
  return {
    serviceName: args.serviceName,
    ...(args.type ? { type: args.type } : {}),
    certificates: found.sort((a, b) => a.id - b.id),
  };
}

export async function getSslCertificate(api: ApiClient, args: GetSslCertificateArgs): Promise<GetSslCertificateResult> {
  checkArgs("getSslCertificate", { ...args }, { serviceName: SERVICE_NAME, id: { check: fields.intRange(1), required: true } });
  const ssl = await getOrUndefined(api, args.serviceName, args.id);
  if (!ssl) throw new errors.IplbError(`getSslCertificate: there is no certificate ${args.id} on ${args.serviceName}`);
  return { serviceName: args.serviceName, ...ssl };
}

/**
 * `getIpLoadBalancings` and `getIpLoadBalancing`: the load balancers the credentials see (`GET /ipLoadbalancing`) and
 * the one that matches every given filter, as terraform's `ovh_iploadbalancing` data source looks it up (GET each
 * service, keep those whose fields equal the filters). With `serviceName` given, only that service is read.
 * Runs in the caller's process (a program: sdk/programSettings.ts gives the client).
 */
import type { ApiClient } from "../provider/api/client";
import * as errors from "../provider/api/errors";
import * as paths from "../provider/api/paths";
import type * as wire from "../provider/api/wireService";
import * as fields from "../provider/models/fields";
import { SSL_CONFIGURATIONS } from "../provider/models/serviceSettings";
import { checkArgs } from "./args";

export const IP_STATES = ["blacklisted", "deleted", "free", "ok", "quarantined", "suspended"] as const satisfies readonly wire.IpStateEnum[];

/** A load balancer as `GET /ipLoadbalancing/{serviceName}` reports it, without its metrics token (a credential). */
export type IpLoadBalancing = Omit<wire.IpLoadbalancing, "metricsToken">;

/** Filters: a service matches when each given one equals its field (`zone`: the same zones, in any order). */
export interface GetIpLoadBalancingArgs {
  serviceName?: string;
  displayName?: string;
  ipv4?: string;
  ipv6?: string;
  ipLoadbalancing?: string;
  state?: wire.IpStateEnum;
  offer?: string;
  sslConfiguration?: wire.SslConfigurationEnum;
  vrackName?: string;
  vrackEligibility?: boolean;
  zone?: string[];
}

export type GetIpLoadBalancingResult = IpLoadBalancing;

export interface GetIpLoadBalancingsResult {
  /** The names of the load balancers the credentials see, sorted. */
  serviceNames: string[];
}

const zones: fields.Checker = (property, value) =>
  Array.isArray(value) ? value.flatMap((z, i) => fields.zone(`${property}[${i}]`, z)) : [fields.failure(property, `${fields.formatValue(value)} is not a list of zones`)];
const oneLine = fields.str({ singleLine: true });

const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName },
  displayName: { check: oneLine },
  ipv4: { check: fields.ipv4 },
  ipv6: { check: oneLine },
  ipLoadbalancing: { check: oneLine },
  state: { check: fields.enumOf(IP_STATES) },
  offer: { check: oneLine },
  sslConfiguration: { check: fields.enumOf(SSL_CONFIGURATIONS) },
  vrackName: { check: oneLine },
  vrackEligibility: { check: fields.bool },
  zone: { check: zones },
};

const sameZones = (a: readonly string[], b: readonly string[] | null | undefined) =>
  b !== null && b !== undefined && a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The filters a service fails (none: it matches). */
function mismatches(service: wire.IpLoadbalancing, filters: GetIpLoadBalancingArgs): string[] {
  return Object.entries(filters).filter(([key, wanted]) => {
    if (wanted === undefined) return false;
    if (key === "zone") return !sameZones(wanted as string[], service.zone);
    return (service as unknown as Record<string, unknown>)[key] !== wanted;
  }).map(([key]) => key);
}

function describeFilters(filters: GetIpLoadBalancingArgs): string {
  const given = Object.entries(filters).filter(([, v]) => v !== undefined);
  return given.length === 0 ? "no filter" : given.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ");
}

const withoutToken = ({ metricsToken: _token, ...rest }: wire.IpLoadbalancing): IpLoadBalancing => rest;

export async function getIpLoadBalancings(api: ApiClient): Promise<GetIpLoadBalancingsResult> {
  return { serviceNames: [...(await api.get<string[]>(paths.services()))].sort() };
}

/** The candidates: the named service alone (none when it is unknown), else every service the credentials see. */
async function candidates(api: ApiClient, serviceName: string | undefined): Promise<{ unreadable: string[]; found: wire.IpLoadbalancing[] }> {
  const names = serviceName !== undefined ? [serviceName] : (await getIpLoadBalancings(api)).serviceNames;
  // A service terminated between the list and its GET is simply not there any more.
  // A key scoped to one load balancer (`ovh-iplb access-rules`) lists every name but may read only its own: the others
  // are skipped, and named when nothing matches.
  const unreadable: string[] = [];
  const readOne = (n: string) => errors.unlessGone(api.get<wire.IpLoadbalancing>(paths.service(n))).catch((e: unknown) => {
    if (!errors.isApiError(e, 403)) throw e;
    unreadable.push(n);
    return undefined;
  });
  const read = await Promise.all(names.map(readOne));
  return { unreadable: unreadable.sort(), found: read.filter((s): s is wire.IpLoadbalancing => s !== undefined) };
}

export async function getIpLoadBalancing(api: ApiClient, args: GetIpLoadBalancingArgs = {}): Promise<GetIpLoadBalancingResult> {
  checkArgs("getIpLoadBalancing", { ...args }, RULES);
  const filters = Object.fromEntries(Object.entries(args).filter(([k]) => k in RULES)) as GetIpLoadBalancingArgs;
  const { found, unreadable } = await candidates(api, filters.serviceName);
  const matching = found.filter((s) => mismatches(s, filters).length === 0);
  if (matching.length === 1) return withoutToken(matching[0]);
  const what = describeFilters(filters);
  if (matching.length > 1) {
    const names = matching.map((s) => s.serviceName).sort().join(", ");
    throw new errors.IplbError(`getIpLoadBalancing: ${matching.length} load balancers match ${what} (${names}); add a filter that tells them apart`);
  }
  const visible = filters.serviceName === undefined ? found.map((s) => s.serviceName) : await getIpLoadBalancings(api).then((r) => r.serviceNames, () => undefined);
  const list = visible === undefined ? "" : visible.length === 0 ? "; these credentials see none" : `; these credentials see ${[...visible].sort().join(", ")}`;
  const skipped = unreadable.length === 0 ? "" : `; not readable with this key: ${unreadable.join(", ")}`;
  throw new errors.IplbError(`getIpLoadBalancing: no load balancer matches ${what}${list}${skipped}`);
}

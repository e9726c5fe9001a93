/**
 * `getFailoverIps`: the failover IPs routed to a load balancer (`GET /ipLoadbalancing/{serviceName}/failover`).
 * Runs in the caller's process (a program: sdk/programSettings.ts gives the client).
 */
import type { ApiClient } from "../provider/api/client";
import * as paths from "../provider/api/paths";
import { checkArgs, SERVICE_NAME } from "./args";

export interface GetFailoverIpsArgs {
  serviceName: string;
}

export interface GetFailoverIpsResult {
  serviceName: string;
  /** IP blocks (`203.0.113.7/32`), sorted. */
  ips: string[];
}

export async function getFailoverIps(api: ApiClient, args: GetFailoverIpsArgs): Promise<GetFailoverIpsResult> {
  checkArgs("getFailoverIps", { ...args }, { serviceName: SERVICE_NAME });
  const ips = await api.get<string[]>(paths.failover(args.serviceName));
  return { serviceName: args.serviceName, ips: [...ips].sort() };
}

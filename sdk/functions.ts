/**
 * Health and service-state functions, each as a `getX` / `getXOutput` pair in Pulumi's convention. They run in the
 * program's own process: a dynamic provider cannot serve invokes (pulumi-dynamic-providers.md, section 1), so these
 * read the API directly, with the provider's settings (stack config `ovh:*` and `ovh-iplb:caFile`, else `OVH_*`).
 * They run in preview too; an `...Output` variant whose arguments (or `dependsOn` resources) are not known yet
 * returns an unknown value instead of calling. `InvokeOptions` other than `dependsOn` are accepted and ignored.
 *
 * Health roll-ups (reads/healthRollup.ts): each instance's last HAProxy check is normalised to `OK`,
 * `INVALID_STATUS_CODE`, `TIMED_OUT`, `HEALTH_PAYLOAD_MISMATCH`, `CONNECT_FAILED` or `UNKNOWN`; a server is `OK` when
 * every instance passes, `WARNING` when some do, `CRITICAL` when none does, `UNKNOWN` without any verdict (and always
 * when inactive or unprobed); a farm rolls up its checked servers (active, non-backup, probed) the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as wire from "../provider/api/wire";
import * as functions from "../reads/health";
import * as services from "../reads/services";
import * as output from "./functionOutput";
import * as settings from "./programSettings";
import type * as health from "../reads/healthRollup";
import type { FarmType } from "./types";

export type HealthStatus = health.HealthStatus;
export type CheckResult = health.CheckResult;
export type InstanceHealth = health.InstanceHealth;
export type ServerHealth = functions.ServerHealth;
export type FarmHealth = functions.FarmHealth;
export type InstancesState = wire.InstancesState;
export type NatIps = wire.NatIps;
export type PendingChanges = wire.PendingChanges;
export type ServiceStatus = wire.Status;

type Plain<T> = { [K in keyof T]: T[K] extends pulumi.Input<infer U> ? U : T[K] };

/** `getX` on Inputs: waits for them and for `opts.dependsOn`; unknown during preview when any of them is. */
function outputOf<A, R>(args: A, opts: pulumi.InvokeOutputOptions | undefined, call: (plain: Plain<A>) => Promise<R>): pulumi.Output<R> {
  return output.functionOutput(pulumi.output(args as pulumi.Input<object>), opts, (plain) => call(plain as Plain<A>));
}

export interface GetServiceArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: string;
}
export interface GetServiceOutputArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: pulumi.Input<string>;
}

export interface GetFarmHealthArgs extends GetServiceArgs {
  /** `http`, `tcp` or `udp`: the class of the farm (`HttpFarm` is `http`). */
  farmType: FarmType;
  /** The farm (`farm.farmId`). */
  farmId: number;
}
export interface GetFarmHealthOutputArgs extends GetServiceOutputArgs {
  /** `http`, `tcp` or `udp`: the class of the farm (`HttpFarm` is `http`). */
  farmType: pulumi.Input<FarmType>;
  /** The farm (`farm.farmId`). */
  farmId: pulumi.Input<number>;
}

export interface GetServerHealthArgs extends GetFarmHealthArgs {
  /** The server (`server.serverId`). */
  serverId: number;
}
export interface GetServerHealthOutputArgs extends GetFarmHealthOutputArgs {
  /** The server (`server.serverId`). */
  serverId: pulumi.Input<number>;
}

/** One server: `status` (roll-up) and `reason`, and per LB instance OVH's `serverState` fields plus `check`. */
export interface GetServerHealthResult extends ServerHealth {
  serviceName: string;
  farmType: FarmType;
  farmId: number;
}

/** One farm: its settings, `status` (roll-up over its checked servers), `reason`, and every server. */
export interface GetFarmHealthResult extends FarmHealth {
  serviceName: string;
}

export interface GetInstancesStateResult {
  serviceName: string;
  /** One per LB instance: `internalId`, `zone`, `state` (`running`, `reload`, `unknown`, `dead`), `lastUpdateDate`. */
  instances: InstancesState[];
}

export interface GetNatIpsResult {
  serviceName: string;
  /** Per zone, the subnets the load balancer uses towards the servers. */
  natIps: NatIps[];
  /** Every subnet, once, sorted: what to allow in the servers' firewalls. */
  ips: string[];
}

export interface GetPendingChangesResult {
  serviceName: string;
  /** Zones with staged changes not applied yet (zones without any are absent, as the API reports them). */
  pendingChanges: PendingChanges[];
  /** The sum over the zones: 0 when everything is live. */
  total: number;
}

/** OVH's own counts (`GET .../status`): farms, frontends and servers per ok / warn / error / unknown. */
export interface GetServiceStatusResult extends ServiceStatus {
  serviceName: string;
}

/** Health of one farm server, read now. Fails if the server does not exist. */
export async function getServerHealth(args: GetServerHealthArgs, opts?: pulumi.InvokeOptions): Promise<GetServerHealthResult> {
  functions.checkArgs("getServerHealth", args, ["serviceName", "farmType", "farmId", "serverId"]);
  const { serviceName, farmType, farmId, serverId } = args;
  const server = await functions.readServerHealth(settings.programClient(), serviceName, farmType, farmId, serverId);
  return { serviceName, farmType, farmId, ...server };
}

export function getServerHealthOutput(args: GetServerHealthOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetServerHealthResult> {
  return outputOf(args, opts, (plain) => getServerHealth(plain, opts));
}

/** Health of one farm and of each of its servers, read now. Fails if the farm does not exist. */
export async function getFarmHealth(args: GetFarmHealthArgs, opts?: pulumi.InvokeOptions): Promise<GetFarmHealthResult> {
  functions.checkArgs("getFarmHealth", args, ["serviceName", "farmType", "farmId"]);
  const farm = await functions.readFarmHealth(settings.programClient(), args.serviceName, args.farmType, args.farmId);
  return { serviceName: args.serviceName, ...farm };
}

export function getFarmHealthOutput(args: GetFarmHealthOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetFarmHealthResult> {
  return outputOf(args, opts, (plain) => getFarmHealth(plain, opts));
}

/** State of each LB instance (`GET .../instancesState`, deprecated by OVH but still served). */
export async function getInstancesState(args: GetServiceArgs, opts?: pulumi.InvokeOptions): Promise<GetInstancesStateResult> {
  functions.checkArgs("getInstancesState", args, ["serviceName"]);
  return { serviceName: args.serviceName, instances: await functions.readInstancesState(settings.programClient(), args.serviceName) };
}

export function getInstancesStateOutput(args: GetServiceOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetInstancesStateResult> {
  return outputOf(args, opts, (plain) => getInstancesState(plain, opts));
}

/** The load balancer's source subnets towards the servers (`GET .../natIp`): allow them in backend firewalls. */
export async function getNatIps(args: GetServiceArgs, opts?: pulumi.InvokeOptions): Promise<GetNatIpsResult> {
  functions.checkArgs("getNatIps", args, ["serviceName"]);
  const natIps = await functions.readNatIps(settings.programClient(), args.serviceName);
  const ips = [...new Set(natIps.flatMap((n) => n.ip))].sort();
  return { serviceName: args.serviceName, natIps, ips };
}

export function getNatIpsOutput(args: GetServiceOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNatIpsResult> {
  return outputOf(args, opts, (plain) => getNatIps(plain, opts));
}

/** Staged changes per zone (`GET .../pendingChanges`); the resources of this package leave none after `up`. */
export async function getPendingChanges(args: GetServiceArgs, opts?: pulumi.InvokeOptions): Promise<GetPendingChangesResult> {
  functions.checkArgs("getPendingChanges", args, ["serviceName"]);
  const pendingChanges = await functions.readPendingChanges(settings.programClient(), args.serviceName);
  return { serviceName: args.serviceName, pendingChanges, total: pendingChanges.reduce((sum, p) => sum + p.number, 0) };
}

export function getPendingChangesOutput(args: GetServiceOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetPendingChangesResult> {
  return outputOf(args, opts, (plain) => getPendingChanges(plain, opts));
}

/** OVH's status counts for the whole service (`GET .../status`). */
export async function getServiceStatus(args: GetServiceArgs, opts?: pulumi.InvokeOptions): Promise<GetServiceStatusResult> {
  functions.checkArgs("getServiceStatus", args, ["serviceName"]);
  return { serviceName: args.serviceName, ...(await functions.readServiceStatus(settings.programClient(), args.serviceName)) };
}

export function getServiceStatusOutput(args: GetServiceOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetServiceStatusResult> {
  return outputOf(args, opts, (plain) => getServiceStatus(plain, opts));
}

/** Filters of `getIpLoadBalancing` (every one optional): `serviceName`, `displayName`, `ipv4`, `ipv6`, `ipLoadbalancing`, `state`, `offer`, `sslConfiguration`, `vrackName`, `vrackEligibility`, `zone`. */
export type GetIpLoadBalancingArgs = services.GetIpLoadBalancingArgs;
export type GetIpLoadBalancingOutputArgs = { [K in keyof GetIpLoadBalancingArgs]?: pulumi.Input<GetIpLoadBalancingArgs[K]> };
/** The load balancer as `GET /ipLoadbalancing/{serviceName}` reports it (its metrics token left out). */
export type GetIpLoadBalancingResult = services.GetIpLoadBalancingResult;
export type GetIpLoadBalancingsResult = services.GetIpLoadBalancingsResult;

/**
 * The one load balancer matching every given filter, like the official `getIpLoadBalancing`: fails naming the filters
 * when none matches (with the services the credentials see) or when several do. Without `serviceName` it reads every
 * service the credentials see (`GET /ipLoadbalancing`, then each).
 */
export function getIpLoadBalancing(args: GetIpLoadBalancingArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetIpLoadBalancingResult> {
  return services.getIpLoadBalancing(settings.programClient(), args);
}

export function getIpLoadBalancingOutput(args: GetIpLoadBalancingOutputArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetIpLoadBalancingResult> {
  return outputOf(args, opts, (plain) => getIpLoadBalancing(plain as GetIpLoadBalancingArgs, opts));
}

/** The names of the load balancers the credentials see, sorted (`GET /ipLoadbalancing`; the official `ovh.getIploadbalancings` returns them as `iploadbalancings`). */
export function getIpLoadBalancings(_opts?: pulumi.InvokeOptions): Promise<GetIpLoadBalancingsResult> {
  return services.getIpLoadBalancings(settings.programClient());
}

export function getIpLoadBalancingsOutput(opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetIpLoadBalancingsResult> {
  return outputOf({}, opts, () => getIpLoadBalancings(opts));
}

/**
 * Functions about failover IPs. Dynamic providers cannot serve invokes, so these call the OVH API from the program
 * process, with the same settings as the resources (`ovh:*` stack config or `OVH_*` variables, `ovh-iplb:caFile`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as failoverIps from "../reads/failoverIps";
import * as output from "./functionOutput";
import * as settings from "./programSettings";

export interface GetFailoverIpsArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: string;
}

export interface GetFailoverIpsOutputArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: pulumi.Input<string>;
}

/** `ips`: the failover IP blocks routed to the load balancer now (`203.0.113.7/32`), sorted. */
export type GetFailoverIpsResult = failoverIps.GetFailoverIpsResult;

/**
 * The failover IPs routed to a load balancer (`GET /ipLoadbalancing/{serviceName}/failover`). `opts` is accepted for
 * Pulumi's conventions; there is no provider plugin to choose.
 */
export function getFailoverIps(args: GetFailoverIpsArgs, _opts?: pulumi.InvokeOptions): Promise<GetFailoverIpsResult> {
  return failoverIps.getFailoverIps(settings.programClient(), args);
}

/** `getFailoverIps` on Inputs; `opts.dependsOn` (e.g. the attachments) is waited for before the call. */
export function getFailoverIpsOutput(args: GetFailoverIpsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetFailoverIpsResult> {
  return output.functionOutput(pulumi.output(args), opts, (plain) => getFailoverIps(plain));
}

/**
 * Functions about the vRack of a load balancer. Dynamic providers cannot serve invokes, so these call the OVH API from
 * the program process, with the same settings as the resources (`ovh:*` stack config or `OVH_*` variables,
 * `ovh-iplb:caFile`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vrack from "../reads/vrack";
import * as output from "./functionOutput";
import * as settings from "./programSettings";

export interface GetVrackNetworksArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`), attached to a vRack. */
  serviceName: string;
  /** Only the network of this subnet, an IPv4 block such as `10.0.0.0/16`. */
  subnet?: string;
  /** Only the networks of this VLAN, 0..4094 (0: not in a VLAN). */
  vlan?: number;
}

export interface GetVrackNetworksOutputArgs {
  serviceName: pulumi.Input<string>;
  subnet?: pulumi.Input<string>;
  vlan?: pulumi.Input<number>;
}

/** `networks`: every field of each network (vrackNetworkId, subnet, natIp, vlan, displayName, farmId as `{id, type}`), by id. */
export type GetVrackNetworksResult = vrack.GetVrackNetworksResult;

/**
 * The private networks described on the load balancer's vRack (`GET .../vrack/network`, then each one); fails on a
 * load balancer outside any vRack. `opts` is accepted for Pulumi's conventions; there is no provider plugin to choose.
 */
export function getVrackNetworks(args: GetVrackNetworksArgs, _opts?: pulumi.InvokeOptions): Promise<GetVrackNetworksResult> {
  return vrack.getVrackNetworks(settings.programClient(), args);
}

/** `getVrackNetworks` on Inputs; `opts.dependsOn` (e.g. the VrackNetwork resources) is waited for before the call. */
export function getVrackNetworksOutput(args: GetVrackNetworksOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetVrackNetworksResult> {
  return output.functionOutput(pulumi.output(args), opts, (plain) => getVrackNetworks(plain));
}

export interface GetVrackNetworkArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`), attached to a vRack. */
  serviceName: string;
  /** The network's id (`VrackNetwork.vrackNetworkId`). */
  vrackNetworkId: number;
}

/** One network by id, every field (`GET .../vrack/network/{id}`); fails naming it when the service has none such. */
export function getVrackNetwork(args: GetVrackNetworkArgs, _opts?: pulumi.InvokeOptions): Promise<Awaited<ReturnType<typeof vrack.getVrackNetwork>>> {
  return vrack.getVrackNetwork(settings.programClient(), args);
}

/** `getVrackNetwork` on Inputs. */
export function getVrackNetworkOutput(
  args: { serviceName: pulumi.Input<string>; vrackNetworkId: pulumi.Input<number> }, opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<Awaited<ReturnType<typeof vrack.getVrackNetwork>>> {
  return output.functionOutput(pulumi.output(args), opts, (plain) => getVrackNetwork(plain));
}

/**
 * `VrackNetwork`: a private network of the vRack the load balancer is attached to (the official provider's
 * `ovh.IpLoadBalancing.VrackNetwork`): the subnet the servers live in, the block the load balancer takes its own
 * addresses from to reach them (`natIp`), the VLAN, and optionally the farms that use it. On a load balancer attached
 * to a vRack every farm needs the `vrackNetworkId` of one of its networks (`vrackNetworkId: network.vrackNetworkId`).
 * Changing `serviceName` or `subnet` replaces the network; every other field is updated in place, and removing a field
 * clears it on the API. The network's own changes apply at once; farms it attaches or detaches are live when `pulumi up`
 * returns. Id: `serviceName/vrackNetworkId`. How it works: provider/providers/vrackNetwork.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, Refresh } from "./refresh";
import { IplbResource } from "./resource";

export interface VrackNetworkArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`), attached to a vRack. Changing it replaces the network. */
  serviceName: pulumi.Input<string>;
  /**
   * The private network's IPv4 block in the vRack, written as its network address (`10.0.0.0/16`), inside 10.0.0.0/8,
   * 172.16.0.0/12 or 192.168.0.0/16. Changing it replaces the network (the API makes it read-only).
   */
  subnet: pulumi.Input<string>;
  /**
   * The block of `subnet` reserved for the load balancer, which reaches the servers from these addresses (`10.0.255.0/27`);
   * keep it out of the servers' own addresses. It must hold at least the API's `networkCreationRules.minNatIps`
   * addresses, which only the API knows: a smaller block is refused at create, naming that minimum.
   */
  natIp: pulumi.Input<string>;
  /** The network's VLAN id, 0..4094; 0 (the default, also when null) when the network is not in a VLAN. */
  vlan?: pulumi.Input<number | null>;
  /** Human-readable name, one line; null or "" is none. */
  displayName?: pulumi.Input<string | null>;
  /**
   * The farms that use this network (`farm.farmId` of HttpFarm, TcpFarm or UdpFarm), in any order: attached with
   * `updateFarmId` after each create or update, compared as a set. Absent: not managed, the farms keep their own
   * `vrackNetworkId`; []: every farm is detached. Do not list a farm here that sets `vrackNetworkId` itself.
   */
  farmId?: pulumi.Input<pulumi.Input<number>[]>;
  /** Take over the existing network with this id instead of creating one: it is updated to these args. */
  adoptVrackNetworkId?: pulumi.Input<number>;
  /** Apply the farm changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

const OUTPUTS = { changeToken: undefined, serviceName: undefined, subnet: undefined, natIp: undefined, vlan: undefined, displayName: undefined, farmId: undefined };

export class VrackNetwork extends IplbResource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:VrackNetwork";
  /** From the resource id, so it is known in a preview whenever the network is not created or replaced. */
  readonly vrackNetworkId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly subnet: pulumi.Output<string>;
  declare readonly natIp: pulumi.Output<string>;
  /** 0 when the network is not in a VLAN. */
  declare readonly vlan: pulumi.Output<number>;
  declare readonly displayName: pulumi.Output<string | null>;
  /** The ids of the farms using the network now, ascending (however they were attached). */
  declare readonly farmId: pulumi.Output<number[]>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  constructor(name: string, args: VrackNetworkArgs, opts?: pulumi.CustomResourceOptions) {
    // `serviceName` and `subnet` replace a network, so they enter the batch's fingerprint.
    const batch = joinBatch("VrackNetwork", name, args, ["serviceName", "subnet"], opts);
    super("VrackNetwork", name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
    this.vrackNetworkId = this.idPart(1);
  }

  /** A read-only reference to an existing network (`serviceName/vrackNetworkId`); Pulumi never changes or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): VrackNetwork {
    return new VrackNetwork(name, {} as VrackNetworkArgs, { ...opts, id });
  }
}

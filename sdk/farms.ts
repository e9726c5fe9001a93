/**
 * `HttpFarm`, `TcpFarm`, `UdpFarm`: OVH IPLB farms (backends). Every change is live when `pulumi up` returns.
 * Changing `serviceName` or `zone` replaces the farm; every other field is updated in place, and removing a field
 * clears it on the API. Id: `serviceName/farmId`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../provider/registry";
import { IplbResource } from "./resource";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, Refresh } from "./refresh";
import type { HttpBalance, HttpStickiness, ProbeArgs, TcpBalance, TcpStickiness } from "./types";

interface FarmCommonArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). Changing it replaces the farm. */
  serviceName: pulumi.Input<string>;
  /** A zone of the load balancer (`gra`, `rbx`, ...) or `all` for every zone. Changing it replaces the farm. */
  zone: pulumi.Input<string>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
  /** vRack private network of the farm; mandatory when the load balancer is attached to a vRack. */
  vrackNetworkId?: pulumi.Input<number | null>;
  /**
   * Take over the existing farm with this id instead of creating one: its fields are updated to these args, nothing is
   * re-created. (`pulumi import` does not work for dynamic resources, pulumi/pulumi#16175.)
   */
  adoptFarmId?: pulumi.Input<number>;
  /** Apply this farm's changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

export interface HttpFarmArgs extends FarmCommonArgs {
  /** Port of the servers (1..49151); when absent, the port of the frontend the traffic came in on. */
  port?: pulumi.Input<number | null>;
  /** `roundrobin` when absent; `first`, `leastconn`, `roundrobin`, `source`, `uri`. */
  balance?: pulumi.Input<HttpBalance | null>;
  /** `cookie` or `sourceIp`; absent = no stickiness. */
  stickiness?: pulumi.Input<HttpStickiness | null>;
  /** Health check; absent = a TCP connect every 30 s. */
  probe?: pulumi.Input<ProbeArgs | null>;
}

export interface TcpFarmArgs extends FarmCommonArgs {
  /** Port of the servers (1..49151); when absent, the port of the frontend. */
  port?: pulumi.Input<number | null>;
  /** `roundrobin` when absent; `first`, `leastconn`, `roundrobin`, `source`. */
  balance?: pulumi.Input<TcpBalance | null>;
  /** `sourceIp`; absent = no stickiness. */
  stickiness?: pulumi.Input<TcpStickiness | null>;
  /** Health check; absent = a TCP connect every 30 s. */
  probe?: pulumi.Input<ProbeArgs | null>;
}

export interface UdpFarmArgs extends FarmCommonArgs {
  /** Port of the servers (1..49151), required for UDP farms. */
  port: pulumi.Input<number>;
}

/** The farm as the API reports it. */
abstract class FarmBase extends IplbResource {
  /** From the resource id, so it is known in a preview whenever the farm is not created or replaced (resource.ts). */
  readonly farmId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly zone: pulumi.Output<string>;
  declare readonly port: pulumi.Output<number | null>;
  declare readonly displayName: pulumi.Output<string | null>;
  declare readonly vrackNetworkId: pulumi.Output<number | null>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  protected constructor(kind: ProviderKind, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(kind, name, props, opts);
    this.farmId = this.idPart(1);
  }
}

const FARM_REPLACE_FIELDS = ["serviceName", "zone"] as const;

/** Registers a farm, joining its `Refresh` batch if it has one. */
function farmProps<A extends FarmCommonArgs>(kind: string, name: string, args: A, opts: pulumi.CustomResourceOptions | undefined) {
  return joinBatch(kind, name, args, [...FARM_REPLACE_FIELDS], opts);
}

const OUTPUTS = { changeToken: undefined, serviceName: undefined, zone: undefined, port: undefined, displayName: undefined, vrackNetworkId: undefined };
const BALANCED_OUTPUTS = { ...OUTPUTS, balance: undefined, stickiness: undefined, probe: undefined };

export class HttpFarm extends FarmBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:HttpFarm";
  declare readonly balance: pulumi.Output<HttpBalance | null>;
  declare readonly stickiness: pulumi.Output<HttpStickiness | null>;
  declare readonly probe: pulumi.Output<Required<ProbeArgs> | null>;

  constructor(name: string, args: HttpFarmArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = farmProps("HttpFarm", name, args, opts);
    super("HttpFarm", name, { ...BALANCED_OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  /** A read-only reference to an existing farm (`serviceName/farmId`); Pulumi never changes or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): HttpFarm {
    return new HttpFarm(name, {} as HttpFarmArgs, { ...opts, id });
  }
}

export class TcpFarm extends FarmBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:TcpFarm";
  declare readonly balance: pulumi.Output<TcpBalance | null>;
  declare readonly stickiness: pulumi.Output<TcpStickiness | null>;
  declare readonly probe: pulumi.Output<Required<ProbeArgs> | null>;

  constructor(name: string, args: TcpFarmArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = farmProps("TcpFarm", name, args, opts);
    super("TcpFarm", name, { ...BALANCED_OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TcpFarm {
    return new TcpFarm(name, {} as TcpFarmArgs, { ...opts, id });
  }
}

export class UdpFarm extends FarmBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:UdpFarm";

  constructor(name: string, args: UdpFarmArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = farmProps("UdpFarm", name, args, opts);
    super("UdpFarm", name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): UdpFarm {
    return new UdpFarm(name, {} as UdpFarmArgs, { ...opts, id });
  }
}

/**
 * `FailoverIpAttachment`: routes a failover (additional) IP of the account to a load balancer, and keeps it there.
 * The IP is usable by every frontend once `pulumi up` returns (the load balancer is refreshed after the move).
 * Changing `ip` or `serviceName` replaces the attachment; deleting it parks the IP. Id: `serviceName/203.0.113.7/32`.
 * How it works: provider/providers/failoverIp.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as model from "../provider/models/failoverIp";
import { IplbResource } from "./resource";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, Refresh } from "./refresh";

export interface FailoverIpAttachmentArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`) the IP is routed to. Changing it parks the IP, then routes it there. */
  serviceName: pulumi.Input<string>;
  /**
   * A failover IP of the account: an IPv4 address (`203.0.113.7`) or its `/32` block; the outputs always show the
   * block. Larger blocks are refused. Changing it replaces the attachment (the new IP is routed, then the old parked).
   */
  ip: pulumi.Input<string>;
  /**
   * Move the IP even if it is routed to another service now (a dedicated server, another load balancer), which then
   * loses it. Default false: the create fails and names that service. An IP parked, or routed here already, needs
   * no take-over (routed here, it is adopted without a move). Only the create looks at it; it never causes a diff.
   */
  takeOver?: pulumi.Input<boolean>;
  /**
   * Leave the refresh that puts the IP to use to this batch (it refreshes every zone once for the whole run). Parking
   * the IP when the attachment is deleted still refreshes at once.
   */
  refresh?: Refresh;
}

/** The last `/ip` task the attachment ran (`ip.IpTask`). */
export type FailoverIpTask = model.TaskOutput;

export class FailoverIpAttachment extends IplbResource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:FailoverIpAttachment";
  declare readonly serviceName: pulumi.Output<string>;
  /** The IP block, `203.0.113.7/32`. */
  declare readonly ip: pulumi.Output<string>;
  /** Where the IP is routed now, as last read (null when parked); differing from `serviceName` is drift. */
  declare readonly routedTo: pulumi.Output<string | null>;
  /** The move that routed the IP here: `taskId`, `function`, `status`, `comment`; null when it was adopted as routed. */
  declare readonly lastTask: pulumi.Output<FailoverIpTask | null>;
  declare readonly takeOver: pulumi.Output<boolean | undefined>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  constructor(name: string, args: FailoverIpAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { changeToken: undefined, serviceName: undefined, ip: undefined, routedTo: undefined, lastTask: undefined, takeOver: undefined };
    const batch = joinBatch("FailoverIpAttachment", name, args, ["serviceName", "ip"], opts);
    super("FailoverIpAttachment", name, { ...outputs, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  /** A read-only reference to an attachment (`serviceName/203.0.113.7/32`); Pulumi never moves or parks it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): FailoverIpAttachment {
    return new FailoverIpAttachment(name, {} as FailoverIpAttachmentArgs, { ...opts, id });
  }
}

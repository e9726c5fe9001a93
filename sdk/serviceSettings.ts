/**
 * `IpLoadBalancingSettings`: the settings of an existing load balancer, `displayName` and `sslConfiguration` (the only
 * fields `PUT /ipLoadbalancing/{serviceName}` changes). The service is adopted: never ordered, never terminated (the
 * official `ovh.IpLoadBalancing.LoadBalancer` orders one). Only declared fields are managed; drift on them shows in
 * preview and the update sets them back. Deleting the resource puts the managed fields back to the values found when
 * it was created (`foundDisplayName`, `foundSslConfiguration`, null included). A change is live when `up` returns: if
 * OVH staged it, a refresh follows (of the batch, with `refresh`: in a stack whose other objects are in a `Refresh`
 * batch, give it the batch too, or its refresh would make their staged changes live early). Id: the service name. How it works: provider/providers/serviceSettings.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, type Refresh } from "./refresh";
import { IplbResource } from "./resource";

/** `intermediate` (OVH's default when unset: older clients accepted) or `modern` (TLS 1.2+ clients only). */
export type SslConfiguration = "intermediate" | "modern";

export interface IpLoadBalancingSettingsArgs {
  /** The existing IP Load Balancer (`loadbalancer-xxxx`). Changing it adopts the new one and restores the old one. */
  serviceName: pulumi.Input<string>;
  /** The name shown in the OVHcloud Control Panel, one line of at most 50 characters. Absent: left as it is. */
  displayName?: pulumi.Input<string>;
  /** The TLS ciphers and versions the frontends accept. Absent: left as it is. */
  sslConfiguration?: pulumi.Input<SslConfiguration>;
  /** Make this resource's changes live with the rest of the batch (one refresh per zone per deployment). */
  refresh?: Refresh;
}

export class IpLoadBalancingSettings extends IplbResource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:IpLoadBalancingSettings";
  declare readonly serviceName: pulumi.Output<string>;
  /** The service's display name now (null: none). */
  declare readonly displayName: pulumi.Output<string | null>;
  /** The service's SSL configuration now (null: OVH's default, intermediate). */
  declare readonly sslConfiguration: pulumi.Output<SslConfiguration | null>;
  /** The values found when the resource was created: what deleting it puts back. */
  declare readonly foundDisplayName: pulumi.Output<string | null>;
  declare readonly foundSslConfiguration: pulumi.Output<SslConfiguration | null>;
  /** The service's own IP, its IPv4 and IPv6, `state` (`ok`...), zones and offer, as last read. */
  declare readonly ipLoadbalancing: pulumi.Output<string>;
  declare readonly ipv4: pulumi.Output<string | null>;
  declare readonly ipv6: pulumi.Output<string | null>;
  declare readonly state: pulumi.Output<string>;
  declare readonly zone: pulumi.Output<string[]>;
  declare readonly offer: pulumi.Output<string>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  constructor(name: string, args: IpLoadBalancingSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      serviceName: undefined, displayName: undefined, sslConfiguration: undefined, foundDisplayName: undefined, foundSslConfiguration: undefined, ipLoadbalancing: undefined,
      ipv4: undefined, ipv6: undefined, state: undefined, zone: undefined, offer: undefined, changeToken: undefined,
    };
    // Another service is another resource (the old one restored, the new one adopted): `serviceName` replaces.
    const batch = joinBatch("IpLoadBalancingSettings", name, args, ["serviceName"], opts);
    super("IpLoadBalancingSettings", name, { ...outputs, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  /** A read-only reference by service name; Pulumi never writes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): IpLoadBalancingSettings {
    return new IpLoadBalancingSettings(name, {} as IpLoadBalancingSettingsArgs, { ...opts, id });
  }
}

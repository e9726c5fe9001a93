/**
 * `IpLoadBalancingSettings`: the settings of an existing load balancer, `displayName` and `sslConfiguration` (the only
 * fields `PUT /ipLoadbalancing/{serviceName}` changes). The service is adopted: never ordered, never terminated (the
 * official `ovh.IpLoadBalancing.LoadBalancer` orders one). Only declared fields are managed; drift on them shows in
 * preview and the update sets them back. Deleting the resource puts the managed fields back to the values found when
 * it was created (`foundDisplayName`, `foundSslConfiguration`, null included). Changes apply at once: no refresh.
 * Id: the service name. How it works: provider/providers/serviceSettings.ts.
 */
import * as pulumi from "@pulumi/pulumi";
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

  constructor(name: string, args: IpLoadBalancingSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      serviceName: undefined, displayName: undefined, sslConfiguration: undefined, foundDisplayName: undefined, foundSslConfiguration: undefined, ipLoadbalancing: undefined,
      ipv4: undefined, ipv6: undefined, state: undefined, zone: undefined, offer: undefined,
    };
    super("IpLoadBalancingSettings", name, { ...outputs, ...args }, opts);
  }

  /** A read-only reference by service name; Pulumi never writes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): IpLoadBalancingSettings {
    return new IpLoadBalancingSettings(name, {} as IpLoadBalancingSettingsArgs, { ...opts, id });
  }
}

/**
 * `FreeCertificate`: a certificate the load balancer orders (and OVH renews) for names that point to it.
 * Prerequisite: every name resolves (DNS) to the load balancer and is served by an HTTP frontend on port 80, because OVH
 * validates each name with an HTTP request. Changing `fqdn` or `serviceName` orders a new certificate first and deletes
 * the old one after. Id: `serviceName/sslId`. How it works: provider/providers/freeCertificate.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as wire from "../provider/api/wire";
import { IplbResource } from "./resource";

export interface FreeCertificateArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`) that orders and serves the certificate. Changing it replaces it. */
  serviceName: pulumi.Input<string>;
  /**
   * The names of the certificate, 1 to 100 host names (`www.example.com`; no wildcard, no IP address, no duplicates).
   * The first is the subject; all are in the SAN. Compared case-insensitively and in any order, so re-ordering or
   * re-casing them changes nothing. Any other change replaces the certificate (new one first, old one deleted after).
   */
  fqdn: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Before ordering, resolve each name's A records where `pulumi` runs and fail at once, with what to fix, if one does
   * not point to the load balancer (its addresses or a failover IP routed to it), instead of OVH failing the order
   * later without a reason. Default: true against OVH's endpoints, false against a URL endpoint (the emulator). Set
   * false for split-horizon DNS, where names resolve differently inside than on the Internet. Changing it changes nothing.
   */
  checkDns?: pulumi.Input<boolean>;
}

/** `built` (issued and renewed by OVH), `built_not_routed` (a name no longer points to the load balancer), `custom`. */
export type SslType = wire.SslTypeEnum;

export class FreeCertificate extends IplbResource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:FreeCertificate";
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly fqdn: pulumi.Output<string[]>;
  /** The certificate's id on the load balancer (what a frontend's `defaultSslId` takes), from the resource id (resource.ts). */
  readonly sslId: pulumi.Output<number>;
  /** `built` when issued; anything else shows as drift and makes `pulumi up` order it again. */
  declare readonly type: pulumi.Output<SslType | null>;
  /** OpenSSL one-line subject, e.g. `/CN=www.example.com`. */
  declare readonly subject: pulumi.Output<string>;
  /** The DNS names of the certificate. */
  declare readonly san: pulumi.Output<string[]>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly serial: pulumi.Output<string>;
  declare readonly expireDate: pulumi.Output<string>;

  constructor(name: string, args: FreeCertificateArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      serviceName: undefined, fqdn: undefined, type: undefined, subject: undefined, san: undefined,
      fingerprint: undefined, serial: undefined, expireDate: undefined,
    };
    super("FreeCertificate", name, { ...outputs, ...args }, opts);
    this.sslId = this.idPart(1);
  }

  /** A read-only reference to a certificate (`serviceName/sslId`); Pulumi never replaces or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): FreeCertificate {
    return new FreeCertificate(name, {} as FreeCertificateArgs, { ...opts, id });
  }
}

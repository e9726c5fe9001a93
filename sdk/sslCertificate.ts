/**
 * `SslCertificate`: a custom certificate (and its private key) uploaded to the load balancer, for HTTPS and TLS
 * frontends (`defaultSslId: cert.sslId`). The key is a Pulumi secret: registered as one whatever the program passes,
 * so the state keeps it encrypted, and never returned as an output. Changing the certificate or the chain uploads a new
 * certificate first, moves the frontends that use `sslId` to it, then deletes the old one. Id: `serviceName/sslId`.
 * How it works: provider/providers/sslCertificate.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SslType } from "./freeCertificate";
import { IplbResource } from "./resource";

export interface SslCertificateArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`) that serves the certificate. Changing it replaces it. */
  serviceName: pulumi.Input<string>;
  /**
   * The server's certificate, PEM encoded (one `-----BEGIN CERTIFICATE-----` block; intermediates go in `chain`).
   * Changing it replaces the certificate (the new one first, the old one deleted after).
   */
  certificate: pulumi.Input<string>;
  /**
   * The certificate's private key, PEM encoded, without a passphrase. Always treated as a secret (wrapped in
   * `pulumi.secret` here): encrypted in the state, never an output, never in an error. It must match `certificate`, so
   * it changes with it.
   */
  key: pulumi.Input<string>;
  /**
   * The intermediate certificates, PEM encoded: first the one that issued `certificate`, then its issuer, and so on.
   * Changing it replaces the certificate; OVH holds a certificate once, so the old one is deleted first (a frontend
   * still using it makes the delete fail, naming the frontend).
   */
  chain?: pulumi.Input<string>;
  /** A name for people (the OVH console); updated in place. */
  displayName?: pulumi.Input<string>;
  /**
   * Take over a certificate already uploaded (`sslId`, e.g. from the console) instead of uploading it: OVH holds a
   * certificate once, so uploading it again is refused. It must be `certificate` (same fingerprint). Read on create only.
   */
  adoptSslId?: pulumi.Input<number>;
}

export class SslCertificate extends IplbResource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:SslCertificate";
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly certificate: pulumi.Output<string>;
  declare readonly chain: pulumi.Output<string | undefined>;
  declare readonly displayName: pulumi.Output<string | null>;
  /** The certificate's id on the load balancer (what a frontend's `defaultSslId` takes), from the resource id (resource.ts). */
  readonly sslId: pulumi.Output<number>;
  /** `custom` for an uploaded certificate. */
  declare readonly type: pulumi.Output<SslType | null>;
  /** As the API reports them: OpenSSL one-line subject (`/CN=www.example.com`), DNS names, fingerprint, serial, expiry. */
  declare readonly subject: pulumi.Output<string>;
  declare readonly san: pulumi.Output<string[]>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly serial: pulumi.Output<string>;
  declare readonly expireDate: pulumi.Output<string>;

  constructor(name: string, args: SslCertificateArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      serviceName: undefined, certificate: undefined, chain: undefined, displayName: undefined, type: undefined,
      subject: undefined, san: undefined, fingerprint: undefined, serial: undefined, expireDate: undefined,
    };
    // The key as a secret input: the engine keeps it encrypted in the state, strips the mark before calling the host
    // (acceptSecrets=false) and marks secret any output of the same name (annotateSecrets), so even a key echoed by a
    // provider would stay secret; this one returns none. (additionalSecretOutputs only acts on outputs, not inputs.)
    const key = args.key === undefined ? undefined : pulumi.secret(args.key);
    super("SslCertificate", name, { ...outputs, ...args, key }, opts);
    this.sslId = this.idPart(1);
  }

  /** A read-only reference to a certificate (`serviceName/sslId`); Pulumi never replaces or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): SslCertificate {
    return new SslCertificate(name, {} as SslCertificateArgs, { ...opts, id });
  }
}

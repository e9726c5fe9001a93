/**
 * Functions about SSL certificates. Dynamic providers cannot serve invokes, so these call the OVH API from the program
 * process, with the same settings as the resources (`ovh:*` stack config or `OVH_*` variables, `ovh-iplb:caFile`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as output from "./functionOutput";
import * as settings from "./programSettings";
import * as sslCertificates from "../reads/sslCertificates";
import type { SslType } from "./freeCertificate";

export interface GetSslCertificatesArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: string;
  /** Only certificates of this type: `built`, `built_not_routed` or `custom`; every type when absent. */
  type?: SslType;
}

export interface GetSslCertificatesOutputArgs {
  serviceName: pulumi.Input<string>;
  type?: pulumi.Input<SslType>;
}

/** `certificates`: every field of each certificate (id, type, displayName, subject, san, serial, fingerprint, expireDate), by id. */
export type GetSslCertificatesResult = sslCertificates.GetSslCertificatesResult;
/** One certificate as the functions return it (the class of an uploaded certificate is `SslCertificate`). */
export type SslCertificateInfo = sslCertificates.SslCertificate;

export interface GetSslCertificateArgs {
  serviceName: string;
  /** The certificate's id (`FreeCertificate.sslId`, a frontend's `defaultSslId`). */
  id: number;
}

export interface GetSslCertificateOutputArgs {
  serviceName: pulumi.Input<string>;
  id: pulumi.Input<number>;
}

export type GetSslCertificateResult = sslCertificates.GetSslCertificateResult;

/** The certificates of a load balancer (`GET .../ssl`, then each one). `opts` is accepted for Pulumi's conventions. */
export function getSslCertificates(args: GetSslCertificatesArgs, _opts?: pulumi.InvokeOptions): Promise<GetSslCertificatesResult> {
  return sslCertificates.getSslCertificates(settings.programClient(), args);
}

export function getSslCertificatesOutput(args: GetSslCertificatesOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetSslCertificatesResult> {
  return output.functionOutput(pulumi.output(args), opts, (plain) => getSslCertificates(plain));
}

/** One certificate (`GET .../ssl/{id}`); fails when there is no such certificate. */
export function getSslCertificate(args: GetSslCertificateArgs, _opts?: pulumi.InvokeOptions): Promise<GetSslCertificateResult> {
  return sslCertificates.getSslCertificate(settings.programClient(), args);
}

export function getSslCertificateOutput(args: GetSslCertificateOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetSslCertificateResult> {
  return output.functionOutput(pulumi.output(args), opts, (plain) => getSslCertificate(plain));
}

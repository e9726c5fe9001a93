/**
 * Every provider implementation, by the class name of its resource. The dynamic-provider host loads this module
 * (through the serialized shim in `shim.ts`) and runs these objects; they are never serialized themselves.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as failoverIp from "./providers/failoverIp";
import * as farm from "./providers/farm";
import * as farmServer from "./providers/farmServer";
import * as freeCertificate from "./providers/freeCertificate";
import * as frontend from "./providers/frontend";
import * as refreshBatch from "./providers/refreshBatch";

export const providers = {
  HttpFarm: farm.httpFarmProvider,
  TcpFarm: farm.tcpFarmProvider,
  UdpFarm: farm.udpFarmProvider,
  HttpFarmServer: farmServer.httpFarmServerProvider,
  TcpFarmServer: farmServer.tcpFarmServerProvider,
  UdpFarmServer: farmServer.udpFarmServerProvider,
  HttpFrontend: frontend.httpFrontendProvider,
  TcpFrontend: frontend.tcpFrontendProvider,
  UdpFrontend: frontend.udpFrontendProvider,
  RefreshStart: refreshBatch.refreshStartProvider,
  RefreshCommit: refreshBatch.refreshCommitProvider,
  FailoverIpAttachment: failoverIp.failoverIpProvider,
  FreeCertificate: freeCertificate.freeCertificateProvider,
} satisfies Record<string, pulumi.dynamic.ResourceProvider>;

export type ProviderKind = keyof typeof providers;

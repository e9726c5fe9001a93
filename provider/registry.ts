/**
 * Every provider implementation, by the class name of its resource. The dynamic-provider host loads this module
 * (through the serialized shim in `shim.ts`) and runs these objects; they are never serialized themselves.
 */
import type * as pulumi from "@pulumi/pulumi";
import { withCredentialsHint } from "./providers/credentialsHint";
import * as failoverIp from "./providers/failoverIp";
import * as farm from "./providers/farm";
import * as farmServer from "./providers/farmServer";
import * as freeCertificate from "./providers/freeCertificate";
import * as frontend from "./providers/frontend";
import * as refreshBatch from "./providers/refreshBatch";

export const providers = {
  HttpFarm: withCredentialsHint(farm.httpFarmProvider),
  TcpFarm: withCredentialsHint(farm.tcpFarmProvider),
  UdpFarm: withCredentialsHint(farm.udpFarmProvider),
  HttpFarmServer: withCredentialsHint(farmServer.httpFarmServerProvider),
  TcpFarmServer: withCredentialsHint(farmServer.tcpFarmServerProvider),
  UdpFarmServer: withCredentialsHint(farmServer.udpFarmServerProvider),
  HttpFrontend: withCredentialsHint(frontend.httpFrontendProvider),
  TcpFrontend: withCredentialsHint(frontend.tcpFrontendProvider),
  UdpFrontend: withCredentialsHint(frontend.udpFrontendProvider),
  RefreshStart: withCredentialsHint(refreshBatch.refreshStartProvider),
  RefreshCommit: withCredentialsHint(refreshBatch.refreshCommitProvider),
  FailoverIpAttachment: withCredentialsHint(failoverIp.failoverIpProvider),
  FreeCertificate: withCredentialsHint(freeCertificate.freeCertificateProvider),
} satisfies Record<string, pulumi.dynamic.ResourceProvider>;

export type ProviderKind = keyof typeof providers;

/**
 * Every provider implementation, by the kind of its resource. The dynamic-provider host loads this module (through
 * the serialized shim in `shim.ts`) and runs these objects; they are never serialized themselves. The kinds are also
 * the resources' type names and are written in every state (`__provider`): never rename one.
 *
 * An IPLB object family is its model plus one line here (ARCHITECTURE.md, "Adding a resource family").
 */
import type * as pulumi from "@pulumi/pulumi";
import { farmModel } from "./models/farm";
import { farmServerModel } from "./models/farmServer";
import { frontendModel } from "./models/frontend";
import * as batch from "./providers/batch";
import { withCredentialsHint } from "./providers/credentialsHint";
import * as failoverIp from "./providers/failoverIp";
import { serverHooks } from "./providers/farmServer";
import * as freeCertificate from "./providers/freeCertificate";
import { frontendHooks } from "./providers/frontend";
import { objectProvider } from "./providers/objects";

export const providers = {
  HttpFarm: withCredentialsHint(objectProvider(farmModel("http"))),
  TcpFarm: withCredentialsHint(objectProvider(farmModel("tcp"))),
  UdpFarm: withCredentialsHint(objectProvider(farmModel("udp"))),
  HttpFarmServer: withCredentialsHint(objectProvider(farmServerModel("http"), serverHooks("http"))),
  TcpFarmServer: withCredentialsHint(objectProvider(farmServerModel("tcp"), serverHooks("tcp"))),
  UdpFarmServer: withCredentialsHint(objectProvider(farmServerModel("udp"), serverHooks("udp"))),
  HttpFrontend: withCredentialsHint(objectProvider(frontendModel("http"), frontendHooks("http"))),
  TcpFrontend: withCredentialsHint(objectProvider(frontendModel("tcp"), frontendHooks("tcp"))),
  UdpFrontend: withCredentialsHint(objectProvider(frontendModel("udp"), frontendHooks("udp"))),
  RefreshStart: withCredentialsHint(batch.refreshStartProvider),
  RefreshCommit: withCredentialsHint(batch.refreshCommitProvider),
  FailoverIpAttachment: withCredentialsHint(failoverIp.failoverIpProvider),
  FreeCertificate: withCredentialsHint(freeCertificate.freeCertificateProvider),
} satisfies Record<string, pulumi.dynamic.ResourceProvider>;

export type ProviderKind = keyof typeof providers;

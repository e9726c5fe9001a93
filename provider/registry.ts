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
import { routeModel } from "./models/route";
import { routeRuleModel } from "./models/routeRule";
import * as batch from "./providers/batch";
import { withCredentialsHint } from "./providers/credentialsHint";
import * as failoverIp from "./providers/failoverIp";
import { serverHooks } from "./providers/farmServer";
import { sslCertificateProvider } from "./providers/sslCertificate";
import * as freeCertificate from "./providers/freeCertificate";
import { frontendHooks } from "./providers/frontend";
import { objectProvider } from "./providers/objects";
import { routeHooks } from "./providers/route";
import { routeRuleHooks } from "./providers/routeRule";
import { withServiceHints } from "./providers/serviceHints";
import { serviceSettingsProvider } from "./providers/serviceSettings";
import { vrackNetworkProvider } from "./providers/vrackNetwork";

/** Errors explained: refused credentials, an unknown service or zone (each wrapper says what it adds). */
const explained = <P extends pulumi.dynamic.ResourceProvider>(provider: P): P => withCredentialsHint(withServiceHints(provider));

export const providers = {
  HttpFarm: explained(objectProvider(farmModel("http"))),
  TcpFarm: explained(objectProvider(farmModel("tcp"))),
  UdpFarm: explained(objectProvider(farmModel("udp"))),
  HttpFarmServer: explained(objectProvider(farmServerModel("http"), serverHooks("http"))),
  TcpFarmServer: explained(objectProvider(farmServerModel("tcp"), serverHooks("tcp"))),
  UdpFarmServer: explained(objectProvider(farmServerModel("udp"), serverHooks("udp"))),
  HttpFrontend: explained(objectProvider(frontendModel("http"), frontendHooks("http"))),
  TcpFrontend: explained(objectProvider(frontendModel("tcp"), frontendHooks("tcp"))),
  UdpFrontend: explained(objectProvider(frontendModel("udp"), frontendHooks("udp"))),
  HttpRoute: explained(objectProvider(routeModel("http"), routeHooks("http"))),
  TcpRoute: explained(objectProvider(routeModel("tcp"), routeHooks("tcp"))),
  HttpRouteRule: explained(objectProvider(routeRuleModel("http"), routeRuleHooks("http"))),
  TcpRouteRule: explained(objectProvider(routeRuleModel("tcp"), routeRuleHooks("tcp"))),
  RefreshStart: explained(batch.refreshStartProvider),
  RefreshCommit: explained(batch.refreshCommitProvider),
  FailoverIpAttachment: explained(failoverIp.failoverIpProvider),
  FreeCertificate: explained(freeCertificate.freeCertificateProvider),
  IpLoadBalancingSettings: explained(serviceSettingsProvider),
  SslCertificate: explained(sslCertificateProvider),
  VrackNetwork: explained(vrackNetworkProvider),
} satisfies Record<string, pulumi.dynamic.ResourceProvider>;

export type ProviderKind = keyof typeof providers;

// Every policy of the pack, in the order `pulumi preview` lists them. Import this (not ../index.ts, which starts the
// analyzer server) to reuse the policies in a pack of your own or to test them.
import type { Policies } from "@pulumi/policy";
import { certificateDomains, failoverIpAllowed, serverAddressAllowed } from "./addresses";
import { portBounds, probeIntervalBounds, serverWeightBounds } from "./bounds";
import { certificateExpired, certificateExpiring, certificateKeySecret } from "./certificates";
import { farmHealthProbe, farmStickiness } from "./farms";
import { uniqueNaturalKeys } from "./naturalKeys";
import { frontendDefaultFarmUsed, routeRulesCanMatch, routeTargets } from "./routes";
import { backendTls, farmMinServers, serversProbed, stickyServerCookies } from "./stack";

export * from "./addresses";
export * from "./bounds";
export * from "./certificates";
export * from "./farms";
export * from "./naturalKeys";
export * from "./routes";
export * from "./stack";
export { TYPES } from "./resources";

export const policies: Policies = [
  farmHealthProbe,
  serversProbed,
  farmMinServers,
  probeIntervalBounds,
  portBounds,
  serverWeightBounds,
  farmStickiness,
  stickyServerCookies,
  uniqueNaturalKeys,
  serverAddressAllowed,
  backendTls,
  failoverIpAllowed,
  certificateDomains,
  routeTargets,
  routeRulesCanMatch,
  frontendDefaultFarmUsed,
  certificateExpired,
  certificateExpiring,
  certificateKeySecret,
];

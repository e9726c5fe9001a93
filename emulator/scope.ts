/**
 * The one list of official schema paths (iploadbalancing.json, ip.json) the emulator deliberately does not serve,
 * each group with the reason. Every other schema path must be served by the router; the fidelity test checks both
 * directions and that nothing here is stale. An excluded path is excluded with all its methods.
 *
 * In scope on `/ip`: `GET /ip`, `GET|PUT /ip/{ip}`, `GET|POST /ip/{ip}/move`, `POST /ip/{ip}/park`,
 * `GET /ip/{ip}/task`, `GET /ip/{ip}/task/{taskId}` (attaching failover IPs, ovh-iplb-api.md section 7).
 */
export interface OutOfScope {
  reason: string;
  paths: readonly string[];
}

const S = "/ipLoadbalancing/{serviceName}";

export const OUT_OF_SCOPE: readonly OutOfScope[] = [
  { reason: "vRack transparent gateways are marked \"Internal use only\" in the schema", paths: [`${S}/vrack/transparent/gateways`] },
  { reason: "log forwarding to Logs Data Platform is outside load-balancing configuration", paths: [`${S}/log/kind`, `${S}/log/kind/{name}`, `${S}/log/subscription`, `${S}/log/subscription/{subscriptionId}`, `${S}/log/url`] },
  { reason: "quotas and their history are billing data the provider never reads", paths: [`${S}/quota`, `${S}/quota/{zone}`, `${S}/quotaHistory`, `${S}/quotaHistory/{id}`] },
  { reason: "transparent (source-IP preserving) server IPs need vRack", paths: [`${S}/http/farm/{farmId}/server/{serverId}/transparent`, `${S}/http/farm/{farmId}/server/{serverId}/transparent/{transparentId}`, `${S}/tcp/farm/{farmId}/server/{serverId}/transparent`, `${S}/tcp/farm/{farmId}/server/{serverId}/transparent/{transparentId}`] },
  { reason: "the metrics token is an observability credential, not configuration", paths: [`${S}/metricsToken`] },
  { reason: "service billing and contacts are account management", paths: [`${S}/serviceInfos`, `${S}/changeContact`] },
  { reason: "terminating the service or a zone is an order, never done by the provider", paths: [`${S}/terminate`, `${S}/confirmTermination`, `${S}/zone/{name}/terminate`, `${S}/zone/{name}/cancelTermination`] },
  { reason: "deprecated in the schema; zones come from the service's own `zone` list", paths: ["/ipLoadbalancing/availableZones"] },
  { reason: "private (vRack-only) frontends need vRack", paths: [`${S}/http/frontend/{frontendId}/private`, `${S}/tcp/frontend/{frontendId}/private`] },
  { reason: "IP services are billing objects, not routing", paths: ["/ip/campus", "/ip/service", "/ip/service/{serviceName}", "/ip/service/{serviceName}/changeContact", "/ip/service/{serviceName}/confirmTermination", "/ip/service/{serviceName}/serviceInfos", "/ip/service/{serviceName}/terminate"] },
  { reason: "abuse handling (antihack, ARP, spam, phishing) is unrelated to load balancing", paths: ["/ip/{ip}/antihack", "/ip/{ip}/antihack/{ipBlocked}", "/ip/{ip}/antihack/{ipBlocked}/unblock", "/ip/{ip}/arp", "/ip/{ip}/arp/{ipBlocked}", "/ip/{ip}/arp/{ipBlocked}/unblock", "/ip/{ip}/spam", "/ip/{ip}/spam/{ipSpamming}", "/ip/{ip}/spam/{ipSpamming}/stats", "/ip/{ip}/spam/{ipSpamming}/unblock", "/ip/{ip}/phishing", "/ip/{ip}/phishing/{id}"] },
  { reason: "firewall, game and DDoS mitigation rules protect IPs, they do not route them", paths: ["/ip/{ip}/firewall", "/ip/{ip}/firewall/{ipOnFirewall}", "/ip/{ip}/firewall/{ipOnFirewall}/rule", "/ip/{ip}/firewall/{ipOnFirewall}/rule/{sequence}", "/ip/{ip}/game", "/ip/{ip}/game/{ipOnGame}", "/ip/{ip}/game/{ipOnGame}/rule", "/ip/{ip}/game/{ipOnGame}/rule/{id}", "/ip/{ip}/mitigation", "/ip/{ip}/mitigation/{ipOnMitigation}", "/ip/{ip}/mitigationProfiles", "/ip/{ip}/mitigationProfiles/{ipMitigationProfile}"] },
  { reason: "registry data (RIPE, organisation, BYOIP, delegation, migration) is IP ownership, not routing", paths: ["/ip/{ip}/ripe", "/ip/{ip}/changeOrg", "/ip/{ip}/bringYourOwnIp/aggregate", "/ip/{ip}/bringYourOwnIp/slice", "/ip/{ip}/delegation", "/ip/{ip}/delegation/{target}", "/ip/{ip}/migrationToken"] },
  { reason: "reverse DNS is set on the IP by the user, outside the load balancer", paths: ["/ip/{ip}/reverse", "/ip/{ip}/reverse/{ipReverse}"] },
  { reason: "software licences bound to an IP concern dedicated servers", paths: ["/ip/{ip}/license/cloudLinux", "/ip/{ip}/license/cpanel", "/ip/{ip}/license/directadmin", "/ip/{ip}/license/plesk", "/ip/{ip}/license/sqlserver", "/ip/{ip}/license/virtuozzo", "/ip/{ip}/license/windows", "/ip/{ip}/license/worklight"] },
  { reason: "deprecated in the schema, and releasing an IP is never done by the provider", paths: ["/ip/{ip}/terminate"] },
];

/** Why a schema path is left out, or undefined when the emulator must serve it. */
export function outOfScopeReason(path: string): string | undefined {
  return OUT_OF_SCOPE.find((group) => group.paths.includes(path))?.reason;
}

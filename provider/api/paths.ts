// One builder per API path, relative to the `/1.0` base path the `ovh` client adds.
// Every segment goes through encodeURIComponent because node-ovh encodes nothing: an IP block must
// reach the API as `/ip/203.0.113.7%2F32` (an unencoded `/` was reported to 404, node-ovh issue #44).
// Encoding `{` and `}` also keeps a value from being taken for one of node-ovh's `{key}` placeholders.
import type { FarmType, RouteType } from "./wire";

type Segment = string | number;

function seg(value: Segment): string {
  return encodeURIComponent(String(value));
}

/** `/ipLoadbalancing`: GET the names of the load balancers the credentials can see. */
export function services(): string {
  return "/ipLoadbalancing";
}

/** `/ipLoadbalancing/{serviceName}`: GET the service (IpLoadbalancing), PUT displayName/sslConfiguration. */
export function service(serviceName: string): string {
  return `/ipLoadbalancing/${seg(serviceName)}`;
}

/** GET list of farm ids, POST create a farm. */
export function farms(serviceName: string, type: FarmType): string {
  return `${service(serviceName)}/${seg(type)}/farm`;
}

/** GET, PUT, DELETE one farm. */
export function farm(serviceName: string, type: FarmType, farmId: Segment): string {
  return `${farms(serviceName, type)}/${seg(farmId)}`;
}

/** GET list of server ids, POST create a server. */
export function servers(serviceName: string, type: FarmType, farmId: Segment): string {
  return `${farm(serviceName, type, farmId)}/server`;
}

/** GET, PUT, DELETE one server. */
export function server(serviceName: string, type: FarmType, farmId: Segment, serverId: Segment): string {
  return `${servers(serviceName, type, farmId)}/${seg(serverId)}`;
}

/** POST `{zone?}`: applies the staged changes; answers with a Task (`refreshIplb`). */
export function refresh(serviceName: string): string {
  return `${service(serviceName)}/refresh`;
}

/** GET list of task ids (query action, status, creationDate.from ...). */
export function tasks(serviceName: string): string {
  return `${service(serviceName)}/task`;
}

/** GET one Task. */
export function task(serviceName: string, taskId: Segment): string {
  return `${tasks(serviceName)}/${seg(taskId)}`;
}

/** GET PendingChanges[] (one entry per zone with staged changes). */
export function pendingChanges(serviceName: string): string {
  return `${service(serviceName)}/pendingChanges`;
}

/** GET the zone names of the service. */
export function zones(serviceName: string): string {
  return `${service(serviceName)}/zone`;
}

/** GET one Zone `{name, state}`. */
export function zone(serviceName: string, name: string): string {
  return `${zones(serviceName)}/${seg(name)}`;
}

/** GET NatIps[]. */
export function natIp(serviceName: string): string {
  return `${service(serviceName)}/natIp`;
}

/** GET InstancesState[] (deprecated by OVH but still served). */
export function instancesState(serviceName: string): string {
  return `${service(serviceName)}/instancesState`;
}

/** GET Status. */
export function status(serviceName: string): string {
  return `${service(serviceName)}/status`;
}

/** GET the failover IP blocks routed to this IPLB. */
export function failover(serviceName: string): string {
  return `${service(serviceName)}/failover`;
}

/** GET list of certificate ids, POST upload a custom certificate. */
export function sslList(serviceName: string): string {
  return `${service(serviceName)}/ssl`;
}

/** GET, PUT (displayName), DELETE one certificate. */
export function ssl(serviceName: string, sslId: Segment): string {
  return `${sslList(serviceName)}/${seg(sslId)}`;
}

/** POST `{fqdn: string[]}`: orders a free certificate; answers with a Task. */
export function freeCertificate(serviceName: string): string {
  return `${service(serviceName)}/freeCertificate`;
}

/** GET list of frontend ids, POST create a frontend. */
export function frontends(serviceName: string, type: FarmType): string {
  return `${service(serviceName)}/${seg(type)}/frontend`;
}

/** GET, PUT, DELETE one frontend. */
export function frontend(serviceName: string, type: FarmType, frontendId: Segment): string {
  return `${frontends(serviceName, type)}/${seg(frontendId)}`;
}

/** GET list of route ids (in evaluation order; query frontendId), POST create a route. */
export function routes(serviceName: string, type: RouteType): string {
  return `${service(serviceName)}/${seg(type)}/route`;
}

/** GET, PUT, DELETE one route (its rules under `/rule`). */
export function route(serviceName: string, type: RouteType, routeId: Segment): string {
  return `${routes(serviceName, type)}/${seg(routeId)}`;
}

/** GET list of the route's rule ids, POST create a rule. */
export function routeRules(serviceName: string, type: RouteType, routeId: Segment): string {
  return `${route(serviceName, type, routeId)}/rule`;
}

/** GET, PUT, DELETE one rule of a route. */
export function routeRule(serviceName: string, type: RouteType, routeId: Segment, ruleId: Segment): string {
  return `${routeRules(serviceName, type, routeId)}/${seg(ruleId)}`;
}

/** GET RouteAvailableRule[]: the rule fields, matches and pattern kinds of every protocol. */
export function availableRouteRules(serviceName: string): string {
  return `${service(serviceName)}/availableRouteRules`;
}

/** GET RouteAvailableAction[]: the route actions of every protocol. */
export function availableRouteActions(serviceName: string): string {
  return `${service(serviceName)}/availableRouteActions`;
}

/** GET list of vRack network ids (query subnet, vlan), POST describe a network of the attached vRack. */
export function vrackNetworks(serviceName: string): string {
  return `${service(serviceName)}/vrack/network`;
}

/** GET, PUT (natIp, vlan, displayName), DELETE one vRack network. */
export function vrackNetwork(serviceName: string, vrackNetworkId: Segment): string {
  return `${vrackNetworks(serviceName)}/${seg(vrackNetworkId)}`;
}

/** POST `{farmId: number[]}`: the farms the network has afterwards; answers with the network. */
export function vrackNetworkFarms(serviceName: string, vrackNetworkId: Segment): string {
  return `${vrackNetwork(serviceName, vrackNetworkId)}/updateFarmId`;
}

/** GET VrackNetworkCreationRules (minNatIps, remainingNetworks, vrackName). */
export function vrackNetworkCreationRules(serviceName: string): string {
  return `${service(serviceName)}/vrack/networkCreationRules`;
}

/** GET VrackInformation (state, vrackName). */
export function vrackStatus(serviceName: string): string {
  return `${service(serviceName)}/vrack/status`;
}

/** `/ip/{ip}`: GET the IP (routedTo), PUT description. `ip` is a block such as `203.0.113.7/32`. */
export function ip(ipBlock: string): string {
  return `/ip/${seg(ipBlock)}`;
}

/** POST `{to, nexthop?}`: routes the IP to another service; answers with an IpTask. */
export function ipMove(ipBlock: string): string {
  return `${ip(ipBlock)}/move`;
}

/** POST without body: detaches the IP from any service; answers with an IpTask. */
export function ipPark(ipBlock: string): string {
  return `${ip(ipBlock)}/park`;
}

/** GET list of IpTask ids (query function, status). */
export function ipTasks(ipBlock: string): string {
  return `${ip(ipBlock)}/task`;
}

/** GET one IpTask. */
export function ipTask(ipBlock: string, taskId: Segment): string {
  return `${ipTasks(ipBlock)}/${seg(taskId)}`;
}

// Natural keys: what makes an existing object "the one this resource would create", so that a create can take over
// what an interrupted deployment left (changes/adoptOrCreate.ts) and the policy pack can flag two resources that
// would claim the same object.

/** Object families that have a natural key. */
export type NaturalKeyFamily = "farm" | "server" | "frontend" | "route" | "routeRule" | "vrackNetwork";

export interface NaturalKey {
  /** The id field of the API's object. */
  idField: string;
  /** Fields that, with the collection (service, protocol, and the farm for servers), name the object. */
  fields: readonly string[];
  /** Take over only when the program sets these: without them, identical objects may well be meant to be distinct. */
  requires: readonly string[];
}

/**
 * What makes an existing object "the one this resource would create". Beyond the key, the object must be exactly what
 * the program declares, so that taking it over changes nothing (the next diff is empty).
 */
export const NATURAL_KEYS: Record<NaturalKeyFamily, NaturalKey> = {
  // Identical farms are normal (blue/green farms before their servers differ): only a displayName says which is which.
  farm: { idField: "farmId", fields: ["zone", "displayName"], requires: ["displayName"] },
  // A second server with the same address and port in one farm only doubles that backend's share: never wanted.
  server: { idField: "serverId", fields: ["address", "port"], requires: [] },
  // Two identical frontends listen on the same port and IPs of one zone: never wanted either.
  frontend: { idField: "frontendId", fields: ["zone", "port"], requires: [] },
  // Identical routes are normal until their rules (separate resources, made after) differ: only a displayName tells.
  route: { idField: "routeId", fields: ["frontendId", "displayName"], requires: ["displayName"] },
  // The route is the collection. A second identical rule in one route only repeats a condition: never wanted.
  routeRule: { idField: "ruleId", fields: ["field", "subField", "match", "pattern", "negate"], requires: [] },
  // Two descriptions of one private network (same subnet in the same VLAN) of one load balancer: never wanted.
  vrackNetwork: { idField: "vrackNetworkId", fields: ["subnet", "vlan"], requires: [] },
};

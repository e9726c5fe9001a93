// vRack private networks of a load balancer (schema `ipLoadbalancing.VrackNetwork.VrackNetwork`,
// `ipLoadbalancing.VrackNetworkCreationRules`, `ipLoadbalancing.VrackInformation`), re-exported by wire.ts.

/** `ipLoadbalancing.DefinedFarm`: a farm and its protocol (`http`, `tcp`, `udp`). */
export interface DefinedFarm {
  id: number;
  type: string;
}

/** `ipLoadbalancing.VrackNetwork.VrackNetwork`; `subnet`, `farmId` and `vrackNetworkId` are read-only. */
export interface VrackNetwork {
  vrackNetworkId: number;
  /** The private network's block (given at POST, then read-only). */
  subnet: string;
  /** The block the load balancer takes its addresses from, inside `subnet`. */
  natIp: string;
  /** 0: the network is not in a VLAN. */
  vlan: number;
  displayName: string | null;
  /** The farms using the network. */
  farmId: DefinedFarm[];
}

/** The POST body of `.../vrack/network`: `farmId` there is a list of farm ids. */
export interface VrackNetworkCreation {
  subnet: string;
  natIp: string;
  vlan?: number;
  displayName?: string;
  farmId?: number[];
}

/** The body of `POST .../vrack/network/{vrackNetworkId}/updateFarmId`: the farms the network has afterwards. */
export interface VrackNetworkFarmIds {
  farmId: number[];
}

/** `ipLoadbalancing.VrackNetworkCreationRules` (`GET .../vrack/networkCreationRules`). */
export interface VrackNetworkCreationRules {
  /** The fewest addresses a network's natIp block may hold. */
  minNatIps: number;
  remainingNetworks: number;
  vrackName: string;
}

export type VrackStateEnum = "activating" | "active" | "deactivating" | "inactive";

/** `ipLoadbalancing.VrackInformation` (`GET .../vrack/status`). */
export interface VrackInformation {
  state: VrackStateEnum;
  /** Tasks of an attachment or detachment in progress. */
  task: number[];
  vrackName: string | null;
}

// Request and response shapes of the `/ip` API (official schema /1.0/ip.json), used to route failover
// IPs to an IPLB. Re-exported by wire.ts; same conventions (nullable fields present with null).
import type { IamResourceMetadata } from "./wire";

export type IpTypeEnum =
  | "cdn" | "cloud" | "dedicated" | "failover" | "hosted_ssl" | "housing" | "loadBalancing" | "mail"
  | "overthebox" | "pcc" | "pci" | "private" | "vpn" | "vps" | "vrack" | "xdsl";

/** `ip.RoutedTo`: serviceName is null (or the whole object null) when the IP is parked. */
export interface RoutedTo {
  serviceName: string | null;
}

/** `ip.Ip` / `ip.IpWithIAM`: only `description` is writable. */
export interface Ip {
  ip: string;
  type: IpTypeEnum;
  routedTo: RoutedTo | null;
  description: string | null;
  canBeTerminated: boolean;
  country: string | null;
  organisationId: string | null;
  campus: string | null;
  regions: string[] | null;
  rir: string | null;
  isAdditionalIp: boolean;
  bringYourOwnIp: boolean;
  version: 4 | 6;
  iam?: IamResourceMetadata | null;
}

/** POST `/ip/{ip}/move` body: `to` is the destination serviceName. */
export interface IpMoveBody {
  to: string;
  nexthop?: string;
}

/** `ip.Destination` and `ip.Destinations` (GET `/ip/{ip}/move`, BETA). */
export interface Destination {
  service: string;
  nexthop: string[] | null;
}
export interface Destinations {
  cloudProject?: Destination[] | null;
  dedicatedCloud?: Destination[] | null;
  dedicatedServer?: Destination[] | null;
  hostingReseller?: Destination[] | null;
  ipLoadbalancing?: Destination[] | null;
  vps?: Destination[] | null;
}

export type IpTaskFunctionEnum =
  | "arinBlockReassign" | "changeRipeOrg" | "checkAndReleaseIp" | "genericMoveFloatingIp"
  | "supernetByoipFailoverPartitioning";
/** `done` is success; `cancelled`, `customerError` and `ovhError` are failures. */
export type IpTaskStatusEnum = "cancelled" | "customerError" | "doing" | "done" | "init" | "ovhError" | "todo";

/** `ip.IpTask` (all read-only). */
export interface IpTask {
  taskId: number;
  function: IpTaskFunctionEnum;
  status: IpTaskStatusEnum;
  startDate: string;
  doneDate: string | null;
  lastUpdate: string | null;
  comment: string | null;
  destination: RoutedTo | null;
}

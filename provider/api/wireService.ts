// The load balancer itself (`GET /ipLoadbalancing/{serviceName}`, `.../status`), from the official schema, as wire.ts.
import type { StatusComponentStatus, StatusEnum } from "./wire";

/** `ipLoadbalancing.status.Component`. */
export interface StatusComponent {
  total: number;
  status: StatusComponentStatus;
}
/** `ipLoadbalancing.Status`. */
export interface Status {
  farms: StatusComponent;
  frontends: StatusComponent;
  servers: StatusComponent;
  service: { status: StatusEnum };
}

/** `iam.ResourceMetadata`. */
export interface IamResourceMetadata {
  id: string;
  urn: string;
  displayName?: string | null;
  tags?: Record<string, string> | null;
}

export type IpStateEnum = "blacklisted" | "deleted" | "free" | "ok" | "quarantined" | "suspended";
export type SslConfigurationEnum = "intermediate" | "modern";

/**
 * The IPLB service, `ipLoadbalancing.Ip` / `ipLoadbalancing.IpWithIAM`. Renamed so that it does not
 * clash with `ip.Ip` below. Only `displayName` (max 50 chars) and `sslConfiguration` are writable.
 */
export interface IpLoadbalancing {
  serviceName: string;
  ipLoadbalancing: string;
  ipv4: string | null;
  ipv6: string | null;
  displayName: string | null;
  sslConfiguration: SslConfigurationEnum | null;
  state: IpStateEnum;
  zone: string[];
  offer: string;
  orderableZone: { name: string; planCode: string }[];
  vrackEligibility: boolean;
  vrackName: string | null;
  metricsToken: string | null;
  iam?: IamResourceMetadata | null;
}

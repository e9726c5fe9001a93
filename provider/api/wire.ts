// Request and response shapes of the OVHcloud v1 API, written from the official schemas
// (/1.0/ipLoadbalancing.json and /1.0/ip.json). Names follow the schema's last segment
// (`ipLoadbalancing.backendHttp.BackendHttp` -> `BackendHttp`); the only renames are noted inline.
// Conventions of the API that these types encode (shared note ovh-iplb-api.md, section 3):
// - a field marked nullable in the schema is always present in responses, with JSON null;
// - `long` is a JSON integer, `ipv4` "1.2.3.4", `ipBlock` "1.2.3.4/32", `datetime` ISO-8601 with offset;
// - PUT takes the object model but clients send only the fields they change; POST returns the full object.
// Enum unions keep the schema's `internal` members because the API may report them; the models
// decide which values users may send. The `/ip` API (ip.json) is in wireIp.ts, the service itself in
// wireService.ts, both re-exported here.

export * from "./wireIp";
export * from "./wireService";

/** Path segment of a farm, server or frontend family (`/ipLoadbalancing/{serviceName}/<type>/farm`). */
export type FarmType = "http" | "tcp" | "udp";

export type BalanceHTTPEnum = "first" | "leastconn" | "roundrobin" | "source" | "uri";
export type BalanceTCPEnum = "first" | "leastconn" | "roundrobin" | "source";
export type StickinessHTTPEnum = "cookie" | "sourceIp";
export type StickinessTCPEnum = "sourceIp";
export type ProbeTypeEnum = "http" | "internal" | "mysql" | "oco" | "pgsql" | "smtp" | "tcp";
export type ProbeMethodEnum = "GET" | "HEAD" | "OPTIONS" | "internal";
export type ProbeExpectMatchEnum = "contains" | "default" | "internal" | "matches" | "status";
export type BackendCustomerServerStatusEnum = "active" | "inactive";
export type ProxyProtocolVersionEnum = "v1" | "v2" | "v2-ssl" | "v2-ssl-cn";
export type OnMarkedDownEnum = "shutdown-sessions";

/** `ipLoadbalancing.BackendProbe`: every field nullable; null means the API default. */
export interface BackendProbe {
  type: ProbeTypeEnum | null;
  port: number | null;
  interval: number | null;
  method: ProbeMethodEnum | null;
  url: string | null;
  match: ProbeExpectMatchEnum | null;
  pattern: string | null;
  negate: boolean | null;
  forceSsl: boolean | null;
}

/** `ipLoadbalancing.backendHttp.BackendHttp` (farmId and zone read-only). */
export interface BackendHttp {
  farmId: number;
  zone: string;
  port: number | null;
  displayName: string | null;
  balance: BalanceHTTPEnum | null;
  stickiness: StickinessHTTPEnum | null;
  probe: BackendProbe | null;
  vrackNetworkId: number | null;
}

/** `ipLoadbalancing.backendTcp.BackendTcp`. */
export interface BackendTcp {
  farmId: number;
  zone: string;
  port: number | null;
  displayName: string | null;
  balance: BalanceTCPEnum | null;
  stickiness: StickinessTCPEnum | null;
  probe: BackendProbe | null;
  vrackNetworkId: number | null;
}

/** `ipLoadbalancing.backendUdp.BackendUdp` (BETA): port is not nullable and required on create. */
export interface BackendUdp {
  farmId: number;
  zone: string;
  port: number;
  displayName: string | null;
  vrackNetworkId: number | null;
}

export interface BackendByType {
  http: BackendHttp;
  tcp: BackendTcp;
  udp: BackendUdp;
}
export type Backend = BackendHttp | BackendTcp | BackendUdp;

/**
 * An object as an answer may carry it: the ids always, any other field possibly left out (an older API version, a
 * field added since). The models read answers through this, filling in null.
 */
export type Answer<T, Ids extends keyof T> = Pick<T, Ids> & Partial<T>;

/** POST body of a farm: `zone` required (and `port` for UDP); farmId is assigned by the API. */
export type BackendCreate<T extends FarmType> = Partial<Omit<BackendByType[T], "farmId">> & { zone: string };
/** PUT body of a farm: any subset of the writable fields; null clears a nullable field. */
export type BackendUpdate<T extends FarmType> = Partial<Omit<BackendByType[T], "farmId" | "zone">>;

/** `ipLoadbalancing.ServerState`: health of one server as seen by one LB instance. */
export interface ServerState {
  instanceId: number;
  status: string | null;
  checkStatus: string | null;
  checkCode: string | null;
  checkTime: string | null;
  lastCheckContent: string | null;
}

/** `ipLoadbalancing.backendUdpCustomerServer.BackendUDPServer` (BETA). */
export interface BackendUDPServer {
  serverId: number;
  backendId: number;
  address: string;
  status: BackendCustomerServerStatusEnum;
  port: number | null;
  displayName: string | null;
}

/** `ipLoadbalancing.backendTcpCustomerServer.BackendTCPServer` (address, backendId, serverId, serverState read-only). */
export interface BackendTCPServer extends BackendUDPServer {
  weight: number | null;
  backup: boolean;
  probe: boolean;
  ssl: boolean;
  chain: string | null;
  proxyProtocolVersion: ProxyProtocolVersionEnum | null;
  onMarkedDown: OnMarkedDownEnum | null;
  serverState: ServerState[];
}

/** `ipLoadbalancing.backendHttpCustomerServer.BackendHTTPServer`: the TCP server plus `cookie`. */
export interface BackendHTTPServer extends BackendTCPServer {
  cookie: string | null;
}

export interface BackendServerByType {
  http: BackendHTTPServer;
  tcp: BackendTCPServer;
  udp: BackendUDPServer;
}
export type BackendServer = BackendHTTPServer | BackendTCPServer | BackendUDPServer;

type ServerReadOnly = "serverId" | "backendId" | "serverState";
/** POST body of a server: `address` and `status` required. */
export type BackendServerCreate<T extends FarmType> = Partial<Omit<BackendServerByType[T], ServerReadOnly>> & {
  address: string;
  status: BackendCustomerServerStatusEnum;
};
/** PUT body of a server: any subset of the writable fields (address is read-only). */
export type BackendServerUpdate<T extends FarmType> = Partial<Omit<BackendServerByType[T], ServerReadOnly | "address">>;

export type TaskActionEnum =
  | "deleteIplb" | "deployIplb" | "install" | "installIplb" | "installZone" | "orderFreeCertificate"
  | "orderPaidCertificate" | "orderSsl" | "refreshIplb" | "releaseIplb" | "releaseIplbZone" | "reopenIplb"
  | "suspendIplb" | "suspendZone" | "switchToIplbNextGenerationApi" | "vrackAttach" | "vrackDetach";
export type TaskStatusEnum = "blocked" | "cancelled" | "doing" | "done" | "error" | "todo";

/** `ipLoadbalancing.Task.Task` (all read-only). */
export interface Task {
  id: number;
  action: TaskActionEnum;
  status: TaskStatusEnum;
  progress: number;
  zones: string[];
  creationDate: string;
  doneDate: string | null;
}

/** POST `.../refresh` body: without `zone` the API applies every zone. */
export interface RefreshBody {
  zone?: string;
}

/** `ipLoadbalancing.PendingChanges`: zones without pending changes are absent from the list. */
export interface PendingChanges {
  zone: string;
  number: number;
}

/** `ipLoadbalancing.NatIps`: source subnets the LB uses towards the servers of a zone. */
export interface NatIps {
  zone: string;
  ip: string[];
}

/** `ipLoadbalancing.InstancesState` (DEPRECATED path, still served). `state` is a free string. */
export interface InstancesState {
  internalId: number;
  zone: string;
  state: string;
  lastUpdateDate: string;
}

/** `ipLoadbalancing.Zone.Zone`. */
export interface Zone {
  name: string;
  state: string;
}

export type StatusEnum = "error" | "ok" | "unknown" | "warn";
/** `ipLoadbalancing.status.ComponentStatus`: counts per status. */
export interface StatusComponentStatus {
  ok: number;
  warn: number;
  error: number;
  unknown: number;
}
export type SslTypeEnum = "built" | "built_not_routed" | "custom";
/** `ipLoadbalancing.Ssl.Ssl`: the PEM material is write-only, so it never appears here. */
export interface Ssl {
  id: number;
  type: SslTypeEnum | null;
  displayName: string | null;
  subject: string;
  san: string[];
  serial: string;
  fingerprint: string;
  expireDate: string;
}
/** POST `.../ssl` body. */
export interface SslCreate {
  certificate: string;
  key: string;
  chain?: string;
  displayName?: string;
}
/** POST `.../freeCertificate` body: answered with a Task (`orderFreeCertificate`). */
export interface FreeCertificateBody {
  fqdn: string[];
}

/** Fields every frontend family shares (`ipLoadbalancing.frontendUdp.FrontendUdp`). */
export interface FrontendUdp {
  frontendId: number;
  zone: string;
  /** "80", "8000-8010" or "80,443,8000-8010". */
  port: string;
  defaultFarmId: number | null;
  displayName: string | null;
  disabled: boolean;
  dedicatedIpfo: string[] | null;
}
/** `ipLoadbalancing.frontendTcp.FrontendTcp`. */
export interface FrontendTcp extends FrontendUdp {
  ssl: boolean;
  defaultSslId: number | null;
  allowedSource: string[] | null;
  deniedSource: string[] | null;
  vrackNetworkId: number | null;
  vrackVrouterId: number | null;
}
/** `ipLoadbalancing.frontendHttp.FrontendHttp`. */
export interface FrontendHttp extends FrontendTcp {
  hsts: boolean;
  httpHeader: string[] | null;
  redirectLocation: string | null;
}
export interface FrontendByType {
  http: FrontendHttp;
  tcp: FrontendTcp;
  udp: FrontendUdp;
}
type FrontendReadOnly = "frontendId" | "vrackNetworkId" | "vrackVrouterId";
export type FrontendCreate<T extends FarmType> = Partial<Omit<FrontendByType[T], FrontendReadOnly>> & {
  zone: string;
  port: string;
};
export type FrontendUpdate<T extends FarmType> = Partial<Omit<FrontendByType[T], FrontendReadOnly>>;

// Routes and their rules: wireRoutes.ts.
export * from "./wireRoutes";
export * from "./wireVrack";

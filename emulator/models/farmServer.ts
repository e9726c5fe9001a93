/**
 * Farm server models per protocol (`ipLoadbalancing.backendHttpCustomerServer.BackendHTTPServer`, `...Tcp...`,
 * `...Udp...`), ovh-iplb-api.md 6.2. `address` is read-only but required by POST; `serverState` is computed by the
 * health view on every read and never stored. UDP servers only have address, status, port and displayName.
 */
import { createHash } from "crypto";
import type { Protocol } from "../store";
import type { ModelSpec } from "../validate";
import { ModelTable, PORT_MAX, PORT_MIN } from "./spec";

export const SERVER_STATUSES = ["active", "inactive"] as const;
export const PROXY_PROTOCOL_VERSIONS = ["v1", "v2", "v2-ssl", "v2-ssl-cn"] as const;
export const ON_MARKED_DOWN = ["shutdown-sessions"] as const;

export const SERVER_STATE_SCHEMA_MODEL = "ipLoadbalancing.ServerState";
export const SERVER_STATE_SPEC: ModelSpec = {
  checkCode: { type: "string", nullable: true },
  checkStatus: { type: "string", nullable: true },
  checkTime: { type: "string", nullable: true },
  instanceId: { type: "integer" },
  lastCheckContent: { type: "string", nullable: true },
  status: { type: "string", nullable: true },
};

/** Fields every protocol has. */
const base: ModelSpec = {
  address: { type: "ipv4", readOnly: true, required: true },
  backendId: { type: "integer", readOnly: true },
  displayName: { type: "string", nullable: true },
  port: { type: "integer", nullable: true, min: PORT_MIN, max: PORT_MAX },
  serverId: { type: "integer", readOnly: true },
  status: { type: "string", required: true, enum: SERVER_STATUSES, enumName: "ipLoadbalancing.BackendCustomerServerStatusEnum" },
};

/** Fields HTTP and TCP servers add. */
const balanced: ModelSpec = {
  ...base,
  backup: { type: "boolean" },
  chain: { type: "string", nullable: true },
  onMarkedDown: { type: "string", nullable: true, enum: ON_MARKED_DOWN, enumName: "ipLoadbalancing.OnMarkedDownEnum" },
  probe: { type: "boolean" },
  proxyProtocolVersion: { type: "string", nullable: true, enum: PROXY_PROTOCOL_VERSIONS, enumName: "ipLoadbalancing.ProxyProtocolVersionEnum" },
  serverState: { type: "object[]", readOnly: true, fields: SERVER_STATE_SPEC },
  ssl: { type: "boolean" },
  // "Defaults to 1. 0 if not used in load balancing": 0 is a real value, kept as 0.
  weight: { type: "integer", nullable: true, min: 0, max: 256 },
};

const booleanDefaults = { backup: false, probe: false, ssl: false };

export const SERVER_MODELS: Record<Protocol, ModelTable> = {
  http: {
    schemaModel: "ipLoadbalancing.backendHttpCustomerServer.BackendHTTPServer",
    spec: { ...balanced, cookie: { type: "string", nullable: true } },
    createOnly: ["address"],
    defaults: booleanDefaults,
  },
  tcp: {
    schemaModel: "ipLoadbalancing.backendTcpCustomerServer.BackendTCPServer",
    spec: balanced,
    createOnly: ["address"],
    defaults: booleanDefaults,
  },
  udp: {
    schemaModel: "ipLoadbalancing.backendUdpCustomerServer.BackendUDPServer",
    spec: base,
    createOnly: ["address"],
    defaults: {},
  },
};

/** Fields computed on each read, never stored. */
export const SERVER_COMPUTED = ["serverState"] as const;

const statusFilter = { enum: SERVER_STATUSES, enumName: "ipLoadbalancing.BackendCustomerServerStatusEnum" };

/** List filters of `GET .../farm/{farmId}/server`: HTTP adds `cookie` (like). */
export const SERVER_FILTERS = {
  http: { address: "ipv4", cookie: "string", status: statusFilter },
  tcp: { address: "ipv4", status: statusFilter },
  udp: { address: "ipv4", status: statusFilter },
} as const;

/**
 * The cookie value the API sets on a server of a `cookie`-stickiness farm when none is given: HAProxy needs one
 * per server for cookie persistence. Derived from the ids so runs are reproducible; 16 hex characters.
 */
export function generatedCookie(serviceName: string, farmId: number, serverId: number): string {
  return createHash("sha1").update(`${serviceName}/${farmId}/${serverId}`).digest("hex").slice(0, 16);
}

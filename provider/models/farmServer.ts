// Servers of HTTP, TCP and UDP farms in one model, driven by SERVER_CAPABILITIES.
//
// Semantics of the inputs (same rules as farms, see farm.ts):
// - Declarative for every writable field: absent or null means the API default, so a field set
//   before and absent now is sent as null on update (booleans backup/probe/ssl: false).
// - Effective values are compared: weight null is 1 (schema), so weight 0 is a real value that
//   takes the server out of balancing and is never treated as "unset".
// - Exception: `cookie` (HTTP) absent or null means "not managed": OVH generates one when cookie
//   stickiness needs it, so holding "no cookie" would diff forever. It diffs only when set.
// - `serverState` is health reported by the LB instances: an output only, it never diffs.
// - `address` (read-only in the schema), `farmId` and `serviceName` (both in the path) replace the
//   server. The farm type is part of the resource type, so the engine replaces on a type change.
// - `adoptServerId` takes over an existing server on create; it never diffs.
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { IplbError } from "../api/errors";
import * as fields from "./fields";
import * as farm from "./farm";
import type { Checked, ObjectModel } from "./model";
import { parseResourceId } from "./resourceId";

type FarmType = wire.FarmType;
type Obj = Readonly<Record<string, unknown>>;

export const SERVER_STATUSES = ["active", "inactive"] as const satisfies readonly wire.BackendCustomerServerStatusEnum[];
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export const PROXY_PROTOCOL_VERSIONS = ["v1", "v2", "v2-ssl", "v2-ssl-cn"] as const satisfies readonly wire.ProxyProtocolVersionEnum[];
export type ProxyProtocolVersion = (typeof PROXY_PROTOCOL_VERSIONS)[number];
export const ON_MARKED_DOWN_ACTIONS = ["shutdown-sessions"] as const satisfies readonly wire.OnMarkedDownEnum[];
export type OnMarkedDownAction = (typeof ON_MARKED_DOWN_ACTIONS)[number];

/** API default of `weight` (schema: null/omitted = 1); 0..256, where 0 excludes the server from balancing. */
export const DEFAULT_WEIGHT = 1;
export const MAX_WEIGHT = 256;

const UDP_FIELDS = ["status", "port", "displayName"] as const;
const TCP_FIELDS = [...UDP_FIELDS, "weight", "backup", "probe", "ssl", "chain", "proxyProtocolVersion", "onMarkedDown"] as const;
const HTTP_FIELDS = [...TCP_FIELDS, "cookie"] as const;
export type ServerField = (typeof HTTP_FIELDS)[number];

/** Writable fields per farm type besides `address` (create only). UDP servers (BETA) have the fewest. */
export interface ServerCapabilities {
  label: string;
  fields: readonly ServerField[];
}

export const SERVER_CAPABILITIES: Readonly<Record<FarmType, ServerCapabilities>> = {
  http: { label: "HTTP", fields: HTTP_FIELDS },
  tcp: { label: "TCP", fields: TCP_FIELDS },
  udp: { label: "UDP", fields: UDP_FIELDS },
};

/** Inputs of a farm server resource, as check() returns them. */
export type FarmServerInputs = {
  serviceName: string;
  farmId: number;
  address: string;
  status: ServerStatus;
  port?: number | null;
  displayName?: string | null;
  weight?: number | null;
  backup?: boolean;
  probe?: boolean;
  ssl?: boolean;
  chain?: string | null;
  cookie?: string | null;
  proxyProtocolVersion?: ProxyProtocolVersion | null;
  onMarkedDown?: OnMarkedDownAction | null;
  adoptServerId?: number;
  __provider?: string;
};

/** Outputs of a farm server: the fields of its type as the API reports them, plus ids and health. */
export type FarmServerOutputs = {
  serverId: number;
  farmId: number;
  serviceName: string;
  address: string;
  status: ServerStatus;
  port: number | null;
  displayName: string | null;
  weight?: number | null;
  backup?: boolean | null;
  probe?: boolean | null;
  ssl?: boolean | null;
  chain?: string | null;
  cookie?: string | null;
  proxyProtocolVersion?: ProxyProtocolVersion | null;
  onMarkedDown?: OnMarkedDownAction | null;
  serverState: wire.ServerState[];
  /** The farm's zone: not in the API's server object, so the provider reads it from the farm (or the state). */
  zone?: string | null;
};

const FIELD_RULES: Readonly<Record<ServerField, fields.FieldRule>> = {
  status: { check: fields.enumOf(SERVER_STATUSES), required: true },
  port: { check: fields.port, nullable: true },
  displayName: { check: fields.text, nullable: true },
  weight: { check: fields.intRange(0, MAX_WEIGHT), nullable: true },
  backup: { check: fields.bool },
  probe: { check: fields.bool },
  ssl: { check: fields.bool },
  chain: { check: fields.str(), nullable: true },
  cookie: { check: fields.text, nullable: true },
  proxyProtocolVersion: { check: fields.enumOf(PROXY_PROTOCOL_VERSIONS), nullable: true },
  onMarkedDown: { check: fields.enumOf(ON_MARKED_DOWN_ACTIONS), nullable: true },
};

const FIELD_DIFF: Readonly<Record<ServerField, fields.FieldSpec>> = {
  status: { change: "update" },
  port: { change: "update" },
  displayName: { change: "update", effective: fields.emptyAsNull },
  weight: { change: "update", effective: (v) => v ?? DEFAULT_WEIGHT },
  backup: { change: "update", cleared: false },
  probe: { change: "update", cleared: false },
  ssl: { change: "update", cleared: false },
  // A PEM chain read back with or without its final newline is the same chain.
  chain: { change: "update", effective: (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null) },
  cookie: { change: "update", unmanagedWhenAbsent: true },
  proxyProtocolVersion: { change: "update" },
  onMarkedDown: { change: "update" },
};

function capabilities(type: FarmType): ServerCapabilities {
  const caps = SERVER_CAPABILITIES[type];
  if (!caps) throw new IplbError(`unknown farm type ${JSON.stringify(type)} (expected one of ${farm.FARM_TYPES.join(", ")})`);
  return caps;
}

function pick<T>(table: Readonly<Record<ServerField, T>>, names: readonly ServerField[]): Record<string, T> {
  return Object.fromEntries(names.map((name) => [name, table[name]]));
}

function serverRules(caps: ServerCapabilities): fields.RuleTable {
  return {
    serviceName: { check: fields.serviceName, required: true },
    farmId: { check: fields.intRange(1), required: true },
    address: { check: fields.hostAddress, required: true },
    ...pick(FIELD_RULES, caps.fields),
    adoptServerId: { check: fields.intRange(1), nullable: true },
  };
}

function unsupported(caps: ServerCapabilities): Record<string, string> {
  const missing = HTTP_FIELDS.filter((name) => !caps.fields.includes(name));
  return Object.fromEntries(missing.map((name) => [name, `${caps.label} farm servers have no ${name}`]));
}

/** Validates the inputs of a farm server; every failure is reported, none is thrown. Adds no defaults. */
export function checkFarmServer(type: FarmType, news: Record<string, unknown>): Checked<FarmServerInputs> {
  const caps = capabilities(type);
  const failures = fields.checkFields(news, serverRules(caps), { unsupported: unsupported(caps), passThrough: ["__provider"] });
  return { inputs: { ...news } as FarmServerInputs, failures };
}

function serverTable(caps: ServerCapabilities): fields.FieldTable {
  return {
    serviceName: { change: "replace" },
    farmId: { change: "replace" },
    address: { change: "replace" },
    ...pick(FIELD_DIFF, caps.fields),
    adoptServerId: { change: "ignore" },
  };
}

/**
 * Desired inputs against the server as the API reports it now (`farmServerOutputs` of a fresh GET),
 * or undefined when the server is gone: then it is replaced, which re-creates it.
 */
export function diffFarmServer(type: FarmType, desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("serverId");
  return fields.diffFields(serverTable(capabilities(type)), desired, live);
}

/** POST body: address and status plus the optional fields that are set (weight 0 and false included). */
export function farmServerCreateBody<T extends FarmType>(type: T, inputs: Obj): wire.BackendServerCreate<T> {
  const caps = capabilities(type);
  return fields.createBody(serverTable(caps), ["address", ...caps.fields], inputs) as wire.BackendServerCreate<T>;
}

/** PUT body: only the changed fields, null (false for booleans) for cleared ones; {} = nothing to send. */
export function farmServerUpdateBody<T extends FarmType>(type: T, desired: Obj, live: Obj): wire.BackendServerUpdate<T> {
  return fields.updateBody(serverTable(capabilities(type)), desired, live) as wire.BackendServerUpdate<T>;
}

/** The server as outputs: `farmId` comes from the API's `backendId`; serverState is [] when absent. */
export function farmServerOutputs(type: FarmType, serviceName: string, server: wire.Answer<wire.BackendHTTPServer, "serverId" | "backendId" | "address" | "status"> | wire.Answer<wire.BackendUDPServer, "serverId" | "backendId" | "address" | "status">): FarmServerOutputs {
  const caps = capabilities(type);
  const api = server as Obj;
  const out: Record<string, unknown> = {
    serverId: api.serverId,
    farmId: api.backendId,
    serviceName,
    address: api.address,
  };
  for (const name of caps.fields) out[name] = api[name] ?? null;
  out.serverState = Array.isArray(api.serverState) ? api.serverState : [];
  return out as FarmServerOutputs;
}

/** The Pulumi id of a server, also its import id: `serviceName/farmId/serverId`. */
export function farmServerResourceId(serviceName: string, farmId: number, serverId: number): string {
  return `${serviceName}/${farmId}/${serverId}`;
}

/** Parses `serviceName/farmId/serverId`; throws an IplbError naming the expected format otherwise. */
export function parseFarmServerResourceId(id: string): { serviceName: string; farmId: number; serverId: number } {
  const ids = parseResourceId(id, 2);
  if (!ids) {
    throw new IplbError(`invalid farm server id ${JSON.stringify(id)}: expected <serviceName>/<farmId>/<serverId>, e.g. loadbalancer-abc/12/3`);
  }
  return { serviceName: ids.serviceName, farmId: ids.numbers[0], serverId: ids.numbers[1] };
}

export const SERVER_CLASS_NAMES: Readonly<Record<FarmType, string>> = { http: "HttpFarmServer", tcp: "TcpFarmServer", udp: "UdpFarmServer" };

export type FarmServerKey = { serviceName: string; farmId: number; serverId: number };

/** The server family of one farm protocol, with the verbs every object model has (model.ts). */
export function farmServerModel(type: FarmType): ObjectModel<FarmServerInputs, FarmServerOutputs, wire.BackendServer, FarmServerKey> {
  const { label } = capabilities(type);
  return {
    name: SERVER_CLASS_NAMES[type],
    check: (news) => checkFarmServer(type, news),
    diff: (desired, live) => diffFarmServer(type, desired, live),
    toCreate: (inputs) => farmServerCreateBody(type, inputs),
    toUpdate: (desired, live) => farmServerUpdateBody(type, desired, live),
    fromApi: (serviceName, object) => farmServerOutputs(type, serviceName, object),
    id: (key) => farmServerResourceId(key.serviceName, key.farmId, key.serverId),
    parseId: parseFarmServerResourceId,
    collection: (inputs) => paths.servers(inputs.serviceName, type, inputs.farmId),
    path: (key) => paths.server(key.serviceName, type, key.farmId, key.serverId),
    keyFor: (inputs, serverId) => ({ serviceName: inputs.serviceName, farmId: inputs.farmId, serverId }),
    describe: (key) => `server ${key.serverId} in ${label} farm ${key.farmId} on ${key.serviceName}`,
    adoptField: "adoptServerId",
    // A server an interrupted deployment made (same address and port, nothing to change) is taken over.
    naturalKey: "server",
    listQuery: (inputs) => ({ address: inputs.address }),
    // Unknown zone (a state written without it): every zone.
    zones: (outs) => (typeof outs.zone === "string" ? [outs.zone] : ["all"]),
  };
}

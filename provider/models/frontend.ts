// HTTP, TCP and UDP frontends in one model, driven by FRONTEND_CAPABILITIES (ovh-iplb-api.md 9, and the schema's
// `ipLoadbalancing.frontend{Http,Tcp,Udp}` models).
//
// Semantics of the inputs (same rules as farms, see farm.ts, with these differences):
// - `zone` is writable on frontends (schema), so a zone change is an update, not a replacement. Only `serviceName`
//   (part of the path) replaces; the protocol is the resource type, which the engine replaces by itself.
// - `port` accepts a number, the API's string or a list, and check() returns the API's string (portList.ts). The
//   diff compares the set of ports, so "443,80" and "80,443" are the same.
// - `dedicatedIpfo`, `allowedSource`, `deniedSource` are sets of IPv4 blocks (ipBlocks.ts): order and bare vs /32
//   never diff, [] is null, and check() writes bare addresses as /32.
// - `httpHeader` is compared in order: the headers are added in that order, and two values of one header reach the
//   servers in that order. An empty list is the same as none.
// - Absent or null clears: nullable fields are sent as null, booleans (`disabled`, `ssl`, `hsts`) as false.
// - `defaultFarmId` must name a farm of the same protocol whose zone covers the frontend's; only the API knows the
//   farms, so check() validates the id's shape and the provider explains a refusal (providers/frontend.ts).
// - `adoptFrontendId` takes over an existing frontend on create; it never diffs.
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { IplbError } from "../api/errors";
import * as farm from "./farm";
import * as fields from "./fields";
import * as ipBlocks from "./ipBlocks";
import type { Checked, ObjectModel } from "./model";
import * as portList from "./portList";
import { parseResourceId } from "./resourceId";

type FrontendType = wire.FarmType;
type Obj = Readonly<Record<string, unknown>>;

const UDP_FIELDS = ["zone", "port", "defaultFarmId", "displayName", "disabled", "dedicatedIpfo"] as const;
const TCP_FIELDS = [...UDP_FIELDS, "ssl", "defaultSslId", "allowedSource", "deniedSource"] as const;
const HTTP_FIELDS = [...TCP_FIELDS, "hsts", "httpHeader", "redirectLocation"] as const;
export type FrontendField = (typeof HTTP_FIELDS)[number];

/** Read-only outputs of HTTP and TCP frontends (vRack); never sent, never compared. */
export const VRACK_OUTPUTS = ["vrackNetworkId", "vrackVrouterId"] as const;

/** Writable fields per protocol. UDP frontends (BETA) have no TLS, no source lists and no HTTP options. */
export interface FrontendCapabilities {
  label: string;
  fields: readonly FrontendField[];
  vrack: boolean;
}

export const FRONTEND_CAPABILITIES: Readonly<Record<FrontendType, FrontendCapabilities>> = {
  http: { label: "HTTP", fields: HTTP_FIELDS, vrack: true },
  tcp: { label: "TCP", fields: TCP_FIELDS, vrack: true },
  udp: { label: "UDP", fields: UDP_FIELDS, vrack: false },
};

/** Inputs of a frontend resource, as check() returns them (`port` and the block lists normalised). */
export type FrontendInputs = {
  serviceName: string;
  zone: string;
  port: string;
  defaultFarmId?: number | null;
  displayName?: string | null;
  disabled?: boolean;
  dedicatedIpfo?: string[] | null;
  ssl?: boolean;
  defaultSslId?: number | null;
  allowedSource?: string[] | null;
  deniedSource?: string[] | null;
  hsts?: boolean;
  httpHeader?: string[] | null;
  redirectLocation?: string | null;
  adoptFrontendId?: number;
  __provider?: string;
};

/** Outputs: the fields of the protocol as the API reports them, plus ids (and vRack ids for HTTP/TCP). */
export type FrontendOutputs = Omit<FrontendInputs, "adoptFrontendId" | "__provider"> & {
  frontendId: number;
  vrackNetworkId?: number | null;
  vrackVrouterId?: number | null;
};

const headerList: fields.Checker = (property, value) => {
  if (!Array.isArray(value)) return [fields.failure(property, `${fields.formatValue(value)} is not a list of strings`)];
  return value.flatMap((h) => {
    if (typeof h !== "string" || h.trim() === "") return [fields.failure(property, `${fields.formatValue(h)} is not a header line such as "X-Client-IP %ci"`)];
    return fields.text(property, h);
  });
};

/** Where HTTP is redirected: an http:// or https:// URL, one line (`javascript:` or a CR/LF would end in a response). */
const redirectCheck: fields.Checker = (property, value) => {
  const line = fields.str({ nonEmpty: true, singleLine: true, maxLength: 2048 })(property, value);
  if (line.length > 0) return line;
  return /^https?:\/\/[^\s/]/i.test(value as string) ? [] : [fields.failure(property, `${fields.formatValue(value)} is not an http:// or https:// URL`)];
};

const FIELD_RULES: Readonly<Record<FrontendField, fields.FieldRule>> = {
  zone: { check: fields.zone, required: true },
  port: { check: portList.checkPorts, required: true },
  defaultFarmId: { check: fields.intRange(1), nullable: true },
  displayName: { check: fields.text, nullable: true },
  disabled: { check: fields.bool },
  dedicatedIpfo: { check: ipBlocks.checkBlockList, nullable: true },
  ssl: { check: fields.bool },
  defaultSslId: { check: fields.intRange(1), nullable: true },
  allowedSource: { check: ipBlocks.checkBlockList, nullable: true },
  deniedSource: { check: ipBlocks.checkBlockList, nullable: true },
  hsts: { check: fields.bool },
  httpHeader: { check: headerList, nullable: true },
  redirectLocation: { check: redirectCheck, nullable: true },
};

const blockSet: Omit<fields.FieldSpec, "change"> = { effective: ipBlocks.effectiveBlockList, wire: ipBlocks.blockListBody };

const FIELD_DIFF: Readonly<Record<FrontendField, fields.FieldSpec>> = {
  zone: { change: "update" },
  port: { change: "update", effective: portList.canonicalPorts, wire: portList.portString },
  defaultFarmId: { change: "update" },
  displayName: { change: "update", effective: fields.emptyAsNull },
  disabled: { change: "update", cleared: false },
  dedicatedIpfo: { change: "update", ...blockSet },
  ssl: { change: "update", cleared: false },
  defaultSslId: { change: "update" },
  allowedSource: { change: "update", ...blockSet },
  deniedSource: { change: "update", ...blockSet },
  hsts: { change: "update", cleared: false },
  httpHeader: { change: "update", effective: (v) => (Array.isArray(v) && v.length > 0 ? v : null), wire: (v) => (Array.isArray(v) && v.length > 0 ? v : null) },
  redirectLocation: { change: "update", effective: fields.emptyAsNull },
};

function capabilities(type: FrontendType): FrontendCapabilities {
  const caps = FRONTEND_CAPABILITIES[type];
  if (!caps) throw new IplbError(`unknown frontend type ${JSON.stringify(type)} (expected one of ${farm.FARM_TYPES.join(", ")})`);
  return caps;
}

function pick<T>(table: Readonly<Record<FrontendField, T>>, names: readonly FrontendField[]): Record<string, T> {
  return Object.fromEntries(names.map((name) => [name, table[name]]));
}

function frontendRules(caps: FrontendCapabilities): fields.RuleTable {
  return {
    serviceName: { check: fields.serviceName, required: true },
    ...pick(FIELD_RULES, caps.fields),
    adoptFrontendId: { check: fields.intRange(1), nullable: true },
  };
}

function unsupported(caps: FrontendCapabilities): Record<string, string> {
  const missing = HTTP_FIELDS.filter((name) => !caps.fields.includes(name));
  return Object.fromEntries(missing.map((name) => [name, `${caps.label} frontends have no ${name}`]));
}

// The schema: "You cannot specify allowedSource and deniedSource both at the same time"; the API answers 400.
function sourceFailures(news: Obj): fields.CheckFailure[] {
  if (!ipBlocks.isSetList(news.allowedSource) || !ipBlocks.isSetList(news.deniedSource)) return [];
  if (fields.containsUnknown(news.allowedSource) || fields.containsUnknown(news.deniedSource)) return [];
  return [fields.failure("deniedSource", "cannot be set together with allowedSource (the API takes one or the other); remove one of them")];
}

/** The inputs with `port` as the API's string and bare addresses as /32; values unknown in preview are left alone. */
function normalized(caps: FrontendCapabilities, news: Obj, failures: readonly fields.CheckFailure[]): Record<string, unknown> {
  const bad = new Set(failures.map((f) => f.property));
  const out: Record<string, unknown> = { ...news };
  const usable = (name: string) => !bad.has(name) && !fields.isNil(news[name]) && !fields.containsUnknown(news[name]);
  if (usable("port")) out.port = portList.portString(news.port);
  for (const name of ["dedicatedIpfo", "allowedSource", "deniedSource"] as const) {
    if (caps.fields.includes(name) && usable(name)) out[name] = (news[name] as unknown[]).map((b) => ipBlocks.normalizeBlock(b));
  }
  return out;
}

/** Validates the inputs of a frontend; every failure is reported, none is thrown. Adds no defaults. */
export function checkFrontend(type: FrontendType, news: Record<string, unknown>): Checked<FrontendInputs> {
  const caps = capabilities(type);
  const failures = fields.checkFields(news, frontendRules(caps), { unsupported: unsupported(caps), passThrough: ["__provider"] });
  if (caps.fields.includes("allowedSource")) failures.push(...sourceFailures(news));
  return { inputs: normalized(caps, news, failures) as FrontendInputs, failures };
}

function frontendTable(caps: FrontendCapabilities): fields.FieldTable {
  return {
    serviceName: { change: "replace" },
    ...pick(FIELD_DIFF, caps.fields),
    adoptFrontendId: { change: "ignore" },
  };
}

/**
 * Desired inputs against the frontend as the API reports it now (`frontendOutputs` of a fresh GET), or undefined
 * when it is gone: then it is replaced, which re-creates it.
 */
export function diffFrontend(type: FrontendType, desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("frontendId");
  return fields.diffFields(frontendTable(capabilities(type)), desired, live);
}

/** POST body: zone and port plus the optional fields that are set; empty lists are left out (the API default). */
export function frontendCreateBody<T extends FrontendType>(type: T, inputs: Obj): wire.FrontendCreate<T> {
  const caps = capabilities(type);
  const body = fields.createBody(frontendTable(caps), caps.fields, inputs);
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)) as wire.FrontendCreate<T>;
}

/** PUT body: only the changed fields; null (false for booleans) for cleared ones; {} = nothing to send. */
export function frontendUpdateBody<T extends FrontendType>(type: T, desired: Obj, live: Obj): wire.FrontendUpdate<T> {
  return fields.updateBody(frontendTable(capabilities(type)), desired, live) as wire.FrontendUpdate<T>;
}

/** The frontend as outputs: every field of its protocol present, null where the API says null. */
export function frontendOutputs(type: FrontendType, serviceName: string, frontend: wire.Answer<wire.FrontendHttp, "frontendId" | "zone" | "port"> | wire.Answer<wire.FrontendUdp, "frontendId" | "zone" | "port">): FrontendOutputs {
  const caps = capabilities(type);
  const api = frontend as Obj;
  const out: Record<string, unknown> = { frontendId: api.frontendId, serviceName };
  for (const name of caps.fields) out[name] = api[name] ?? null;
  if (caps.vrack) for (const name of VRACK_OUTPUTS) out[name] = api[name] ?? null;
  return out as FrontendOutputs;
}

/** The Pulumi id of a frontend, also its import id: `serviceName/frontendId`. */
export function frontendResourceId(serviceName: string, frontendId: number): string {
  return `${serviceName}/${frontendId}`;
}

/** Parses `serviceName/frontendId`; throws an IplbError naming the expected format otherwise. */
export function parseFrontendResourceId(id: string): { serviceName: string; frontendId: number } {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new IplbError(`invalid frontend id ${JSON.stringify(id)}: expected <serviceName>/<frontendId>, e.g. loadbalancer-abc/7`);
  return { serviceName: ids.serviceName, frontendId: ids.numbers[0] };
}

/** Where a farm was found when the API refused a frontend's `defaultFarmId`: its protocol and zone. */
export interface FoundFarm {
  type: FrontendType;
  zone: string;
}

/**
 * Why the API refused `defaultFarmId` (a 400 whose wording the schema does not document), in the user's terms: the
 * farm does not exist, is of another protocol, or sits in a zone that does not cover the frontend's. Undefined when
 * the farm looks right, so the API's own message stands.
 */
export function defaultFarmProblem(type: FrontendType, serviceName: string, frontendZone: string, farmId: number, found: FoundFarm | undefined): string | undefined {
  const label = capabilities(type).label;
  if (!found) return `defaultFarmId: there is no farm ${farmId} on ${serviceName}; it must be a ${label} farm (farmId of a ${label[0]}${label.slice(1).toLowerCase()}Farm)`;
  if (found.type !== type) {
    return `defaultFarmId: farm ${farmId} is a ${capabilities(found.type).label} farm; a ${label} frontend needs a ${label} farm`;
  }
  if (found.zone !== "all" && frontendZone !== found.zone) {
    return `defaultFarmId: farm ${farmId} is in zone ${found.zone} and cannot serve a frontend in zone ${frontendZone}; use a farm in ${frontendZone === "all" ? "zone all" : `${frontendZone} or all`}`;
  }
  return undefined;
}

export const FRONTEND_CLASS_NAMES: Readonly<Record<FrontendType, string>> = { http: "HttpFrontend", tcp: "TcpFrontend", udp: "UdpFrontend" };

export type FrontendKey = { serviceName: string; frontendId: number };

/** The frontend family of one protocol, with the verbs every object model has (model.ts). */
export function frontendModel(type: FrontendType): ObjectModel<FrontendInputs, FrontendOutputs, wire.FrontendUdp, FrontendKey> {
  const { label } = capabilities(type);
  return {
    name: FRONTEND_CLASS_NAMES[type],
    check: (news) => checkFrontend(type, news),
    diff: (desired, live) => diffFrontend(type, desired, live),
    toCreate: (inputs) => frontendCreateBody(type, inputs),
    toUpdate: (desired, live) => frontendUpdateBody(type, desired, live),
    fromApi: (serviceName, object) => frontendOutputs(type, serviceName, object),
    id: (key) => frontendResourceId(key.serviceName, key.frontendId),
    parseId: parseFrontendResourceId,
    collection: (inputs) => paths.frontends(inputs.serviceName, type),
    path: (key) => paths.frontend(key.serviceName, type, key.frontendId),
    keyFor: (inputs, frontendId) => ({ serviceName: inputs.serviceName, frontendId }),
    describe: (key) => `${label} frontend ${key.frontendId} on ${key.serviceName}`,
    adoptField: "adoptFrontendId",
    // A frontend an interrupted deployment made (same zone and port, nothing to change) is taken over.
    naturalKey: "frontend",
    // The list filters by the natural key itself (zone and port): a recovery reads only frontends that may be the twin.
    listQuery: (inputs) => ({ zone: inputs.zone, port: inputs.port }),
    // A frontend in `all` runs in every zone; makeLive expands it to the service's zones.
    zones: (outs) => [outs.zone],
  };
}

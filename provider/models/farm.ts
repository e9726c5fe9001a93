// HTTP, TCP and UDP farms (backends) in one model, driven by FARM_CAPABILITIES.
//
// Semantics of the inputs (what users rely on):
// - The resource is declarative for every writable field. An absent optional field means "the API
//   default"; `null` means the same and is how a caller says "clear it". So a field set before and
//   absent now is sent as null on update, and the API default takes over (booleans: false).
// - The diff compares the desired inputs with the farm as the API reports it now (drift shows in
//   preview), on effective values: balance null is roundrobin, and a missing probe is the API's
//   default tcp probe, so an API that fills in its defaults never causes a perpetual diff.
// - `serviceName` and `zone` replace the farm: zone is read-only after creation (schema) and the
//   service is part of the path. The farm type is part of the resource type (HttpFarm, TcpFarm,
//   UdpFarm), so changing it is a different resource, which the engine replaces by itself.
// - `adoptFarmId` takes over an existing farm on create instead of POSTing a new one; it never diffs.
// - `__provider` (the serialized provider the engine adds) is kept as given and never compared.
// Bodies carry null for cleared fields: the `ovh` client drops top-level nulls (shared note
// ovh-iplb-api.md, 1.4), so the API client has to send them some other way.
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { IplbError } from "../api/errors";
import * as fields from "./fields";
import type { Checked, ObjectModel } from "./model";
import * as probe from "./probe";
import { parseResourceId } from "./resourceId";

export type FarmType = wire.FarmType;
export const FARM_TYPES = ["http", "tcp", "udp"] as const satisfies readonly FarmType[];

export const HTTP_BALANCES = ["first", "leastconn", "roundrobin", "source", "uri"] as const satisfies readonly wire.BalanceHTTPEnum[];
export type HttpBalance = (typeof HTTP_BALANCES)[number];
export const TCP_BALANCES = ["first", "leastconn", "roundrobin", "source"] as const satisfies readonly wire.BalanceTCPEnum[];
export type TcpBalance = (typeof TCP_BALANCES)[number];
export const HTTP_STICKINESS = ["cookie", "sourceIp"] as const satisfies readonly wire.StickinessHTTPEnum[];
export type HttpStickiness = (typeof HTTP_STICKINESS)[number];
export const TCP_STICKINESS = ["sourceIp"] as const satisfies readonly wire.StickinessTCPEnum[];
export type TcpStickiness = (typeof TCP_STICKINESS)[number];

export { PROBE_TYPES, PROBE_METHODS, PROBE_MATCHES } from "./probe";
export type { ProbeType, ProbeMethod, ProbeMatch } from "./probe";

/** API default of `balance` (schema: "'roundrobin' if null"). */
export const DEFAULT_BALANCE = "roundrobin";
export { MIN_PORT, MAX_PORT } from "./fields";

/** What each farm type has. UDP farms (BETA) have a required port and no balance, stickiness or probe. */
export interface FarmCapabilities {
  label: string;
  balances: readonly string[] | null;
  stickiness: readonly string[] | null;
  probe: boolean;
  portRequired: boolean;
}

export const FARM_CAPABILITIES: Readonly<Record<FarmType, FarmCapabilities>> = {
  http: { label: "HTTP", balances: HTTP_BALANCES, stickiness: HTTP_STICKINESS, probe: true, portRequired: false },
  tcp: { label: "TCP", balances: TCP_BALANCES, stickiness: TCP_STICKINESS, probe: true, portRequired: false },
  udp: { label: "UDP", balances: null, stickiness: null, probe: false, portRequired: true },
};

/** Inputs of a farm resource, as check() returns them. */
export type FarmInputs = {
  serviceName: string;
  zone: string;
  port?: number | null;
  displayName?: string | null;
  vrackNetworkId?: number | null;
  balance?: string | null;
  stickiness?: string | null;
  probe?: Partial<wire.BackendProbe> | null;
  adoptFarmId?: number;
  __provider?: string;
};

/** Outputs of a farm resource: every key present, null where the API says null. */
export type FarmOutputs = {
  farmId: number;
  serviceName: string;
  zone: string;
  port: number | null;
  displayName: string | null;
  vrackNetworkId: number | null;
  balance?: string | null;
  stickiness?: string | null;
  probe?: wire.BackendProbe | null;
};

type Obj = Readonly<Record<string, unknown>>;


function capabilities(type: FarmType): FarmCapabilities {
  const caps = FARM_CAPABILITIES[type];
  if (!caps) throw new IplbError(`unknown farm type ${JSON.stringify(type)} (expected one of ${FARM_TYPES.join(", ")})`);
  return caps;
}

function farmRules(caps: FarmCapabilities): fields.RuleTable {
  return {
    serviceName: { check: fields.serviceName, required: true },
    zone: { check: fields.zone, required: true },
    port: { check: fields.port, required: caps.portRequired, nullable: !caps.portRequired },
    displayName: { check: fields.text, nullable: true },
    vrackNetworkId: { check: fields.intRange(0), nullable: true },
    ...(caps.balances ? { balance: { check: fields.enumOf(caps.balances), nullable: true } } : {}),
    ...(caps.stickiness ? { stickiness: { check: fields.enumOf(caps.stickiness), nullable: true } } : {}),
    ...(caps.probe ? { probe: { check: probe.checkProbe, nullable: true } } : {}),
    adoptFarmId: { check: fields.intRange(1), nullable: true },
  };
}

function unsupported(caps: FarmCapabilities): Record<string, string> {
  const missing: Record<string, string> = {};
  if (!caps.balances) missing.balance = `${caps.label} farms have no balance`;
  if (!caps.stickiness) missing.stickiness = `${caps.label} farms have no stickiness`;
  if (!caps.probe) missing.probe = `${caps.label} farms have no probe`;
  return missing;
}

/** Validates the inputs of a farm; every failure is reported, none is thrown. Adds no defaults. */
export function checkFarm(type: FarmType, news: Record<string, unknown>): Checked<FarmInputs> {
  const caps = capabilities(type);
  const failures = fields.checkFields(news, farmRules(caps), { unsupported: unsupported(caps), passThrough: ["__provider"] });
  return { inputs: { ...news } as FarmInputs, failures };
}

function farmTable(caps: FarmCapabilities): fields.FieldTable {
  return {
    serviceName: { change: "replace" },
    zone: { change: "replace" },
    port: { change: "update" },
    displayName: { change: "update", effective: fields.emptyAsNull },
    vrackNetworkId: { change: "update" },
    ...(caps.balances ? { balance: { change: "update", effective: (v: unknown) => v ?? DEFAULT_BALANCE } } : {}),
    ...(caps.stickiness ? { stickiness: { change: "update" } } : {}),
    ...(caps.probe
      ? { probe: { change: "update", effective: (v: unknown, whole: Obj) => probe.effectiveProbe(v, whole.port), wire: probe.probeBody } }
      : {}),
    adoptFarmId: { change: "ignore" },
  };
}

/**
 * Desired inputs against the farm as the API reports it now (`farmOutputs` of a fresh GET), or
 * undefined when the farm is gone: then the farm is replaced, which re-creates it.
 */
export function diffFarm(type: FarmType, desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("farmId");
  return fields.diffFields(farmTable(capabilities(type)), desired, live);
}

const CREATE_FIELDS = ["zone", "port", "displayName", "vrackNetworkId", "balance", "stickiness", "probe"] as const;

/** POST body: zone (and port for UDP) plus the optional fields that are set. */
export function farmCreateBody<T extends FarmType>(type: T, inputs: Obj): wire.BackendCreate<T> {
  const table = farmTable(capabilities(type));
  const names = CREATE_FIELDS.filter((name) => name in table);
  return fields.createBody(table, names, inputs) as wire.BackendCreate<T>;
}

/** PUT body: only the changed fields, null for cleared ones. An empty object means nothing to send. */
export function farmUpdateBody<T extends FarmType>(type: T, desired: Obj, live: Obj): wire.BackendUpdate<T> {
  return fields.updateBody(farmTable(capabilities(type)), desired, live) as wire.BackendUpdate<T>;
}

/** The farm as outputs: every key of its type present, null where the API says null. */
export function farmOutputs(type: FarmType, serviceName: string, farm: wire.Answer<wire.BackendHttp, "farmId" | "zone"> | wire.Answer<wire.BackendUdp, "farmId" | "zone">): FarmOutputs {
  const caps = capabilities(type);
  const apiFarm = farm as Obj;
  const out: FarmOutputs = {
    farmId: apiFarm.farmId as number,
    serviceName,
    zone: apiFarm.zone as string,
    port: (apiFarm.port ?? null) as number | null,
    displayName: (apiFarm.displayName ?? null) as string | null,
    vrackNetworkId: (apiFarm.vrackNetworkId ?? null) as number | null,
  };
  if (caps.balances) out.balance = (apiFarm.balance ?? null) as string | null;
  if (caps.stickiness) out.stickiness = (apiFarm.stickiness ?? null) as string | null;
  if (caps.probe) out.probe = probe.probeOutput(apiFarm.probe);
  return out;
}

/** The Pulumi id of a farm, also its import id (as terraform-provider-ovh): `serviceName/farmId`. */
export function farmResourceId(serviceName: string, farmId: number): string {
  return `${serviceName}/${farmId}`;
}

/** Parses `serviceName/farmId`; throws an IplbError naming the expected format otherwise. */
export function parseFarmResourceId(id: string): { serviceName: string; farmId: number } {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new IplbError(`invalid farm id ${JSON.stringify(id)}: expected <serviceName>/<farmId>, e.g. loadbalancer-abc/12`);
  return { serviceName: ids.serviceName, farmId: ids.numbers[0] };
}

export const FARM_CLASS_NAMES: Readonly<Record<FarmType, string>> = { http: "HttpFarm", tcp: "TcpFarm", udp: "UdpFarm" };

export type FarmKey = { serviceName: string; farmId: number };

/** The farm family of one protocol, with the verbs every object model has (model.ts). */
export function farmModel(type: FarmType): ObjectModel<FarmInputs, FarmOutputs, wire.Backend, FarmKey> {
  capabilities(type);
  return {
    name: FARM_CLASS_NAMES[type],
    check: (news) => checkFarm(type, news),
    diff: (desired, live) => diffFarm(type, desired, live),
    toCreate: (inputs) => farmCreateBody(type, inputs),
    toUpdate: (desired, live) => farmUpdateBody(type, desired, live),
    fromApi: (serviceName, object) => farmOutputs(type, serviceName, object),
    id: (key) => farmResourceId(key.serviceName, key.farmId),
    parseId: parseFarmResourceId,
    collection: (inputs) => paths.farms(inputs.serviceName, type),
    path: (key) => paths.farm(key.serviceName, type, key.farmId),
    keyFor: (inputs, farmId) => ({ serviceName: inputs.serviceName, farmId }),
    describe: (key) => `${type} farm ${key.farmId} on ${key.serviceName}`,
    adoptField: "adoptFarmId",
    // A farm an interrupted deployment made (same zone and displayName, nothing to change) is taken over.
    naturalKey: "farm",
    listQuery: (inputs) => ({ zone: inputs.zone }),
    zones: (outs) => [outs.zone],
  };
}

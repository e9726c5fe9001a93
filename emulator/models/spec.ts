/**
 * What the farm, server and frontend model tables share: how a model spec becomes the POST body spec, the defaults
 * of non-nullable fields, the port ranges, and typed list filters. Field specs are written by hand from the official
 * schema (`components.schemas` of iploadbalancing.json); the fidelity test compares them with it.
 */
import { invalidField } from "../errors";
import { isIpv4, ModelSpec, validateCreate, validateUpdate } from "../validate";

/** One model of the schema as the emulator serves it. */
export interface ModelTable {
  /** Schema name of the GET model, e.g. `ipLoadbalancing.backendHttp.BackendHttp`. */
  schemaModel: string;
  /** Every property of that model; `required` = in the POST body's `required` list. */
  spec: ModelSpec;
  /** Read-only properties that the POST body still takes (farm `zone`, server `address`). */
  createOnly: readonly string[];
  /**
   * Values GET shows for non-nullable fields that were not given. The schema describes these booleans with
   * "Default: 'false'" and types them non-nullable, so the API answers `false`, never `null`.
   */
  defaults: Record<string, unknown>;
}

/** Ports of farms, servers, probes and frontends: 1..49151 (ovh-iplb-api.md 5.2, 6.2, 9). */
export const PORT_MIN = 1;
export const PORT_MAX = 49151;

/**
 * The POST body spec: read-only properties that the POST takes become writable; the others stay read-only, so
 * sending them is refused with `[farmId] This property is read-only`.
 */
export function createSpec(table: ModelTable): ModelSpec {
  const out: ModelSpec = {};
  for (const [key, spec] of Object.entries(table.spec)) {
    out[key] = table.createOnly.includes(key) ? { ...spec, readOnly: false } : spec;
  }
  return out;
}

/**
 * `null` for a non-nullable, optional field means "not given": on create the default applies, on update the field is
 * left as it is. (terraform's server create body sends `"backup": null` when unset, so the API must accept it.)
 */
export function dropNonNullableNulls(spec: ModelSpec, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null && !spec[key]?.nullable) continue;
    out[key] = value;
  }
  return out;
}

/** A POST body as the values to store: validated against the POST spec, with non-nullable nulls dropped. */
export function createValues(table: ModelTable, body: unknown): Record<string, unknown> {
  return dropNonNullableNulls(table.spec, validateCreate(createSpec(table), body));
}

/** A PUT body as the changes to store: validated against the object as it is, with non-nullable nulls dropped. */
export function updateValues(spec: ModelSpec, body: unknown, current: Record<string, unknown>): Record<string, unknown> {
  return dropNonNullableNulls(spec, validateUpdate(spec, body, current));
}

/** The full stored model: every property present, defaults for missing non-nullable ones, `null` for the rest. */
export function fullModel(table: ModelTable, values: Record<string, unknown>, computed: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(table.spec)) {
    if (computed.includes(key)) continue;
    out[key] = values[key] !== undefined ? values[key] : key in table.defaults ? table.defaults[key] : null;
  }
  return out;
}

export type FilterType = "string" | "integer" | "ipv4" | { enum: readonly string[]; enumName: string };

/** List filters are typed like body fields: `?status=up` is refused the way a body value would be. */
export function checkFilters(query: Record<string, string>, types: Record<string, FilterType>): void {
  for (const [name, type] of Object.entries(types)) {
    const value = query[name];
    if (value === undefined) continue;
    if (type === "integer" && !/^-?\d+$/.test(value)) throw invalidField(name, value, "is not valid for type long");
    if (type === "ipv4" && !isIpv4(value)) throw invalidField(name, value, "is not valid for type ipv4");
    if (typeof type === "object" && !type.enum.includes(value)) {
      throw invalidField(name, value, `does not belong to the ${type.enumName} enumeration`);
    }
  }
}

/** Farms and frontends live in one zone of the load balancer or in `all` of them (ovh-iplb-api.md 10). */
export function checkZone(serviceZones: readonly string[], zone: string): void {
  if (zone !== "all" && !serviceZones.includes(zone)) {
    throw invalidField("zone", zone, `is not a zone of this load balancer (${[...serviceZones, "all"].join(", ")})`);
  }
}

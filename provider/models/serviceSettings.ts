// The load balancer's own settings (`PUT /ipLoadbalancing/{serviceName}`, ovh-iplb-api.md section 4): the schema's
// `ipLoadbalancing.Ip` has two writable fields, `displayName` (max 50 characters) and `sslConfiguration`
// (`intermediate` | `modern`, null meaning intermediate); every other field is read-only.
//
// Semantics of the inputs (what users rely on):
// - The service is adopted, never ordered nor terminated (terraform's `ovh_iploadbalancing` orders it, then PUTs
//   `display_name`/`ssl_configuration`, and terminates it on destroy). It must exist.
// - Only declared fields are managed: an absent field is left as it is. A declared field is compared with the live
//   service, so a change made outside Pulumi shows as drift and the update sets it back.
// - The values found when the resource was created are kept (`foundDisplayName`, `foundSslConfiguration`): deleting the
//   resource, or no longer declaring a field, puts the managed fields back to them (null included, which the schema
//   allows: both fields are nullable).
// - `serviceName` replaces the resource: the new service is adopted, then the old one gets its found values back.
import * as errors from "../api/errors";
import type { IpLoadbalancing, SslConfigurationEnum } from "../api/wireService";
import * as fields from "./fields";
import type { Checked, ModelBasics } from "./model";

export const SSL_CONFIGURATIONS = ["intermediate", "modern"] as const satisfies readonly SslConfigurationEnum[];
export const MAX_DISPLAY_NAME_LENGTH = 50;
/** The fields a PUT may change, in the order they are reported. */
export const MANAGED_FIELDS = ["displayName", "sslConfiguration"] as const;
export type ManagedField = (typeof MANAGED_FIELDS)[number];
export type Settings = Partial<Record<ManagedField, string | null>>;

export interface ServiceSettingsInputs {
  serviceName: string;
  displayName?: string;
  sslConfiguration?: SslConfigurationEnum;
  __provider?: string;
}

/** What the last create or update declared, kept in the outputs so that drift and removed fields can be told apart. */
export const DECLARED = "declaredInputs";

const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName, required: true },
  displayName: { check: fields.str({ singleLine: true, maxLength: MAX_DISPLAY_NAME_LENGTH }) },
  sslConfiguration: { check: fields.enumOf(SSL_CONFIGURATIONS) },
};

/** Validates the inputs; every failure is reported, none is thrown, no API call. */
export function checkServiceSettings(news: Record<string, unknown>): Checked<ServiceSettingsInputs> {
  return { inputs: { ...news } as unknown as ServiceSettingsInputs, failures: fields.checkFields(news, RULES, { passThrough: ["__provider"] }) };
}

type Obj = Readonly<Record<string, unknown>>;

/** The managed fields an object declares (a value other than undefined). */
export function declaredFields(obj: Obj | undefined): ManagedField[] {
  return MANAGED_FIELDS.filter((f) => obj !== undefined && obj[f] !== undefined && obj[f] !== null);
}

/** The declaration kept in the outputs; states without one fall back to the outputs themselves. */
export function declaredIn(outs: Obj): Obj {
  const declared = outs[DECLARED];
  return declared !== null && typeof declared === "object" ? (declared as Obj) : {};
}

/** The values found at creation, from the outputs. */
export function foundIn(outs: Obj): Settings {
  return { displayName: (outs.foundDisplayName ?? null) as string | null, sslConfiguration: (outs.foundSslConfiguration ?? null) as string | null };
}

/**
 * The PUT body: each declared field whose live value differs, and each field declared before (`previous`) but not any
 * more, put back to what was found when it differs. Empty when nothing is to be sent.
 */
export function toUpdate(desired: Obj, live: IpLoadbalancing, previous?: { declared: Obj; found: Settings }): Settings {
  const body: Settings = {};
  for (const f of declaredFields(desired)) if (desired[f] !== live[f]) body[f] = desired[f] as string;
  for (const f of declaredFields(previous?.declared)) {
    if (desired[f] !== undefined && desired[f] !== null) continue;
    const found = previous!.found[f] ?? null;
    if (found !== live[f]) body[f] = found;
  }
  return body;
}

/** What delete sends: every field the resource manages put back to what was found (when it differs now). */
export function restoreBody(outs: Obj, live: IpLoadbalancing): Settings {
  return toUpdate({}, live, { declared: declaredIn(outs), found: foundIn(outs) });
}

export interface SettingsDiff {
  changes: boolean;
  replaces: string[];
  diffs: string[];
}

/** The program (and the fields it stopped declaring) against the live service; `serviceName` replaces. */
export function diffServiceSettings(desired: Obj, olds: Obj, live: IpLoadbalancing): SettingsDiff {
  const replaces = desired.serviceName !== olds.serviceName ? ["serviceName"] : [];
  const body = replaces.length > 0 ? {} : toUpdate(desired, live, { declared: declaredIn(olds), found: foundIn(olds) });
  const diffs = [...replaces, ...Object.keys(body)];
  return { changes: diffs.length > 0, replaces, diffs };
}

/** What the last `up` declared against the live service: the fields changed outside Pulumi since. */
export function driftOf(olds: Obj, live: IpLoadbalancing): SettingsDiff {
  const declared = declaredIn(olds);
  const diffs = declaredFields(declared).filter((f) => declared[f] !== live[f]);
  return { changes: diffs.length > 0, replaces: [], diffs };
}

/** Outputs: the inputs, the service as the API reports it now (without its metrics token), what was found, what was declared. */
export function settingsOutputs(inputs: Obj, live: IpLoadbalancing, found: Settings): Record<string, unknown> {
  const { __provider: _shim, [DECLARED]: _previous, ...declared } = inputs;
  return {
    ...inputs,
    serviceName: live.serviceName,
    ipLoadbalancing: live.ipLoadbalancing,
    ipv4: live.ipv4 ?? null,
    ipv6: live.ipv6 ?? null,
    state: live.state,
    zone: [...(live.zone ?? [])],
    offer: live.offer,
    displayName: live.displayName ?? null,
    sslConfiguration: live.sslConfiguration ?? null,
    foundDisplayName: found.displayName ?? null,
    foundSslConfiguration: found.sslConfiguration ?? null,
    [DECLARED]: declared,
  };
}

export function parseServiceSettingsId(id: string): { serviceName: string } {
  if (!fields.SERVICE_NAME_PATTERN.test(id)) {
    throw new errors.IplbError(`invalid IpLoadBalancingSettings id ${JSON.stringify(id)}: expected the service name, e.g. loadbalancer-abc`);
  }
  return { serviceName: id };
}

/** Not an object model: the service is adopted and put, never posted nor deleted. Its id is the service name. */
export const serviceSettingsModel: ModelBasics<ServiceSettingsInputs, { serviceName: string }> = {
  name: "IpLoadBalancingSettings",
  check: checkServiceSettings,
  id: (key) => key.serviceName,
  parseId: parseServiceSettingsId,
};

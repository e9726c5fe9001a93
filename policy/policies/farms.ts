// Farm policies, judged on each farm's inputs: an explicit health probe, and stickiness the farm can do.
// The allowed values come from the provider's own model lists (provider/models), the ones check() validates against.
import { FARM_CAPABILITIES, PROBE_TYPES } from "../../provider/models/farm";
import { PROBE_DEFAULT_TYPE } from "../../provider/models/probe";
import { resourcePolicy } from "./define";
import { BALANCED_FARM_TYPES, farmProtocol, FARM_TYPES, label } from "./resources";
import { Reader, str, UNKNOWN } from "./values";


export interface FarmHealthProbeConfig {
  httpFarmProbeTypes: string[];
  tcpFarmProbeTypes: string[];
}

const probeTypesSchema = (protocol: string) => ({
  type: "array" as const,
  items: { type: "string" as const, enum: [...PROBE_TYPES] },
  description: `Probe types allowed on ${protocol} farms, e.g. ["http"] to require real HTTP checks.`,
});

export const farmHealthProbe = resourcePolicy<FarmHealthProbeConfig>({
  name: "iplb-farm-health-probe",
  description: "Every HTTP and TCP farm declares its health probe explicitly, of a type the team allows.",
  enforcementLevel: "mandatory",
  defaults: { httpFarmProbeTypes: [...PROBE_TYPES], tcpFarmProbeTypes: [...PROBE_TYPES] },
  configSchema: { properties: { httpFarmProbeTypes: probeTypesSchema("HTTP"), tcpFarmProbeTypes: probeTypesSchema("TCP") } },
  types: BALANCED_FARM_TYPES,
  check: (farm, config, read, report) => {
    const probe = read.get(farm.props, "probe");
    if (probe === UNKNOWN) return;
    if (probe === undefined || probe === null) {
      report(
        `${label(farm)} has no health probe: OVH then only checks every 30 s that each server's port accepts a TCP ` +
          `connection, so a server whose application is broken keeps receiving traffic. Set \`probe\`, e.g. ` +
          `{ type: "http", url: "/health", match: "status", pattern: "200" }, or { type: "tcp" } to keep the TCP check on purpose.`,
      );
      return;
    }
    const type = probeType(probe, read);
    if (type === undefined) return;
    const allowed = farmProtocol(farm.type) === "http" ? config.httpFarmProbeTypes : config.tcpFarmProbeTypes;
    if (!allowed.includes(type)) {
      const key = farmProtocol(farm.type) === "http" ? "httpFarmProbeTypes" : "tcpFarmProbeTypes";
      report(
        `${label(farm)} probes with type "${type}", which this team does not allow on this kind of farm ` +
          `(allowed: ${allowed.join(", ") || "none"}). Set probe.type to one of them, or change ${key} in the policy config.`,
      );
    }
  },
});

/** The probe's effective type; undefined when unknown during preview. */
function probeType(probe: unknown, read: Reader): string | undefined {
  const type = read.get(probe, "type");
  if (type === UNKNOWN) return undefined;
  return str(type) ?? PROBE_DEFAULT_TYPE;
}

export interface FarmStickinessConfig {
  allowedStickiness: string[];
}

export const farmStickiness = resourcePolicy<FarmStickinessConfig>({
  name: "iplb-farm-stickiness",
  description: "Stickiness matches the farm: cookie only on HTTP farms, none on UDP farms, and only the kinds the team allows.",
  enforcementLevel: "mandatory",
  defaults: { allowedStickiness: ["cookie", "sourceIp"] },
  configSchema: {
    properties: {
      allowedStickiness: {
        type: "array",
        items: { type: "string", enum: ["cookie", "sourceIp"] },
        description: 'Stickiness kinds allowed at all; drop "sourceIp" when clients arrive through a few NAT or proxy addresses.',
      },
    },
  },
  types: FARM_TYPES,
  check: (farm, config, read, report) => {
    const stickiness = read.get(farm.props, "stickiness");
    if (stickiness === UNKNOWN || stickiness === undefined || stickiness === null) return;
    const protocol = farmProtocol(farm.type) ?? "http";
    const capable = FARM_CAPABILITIES[protocol].stickiness ?? [];
    const value = JSON.stringify(stickiness);
    if (capable.length === 0) {
      report(`${label(farm)} sets stickiness ${value}, but ${FARM_CAPABILITIES[protocol].label} farms have no stickiness. Remove \`stickiness\`.`);
    } else if (stickiness === "cookie" && !capable.includes("cookie")) {
      report(
        `${label(farm)} sets stickiness "cookie", but cookie stickiness inserts an HTTP cookie, which only HTTP farms can do. ` +
          `Use stickiness: ${capable.map((s) => `"${s}"`).join(" or ")} on this farm, or serve it from an HttpFarm.`,
      );
    } else if (typeof stickiness !== "string" || !capable.includes(stickiness)) {
      report(`${label(farm)} sets stickiness ${value}, which is not one of ${capable.join(", ")}. Use one of them or remove \`stickiness\`.`);
    } else if (!config.allowedStickiness.includes(stickiness)) {
      report(
        `${label(farm)} sets stickiness ${value}, which this team does not allow (allowed: ${config.allowedStickiness.join(", ") || "none"}). ` +
          `Remove \`stickiness\` or use an allowed kind, or change allowedStickiness in the policy config.`,
      );
    }
  },
});

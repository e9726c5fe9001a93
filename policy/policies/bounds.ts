// Numeric bounds a team chooses: probe intervals, ports, server weights. The defaults are the API's own ranges
// (provider/models), so out of the box these policies only repeat check(); a team narrows them in the policy config.
import { MAX_PORT, MIN_PORT } from "../../provider/models/farm";
import { DEFAULT_WEIGHT, MAX_WEIGHT } from "../../provider/models/farmServer";
import { PROBE_DEFAULT_INTERVAL, PROBE_MAX_INTERVAL, PROBE_MIN_INTERVAL } from "../../provider/models/probe";
import { resourcePolicy, ResourceView } from "./define";
import { parseAll, parsePortRange, PortRange } from "./net";
import { BALANCED_FARM_TYPES, BALANCED_SERVER_TYPES, FARM_TYPES, label, SERVER_TYPES } from "./resources";
import { num, Reader, UNKNOWN } from "./values";


export interface ProbeIntervalConfig {
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
}

export const probeIntervalBounds = resourcePolicy<ProbeIntervalConfig>({
  name: "iplb-probe-interval-bounds",
  description: "Health probes run at an interval within the team's bounds (an absent interval is OVH's 30 s).",
  enforcementLevel: "mandatory",
  defaults: { minIntervalSeconds: PROBE_MIN_INTERVAL, maxIntervalSeconds: PROBE_MAX_INTERVAL },
  configSchema: {
    properties: {
      minIntervalSeconds: { type: "integer", minimum: PROBE_MIN_INTERVAL, maximum: PROBE_MAX_INTERVAL },
      maxIntervalSeconds: {
        type: "integer", minimum: PROBE_MIN_INTERVAL, maximum: PROBE_MAX_INTERVAL,
        description: "A dead server is noticed after up to this many seconds times the failures HAProxy needs.",
      },
    },
  },
  types: BALANCED_FARM_TYPES,
  check: (farm, config, read, report) => {
    const probe = read.get(farm.props, "probe");
    if (probe === UNKNOWN || probe === undefined || probe === null) return;
    const raw = read.get(probe, "interval");
    if (raw === UNKNOWN) return;
    const interval = num(raw) ?? PROBE_DEFAULT_INTERVAL;
    const { minIntervalSeconds: min, maxIntervalSeconds: max } = config;
    if (interval < min || interval > max) {
      const given = raw === undefined || raw === null ? `${interval} s (OVH's default, as probe.interval is not set)` : `${interval} s`;
      report(
        `${label(farm)} probes every ${given}, outside this team's bounds of ${min}..${max} s. ` +
          `Set probe.interval within them, or change minIntervalSeconds/maxIntervalSeconds in the policy config.`,
      );
    }
  },
});

export interface PortBoundsConfig {
  allowedPorts: string[];
}

/** The ports a resource sets: `[where, value]`; absent ones inherit (the frontend's or the farm's port). */
function portsOf(resource: ResourceView, read: Reader): [string, number][] {
  const ports: [string, number][] = [];
  const port = num(read.get(resource.props, "port"));
  if (port !== undefined) ports.push(["port", port]);
  if (BALANCED_FARM_TYPES.includes(resource.type)) {
    const probePort = num(read.get(read.get(resource.props, "probe"), "port"));
    if (probePort !== undefined) ports.push(["probe.port", probePort]);
  }
  return ports;
}

const inRanges = (port: number, ranges: readonly PortRange[]) => ranges.some((r) => r.min <= port && port <= r.max);

export const portBounds = resourcePolicy<PortBoundsConfig>({
  name: "iplb-port-bounds",
  description: "Farm, probe and server ports stay within the port ranges the team allows.",
  enforcementLevel: "mandatory",
  defaults: { allowedPorts: [`${MIN_PORT}-${MAX_PORT}`] },
  configSchema: {
    properties: {
      allowedPorts: {
        type: "array",
        items: { type: "string", pattern: "^\\s*\\d{1,5}\\s*(-\\s*\\d{1,5}\\s*)?$" },
        description: 'Ports or ranges, e.g. ["80", "443", "8000-8999"].',
      },
    },
  },
  types: [...FARM_TYPES, ...SERVER_TYPES],
  check: (resource, config, read, report) => {
    const { parsed } = parseAll(config.allowedPorts, parsePortRange);
    for (const [where, port] of portsOf(resource, read)) {
      if (inRanges(port, parsed)) continue;
      report(
        `${label(resource)} uses ${where} ${port}, outside the ports this team allows (${config.allowedPorts.join(", ") || "none"}). ` +
          `Use an allowed port, or add it to allowedPorts in the policy config.`,
      );
    }
  },
});

export interface WeightBoundsConfig {
  minWeight: number;
  maxWeight: number;
}

export const serverWeightBounds = resourcePolicy<WeightBoundsConfig>({
  name: "iplb-server-weight-bounds",
  description: "HTTP and TCP server weights stay within the team's bounds (an absent weight is OVH's 1).",
  enforcementLevel: "mandatory",
  defaults: { minWeight: 0, maxWeight: MAX_WEIGHT },
  configSchema: {
    properties: {
      minWeight: { type: "integer", minimum: 0, maximum: MAX_WEIGHT, description: "1 forbids weight 0 (a server that takes no share of the traffic)." },
      maxWeight: { type: "integer", minimum: 0, maximum: MAX_WEIGHT },
    },
  },
  types: BALANCED_SERVER_TYPES,
  check: (server, config, read, report) => {
    const raw = read.get(server.props, "weight");
    if (raw === UNKNOWN) return;
    const weight = num(raw) ?? DEFAULT_WEIGHT;
    if (weight < config.minWeight || weight > config.maxWeight) {
      const zero = weight === 0 ? " (weight 0 takes the server out of balancing; use status \"inactive\" or backup: true to say so)" : "";
      report(
        `${label(server)} has weight ${weight}, outside this team's bounds of ${config.minWeight}..${config.maxWeight}${zero}. ` +
          `Set weight within them, or change minWeight/maxWeight in the policy config.`,
      );
    }
  },
});

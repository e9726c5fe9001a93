// Stack policies: the ones that need a farm and its servers together. A server is related to its farm through the
// engine's property dependencies of `farmId` (resources.ts `relate`), so they also work in the preview that creates
// both. They see each resource's outputs (what the engine gives AnalyzeStack): during preview, the inputs of what is
// created or changed; after an update, and for unchanged resources, the objects as OVH reports them. So a cookie that
// OVH generated looks like one the program set: iplb-sticky-server-cookies speaks when a server is created or changed.
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "./define";
import { BALANCED_SERVER_TYPES, farmByDependency, farmNames, label, Membership, serverLabel } from "./resources";
import { Reader, str, UNKNOWN } from "./values";

const farmListSchema = (description: string) => ({ type: "array" as const, items: { type: "string" as const }, description });

/** true when the config list names this farm (its Pulumi name or displayName), or holds "*". */
function listed(farm: PolicyResource, names: readonly string[], read: Reader): boolean {
  if (names.length === 0) return false;
  return names.includes("*") || names.includes(farm.name) || farmNames(farm, read).some((n) => names.includes(n));
}

export const serversProbed = stackPolicy<Record<string, never>>({
  name: "iplb-servers-probed",
  description: "Every HTTP and TCP farm server runs its farm's health probe (probe: true).",
  enforcementLevel: "mandatory",
  defaults: {},
  check: (resources, _config, read, report) => {
    const m = new Membership(resources, read);
    for (const server of m.servers.filter((s) => BALANCED_SERVER_TYPES.includes(s.type))) {
      const probe = read.get(server.props, "probe");
      if (probe === UNKNOWN || probe === true) continue;
      report(
        `${serverLabel(server, farmByDependency(server))} has probe ${probe === false ? "false" : "unset"}: the farm's health ` +
          `check never runs against it, so OVH keeps sending it traffic when it is down. Set probe: true.`,
        server.urn,
      );
    }
  },
});

interface Serving {
  serving: "yes" | "no" | "maybe";
  /** Why it does not serve, for the message. */
  why?: string;
  /** What made it "maybe": read (through the Reader) only if the verdict depends on it. */
  unknown: string[];
}

/** Whether a server takes a share of normal traffic. Unknown values are peeked at, not yet reported (see below). */
function serving(server: PolicyResource, read: Reader): Serving {
  const status = read.peek(server.props, "status");
  if (status !== UNKNOWN && status !== "active") return { serving: "no", why: `${server.name} is ${str(status) ?? "not active"}`, unknown: [] };
  const backup = read.peek(server.props, "backup");
  if (backup === true) return { serving: "no", why: `${server.name} is a backup`, unknown: [] };
  const weight = read.peek(server.props, "weight");
  if (weight === 0) return { serving: "no", why: `${server.name} has weight 0`, unknown: [] };
  const unknown = (["status", "backup", "weight"] as const).filter((_, i) => [status, backup, weight][i] === UNKNOWN);
  return { serving: unknown.length > 0 ? "maybe" : "yes", unknown };
}

export interface MinServersConfig {
  minServers: number;
  exemptFarms: string[];
}

export const farmMinServers = stackPolicy<MinServersConfig>({
  name: "iplb-farm-min-servers",
  description: "Every farm has at least N active, non-backup servers that take traffic, so one can fail or be replaced without an outage.",
  enforcementLevel: "mandatory",
  defaults: { minServers: 2, exemptFarms: [] },
  configSchema: {
    properties: {
      minServers: { type: "integer", minimum: 1 },
      exemptFarms: farmListSchema("Farms (Pulumi names or displayNames) exempt, e.g. ones whose servers another stack manages."),
    },
  },
  check: (resources, config, read, report) => {
    const m = new Membership(resources, read);
    for (const farm of m.farms.filter((f) => !listed(f, config.exemptFarms, read))) {
      const count = countServing(farm, m, read, config.minServers);
      if (count.enough) continue;
      report(
        `${label(farm)} has ${count.serving === 0 ? "no server" : `${count.serving} server${count.serving > 1 ? "s" : ""}`} taking ` +
          `traffic (active, not backup, weight above 0)${count.reasons.length ? `; ${count.reasons.join(", ")}` : ""}. At least ` +
          `${config.minServers} are required so that one can fail or be replaced without an outage. Add servers with status: ` +
          `"active", or list the farm in exemptFarms (or lower minServers) in the policy config.`,
        farm.urn,
      );
    }
  },
});

/**
 * How many of a farm's servers take traffic. `enough` is also true when the farm is short unless servers whose
 * status (or farm) is not known yet serve here: never a violation on a guess. The unknown values that verdict hinges
 * on are then read, so that the server reports that the policy could not run during preview (values.ts).
 */
function countServing(farm: PolicyResource, m: Membership, read: Reader, min: number): { enough: boolean; serving: number; reasons: string[] } {
  const servers = m.serversOf(farm);
  const states = servers.map((s) => serving(s, read));
  const possible = states.filter((s) => s.serving !== "no").length;
  const reasons = states.flatMap((s) => (s.why ? [s.why] : []));
  if (states.filter((s) => s.serving === "yes").length >= min) return { enough: true, serving: possible, reasons };
  const maybe = m.maybeServersOf(farm).filter((s) => serving(s, read).serving !== "no");
  if (possible + maybe.length < min) return { enough: false, serving: possible, reasons };
  states.forEach((s, i) => s.unknown.forEach((key) => read.get(servers[i].props, key)));
  maybe.forEach((s) => read.get(s.props, "farmId"));
  return { enough: true, serving: possible, reasons };
}

export const stickyServerCookies = stackPolicy<Record<string, never>>({
  name: "iplb-sticky-server-cookies",
  description: "Servers of cookie-sticky farms set their own, distinct `cookie`, so that sessions survive re-creating a server.",
  enforcementLevel: "advisory",
  defaults: {},
  check: (resources, _config, read, report) => {
    const m = new Membership(resources, read);
    for (const farm of m.farms.filter((f) => read.get(f.props, "stickiness") === "cookie")) {
      const byCookie = new Map<string, PolicyResource[]>();
      for (const server of m.serversOf(farm)) {
        const cookie = read.get(server.props, "cookie");
        if (cookie === UNKNOWN) continue;
        if (typeof cookie === "string" && cookie !== "") {
          byCookie.set(cookie, [...(byCookie.get(cookie) ?? []), server]);
          continue;
        }
        report(
          `${serverLabel(server, farm)} sets no \`cookie\` on a farm with cookie stickiness: OVH generates one, and a new ` +
            `one whenever the server is re-created (a new address, say), which sends every visitor stuck to it elsewhere ` +
            `and loses their sessions. Set cookie to a stable value, e.g. "${server.name}".`,
          server.urn,
        );
      }
      for (const [cookie, servers] of byCookie) {
        if (servers.length < 2) continue;
        report(
          `${label(farm)}: servers ${servers.map((s) => `"${s.name}"`).join(", ")} share cookie "${cookie}", so visitors stuck ` +
            `to one may be sent to the other. Give each server its own cookie.`,
          farm.urn,
        );
      }
    }
  },
});

export interface BackendTlsConfig {
  farms: string[];
}

export const backendTls = stackPolicy<BackendTlsConfig>({
  name: "iplb-backend-tls",
  description: "Servers of farms the team marks as requiring TLS to their backends have ssl on.",
  enforcementLevel: "mandatory",
  defaults: { farms: [] },
  configSchema: {
    properties: { farms: farmListSchema('Farms (Pulumi names or displayNames) whose servers must be reached over TLS; "*" for every HTTP and TCP farm.') },
  },
  check: (resources, config, read, report) => {
    if (config.farms.length === 0) return;
    const m = new Membership(resources, read);
    for (const server of m.servers.filter((s) => BALANCED_SERVER_TYPES.includes(s.type))) {
      const farm = m.farmOf(server);
      if (!farm || !listed(farm, config.farms, read)) continue;
      const ssl = read.get(server.props, "ssl");
      if (ssl === UNKNOWN || ssl === true) continue;
      report(
        `${serverLabel(server, farm)} is reached without TLS (ssl is ${ssl === false ? "false" : "unset"}), but farm "${farm.name}" ` +
          `requires TLS to its servers (policy config farms). Set ssl: true, with chain set to the CA of the server's certificate ` +
          `so that OVH verifies it.`,
        server.urn,
      );
    }
  },
});

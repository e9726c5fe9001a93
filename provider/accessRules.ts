/**
 * The one list of the OVH API calls this package makes, as the access rules a consumer key needs (OVH grants a key
 * only the calls its rules match: ovh-iplb-api.md 1.5). `ovh-iplb access-rules` prints it, and the provider names the
 * rule to add when the API refuses a call with 403 "This call has not been granted".
 *
 * A rule is a method and a path where `*` matches any run of characters (`/` included); any other path matches only
 * itself. The rules follow what the code calls (provider/api/paths.ts and its callers) and no further: a key made from
 * them cannot touch another load balancer (`PUT` of the service itself is IpLoadBalancingSettings'). `GET /auth/time`
 * needs no rule (it is not signed); `GET /ipLoadbalancing` (the names the key can see) is for the lookup functions. tests/cli/accessRules.test.ts runs every
 * family's lifecycle with a key holding exactly these rules, so a new call without its rule fails there.
 */
export const RULE_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
export type RuleMethod = (typeof RULE_METHODS)[number];

export interface AccessRule {
  method: RuleMethod;
  path: string;
}

export interface RuleGroup {
  /** A short name, for the printed list. */
  id: string;
  /** What needs these rules, as a user names it. */
  usedBy: string;
  /** Read-only callers (functions, `ovh-iplb status`): the group `--read-only` prints. */
  readOnly: boolean;
  /** `METHOD path`, `{serviceName}` standing for the load balancer's name. */
  rules: readonly string[];
}

const SERVICE = "/ipLoadbalancing/{serviceName}";

/** Reads: the service (state, addresses), then everything under it (objects, tasks, zones, pending changes...). */
const READS = [`GET ${SERVICE}`, `GET ${SERVICE}/*`];

export const RULE_GROUPS: readonly RuleGroup[] = [
  {
    id: "reads",
    usedBy: "getServerHealth, getFarmHealth, getInstancesState, getNatIps, getPendingChanges, getServiceStatus, getFailoverIps, getSslCertificate(s), getVrackNetwork(s), the LoadBalancer health output and `ovh-iplb status`",
    readOnly: true,
    rules: READS,
  },
  {
    id: "objects",
    usedBy: "HttpFarm, TcpFarm, UdpFarm, their FarmServers, HttpFrontend, TcpFrontend, UdpFrontend, HttpRoute, TcpRoute, HttpRouteRule, TcpRouteRule and Refresh",
    readOnly: false,
    rules: [
      ...READS,
      `POST ${SERVICE}/*/farm`,
      `POST ${SERVICE}/*/farm/*/server`,
      `POST ${SERVICE}/*/frontend`,
      `POST ${SERVICE}/*/route`,
      `POST ${SERVICE}/*/route/*/rule`,
      `PUT ${SERVICE}/*/farm/*`, // a farm, and the servers under it
      `PUT ${SERVICE}/*/frontend/*`,
      `PUT ${SERVICE}/*/route/*`, // a route, and the rules under it
      `DELETE ${SERVICE}/*/farm/*`,
      `DELETE ${SERVICE}/*/frontend/*`,
      `DELETE ${SERVICE}/*/route/*`, // a route, and the rules under it
      `POST ${SERVICE}/refresh`,
    ],
  },
  {
    id: "failoverIps",
    usedBy: "FailoverIpAttachment",
    readOnly: false,
    rules: [...READS, "GET /ip/*", "POST /ip/*/move", "POST /ip/*/park", `POST ${SERVICE}/refresh`],
  },
  {
    id: "freeCertificates",
    usedBy: "FreeCertificate",
    readOnly: false,
    // The refresh: what a Refresh batch staged (its frontends) goes live before the order.
    rules: [...READS, `POST ${SERVICE}/freeCertificate`, `DELETE ${SERVICE}/ssl/*`, `POST ${SERVICE}/refresh`],
  },
  {
    id: "serviceLookup",
    usedBy: "getIpLoadBalancing, getIpLoadBalancings (without serviceName, services this key may not read are skipped)",
    readOnly: true,
    rules: ["GET /ipLoadbalancing", `GET ${SERVICE}`],
  },
  {
    id: "serviceSettings",
    usedBy: "IpLoadBalancingSettings",
    readOnly: false,
    rules: [`GET ${SERVICE}`, `PUT ${SERVICE}`],
  },
  {
    id: "vrackNetworks",
    usedBy: "VrackNetwork",
    readOnly: false,
    // Describe, change, delete; updateFarmId attaches farms, whose staged changes the refresh makes live. A refused
    // write is explained by reading vrack/status and vrack/networkCreationRules (READS).
    rules: [
      ...READS,
      `POST ${SERVICE}/vrack/network`,
      `PUT ${SERVICE}/vrack/network/*`,
      `DELETE ${SERVICE}/vrack/network/*`,
      `POST ${SERVICE}/vrack/network/*/updateFarmId`,
      `POST ${SERVICE}/refresh`,
    ],
  },
  {
    id: "sslCertificates",
    usedBy: "SslCertificate",
    readOnly: false,
    // Upload, rename (displayName), delete; a refused delete reads the frontends (READS) to name the ones using it.
    rules: [...READS, `POST ${SERVICE}/ssl`, `PUT ${SERVICE}/ssl/*`, `DELETE ${SERVICE}/ssl/*`],
  },
];

/** A rule template (`METHOD path`) for one load balancer. */
function expand(template: string, serviceName: string): AccessRule {
  const [method, path] = template.split(" ");
  return { method: method as RuleMethod, path: path.replace("{serviceName}", encodeURIComponent(serviceName)) };
}

export function formatRule(rule: AccessRule): string {
  return `${rule.method} ${rule.path}`;
}

/** Each group's rules for `serviceName` (the read-only groups alone with `readOnly`). */
export function ruleGroups(serviceName: string, options: { readOnly?: boolean } = {}): { id: string; usedBy: string; rules: AccessRule[] }[] {
  return RULE_GROUPS.filter((g) => g.readOnly || !options.readOnly).map((g) => ({ id: g.id, usedBy: g.usedBy, rules: g.rules.map((t) => expand(t, serviceName)) }));
}

/** The minimal rules for everything of this package on `serviceName`, each once, in group order. */
export function accessRules(serviceName: string, options: { readOnly?: boolean } = {}): AccessRule[] {
  const seen = new Map<string, AccessRule>();
  for (const group of ruleGroups(serviceName, options)) for (const rule of group.rules) seen.set(formatRule(rule), rule);
  return [...seen.values()];
}

/** True when `rule` grants `method` on `path` (an API path, without base path or query). */
export function ruleCovers(rule: AccessRule, method: string, path: string): boolean {
  if (rule.method !== method) return false;
  const pattern = rule.path.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(path.split("?")[0]);
}

/** The load balancer an API path is about, when it names one. */
export function serviceOf(path: string): string | undefined {
  const segment = /^\/ipLoadbalancing\/([^/?]+)/.exec(path)?.[1];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The rule of the list that grants this call (for the load balancer the path names, else `serviceName`). */
export function ruleFor(method: string, path: string, serviceName?: string): AccessRule | undefined {
  const service = serviceOf(path) ?? serviceName ?? "{serviceName}";
  return accessRules(service).find((rule) => ruleCovers(rule, method, path));
}

/**
 * What to do when the API refused `method path` with 403 NOT_GRANTED_CALL: the rule to add (or the call itself, if
 * no rule of the list covers it), and the command that prints them all. Names settings, never a value.
 */
export function notGrantedHint(method: string, path: string, serviceName?: string): string {
  const service = serviceOf(path) ?? serviceName;
  const rule = ruleFor(method, path, service);
  const missing = rule ? `the access rule ${formatRule(rule)}` : `an access rule granting ${method} ${path.split("?")[0]}`;
  return (
    `The consumer key (ovh:consumerKey or OVH_CONSUMER_KEY) lacks ${missing}; request a key that has it: ` +
    `\`ovh-iplb access-rules ${service ?? "<serviceName>"}\` prints every rule this package needs and the POST /auth/credential body that requests them`
  );
}

/** The body of `POST /auth/credential` that requests a key with these rules (ovh-iplb-api.md 1.5). */
export function credentialRequest(rules: readonly AccessRule[], redirection?: string): { accessRules: AccessRule[]; redirection?: string } {
  return { accessRules: rules.map((r) => ({ method: r.method, path: r.path })), ...(redirection ? { redirection } : {}) };
}

/**
 * The `LoadBalancer` component's own rules: the names of its children and the cross-references between the parts of
 * one desired configuration (a frontend's farm, its certificate, its dedicated failover IPs; a route's frontend and
 * farm). Each child resource validates its own fields in `check()` (a rule's field for its protocol, a route's action
 * type and status); what only the whole configuration can tell is checked here, before anything is registered, and
 * every problem is reported at once.
 */
import * as failoverIp from "../provider/models/failoverIp";

export type Protocol = "http" | "tcp" | "udp";

type FrontendShape = { type: Protocol; zone?: unknown; farm?: unknown; certificate?: unknown; ssl?: unknown; dedicatedIpfo?: unknown };
type RouteShape = { frontend?: unknown; action?: unknown; rules?: unknown };

/** The parts of the configuration the cross-references read; values that are not plain (Outputs) are not judged. */
export interface LoadBalancerShape {
  farms: Record<string, { type: Protocol; zone?: unknown; servers?: unknown }>;
  frontends: Record<string, FrontendShape>;
  failoverIps: unknown[];
  certificates: Record<string, unknown>;
  routes?: Record<string, RouteShape>;
}

/** Keys become parts of Pulumi resource names (`lb-farm-web`), so they stay short and plain. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const childNames = {
  farm: (lb: string, key: string) => `${lb}-farm-${key}`,
  server: (lb: string, farm: string, key: string) => `${lb}-server-${farm}-${key}`,
  frontend: (lb: string, key: string) => `${lb}-frontend-${key}`,
  failoverIp: (lb: string, ip: string) => `${lb}-ip-${ip.replace(/\/32$/, "")}`,
  /** Free and custom certificates alike: one key space, so a frontend names either kind the same way. */
  certificate: (lb: string, key: string) => `${lb}-cert-${key}`,
  route: (lb: string, key: string) => `${lb}-route-${key}`,
  rule: (lb: string, route: string, key: string) => `${lb}-rule-${route}-${key}`,
};

/**
 * `custom` when the entry uploads a certificate (`certificate`/`key`), `free` when OVH orders one (`fqdn`): the
 * entry's own fields tell, so the free certificates of existing programs stay as they are.
 */
export function certificateKind(cert: unknown): "free" | "custom" {
  return isRecord(cert) && ("certificate" in cert || "key" in cert) ? "custom" : "free";
}

const list = (keys: string[]) => (keys.length > 0 ? keys.join(", ") : "none");
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function keyProblems(section: string, keys: string[]): string[] {
  return keys.filter((k) => !KEY_PATTERN.test(k)).map((k) => `${section}.${k}: keys are letters, digits, "_", "." and "-" (at most 63), not ${JSON.stringify(k)}`);
}

/** Who names a farm: a frontend, or a route through its frontend (whose protocol and zone it runs with). */
interface FarmUser {
  where: string;
  noun: "frontend" | "route";
  type: Protocol;
  zone: unknown;
}

/** A farm named by key: known, of the user's protocol, and in a zone the user's frontend can use. */
function farmProblem(farmKey: unknown, user: FarmUser, shape: LoadBalancerShape): string | undefined {
  const { where, noun, type } = user;
  if (typeof farmKey !== "string") return `${where}: the key of a farm of this load balancer is expected, not ${JSON.stringify(farmKey)}`;
  const farm = shape.farms[farmKey];
  if (!farm) return `${where}: "${farmKey}" is not a farm of this load balancer (farms: ${list(Object.keys(shape.farms))})`;
  if (farm.type !== type) return `${where}: "${farmKey}" is a ${farm.type.toUpperCase()} farm; a ${type.toUpperCase()} ${noun} needs a ${type.toUpperCase()} farm`;
  const zonesKnown = typeof farm.zone === "string" && typeof user.zone === "string";
  if (zonesKnown && farm.zone !== "all" && farm.zone !== user.zone) {
    const whose = noun === "frontend" ? "the frontend" : "the route's frontend";
    return `${where}: farm "${farmKey}" is in zone ${farm.zone as string}, ${whose} in ${user.zone as string}; use the same zone, or put the farm in "all"`;
  }
  return undefined;
}

/** A frontend's certificate (free or custom): known, on a protocol with TLS, and with `ssl` not turned off. */
function certificateProblem(key: string, fe: FrontendShape, shape: LoadBalancerShape): string | undefined {
  if (fe.certificate === undefined) return undefined;
  const where = `frontends.${key}.certificate`;
  if (fe.type === "udp") return `${where}: UDP frontends have no TLS, so no certificate`;
  if (typeof fe.certificate !== "string" || !(fe.certificate in shape.certificates)) {
    return `${where}: ${JSON.stringify(fe.certificate)} is not a certificate of this load balancer (certificates: ${list(Object.keys(shape.certificates))})`;
  }
  if (fe.ssl === false) return `${where}: the frontend sets ssl: false, so it would never use the certificate; remove one of them`;
  return undefined;
}

/** Dedicated failover IPs must be attached by this load balancer, or the frontend would listen on an IP it lacks. */
function dedicatedIpProblems(key: string, fe: FrontendShape, attached: Set<string>): string[] {
  if (!Array.isArray(fe.dedicatedIpfo)) return [];
  return fe.dedicatedIpfo
    .filter((ip): ip is string => typeof ip === "string")
    .filter((ip) => !attached.has(failoverIp.ipBlock(ip) ?? ip))
    .map((ip) => `frontends.${key}.dedicatedIpfo: ${ip} is not attached to this load balancer; add it to failoverIps`);
}

function frontendProblems(shape: LoadBalancerShape): string[] {
  const attached = new Set(shape.failoverIps.map((ip) => (typeof ip === "string" ? failoverIp.ipBlock(ip) ?? ip : "")));
  return Object.entries(shape.frontends).flatMap(([key, fe]) => {
    const user: FarmUser = { where: `frontends.${key}.farm`, noun: "frontend", type: fe.type, zone: fe.zone };
    const farm = fe.farm === undefined ? undefined : farmProblem(fe.farm, user, shape);
    const cert = certificateProblem(key, fe, shape);
    return [...(farm ? [farm] : []), ...(cert ? [cert] : []), ...dedicatedIpProblems(key, fe, attached)];
  });
}

/** Each certificate is used, and says what it is: an order (`fqdn`) or an upload (`certificate`, `key`), not both. */
function certificateEntryProblems(shape: LoadBalancerShape): string[] {
  const used = new Set(Object.values(shape.frontends).map((fe) => fe.certificate));
  return Object.entries(shape.certificates).flatMap(([key, cert]) => [
    ...(certificateKind(cert) === "custom" && isRecord(cert) && "fqdn" in cert
      ? [`certificates.${key}: fqdn orders a free certificate, certificate and key upload your own; give one or the other`]
      : []),
    ...(used.has(key) ? [] : [`certificates.${key}: used by no HTTPS frontend; set certificate: "${key}" on an HTTP or TCP frontend, or remove it`]),
  ]);
}

/** A route's frontend: known, and HTTP or TCP (the route takes its protocol and zone). */
function routeFrontend(key: string, route: RouteShape, shape: LoadBalancerShape): { problem?: string; frontend?: FrontendShape } {
  const where = `routes.${key}.frontend`;
  if (typeof route.frontend !== "string") return { problem: `${where}: the key of a frontend of this load balancer is expected, not ${JSON.stringify(route.frontend)}` };
  const frontend = shape.frontends[route.frontend];
  if (!frontend) return { problem: `${where}: "${route.frontend}" is not a frontend of this load balancer (frontends: ${list(Object.keys(shape.frontends))})` };
  if (frontend.type === "udp") return { problem: `${where}: "${route.frontend}" is a UDP frontend; OVH routes only HTTP and TCP frontends` };
  return { frontend };
}

/** One route: its frontend, its action's farm (checked like a frontend's, against the route's frontend), its rules' keys. */
function routeProblems(key: string, route: RouteShape, shape: LoadBalancerShape): string[] {
  const { problem, frontend } = routeFrontend(key, route, shape);
  const problems = problem ? [problem] : [];
  const action = route.action;
  if (!isRecord(action)) {
    problems.push(`routes.${key}.action: { type: "farm", farm: "<farm key>" }, { type: "redirect", target } or { type: "reject" } is expected, not ${JSON.stringify(action)}`);
  } else if (action.type === "farm" && frontend) {
    const farm = farmProblem(action.farm, { where: `routes.${key}.action.farm`, noun: "route", type: frontend.type, zone: frontend.zone }, shape);
    if (farm) problems.push(farm);
  }
  if (route.rules === undefined) return problems;
  if (!isRecord(route.rules)) {
    // An index would name each rule's resource: removing the first would rewrite every rule after it.
    return [...problems, `routes.${key}.rules: rules by key are expected ({ api: { field: "uri", match: "startswith", pattern: "/api" } }), so that each rule keeps its name when another is added or removed`];
  }
  return [...problems, ...keyProblems(`routes.${key}.rules`, Object.keys(route.rules))];
}

/**
 * Child names join two keys with "-" (`<lb>-server-<farm>-<key>`, `<lb>-rule-<route>-<key>`), so two pairs can make
 * the same name (farm "a-b" server "c", farm "a" server "b-c"); Pulumi would refuse the second after registering others.
 */
function childNameProblems(shape: LoadBalancerShape): string[] {
  const keysOf = (v: unknown) => (isRecord(v) ? Object.keys(v) : []);
  const named: [path: string, name: string][] = [
    ...Object.entries(shape.farms).flatMap(([f, farm]) => keysOf(farm.servers).map((k) => [`farms.${f}.servers.${k}`, childNames.server("<name>", f, k)] as [string, string])),
    ...Object.entries(shape.routes ?? {}).flatMap(([r, route]) => keysOf(route.rules).map((k) => [`routes.${r}.rules.${k}`, childNames.rule("<name>", r, k)] as [string, string])),
  ];
  const first = new Map<string, string>();
  return named.flatMap(([path, name]) => {
    const taken = first.get(name);
    if (taken === undefined) first.set(name, path);
    return taken === undefined ? [] : [`${path}: its resource name (${name}) is also that of ${taken}; rename one of the keys`];
  });
}

/** Every problem of the configuration as a whole, in a stable order; empty when it holds together. */
export function loadBalancerProblems(shape: LoadBalancerShape): string[] {
  const routes = shape.routes ?? {};
  return [
    ...keyProblems("farms", Object.keys(shape.farms)),
    ...keyProblems("frontends", Object.keys(shape.frontends)),
    ...keyProblems("certificates", Object.keys(shape.certificates)),
    ...keyProblems("routes", Object.keys(routes)),
    ...frontendProblems(shape),
    ...certificateEntryProblems(shape),
    ...Object.entries(routes).flatMap(([key, route]) => routeProblems(key, route, shape)),
    ...childNameProblems(shape),
  ];
}

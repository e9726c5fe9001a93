/**
 * The `LoadBalancer` component's own rules: the names of its children and the cross-references between the parts of
 * one desired configuration (a frontend's farm, its certificate, its dedicated failover IPs). Each child resource
 * validates its own fields in `check()`; what only the whole configuration can tell is checked here, before anything
 * is registered, and every problem is reported at once.
 */
import * as failoverIp from "../provider/models/failoverIp";

export type Protocol = "http" | "tcp" | "udp";

/** The parts of the configuration the cross-references read; values that are not plain (Outputs) are not judged. */
export interface LoadBalancerShape {
  farms: Record<string, { type: Protocol; zone?: unknown }>;
  frontends: Record<string, { type: Protocol; zone?: unknown; farm?: unknown; certificate?: unknown; ssl?: unknown; dedicatedIpfo?: unknown }>;
  failoverIps: unknown[];
  certificates: Record<string, unknown>;
}

/** Keys become parts of Pulumi resource names (`lb-farm-web`), so they stay short and plain. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const childNames = {
  farm: (lb: string, key: string) => `${lb}-farm-${key}`,
  server: (lb: string, farm: string, key: string) => `${lb}-server-${farm}-${key}`,
  frontend: (lb: string, key: string) => `${lb}-frontend-${key}`,
  failoverIp: (lb: string, ip: string) => `${lb}-ip-${ip.replace(/\/32$/, "")}`,
  certificate: (lb: string, key: string) => `${lb}-cert-${key}`,
};

const list = (keys: string[]) => (keys.length > 0 ? keys.join(", ") : "none");

function keyProblems(section: string, keys: string[]): string[] {
  return keys.filter((k) => !KEY_PATTERN.test(k)).map((k) => `${section}.${k}: keys are letters, digits, "_", "." and "-" (at most 63), not ${JSON.stringify(k)}`);
}

/** A frontend's farm: known, of the frontend's protocol, and in a zone the frontend can use. */
function farmProblem(key: string, fe: LoadBalancerShape["frontends"][string], shape: LoadBalancerShape): string | undefined {
  if (fe.farm === undefined) return undefined;
  const where = `frontends.${key}.farm`;
  if (typeof fe.farm !== "string") return `${where}: the key of a farm of this load balancer is expected, not ${JSON.stringify(fe.farm)}`;
  const farm = shape.farms[fe.farm];
  if (!farm) return `${where}: "${fe.farm}" is not a farm of this load balancer (farms: ${list(Object.keys(shape.farms))})`;
  if (farm.type !== fe.type) return `${where}: "${fe.farm}" is a ${farm.type.toUpperCase()} farm; a ${fe.type.toUpperCase()} frontend needs a ${fe.type.toUpperCase()} farm`;
  const zonesKnown = typeof farm.zone === "string" && typeof fe.zone === "string";
  if (zonesKnown && farm.zone !== "all" && farm.zone !== fe.zone) {
    return `${where}: farm "${fe.farm}" is in zone ${farm.zone as string}, the frontend in ${fe.zone as string}; use the same zone, or put the farm in "all"`;
  }
  return undefined;
}

/** A frontend's certificate: known, on a protocol with TLS, and with `ssl` not turned off. */
function certificateProblem(key: string, fe: LoadBalancerShape["frontends"][string], shape: LoadBalancerShape): string | undefined {
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
function dedicatedIpProblems(key: string, fe: LoadBalancerShape["frontends"][string], attached: Set<string>): string[] {
  if (!Array.isArray(fe.dedicatedIpfo)) return [];
  return fe.dedicatedIpfo
    .filter((ip): ip is string => typeof ip === "string")
    .filter((ip) => !attached.has(failoverIp.ipBlock(ip) ?? ip))
    .map((ip) => `frontends.${key}.dedicatedIpfo: ${ip} is not attached to this load balancer; add it to failoverIps`);
}

/** Every problem of the configuration as a whole, in a stable order; empty when it holds together. */
export function loadBalancerProblems(shape: LoadBalancerShape): string[] {
  const problems = [
    ...keyProblems("farms", Object.keys(shape.farms)),
    ...keyProblems("frontends", Object.keys(shape.frontends)),
    ...keyProblems("certificates", Object.keys(shape.certificates)),
  ];
  const attached = new Set(shape.failoverIps.map((ip) => (typeof ip === "string" ? failoverIp.ipBlock(ip) ?? ip : "")));
  for (const [key, fe] of Object.entries(shape.frontends)) {
    const farm = farmProblem(key, fe, shape);
    const cert = certificateProblem(key, fe, shape);
    problems.push(...(farm ? [farm] : []), ...(cert ? [cert] : []), ...dedicatedIpProblems(key, fe, attached));
  }
  const used = new Set(Object.values(shape.frontends).map((fe) => fe.certificate));
  for (const key of Object.keys(shape.certificates)) {
    if (!used.has(key)) problems.push(`certificates.${key}: used by no HTTPS frontend; set certificate: "${key}" on an HTTP or TCP frontend, or remove it`);
  }
  return problems;
}

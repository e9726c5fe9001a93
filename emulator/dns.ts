/**
 * Which host names point at the load balancer, for free-certificate orders: OVH validates each name with an HTTP
 * request through the load balancer, which only reaches it when the name resolves there. Exact names or `*.suffix`.
 */
export interface Dns {
  routed(fqdn: string): boolean;
  add(pattern: string): void;
}

export function createDns(patterns: readonly string[] = []): Dns {
  const known = new Set(patterns);
  return {
    routed: (fqdn) => [...known].some((p) => (p.startsWith("*.") ? fqdn.endsWith(p.slice(1)) : p === fqdn)),
    add: (pattern) => void known.add(pattern),
  };
}

/**
 * Which host names point at the load balancer, for free-certificate orders: OVH validates each name with an HTTP
 * request through the load balancer, which only reaches it when the name resolves there. Exact names or `*.suffix`.
 *
 * `remove` models DNS moving away. A removed exact name stays unrouted even under a routed `*.suffix` (as a specific
 * record overrides a wildcard one in a real zone) until it is added again, exactly or by a new `*.suffix`.
 */
export interface Dns {
  routed(fqdn: string): boolean;
  add(pattern: string): void;
  remove(pattern: string): void;
}

const matches = (pattern: string, fqdn: string) => (pattern.startsWith("*.") ? fqdn.endsWith(pattern.slice(1)) : pattern === fqdn);

export function createDns(patterns: readonly string[] = []): Dns {
  const known = new Set(patterns);
  const movedAway = new Set<string>();
  return {
    routed: (fqdn) => !movedAway.has(fqdn) && [...known].some((p) => matches(p, fqdn)),
    add: (pattern) => {
      known.add(pattern);
      for (const name of [...movedAway]) if (matches(pattern, name)) movedAway.delete(name);
    },
    remove: (pattern) => {
      known.delete(pattern);
      if (!pattern.startsWith("*.")) movedAway.add(pattern);
    },
  };
}

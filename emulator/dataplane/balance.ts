/**
 * The farm's `balance` algorithms over the servers that may take new traffic (pool.ts decides which), as the OVH
 * balancing guide describes them (ovh/docs pages/network/load_balancer/create_balancing/guide.en-gb.md):
 * - `roundrobin` (default, `balance: null`): "selects the servers one after the other", weighted as the schema says
 *   ("Servers with higher weight get more requests"). Smooth weighted round robin (nginx's): over every run of
 *   sum(weights) picks each server gets exactly its weight, interleaved (weights 1/2/3 -> c b a c b c). HAProxy's
 *   own weighted round robin spreads the same shares with another order; the emulator's order is exact and
 *   documented so tests can assert it. The cycle restarts when the set of servers changes (one goes down, comes back).
 * - `first`: "The first available server receives the connection ... according to its ID, from smallest to largest".
 *   With no connection limit (the API has none), that is always the lowest id.
 * - `leastconn`: the lowest number of active connections (relative to weight, as HAProxy counts it); "the
 *   RoundRobin algorithm is applied to groups of servers that have the same number of active connections".
 * - `source` / `uri`: "hashes the source IP address [the URI], then divides the result by the number of servers
 *   currently running" -> hash modulo the total weight of the servers able to take traffic, each server owning
 *   `weight` slots in id order (HAProxy's map-based hashing). The hash is FNV-1a (32 bits); OVH's function is not
 *   documented, so which server a given address lands on differs from OVH; that it stays there while the set of
 *   servers is unchanged does not. `uri` hashes the path before `?` (HAProxy's default for `balance uri`).
 */

export interface Candidate {
  id: number;
  /** > 0: servers of weight 0 never take new traffic (pool.ts leaves them out). */
  weight: number;
}

/** Round-robin memory of one farm: the running score of each server, for the set of servers it was computed on. */
export interface RoundRobin {
  members: string;
  current: Map<number, number>;
}

export const newRoundRobin = (): RoundRobin => ({ members: "", current: new Map() });

/** FNV-1a, 32 bits. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Smooth weighted round robin: every score grows by its weight, the highest wins (lowest id on a tie) and pays the total. */
export function roundRobin(candidates: readonly Candidate[], state: RoundRobin): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const members = candidates.map((c) => `${c.id}:${c.weight}`).join(",");
  if (members !== state.members) state.current.clear();
  state.members = members;
  let best: Candidate | undefined;
  let total = 0;
  for (const c of candidates) {
    total += c.weight;
    const score = (state.current.get(c.id) ?? 0) + c.weight;
    state.current.set(c.id, score);
    if (!best || score > state.current.get(best.id)!) best = c;
  }
  state.current.set(best!.id, state.current.get(best!.id)! - total);
  return best;
}

/** The server owning slot `hash % total weight`, slots laid out by id. */
export function byHash(candidates: readonly Candidate[], key: string): Candidate | undefined {
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  if (total === 0) return undefined;
  let slot = hash(key) % total;
  for (const c of candidates) {
    if (slot < c.weight) return c;
    slot -= c.weight;
  }
  return undefined;
}

/** Fewest active connections per unit of weight; ties share round robin among themselves. */
export function leastConnections(candidates: readonly Candidate[], active: (id: number) => number, state: RoundRobin): Candidate | undefined {
  const load = (c: Candidate) => active(c.id) / c.weight;
  const lowest = Math.min(...candidates.map(load));
  return roundRobin(candidates.filter((c) => load(c) === lowest), state);
}

export interface BalanceInput {
  balance: string | null;
  /** Sorted by id. */
  candidates: readonly Candidate[];
  state: RoundRobin;
  clientAddress: string;
  path: string;
  active: (id: number) => number;
}

export function pickServer(input: BalanceInput): Candidate | undefined {
  const { candidates } = input;
  switch (input.balance) {
    case "first":
      return candidates[0];
    case "leastconn":
      return leastConnections(candidates, input.active, input.state);
    case "source":
      return byHash(candidates, input.clientAddress);
    case "uri":
      return byHash(candidates, input.path);
    default:
      return roundRobin(candidates, input.state);
  }
}

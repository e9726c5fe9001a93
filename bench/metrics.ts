/**
 * What one run measured, from the emulator's request log and the engine's state: API calls by method, refreshes,
 * writes, reads, the state each resource takes, and the size of the serialized providers.
 */
import type { LoggedRequest } from "./emulatorProcess";

export interface ApiCounts {
  GET: number;
  POST: number;
  PUT: number;
  DELETE: number;
  /** node-ovh's clock sync, `GET /auth/time` (counted in GET too). */
  authTime: number;
  /** GETs other than `/auth/time`. */
  reads: number;
  /** POST, PUT and DELETE other than refreshes. */
  writes: number;
  /** Accepted `POST .../refresh`. */
  refreshes: number;
  /** Zone of each accepted refresh (`all` when the body named none), sorted. */
  refreshZones: string[];
  /** Answers with a status other than 200 (a refused refresh, a retried call). */
  failed: number;
  /** Per read path kind: `task`, `pendingChanges`, `server`, `farm`, ... */
  readsByKind: Record<string, number>;
}

const isRefresh = (r: LoggedRequest) => r.method === "POST" && /^\/ipLoadbalancing\/[^/]+\/refresh$/.test(r.path);

/** What a GET reads, from its path: the last segment that is not an id. */
export function readKind(path: string): string {
  const parts = path.split("/").filter(Boolean);
  const named = parts.filter((p) => !/^\d+$/.test(p));
  const last = named[named.length - 1] ?? "";
  const isItem = /^\d+$/.test(parts[parts.length - 1] ?? "");
  return isItem ? last : `${last} (list)`;
}

export function countCalls(requests: LoggedRequest[]): ApiCounts {
  const counts: ApiCounts = { GET: 0, POST: 0, PUT: 0, DELETE: 0, authTime: 0, reads: 0, writes: 0, refreshes: 0, refreshZones: [], failed: 0, readsByKind: {} };
  for (const r of requests) {
    const method = r.method as "GET" | "POST" | "PUT" | "DELETE";
    if (method in counts) counts[method]++;
    if (r.status !== 200) counts.failed++;
    if (method === "GET" && r.path === "/auth/time") counts.authTime++;
    else if (method === "GET") {
      counts.reads++;
      const kind = readKind(r.path);
      counts.readsByKind[kind] = (counts.readsByKind[kind] ?? 0) + 1;
    } else if (isRefresh(r)) {
      if (r.status === 200) {
        counts.refreshes++;
        counts.refreshZones.push(r.zone ?? "all");
      }
    } else counts.writes++;
  }
  counts.refreshZones.sort();
  return counts;
}

export interface StateSize {
  resources: number;
  /** Mean bytes per resource of its state entry (urn, type, id, inputs, outputs, dependencies) as JSON. */
  bytesPerResource: number;
  /** Of which the `__provider` text (it is in both the inputs and the outputs). */
  providerBytesPerResource: number;
  /** Length of each distinct serialized provider, by resource type. */
  providerSizes: Record<string, number>;
}

/** A resource's entry in the state, as either engine keeps it. */
export interface StateEntry {
  urn: string;
  type: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies?: string[];
  parent?: string;
}

export function stateSize(resources: StateEntry[]): StateSize {
  let total = 0;
  let provider = 0;
  const providerSizes: Record<string, number> = {};
  for (const r of resources) {
    const entry = { urn: r.urn, type: r.type, id: r.id, inputs: r.inputs, outputs: r.outputs, dependencies: r.dependencies, parent: r.parent };
    total += Buffer.byteLength(JSON.stringify(entry));
    for (const bag of [r.inputs, r.outputs]) {
      const text = bag.__provider;
      if (typeof text === "string") {
        provider += Buffer.byteLength(JSON.stringify(text));
        providerSizes[r.type.replace(/^pulumi-nodejs:dynamic\//, "")] = Buffer.byteLength(text);
      }
    }
  }
  const n = Math.max(1, resources.length);
  return { resources: resources.length, bytesPerResource: Math.round(total / n), providerBytesPerResource: Math.round(provider / n), providerSizes };
}

/** When each refresh was posted and how long the run's API traffic lasted, in ms from the start of the run. */
export interface Timeline {
  firstCallMs: number | null;
  lastCallMs: number | null;
  refreshesAtMs: number[];
}

export function timeline(requests: LoggedRequest[], startedAt: number): Timeline {
  const at = (r: LoggedRequest) => Date.parse(r.time) - startedAt;
  return {
    firstCallMs: requests.length > 0 ? at(requests[0]) : null,
    lastCallMs: requests.length > 0 ? Math.max(...requests.map((r) => at(r) + r.durationMs)) : null,
    refreshesAtMs: requests.filter((r) => isRefresh(r) && r.status === 200).map(at),
  };
}

/** Total length of the union of `intervals`: the time during which at least one of them was open. */
export function unionMs(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** One provider call as the engine saw it: sent at `startMs`, answered at `endMs`. */
export interface CallRecord {
  method: string;
  urn: string;
  startMs: number;
  endMs: number;
}

/** A resource of the graph: what the engine waits for before its step (dependencies and parent). */
export interface GraphNode {
  urn: string;
  dependencies: string[];
  parent?: string;
}

/**
 * The provider's critical path: how long the deployment would take if the language runtime, the program and the
 * engine took no time, with the provider's calls taking as long as they did. The same critical path as the floor's:
 * - registrations: a resource's calls (check, diff, create or update) run one after the other, once every resource it
 *   depends on has ended its step: cp(r) = its calls + max cp(dependency); the deployment's is the largest cp;
 * - deletions: the engine deletes antichain by antichain (`deleteChains`, dependents first), each in parallel: the sum
 *   of each antichain's longest delete.
 */
export function criticalPath(calls: CallRecord[], nodes: GraphNode[], deleteChains: string[][]): { registrationMs: number; deletionMs: number } {
  const own = new Map<string, number>();
  const deletes = new Map<string, number>();
  for (const c of calls) {
    const target = c.method === "delete" ? deletes : own;
    target.set(c.urn, (target.get(c.urn) ?? 0) + (c.endMs - c.startMs));
  }
  const byUrn = new Map(nodes.map((n) => [n.urn, n]));
  const memo = new Map<string, number>();
  const cp = (urn: string, seen: Set<string>): number => {
    const known = memo.get(urn);
    if (known !== undefined) return known;
    if (seen.has(urn)) return 0;
    seen.add(urn);
    const node = byUrn.get(urn);
    const before = node ? [...node.dependencies, ...(node.parent ? [node.parent] : [])] : [];
    const value = (own.get(urn) ?? 0) + Math.max(0, ...before.map((d) => cp(d, seen)));
    memo.set(urn, value);
    return value;
  };
  const urns = new Set([...byUrn.keys(), ...own.keys()]);
  const registrationMs = Math.max(0, ...[...urns].map((u) => cp(u, new Set())));
  const deletionMs = deleteChains.reduce((sum, chain) => sum + Math.max(0, ...chain.map((u) => deletes.get(u) ?? 0)), 0);
  return { registrationMs, deletionMs };
}

export interface CallStats {
  n: number;
  /** When the first call of the kind was sent and the last one answered, in ms from the start of the run. */
  firstMs: number;
  lastMs: number;
  meanMs: number;
  maxMs: number;
}

/** Provider calls by method and resource type (`create HttpFarmServer`): where the provider's time went. */
export function callStats(calls: CallRecord[]): Record<string, CallStats> {
  const out: Record<string, CallStats & { sum: number }> = {};
  for (const c of calls) {
    const type = c.urn.split("::")[2]?.split("/").pop()?.split(":").pop() ?? "";
    const key = `${c.method}${type ? ` ${type}` : ""}`;
    const s = (out[key] ??= { n: 0, firstMs: Infinity, lastMs: 0, meanMs: 0, maxMs: 0, sum: 0 });
    const d = c.endMs - c.startMs;
    s.n++;
    s.sum += d;
    s.firstMs = Math.min(s.firstMs, c.startMs);
    s.lastMs = Math.max(s.lastMs, c.endMs);
    s.maxMs = Math.max(s.maxMs, d);
  }
  return Object.fromEntries(Object.entries(out).map(([k, { sum, ...s }]) => [k, {
    n: s.n, firstMs: Math.round(s.firstMs), lastMs: Math.round(s.lastMs), meanMs: Math.round(sum / s.n), maxMs: Math.round(s.maxMs),
  }]));
}

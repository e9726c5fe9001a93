/**
 * The load of bench/dataPlane.ts: HTTP/1.1 keep-alive clients on loopback, with the same code whether they reach the
 * backend directly or through the data plane, so the difference is the proxy's. Durations from `performance.now()`.
 */
import * as http from "http";

/** Summary of per-request durations in ms: median, 90th and 99th percentiles, mean. */
export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

/** Where requests go: the backend itself, or the frontend's local port on 127.0.0.1. */
export interface Target {
  host: string;
  port: number;
}

/** The value at rank ceil(p x n) of the sorted samples (nearest rank), 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p99: round(percentile(sorted, 0.99)), mean: round(mean) };
}

/** One GET through `agent`; resolves when the whole answer arrived (its status must be 200). */
export function get(target: Target, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export const keepAliveAgent = (sockets: number): http.Agent => new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

/** `count` requests one after the other on one keep-alive connection (after `warmup` unmeasured ones): each one's ms. */
export async function sequential(target: Target, count: number, warmup = 200): Promise<number[]> {
  const agent = keepAliveAgent(1);
  try {
    for (let i = 0; i < warmup; i++) await get(target, agent);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await get(target, agent);
      samples.push(performance.now() - t0);
    }
    return samples;
  } finally {
    agent.destroy();
  }
}

/** `connections` keep-alive connections each sending requests back to back for `seconds`: answers per second. */
export async function throughput(target: Target, connections: number, seconds: number): Promise<{ requests: number; seconds: number; perSecond: number }> {
  const agent = keepAliveAgent(connections);
  let requests = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      await get(target, agent);
      requests++;
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
  const took = (performance.now() - t0) / 1000;
  return { requests, seconds: Math.round(took * 100) / 100, perSecond: Math.round(requests / took) };
}

/** Opens `count` keep-alive connections at once, each with one answered request; the agent holds them open. */
export async function openConnections(target: Target, count: number): Promise<http.Agent> {
  const agent = keepAliveAgent(count);
  await Promise.all(Array.from({ length: count }, () => get(target, agent)));
  const open = Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  if (open !== count) throw new Error(`${open} of ${count} connections stayed open`);
  return agent;
}

/** Sends `count` requests at once on as many connections; `answered` resolves when all were answered. */
export function inFlight(target: Target, count: number): { agent: http.Agent; answered: Promise<void> } {
  const agent = keepAliveAgent(count);
  const answered = Promise.all(Array.from({ length: count }, () => get(target, agent))).then(() => undefined);
  return { agent, answered };
}

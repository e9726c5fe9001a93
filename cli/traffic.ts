/**
 * Traffic counters for `ovh-iplb status` when it points at an emulator that carries traffic (`--data-plane`): read
 * from the emulator's own control surface (`GET /_emulator/data-plane`, emulator/dataplane/control.ts), which the
 * emulator's JSON line names in `dataPlane.url`. OVH's API has no such counters, so against the real service, or an
 * emulator without a data plane, there is no Traffic column at all rather than a column of zeros that would lie.
 *
 * The control surface is unsigned, on the emulator's own HTTPS server: it is trusted with the same CA file as the API.
 * Its counters add up across refreshes (counters.ts in the emulator), so they tell what went where since it started.
 */
import * as fs from "fs";
import * as https from "https";

/** Where the counters are: the control surface's URL, and the CA file that signs the emulator's certificate. */
export interface TrafficSource {
  url: string;
  caFile?: string;
}

export interface ServerTraffic {
  /** HTTP requests sent to the server, or TCP connections opened to it. */
  requests: number;
  /** Requests in flight, or TCP connections open. */
  active: number;
  bytesIn: number;
  bytesOut: number;
}

/** By server id (ids are unique within a load balancer, whatever the protocol). */
export type TrafficByServer = Map<number, ServerTraffic>;

/** The control surface refuses nothing but a wrong path; anything slower than this is not an answer worth waiting for. */
const READ_TIMEOUT_MS = 10_000;

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The JSON line's `dataPlane.url`, when it has one. It must be on the emulator's own origin (the `url` of the same
 * line): the CA trusted for it is the emulator's, and the command contacts nothing but the endpoint it was given.
 */
export function trafficSource(info: Record<string, unknown>, apiUrl: string): TrafficSource | undefined {
  const dataPlane = info.dataPlane;
  if (typeof dataPlane !== "object" || dataPlane === null) return undefined;
  const url = (dataPlane as Record<string, unknown>).url;
  if (typeof url !== "string") return undefined;
  if (originOf(url) === undefined || originOf(url) !== originOf(apiUrl)) {
    throw new Error(`the JSON's "dataPlane.url" is not on the origin of its "url" (${originOf(apiUrl) ?? apiUrl})`);
  }
  return { url, caFile: typeof info.caFile === "string" && info.caFile !== "" ? info.caFile : undefined };
}

/** The control surface's JSON, trusting the emulator's CA. */
export function getJson(source: TrafficSource): Promise<unknown> {
  const ca = source.caFile === undefined ? undefined : fs.readFileSync(source.caFile);
  return new Promise((resolve, reject) => {
    const req = https.get(source.url, { ca }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${source.url} answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`GET ${source.url} did not answer JSON`));
        }
      });
      res.on("error", reject);
    });
    req.setTimeout(READ_TIMEOUT_MS, () => req.destroy(new Error(`GET ${source.url}: no answer in ${READ_TIMEOUT_MS / 1000} s`)));
    req.on("error", (e) => reject(new Error(`GET ${source.url} failed: ${e.message}`)));
  });
}

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/**
 * The control surface's `servers` rows summed per server over the zones kept (every zone, or `zone`): a server of a
 * farm in zone `all` runs, and counts, in each zone.
 */
export function sumByServer(snapshot: unknown, zone?: string): TrafficByServer {
  const rows = (snapshot as { servers?: unknown } | null)?.servers;
  if (!Array.isArray(rows)) throw new Error("the answer has no \"servers\" list: is it an emulator's data-plane control surface?");
  const traffic: TrafficByServer = new Map();
  for (const row of rows as Record<string, unknown>[]) {
    if (typeof row?.serverId !== "number" || (zone !== undefined && row.zone !== zone)) continue;
    const sum = traffic.get(row.serverId) ?? { requests: 0, active: 0, bytesIn: 0, bytesOut: 0 };
    traffic.set(row.serverId, {
      requests: sum.requests + count(row.requests),
      active: sum.active + count(row.active),
      bytesIn: sum.bytesIn + count(row.bytesIn),
      bytesOut: sum.bytesOut + count(row.bytesOut),
    });
  }
  return traffic;
}

export async function readTraffic(source: TrafficSource, zone?: string): Promise<TrafficByServer> {
  return sumByServer(await getJson(source), zone);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The Traffic cell: `3 requests, 1 active` (HTTP), `2 connections, 1 open` (TCP, where the emulator counts
 * connections); `-` for a server without counters: UDP (the data plane carries no UDP) or not live yet (staged only).
 */
export function trafficCell(farmType: string, traffic: ServerTraffic | undefined): string {
  if (traffic === undefined || farmType === "udp") return "-";
  if (farmType === "tcp") return `${plural(traffic.requests, "connection")}, ${traffic.active} open`;
  return `${plural(traffic.requests, "request")}, ${traffic.active} active`;
}

/**
 * `npx ts-node --transpile-only bench/recovery.ts`: what one create's recovery costs on a crowded service (issue 14
 * point 12). A service holds N HTTP farms in one zone, one of them the twin an interrupted deployment left (POSTed,
 * never applied, unknown to the state); the provider's HttpFarm create then looks for that twin
 * (provider/changes/adoptOrCreate.ts): it lists the zone's farms, reads them, takes the twin over and makes it live.
 * Reported: the requests that create sent, by kind, and the most GETs of one farm in flight at once (from the
 * emulator's log: each request's arrival and answer), which is what a rate limit sees.
 *
 * The emulator runs in a process of its own (bench/emulatorClient.ts), as the real API is on another machine: in this
 * process it would share the event loop with the provider and accept connections only as fast as that loop turns.
 * Self-contained otherwise, so that it also runs unchanged on an older commit (a git worktree) for a before/after: it
 * uses only the emulator process, its request log, and the provider registry's `HttpFarm`.
 *
 *   --farms N            farms on the service, the twin included (default 300)
 *   --latency-ms L       added to every answer (default 50)
 *   --refresh-seconds R  refresh task duration (default 0.5)
 *   --out NAME           bench/results/NAME.md and .json (default recovery)
 */
/// <reference path="../provider/api/ovh.d.ts" />
import * as fs from "fs";
import * as path from "path";
import ovh = require("ovh");
import { providers } from "../provider/registry";
import { EmulatorClient } from "./emulatorClient";
import { runScript } from "./runScript";

/** One request of the emulator's log (bench/emulatorProcess.ts `LoggedRequest`). */
interface Entry {
  method: string;
  path: string;
  status: number;
  time: string;
  durationMs: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** The most requests in flight at once: each from its arrival to its answer. */
export function peakConcurrency(entries: readonly Entry[]): number {
  const edges = entries.flatMap((e) => {
    const start = Date.parse(e.time);
    return [{ t: start, d: 1 }, { t: start + e.durationMs, d: -1 }];
  });
  // Ends before starts at the same millisecond: an answer and the next request of a worker do not overlap.
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (now += e.d));
  return peak;
}

function kind(e: Entry, farms: string): string {
  if (e.path === "/auth/time") return "GET /auth/time";
  if (e.method === "GET" && e.path === farms) return "GET farm list";
  if (e.method === "GET" && e.path.startsWith(`${farms}/`) && /^\d+$/.test(e.path.slice(farms.length + 1))) return "GET one farm";
  if (e.method === "GET" && /\/task\/\d+$/.test(e.path)) return "GET task (polls)";
  return `${e.method} ${e.path.replace(/^\/ipLoadbalancing\/[^/]+/, "").replace(/\/\d+/g, "/{id}") || "/"}`;
}

async function seed(client: ovh.OvhClient, farms: string, n: number, twin: Record<string, unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n - 1; i = next++) await client.requestPromised("POST", farms, { zone: "gra", port: 10000 + i, displayName: `other-${i}` });
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await client.requestPromised("POST", farms, twin);
}

async function main(): Promise<void> {
  const n = Number(option("farms", "300"));
  const latencyMs = Number(option("latency-ms", "50"));
  const out = option("out", "recovery");
  const emu = await EmulatorClient.start({ refreshSeconds: Number(option("refresh-seconds", "0.5")), faults: { latencyMs }, zones: ["gra", "rbx"] });
  try {
    const { info } = emu;
    const farms = `/ipLoadbalancing/${info.serviceName}/http/farm`;
    const twin = { zone: "gra", port: 8080, displayName: "recovered" };
    await seed(emu.ovh(), farms, n, twin);
    const settings: Record<string, string> = { "ovh:endpoint": info.url, "ovh:applicationKey": info.applicationKey, "ovh:applicationSecret": info.applicationSecret, "ovh:consumerKey": info.consumerKey, "ovh-iplb:caFile": info.caFile };
    const provider = Object.create(providers.HttpFarm) as typeof providers.HttpFarm;
    await provider.configure!({ config: { get: (k: string) => settings[k] } } as never);
    await emu.drain();
    const t0 = performance.now();
    const { inputs } = await provider.check!({}, { serviceName: info.serviceName, ...twin });
    const created = await provider.create!(inputs!);
    const wallMs = Math.round(performance.now() - t0);
    const sent = (await emu.drain()) as Entry[];
    const byKind: Record<string, number> = {};
    for (const e of sent) byKind[kind(e, farms)] = (byKind[kind(e, farms)] ?? 0) + 1;
    const farmReads = sent.filter((e) => kind(e, farms) === "GET one farm");
    const result = {
      farms: n, latencyMs, wallMs, id: created.id,
      requests: sent.length,
      gets: sent.filter((e) => e.method === "GET").length,
      byKind,
      peakFarmReadsInFlight: peakConcurrency(farmReads),
      peakGetsInFlight: peakConcurrency(sent.filter((e) => e.method === "GET")),
      refused429: sent.filter((e) => e.status === 429).length,
    };
    write(out, result);
  } finally {
    await emu.close();
  }
}

function write(out: string, r: Record<string, unknown> & { byKind: Record<string, number> }): void {
  const dir = path.join(__dirname, "results");
  const md = [
    `# One create's recovery on a service of ${r.farms} farms`,
    "",
    `\`${["npx ts-node --transpile-only bench/recovery.ts", ...process.argv.slice(2)].join(" ")}\`, ${new Date().toISOString()}, L = ${r.latencyMs} ms`,
    "",
    `| requests | GETs | GETs of one farm | most farm GETs in flight | most GETs in flight | 429 | create took |`,
    "|---:|---:|---:|---:|---:|---:|---:|",
    `| ${r.requests} | ${r.gets} | ${r.byKind["GET one farm"] ?? 0} | ${r.peakFarmReadsInFlight} | ${r.peakGetsInFlight} | ${r.refused429} | ${r.wallMs} ms |`,
    "",
    "| request | count |",
    "|---|---:|",
    ...Object.entries(r.byKind).map(([k, v]) => `| ${k} | ${v} |`),
  ].join("\n");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${out}.md`), `${md}\n`);
  fs.writeFileSync(path.join(dir, `${out}.json`), `${JSON.stringify(r, null, 2)}\n`);
  process.stdout.write(`${md}\n`);
}

if (require.main === module) runScript(main);

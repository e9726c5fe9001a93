/**
 * `npx ts-node --transpile-only bench/dataPlane.ts`: what the emulator's data plane (emulator/dataplane) costs as a
 * proxy on loopback. One HTTP farm of one server behind an HTTP frontend, made live through the API; the emulator
 * runs in a process of its own (bench/emulatorProcess.ts, with `--expose-gc` so that memory is read after a full
 * collection), the backend in another (bench/dataPlaneBackend.ts), the load here (bench/dataPlaneLoad.ts). Each of
 * latency and throughput is measured straight to the backend and through the frontend, with the same client code:
 * - latency: requests one after the other on one keep-alive connection; added = through - straight, per percentile;
 * - throughput: C keep-alive connections sending back to back for S seconds, and the emulator's CPU per request;
 * - memory: the emulator's process with no client connection, with N idle keep-alive connections (each answered
 *   once; the data plane closes a connection idle for 5 s, so it is read at once), and with N requests in flight
 *   (the backend holds them until N arrived).
 * Results: bench/results/<out>.md and .json (default `data-plane`). Numbers only: nothing here is a pass or a fail.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { processCpuMs } from "./cpu";
import { EmulatorClient } from "./emulatorClient";
import { inFlight, Latency, latency, openConnections, sequential, type Target, throughput } from "./dataPlaneLoad";
import { runScript } from "./runScript";

export interface DataPlaneOptions {
  requests: number;
  connections: number;
  seconds: number;
  open: number;
  out: string;
}

export function parseDataPlaneOptions(argv: string[]): DataPlaneOptions {
  const o: DataPlaneOptions = { requests: 5000, connections: 50, seconds: 5, open: 500, out: "data-plane" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    const value = argv[i + 1];
    if (key === "out" && value) o.out = value;
    else if (key in o && key !== "out" && Number(value) > 0) (o as unknown as Record<string, number>)[key] = Number(value);
    else throw new Error(`usage: bench/dataPlane.ts [--requests N] [--connections C] [--seconds S] [--open N] [--out NAME] (got ${argv[i]} ${value ?? ""})`);
  }
  return o;
}

type Memory = Pick<NodeJS.MemoryUsage, "rss" | "heapUsed" | "external">;

export interface DataPlaneResults {
  command: string;
  environment: { date: string; node: string; cpus: number; loadAverage: { start: number; end: number } };
  options: DataPlaneOptions;
  latency: { direct: Latency; proxied: Latency };
  throughput: { direct: { perSecond: number }; proxied: { perSecond: number; emulatorCpuUsPerRequest?: number } };
  memory: { idle: Memory; openIdle: Memory; inFlight: Memory };
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const kbPer = (delta: number, n: number) => (delta / 1024 / n).toFixed(1);

export function dataPlaneMarkdown(r: DataPlaneResults): string {
  const { direct, proxied } = r.latency;
  const lat = (k: keyof Latency) => `| ${k} | ${direct[k]} | ${proxied[k]} | ${(proxied[k] - direct[k]).toFixed(3)} |`;
  const mem = (name: string, m: Memory, n?: number) =>
    `| ${name} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${n ? `${kbPer(m.rss - r.memory.idle.rss, n)} / ${kbPer(m.heapUsed - r.memory.idle.heapUsed, n)}` : ""} |`;
  const o = r.options;
  return [
    "## The data plane as a proxy (loopback)",
    "",
    `\`${r.command}\`: ${r.environment.date}, Node ${r.environment.node}, ${r.environment.cpus} CPUs shared by the load, the emulator and the backend, ` +
      `load average ${r.environment.loadAverage.start.toFixed(1)} at the start and ${r.environment.loadAverage.end.toFixed(1)} at the end.`,
    "",
    `Latency: ${o.requests} requests one after the other on one keep-alive connection, in ms.`,
    "",
    "| | straight to the backend | through the frontend | added |",
    "|---|---:|---:|---:|",
    lat("p50"), lat("p90"), lat("p99"), lat("mean"),
    "",
    `Throughput: ${o.connections} keep-alive connections sending back to back for ${o.seconds} s: ` +
      `${r.throughput.direct.perSecond} requests/s straight to the backend, ${r.throughput.proxied.perSecond} through the frontend` +
      (r.throughput.proxied.emulatorCpuUsPerRequest !== undefined ? ` (the emulator's process: ${r.throughput.proxied.emulatorCpuUsPerRequest} µs of CPU per request).` : "."),
    "",
    `Memory of the emulator's process (after a full collection), and per connection over the first line (heap used is the live figure; ` +
      "RSS also moves as the collector returns memory to the system):",
    "",
    "| | RSS MB | heap used MB | per connection KB, RSS / heap |",
    "|---|---:|---:|---:|",
    mem("frontend listening, no connection", r.memory.idle),
    mem(`${o.open} idle keep-alive connections`, r.memory.openIdle, o.open),
    mem(`${o.open} requests in flight (client and server side)`, r.memory.inFlight, o.open),
  ].join("\n");
}

/** One farm, its server, a frontend on port 80, made live: the frontend's local port. */
async function deployProxy(emu: EmulatorClient, backend: { address: string; port: number }): Promise<number> {
  const client = emu.ovh();
  const base = `/ipLoadbalancing/${emu.info.serviceName}`;
  const call = <T>(method: string, p: string, body?: object) => client.requestPromised(method, `${base}${p}`, body) as Promise<T>;
  const { farmId } = await call<{ farmId: number }>("POST", "/http/farm", { zone: "gra" });
  await call("POST", `/http/farm/${farmId}/server`, { address: backend.address, port: backend.port, status: "active" });
  await call("POST", "/http/frontend", { zone: "gra", port: "80", defaultFarmId: farmId });
  const task = await call<{ id: number }>("POST", "/refresh", { zone: "gra" });
  while ((await call<{ status: string }>("GET", `/task/${task.id}`)).status !== "done") await new Promise((r) => setTimeout(r, 50));
  const port = (await emu.dataPlane())["gra:80"]?.port;
  if (!port) throw new Error("the frontend does not listen");
  return port;
}

function startBackend(address: string) {
  const child = fork(path.join(__dirname, "dataPlaneBackend.ts"), [], { execArgv: ["-r", "ts-node/register/transpile-only"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T>(key: string) => new Promise<T>((resolve) => child.on("message", function on(m: Record<string, T>) {
    if (key in m) (child.off("message", on), resolve(m[key]));
  }));
  return {
    start: () => (child.send({ op: "start", address }), next<number>("port")),
    hold: (count: number) => (child.send({ op: "hold", count }), next<number>("held")),
    release: () => void child.send({ op: "release" }),
    stop: () => void child.send({ op: "stop" }),
  };
}

async function measure(o: DataPlaneOptions, emu: EmulatorClient, backend: ReturnType<typeof startBackend>, direct: Target, proxied: Target) {
  const lat = { direct: latency(await sequential(direct, o.requests)), proxied: latency(await sequential(proxied, o.requests)) };
  const straight = await throughput(direct, o.connections, o.seconds);
  const cpu0 = processCpuMs(emu.pid);
  const through = await throughput(proxied, o.connections, o.seconds);
  const cpu1 = processCpuMs(emu.pid);
  const cpuUs = cpu0 !== undefined && cpu1 !== undefined ? Math.round(((cpu1 - cpu0) * 1000) / through.requests) : undefined;
  const pick = (m: NodeJS.MemoryUsage): Memory => ({ rss: m.rss, heapUsed: m.heapUsed, external: m.external });
  const idle = pick(await emu.memory());
  const open = await openConnections(proxied, o.open);
  const openIdle = pick(await emu.memory());
  open.destroy();
  const held = backend.hold(o.open);
  const flight = inFlight(proxied, o.open);
  await held;
  const busy = pick(await emu.memory());
  backend.release();
  await flight.answered;
  flight.agent.destroy();
  return {
    latency: lat,
    throughput: { direct: { perSecond: straight.perSecond }, proxied: { perSecond: through.perSecond, ...(cpuUs !== undefined ? { emulatorCpuUsPerRequest: cpuUs } : {}) } },
    memory: { idle, openIdle, inFlight: busy },
  };
}

async function main(): Promise<void> {
  const o = parseDataPlaneOptions(process.argv.slice(2));
  const command = `npx ts-node --transpile-only bench/dataPlane.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(" ")}` : ""}`;
  const loadStart = os.loadavg()[0];
  const emu = await EmulatorClient.start({ dataPlane: true, refreshSeconds: 0.1 }, ["--expose-gc"]);
  const backend = startBackend("127.0.60.1");
  try {
    const backendPort = await backend.start();
    const proxied = await deployProxy(emu, { address: "127.0.60.1", port: backendPort });
    const measured = await measure(o, emu, backend, { host: "127.0.60.1", port: backendPort }, { host: "127.0.0.1", port: proxied });
    const environment = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: { start: loadStart, end: os.loadavg()[0] } };
    const results: DataPlaneResults = { command, environment, options: o, ...measured };
    const dir = path.join(__dirname, "results");
    fs.writeFileSync(path.join(dir, `${o.out}.md`), `${dataPlaneMarkdown(results)}\n`);
    fs.writeFileSync(path.join(dir, `${o.out}.json`), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${dataPlaneMarkdown(results)}\nwritten: bench/results/${o.out}.md, bench/results/${o.out}.json\n`);
  } finally {
    backend.stop();
    await emu.close();
  }
}

if (require.main === module) runScript(main);

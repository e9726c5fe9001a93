/**
 * The main job: deploy examples/quickstart onto the local emulator and show what is live.
 *
 * 1. starts the OVH IPLB emulator with its data plane (the running frontends listen on 127.0.0.1) and five loopback
 *    backends (three HTTP ones that answer "hello from web-N", two TCP ones);
 * 2. deploys the quickstart program with `pulumi up` of the real Pulumi CLI that scripts/pulumi-cli.sh finds or builds
 *    (a local file backend in a temporary folder); only when no CLI can be had (no Go, no `pulumi`), with the
 *    project's test engine (the Node language runtime and the real dynamic-provider host, driven by tests/helpers),
 *    and says so;
 * 3. waits until every probed server is healthy (at most 15 s) and prints what `npx ovh-iplb status` shows: each farm
 *    and server with its health per LB instance and its traffic counters, the instances, pending changes and NAT IPs;
 * 4. sends a few requests through the HTTP frontend and one connection through the TCP frontend, and prints which
 *    server answered each;
 * 5. stops everything it started.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { startEmulator, Emulator } from "../emulator";
import { TestStack } from "../tests/engine/support/stack";
import { startHost } from "../tests/helpers/hostDriver";
import { MiniEngine } from "../tests/helpers/miniEngine";
import { runProgram } from "../tests/helpers/programRunner";
import { Backend, startHttpBackend, startTcpBackend } from "./backends";
import { runStatus } from "../cli/main";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(ROOT, "examples", "quickstart");
const PROJECT = "iplb-quickstart";
const STACK = "quickstart";
const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

/** The stack config; the lists are arrays, as Pulumi.yaml declares them (the real CLI refuses a JSON string there). */
function stackConfig(emu: Emulator, web: Backend[], tcp: Backend[]): Record<string, string | string[]> {
  return {
    "ovh:endpoint": emu.url,
    "ovh:applicationKey": emu.applicationKey,
    "ovh:applicationSecret": emu.applicationSecret,
    "ovh:consumerKey": emu.consumerKey,
    "ovh-iplb:caFile": emu.caFile,
    [`${PROJECT}:serviceName`]: emu.serviceName,
    [`${PROJECT}:webServers`]: web.map((b) => b.spec),
    [`${PROJECT}:tcpServers`]: tcp.map((b) => b.spec),
  };
}

/**
 * The real Pulumi CLI from scripts/pulumi-cli.sh (a `pulumi` of the lockfile's version on PATH, else built once into a
 * cache folder, which takes minutes the first time); undefined when it cannot be had (no Go and no `pulumi`).
 */
function pulumiCli(): string | undefined {
  console.log("Looking for the Pulumi CLI (scripts/pulumi-cli.sh; the first build takes a few minutes)...");
  const found = spawnSync("bash", [path.join(ROOT, "scripts", "pulumi-cli.sh"), "--optional"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const bin = found.status === 0 ? found.stdout.trim().split("\n").pop() : undefined;
  return bin && fs.existsSync(path.join(bin, "pulumi")) ? bin : undefined;
}

/** `pulumi up` of the quickstart on a stack whose state, PULUMI_HOME and config file live in a temporary folder. */
async function deployWithCli(bin: string, config: Record<string, string | string[]>): Promise<Record<string, unknown>> {
  const stack = await TestStack.create({ bin, projectDir: PROGRAM, config, secretKeys: SECRET_KEYS });
  try {
    const { result } = await stack.up();
    process.stdout.write(result.stdout);
    return await stack.outputs();
  } finally {
    stack.dispose();
  }
}

async function deployWithTestEngine(structured: Record<string, string | string[]>): Promise<Record<string, unknown>> {
  // The test engine passes config to the program as the Node runtime gets it: every value a string.
  const config = Object.fromEntries(Object.entries(structured).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const host = await startHost({ cwd: ROOT, project: PROJECT });
  try {
    const engine = new MiniEngine(host, { config, secretKeys: SECRET_KEYS });
    const result = await runProgram({ programDir: PROGRAM, project: PROJECT, stack: STACK, config, secretKeys: SECRET_KEYS, engine });
    for (const step of result.steps) console.log(`  ${step.op.padEnd(7)} ${step.type.replace("pulumi-nodejs:dynamic/", "")} ${step.name}`);
    return result.outputs;
  } finally {
    await host.close();
  }
}

/** One GET through the HTTP frontend, on a new connection: the answer's status and body, and the cookie it sets. */
function get(port: number, cookie?: string): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim(), cookie: res.headers["set-cookie"]?.[0]?.split(";")[0] }));
    });
    req.on("error", reject);
  });
}

/** Connects through the TCP frontend and resolves with what the server sent before it closed. */
function tcpAnswer(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("data", (c: Buffer) => (text += c.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve(text.trim()));
  });
}

/** Requests each server of the emulator's data plane has received (its own counters). */
function requestsByServer(emu: Emulator): Map<number, number> {
  const rows = emu.dataPlane!.snapshot().servers as { serverId: number; requests: number }[];
  return new Map(rows.map((r) => [r.serverId, r.requests]));
}

const say = (label: string, result: string) => console.log(`    ${label.padEnd(26)} -> ${result}`);

/**
 * Step 4: the web backends say who they are; the cache backends all answer `+PONG`, so the TCP line names its server
 * from the data plane's counters. Three new visitors go round the web farm, a fourth request with the first one's
 * cookie goes back to its server (cookie stickiness). Last, the counters as `ovh-iplb status` shows them.
 */
async function showTraffic(emu: Emulator, zone: string, ids: { web: number[]; cache: number[] }): Promise<void> {
  await emu.dataPlane!.settled(); // the listeners the last refresh started are listening
  const ports = emu.dataPlane!.ports();
  const [web, cache] = [ports[`${zone}:80`], ports[`${zone}:6379`]];
  if (web === undefined || cache === undefined) throw new Error(`the frontends do not listen (data plane ports: ${JSON.stringify(ports)})`);
  console.log("Requests through the frontends (the emulator's data plane listens on 127.0.0.1):");
  console.log(`  HTTP frontend ${zone}:80 -> 127.0.0.1:${web}`);
  let first: string | undefined;
  for (let i = 0; i < 3; i++) {
    const answer = await get(web);
    first ??= answer.cookie;
    say("GET /", `${answer.status} ${answer.body}   (new visitor, given ${answer.cookie})`);
  }
  const again = await get(web, first);
  say(`GET / with ${first}`, `${again.status} ${again.body}   (the cookie names its server)`);
  console.log(`  TCP frontend ${zone}:6379 -> 127.0.0.1:${cache}`);
  const before = requestsByServer(emu);
  const answer = await tcpAnswer(cache);
  const after = requestsByServer(emu);
  const served = ids.cache.findIndex((id) => (after.get(id) ?? 0) > (before.get(id) ?? 0));
  say("connect", `${answer} from cache-${served + 1}   (per the data plane's counters)`);
  const count = (word: string) => (id: number, i: number) => {
    const n = after.get(id) ?? 0;
    return `${word === "request" ? "web" : "cache"}-${i + 1} ${n} ${word}${n === 1 ? "" : "s"}`;
  };
  const counters = [...ids.web.map(count("request")), ...ids.cache.map(count("connection"))];
  console.log(`  Counters now (the Traffic column of \`ovh-iplb status\`): ${counters.join(", ")}`);
}

async function main(): Promise<void> {
  const emu = await startEmulator({ refreshSeconds: 1, probeMsPerSecond: 20, dataPlane: true });
  const backends: Backend[] = [];
  try {
    const web = await Promise.all(["127.0.0.1", "127.0.0.2", "127.0.0.3"].map((a, i) => startHttpBackend(a, `web-${i + 1}`)));
    const tcp = await Promise.all(["127.0.0.4", "127.0.0.5"].map((a) => startTcpBackend(a)));
    backends.push(...web, ...tcp);
    console.log(`OVH IPLB emulator on ${emu.url} (service ${emu.serviceName}); backends ${backends.map((b) => b.spec).join(", ")}`);
    const config = stackConfig(emu, web, tcp);
    const bin = pulumiCli();
    let outputs: Record<string, unknown>;
    if (bin) {
      console.log(`Deploying examples/quickstart with \`pulumi up\` (${bin}; local backend in a temporary folder)...`);
      outputs = await deployWithCli(bin, config);
    } else {
      console.log("No Pulumi CLI found: deploying examples/quickstart with the project's test engine (Node language runtime + real dynamic-provider host)...");
      outputs = await deployWithTestEngine(config);
    }
    const shown = ["webFarmId", "cacheFarmId", "webServerIds", "cacheServerIds", "webFrontendId", "cacheFrontendId"];
    console.log(`Stack outputs: ${JSON.stringify(Object.fromEntries(shown.map((k) => [k, outputs[k]])))}`);
    console.log("");
    const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
    const traffic = { url: emu.dataPlane!.info().url, caFile: emu.caFile };
    const status = { serviceName: emu.serviceName, json: false, waitHealthy: true, timeoutMs: 15000, intervalMs: 250, traffic };
    const code = await runStatus(status, { get: (key) => config[key] as string | undefined }, io);
    if (code !== 0) throw new Error("not every probed server became healthy within 15 s (see above)");
    console.log("");
    await showTraffic(emu, "gra", { web: outputs.webServerIds as number[], cache: outputs.cacheServerIds as number[] });
  } finally {
    await Promise.all(backends.map((b) => b.close()));
    await emu.close();
  }
}

main().catch((e) => {
  console.error(`quickstart failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});

/**
 * The main job: deploy examples/quickstart onto the local emulator and show what is live.
 *
 * 1. starts the OVH IPLB emulator and five loopback backends (three HTTP, two TCP);
 * 2. deploys the quickstart program: with the real Pulumi CLI when one is installed (a local file backend in a
 *    temporary folder), otherwise with the project's test engine (the Node language runtime and the real
 *    dynamic-provider host, driven by tests/helpers) and says so;
 * 3. waits until every probed server is healthy (at most 15 s) and prints what `npx ovh-iplb status` shows: each farm
 *    and server with its health per LB instance, the instances, pending changes and NAT IPs;
 * 4. stops everything it started.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, Emulator } from "../emulator";
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

function stackConfig(emu: Emulator, web: Backend[], tcp: Backend[]): Record<string, string> {
  return {
    "ovh:endpoint": emu.url,
    "ovh:applicationKey": emu.applicationKey,
    "ovh:applicationSecret": emu.applicationSecret,
    "ovh:consumerKey": emu.consumerKey,
    "ovh-iplb:caFile": emu.caFile,
    [`${PROJECT}:serviceName`]: emu.serviceName,
    [`${PROJECT}:webServers`]: JSON.stringify(web.map((b) => b.spec)),
    [`${PROJECT}:tcpServers`]: JSON.stringify(tcp.map((b) => b.spec)),
  };
}

function pulumiCli(): string | undefined {
  const found = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

async function deployWithCli(config: Record<string, string>): Promise<Record<string, unknown>> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-quickstart-"));
  // The stack's config file lives in the temporary folder too, so nothing is written into the repository.
  const configFile = ["--config-file", path.join(home, `Pulumi.${STACK}.yaml`)];
  const env = { ...process.env, PULUMI_BACKEND_URL: `file://${home}`, PULUMI_CONFIG_PASSPHRASE: "quickstart", PULUMI_SKIP_UPDATE_CHECK: "true" };
  const pulumi = (command: string[], args: string[], stdio: "inherit" | "pipe" = "inherit") =>
    execFileSync("pulumi", [...command, "--stack", STACK, ...args], { cwd: ROOT, env, stdio: ["ignore", stdio, "inherit"], encoding: "utf8" });
  try {
    execFileSync("pulumi", ["stack", "init", STACK, "--non-interactive"], { cwd: ROOT, env, stdio: "inherit" });
    for (const [key, value] of Object.entries(config)) {
      pulumi(["config", "set"], [...configFile, ...(SECRET_KEYS.includes(key) ? ["--secret"] : []), key, "--", value], "pipe");
    }
    pulumi(["up"], [...configFile, "--yes", "--skip-preview"]);
    return JSON.parse(pulumi(["stack", "output"], ["--json", "--show-secrets"], "pipe"));
  } finally {
    spawnSync("pulumi", ["stack", "rm", STACK, "--yes", "--force"], { cwd: ROOT, env, stdio: "ignore" });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function deployWithTestEngine(config: Record<string, string>): Promise<Record<string, unknown>> {
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

async function main(): Promise<void> {
  const emu = await startEmulator({ refreshSeconds: 1, probeMsPerSecond: 20 });
  const backends: Backend[] = [];
  try {
    const web = await Promise.all(["127.0.0.1", "127.0.0.2", "127.0.0.3"].map((a, i) => startHttpBackend(a, `web-${i + 1}`)));
    const tcp = await Promise.all(["127.0.0.4", "127.0.0.5"].map((a) => startTcpBackend(a)));
    backends.push(...web, ...tcp);
    console.log(`OVH IPLB emulator on ${emu.url} (service ${emu.serviceName}); backends ${backends.map((b) => b.spec).join(", ")}`);
    const config = stackConfig(emu, web, tcp);
    const cli = pulumiCli();
    let outputs: Record<string, unknown>;
    if (cli) {
      console.log(`Deploying examples/quickstart with the Pulumi CLI ${cli} (local backend in a temporary folder)...`);
      outputs = await deployWithCli(config);
    } else {
      console.log("No Pulumi CLI found: deploying examples/quickstart with the project's test engine (Node language runtime + real dynamic-provider host)...");
      outputs = await deployWithTestEngine(config);
    }
    console.log(`Stack outputs: ${JSON.stringify({ webFarmId: outputs.webFarmId, cacheFarmId: outputs.cacheFarmId, webServerIds: outputs.webServerIds, cacheServerIds: outputs.cacheServerIds })}`);
    console.log("");
    const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
    const status = { serviceName: emu.serviceName, json: false, waitHealthy: true, timeoutMs: 15000, intervalMs: 250 };
    const code = await runStatus(status, { get: (key) => config[key] }, io);
    if (code !== 0) throw new Error("not every probed server became healthy within 15 s (see above)");
  } finally {
    await Promise.all(backends.map((b) => b.close()));
    await emu.close();
  }
}

main().catch((e) => {
  console.error(`quickstart failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});

/**
 * Testing a stack's traffic on the emulator: start it with its data plane, deploy the stack (index.ts) with the real
 * Pulumi CLI through the Automation API, send requests through the frontend, stop a backend and watch the load
 * balancer send everything to the other one. Waits are for states (the probes' verdict), never for a fixed time.
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
// In your own project: import { type Emulator, startEmulator } from "pulumi-ovh-iplb/emulator";
import { type Emulator, startEmulator } from "../../emulator";
// This repository only: the Pulumi CLI of scripts/pulumi-cli.sh. In your project, `describe` and `pulumi` on PATH.
import { describeWithCli } from "../../tests/engine/support/cli";

jest.setTimeout(5 * 60_000); // each `pulumi` command takes seconds

/** A web server on a loopback address that answers every request with that address, so we see who answered. */
function backend(address: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end(address));
  return new Promise((resolve, reject) => server.once("error", reject).listen(8080, address, () => resolve(server)));
}

/** Stops a backend: its port refuses connections, and the load balancer's kept-alive ones close. */
function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Who answers `count` GETs through the frontend, each on a new connection. */
async function answers(port: number, count: number): Promise<string[]> {
  const one = () => new Promise<string>((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 ? body : `HTTP ${res.statusCode}`));
    }).on("error", reject);
  });
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push(await one());
  return seen;
}

/** The emulator's view of a server: UP or DOWN as its probe found it (the data plane's control surface). */
function probed(emu: Emulator, serverId: number): string | undefined {
  const servers = emu.dataPlane!.snapshot().servers as { serverId: number; status: string }[];
  return servers.find((s) => s.serverId === serverId)?.status;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50)); // jest's timeout bounds the wait
}

describeWithCli("my stack's traffic on the emulator", (bin) => {
  const [A, B] = ["127.0.23.1", "127.0.23.2"];
  let home: string;
  let emu: Emulator;
  let backends: http.Server[];
  let stack: Stack;
  let serverIds: number[];
  let port: number;

  beforeAll(async () => {
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`; // this repository only (see the import)
    // The data plane: each frontend the emulator runs listens on 127.0.0.1. Probes every 150 ms (30 s x 5).
    emu = await startEmulator({ dataPlane: true, refreshSeconds: 0.1, probeMsPerSecond: 5 });
    backends = await Promise.all([A, B].map(backend));
    // A local state backend in a temporary folder: nothing to log in to, nothing left behind.
    home = fs.mkdtempSync(path.join(os.tmpdir(), "traffic-test-"));
    stack = await LocalWorkspace.createOrSelectStack({ stackName: "test", workDir: __dirname }, {
      pulumiHome: path.join(home, "home"),
      envVars: { PULUMI_BACKEND_URL: `file://${home}`, PULUMI_CONFIG_PASSPHRASE: "test", PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    await stack.setAllConfig({
      "ovh:endpoint": { value: emu.url },
      "ovh-iplb:caFile": { value: emu.caFile },
      "ovh:applicationKey": { value: emu.applicationKey },
      "ovh:applicationSecret": { value: emu.applicationSecret, secret: true },
      "ovh:consumerKey": { value: emu.consumerKey, secret: true },
      serviceName: { value: emu.serviceName },
      servers: { value: JSON.stringify([`${A}:8080`, `${B}:8080`]) },
    });
    const up = await stack.up();
    serverIds = up.outputs.serverIds.value;
    // `up` returned, so the frontend runs; once its listener listens, its local port is in the port table.
    await emu.dataPlane!.settled();
    port = emu.dataPlane!.ports()["gra:80"];
  });

  afterAll(async () => {
    await stack?.destroy();
    await stack?.workspace.removeStack("test"); // also deletes Pulumi.test.yaml
    await Promise.all((backends ?? []).filter((b) => b.listening).map(stop));
    await emu?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("balances requests over both servers", async () => {
    // Round robin: each server in turn (which one first depends on their ids).
    expect((await answers(port, 4)).sort()).toEqual([A, A, B, B]);
  });

  it("sends everything to the other server once a backend stops", async () => {
    await stop(backends[0]);
    await until(() => probed(emu, serverIds[0]) === "DOWN");
    expect(await answers(port, 3)).toEqual([B, B, B]);
  });
});

/**
 * Testing a stack's traffic on the emulator: start it with its data plane, deploy the stack (index.ts) with the real
 * Pulumi CLI through the Automation API (pulumi-ovh-iplb/testing makes the throw-away stack), send requests through
 * the frontend, stop a backend and watch the load balancer send everything to the other one. Waits are for states
 * (the refresh, the probes' verdict), never for a fixed time.
 */
import * as http from "http";
// In your own project: import { type IplbTestEnvironment, startTestEnvironment, type TestStack } from "pulumi-ovh-iplb/testing";
import { type IplbTestEnvironment, startTestEnvironment, type TestStack } from "../../testing";
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

describeWithCli("my stack's traffic on the emulator", (bin) => {
  const [A, B] = ["127.0.23.1", "127.0.23.2"];
  let env: IplbTestEnvironment;
  let test: TestStack;
  let backends: http.Server[];
  let serverIds: number[];
  let port: number;

  beforeAll(async () => {
    // The data plane: each frontend the emulator runs listens on 127.0.0.1. Probes every 150 ms (30 s x 5).
    env = await startTestEnvironment({ dataPlane: true, refreshSeconds: 0.1, probeMsPerSecond: 5 });
    backends = await Promise.all([A, B].map(backend));
    // A throw-away stack: a local state backend in a temporary folder, the emulator's endpoint, CA file and
    // credentials (the secret ones as secrets) and our own config set.
    test = await env.createStack({
      workDir: __dirname,
      serviceNameKey: "serviceName",
      config: { servers: { value: JSON.stringify([`${A}:8080`, `${B}:8080`]) } },
      cliDir: bin, // this repository only (see the import)
    });
    const up = await test.stack.up();
    serverIds = up.outputs.serverIds.value;
    // `up` returned, so the frontend runs; once its listener listens, its local port is in the port table.
    await env.waitUntilLive();
    port = env.ports()["gra:80"];
  });

  afterAll(async () => {
    await env?.close(); // destroys the stack, removes it (and Pulumi.<stack>.yaml), stops the emulator
    await Promise.all((backends ?? []).filter((b) => b.listening).map(stop));
  });

  it("balances requests over both servers", async () => {
    // Round robin: each server in turn (which one first depends on their ids).
    expect((await answers(port, 4)).sort()).toEqual([A, A, B, B]);
  });

  it("sends everything to the other server once a backend stops", async () => {
    await stop(backends[0]);
    await env.waitForServer(serverIds[0], "DOWN"); // its probe failed twice: the load balancer puts it aside
    expect(await answers(port, 3)).toEqual([B, B, B]);
  });
});

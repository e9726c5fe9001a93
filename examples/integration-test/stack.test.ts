/**
 * A user's own integration test of a stack (index.ts) on the emulator, with pulumi-ovh-iplb/testing and the Automation
 * API: deploy it with the real Pulumi CLI, check what is live (the farm, its servers and their health, the frontend,
 * nothing pending, nothing left to change), change the program's config and check that the change is live when `up`
 * returns and which writes it took, then destroy and check that nothing is left. No OVH account, no fixed waits.
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
// In your own project: import { callsOf, startTestEnvironment, ... } from "pulumi-ovh-iplb/testing";
import { callsOf, type IplbTestEnvironment, startTestEnvironment, type TestStack } from "../../testing";
// This repository only: the Pulumi CLI of scripts/pulumi-cli.sh. In your project, `describe` and `pulumi` on PATH.
import { describeWithCli } from "../../tests/engine/support/cli";

jest.setTimeout(5 * 60_000); // each `pulumi` command takes seconds

/** A web server on a loopback address that answers 200 to everything (the farm's probe asks for /health). */
function backend(address: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end("ok"));
  return new Promise((resolve, reject) => server.once("error", reject).listen(8080, address, () => resolve(server)));
}

const stop = (server: http.Server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));

describeWithCli("my stack on the emulator", (bin) => {
  const [A, B, C] = ["127.0.24.1", "127.0.24.2", "127.0.24.3"];
  let env: IplbTestEnvironment;
  let test: TestStack;
  let backends: http.Server[];
  let outputs: { farmId: number; serverIds: number[]; frontendId: number };

  beforeAll(async () => {
    backends = await Promise.all([A, B, C].map(backend));
    env = await startTestEnvironment({ refreshSeconds: 0.1, probeMsPerSecond: 5 }); // probes every 150 ms
    test = await env.createStack({
      workDir: __dirname,
      serviceNameKey: "serviceName", // the emulator's load balancer, as config `serviceName`
      config: { servers: { value: JSON.stringify([{ address: A, port: 8080 }, { address: B, port: 8080 }]) } },
      cliDir: bin, // this repository only (see the import); in your project the `pulumi` on PATH runs
    });
  });

  // Destroys what is left, removes the stack (and its Pulumi.<stack>.yaml here) and stops the emulator.
  afterAll(async () => {
    await env?.close();
    await Promise.all((backends ?? []).map(stop));
  });

  it("deploys: the farm, its servers and the frontend are live when `up` returns, and the servers are healthy", async () => {
    const up = await test.stack.up();
    outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) as typeof outputs;
    expect(env.pendingChanges()).toEqual([]);
    const live = env.emulator.running("gra");
    expect(live.farms[outputs.farmId].data).toMatchObject({ zone: "gra", stickiness: "cookie", probe: expect.objectContaining({ type: "http", url: "/health" }) });
    expect(outputs.serverIds.map((id) => [live.servers[id].farmId, live.servers[id].data.address, live.servers[id].data.weight])).toEqual([
      [outputs.farmId, A, 1],
      [outputs.farmId, B, 1],
    ]);
    expect(live.frontends[outputs.frontendId].data).toMatchObject({ port: "80", defaultFarmId: outputs.farmId });
    for (const id of outputs.serverIds) await env.waitForServer(id, "OK"); // a probe passed on every instance
    const [farm] = await env.health({ farmId: outputs.farmId });
    expect([farm.status, farm.servers.map((s) => s.probed)]).toEqual(["OK", ["UP", "UP"]]);
  });

  it("has nothing left to change: a preview right after shows every resource the same", async () => {
    const before = env.mark();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 5 }); // the stack, the farm, two servers, the frontend
    expect(env.writes(before)).toEqual([]);
  });

  it("makes a changed server list live when `up` returns, with one write per change and one refresh", async () => {
    await test.stack.setConfig("servers", { value: JSON.stringify([{ address: A, port: 8080 }, { address: B, port: 8080, weight: 0 }, { address: C, port: 8080 }]) });
    const before = env.mark();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4, update: 1, create: 1 }); // web-2 updated, web-3 created
    const svc = `/ipLoadbalancing/${env.serviceName}`;
    expect(callsOf(env.writes(before)).sort()).toEqual([
      `POST ${svc}/http/farm/${outputs.farmId}/server`, // web-3
      `POST ${svc}/refresh`, // one refresh of gra for both
      `PUT ${svc}/http/farm/${outputs.farmId}/server/${outputs.serverIds[1]}`, // web-2's weight
    ]);
    expect(env.writes(before).find((w) => w.method === "PUT")?.body).toEqual({ weight: 0 });
    expect(env.pendingChanges()).toEqual([]);
    const live = env.emulator.running("gra");
    const ids = (up.outputs.serverIds.value as number[]);
    expect(ids.slice(0, 2)).toEqual(outputs.serverIds);
    expect(ids.map((id) => [live.servers[id].data.address, live.servers[id].data.weight])).toEqual([[A, 1], [B, 0], [C, 1]]);
  });

  it("destroys everything: nothing staged, nothing running, nothing pending", async () => {
    await test.stack.destroy();
    const svc = env.emulator.store.service(env.serviceName)!;
    expect([svc.staged.farms, svc.staged.servers, svc.staged.frontends]).toEqual([{}, {}, {}]);
    expect(env.emulator.running("gra")).toEqual(expect.objectContaining({ farms: {}, servers: {}, frontends: {} }));
    expect(env.pendingChanges()).toEqual([]);
  });

  it("leaves nothing in the project once the stack is disposed", async () => {
    await test.dispose();
    expect(fs.existsSync(path.join(__dirname, `Pulumi.${test.stackName}.yaml`))).toBe(false);
    expect(fs.existsSync(test.dir)).toBe(false);
  });
});

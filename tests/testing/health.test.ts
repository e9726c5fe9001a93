/**
 * pulumi-ovh-iplb/testing, health and traffic (testing/health.ts, testing/traffic.ts): what the emulator's probes see
 * of real loopback backends, read through the API with the package's roll-up, and the data plane's ports and counters.
 * Every wait is for a state (a probe's verdict), bounded, never for a fixed time. Not proven: how fast OVH's own
 * probes notice a stopped server.
 */
import * as http from "http";
import type { IplbTestEnvironment } from "../../testing";
import { httpBackend, type TestBackend } from "../helpers/backends";
import { farmOutOfBand, startRefereed } from "./support";

/** One GET through the frontend on a new connection: the status code. */
function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    }).on("error", reject);
  });
}

describe("env.health(), env.waitForServer(), env.ports(), env.traffic()", () => {
  const [A, B] = ["127.0.41.1", "127.0.41.2"];
  let env: IplbTestEnvironment;
  let backends: TestBackend[];
  let farmId: number;
  let ids: number[];

  beforeAll(async () => {
    backends = await Promise.all([A, B].map((address) => httpBackend(address)));
    // Probes every 150 ms (a 30 s interval x 5 ms); the data plane serves the frontends the refresh makes live.
    env = await startRefereed({ refreshSeconds: 0.1, probeMsPerSecond: 5, dataPlane: true });
    const client = env.ovhClient();
    const svc = `/ipLoadbalancing/${env.serviceName}`;
    farmId = await farmOutOfBand(env, { probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200" } });
    ids = [];
    for (const b of backends) {
      const server = (await client.requestPromised("POST", `${svc}/http/farm/${farmId}/server`, { address: b.address, port: b.port, status: "active", probe: true })) as { serverId: number };
      ids.push(server.serverId);
    }
    await client.requestPromised("POST", `${svc}/http/frontend`, { zone: "gra", port: "80", defaultFarmId: farmId });
    await env.applyPending();
  });

  afterAll(async () => {
    await env?.close();
    await Promise.all((backends ?? []).map((b) => b.stop()));
  });

  it("reports every server OK once its probe passed, and the farm OK", async () => {
    for (const id of ids) expect(await env.waitForServer(id, "OK")).toMatchObject({ serverId: id, probed: "UP", status: "OK" });
    const [farm, ...others] = await env.health();
    expect(others).toEqual([]);
    expect(farm).toMatchObject({ farmType: "http", farmId, zone: "gra", status: "OK" });
    expect(farm.servers.map((s) => [s.address, s.probed, s.status, s.instances.length])).toEqual([[A, "UP", "OK", 2], [B, "UP", "OK", 2]]);
    expect(await env.health({ farmId: farmId + 1000 })).toEqual([]);
  });

  it("gives the frontend's local port and counts the requests each server took", async () => {
    const port = env.ports()["gra:80"];
    expect(Object.keys(env.ports())).toEqual(["gra:80"]);
    const before = env.traffic().map((s) => s.requests);
    expect([await get(port), await get(port)]).toEqual([200, 200]);
    const after = env.traffic();
    expect(after.map((s) => [s.zone, s.serverId, s.farmId, s.address, s.status])).toEqual([["gra", ids[0], farmId, A, "UP"], ["gra", ids[1], farmId, B, "UP"]]);
    expect(after.map((s, i) => s.requests - before[i])).toEqual([1, 1]); // round robin
  });

  it("reports a stopped loopback backend DOWN (CRITICAL), the farm WARNING, the other server OK", async () => {
    await backends[0].stop();
    const down = await env.waitForServer(ids[0], "DOWN");
    expect(down).toMatchObject({ probed: "DOWN", status: "CRITICAL" });
    expect(down.instances.map((i) => i.check)).toEqual(["CONNECT_FAILED", "CONNECT_FAILED"]);
    const [farm] = await env.health({ farmId });
    expect(farm.status).toBe("WARNING");
    expect(farm.servers.map((s) => [s.serverId, s.probed, s.status])).toEqual([[ids[0], "DOWN", "CRITICAL"], [ids[1], "UP", "OK"]]);
    expect(env.traffic().find((s) => s.serverId === ids[0])?.status).toBe("DOWN");
  });

  it("reads health with GETs only: nothing among the writes", async () => {
    const before = env.mark();
    await env.health();
    expect(env.requests(before).length).toBeGreaterThan(0);
    expect(env.writes(before)).toEqual([]);
  });

  it("waitForServer gives up after timeoutMs with the state it saw last", async () => {
    await expect(env.waitForServer(ids[1], "MAINT", { timeoutMs: 200 })).rejects.toThrow(
      new RegExp(`^timed out after 200 ms waiting for server ${ids[1]} to be MAINT: it is UP, OK \\(2 of 2 instances pass\\)$`),
    );
  });
});

describe("the data plane's helpers without a data plane", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed()));
  afterAll(() => env?.close());

  it("say how to turn it on", () => {
    const hint = "the emulator's data plane is off: start it with { dataPlane: true } to get ports and traffic";
    expect(() => env.ports()).toThrow(hint);
    expect(() => env.traffic()).toThrow(hint);
  });
});

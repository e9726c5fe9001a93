/**
 * Frontend lifecycles (layer C): an HTTP farm and an HTTP frontend pointing at it (`defaultFarmId: farm.farmId`), run
 * again and again with state kept in a MiniEngine over the in-process host, against the emulator. After every run
 * the emulator must run what the program says, nothing may be left pending, and the request log shows what the run
 * cost. The `it`s of a lifecycle `describe` are the successive runs of ONE stack, in order.
 *
 * What this does not prove: the Go engine itself (see lifecycle.test.ts), or the real host process (the frontend
 * providers go through the same shim and lifecycle as the farms, which tests/host/ covers).
 */
import * as iplb from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { calls, emulatorSettings, mark, pendingChanges, refreshesSince, requestsSince, writesSince } from "../provider/support";
import { ops } from "./iplbProgram";

const PROJECT = "iplb-frontends";

interface Desired {
  /** Absent: the program declares no frontend. */
  port?: iplb.FrontendPort;
  allowedSource?: string[];
  /** Apply the run with one `Refresh` batch. */
  batch?: boolean;
}

function program(serviceName: string, d: Desired) {
  return () => {
    const refresh = d.batch ? new iplb.Refresh("lb", { serviceName }) : undefined;
    const farm = new iplb.HttpFarm("web", { serviceName, zone: "gra", port: 8080, displayName: "web", refresh });
    if (d.port === undefined) return {};
    const frontend = new iplb.HttpFrontend("web-fe", {
      serviceName, zone: "gra", port: d.port, defaultFarmId: farm.farmId, displayName: "web-fe", allowedSource: d.allowedSource, refresh,
    });
    return { frontendPort: frontend.port, frontendId: frontend.frontendId };
  };
}

function stack(emu: Emulator) {
  const engine = new MiniEngine(new InProcessHost(PROJECT));
  const up = (d: Desired) => runWithMocks(engine, program(emu.serviceName, d), { project: PROJECT, stack: "dev", config: emulatorSettings(emu) });
  return { engine, up };
}

/** The frontends a zone runs (what the last refresh made live), ids left out. */
function runningFrontends(emu: Emulator, zone: string): Record<string, unknown>[] {
  return Object.values(emu.running(zone).frontends).map((f) => {
    const { frontendId: _id, ...data } = f.data;
    return data;
  });
}

/** What the API stores for the frontend this program declares. */
function expectedFrontend(farmId: number, port: string, allowedSource: string[] | null) {
  return {
    zone: "gra", port, defaultFarmId: farmId, displayName: "web-fe", disabled: false, dedicatedIpfo: null, ssl: false, defaultSslId: null,
    allowedSource, deniedSource: null, hsts: false, httpHeader: null, redirectLocation: null, vrackNetworkId: null, vrackVrouterId: null,
  };
}

const farmIdOf = (engine: MiniEngine): number => Number([...engine.state.values()].find((r) => r.name === "web")!.outputs.farmId);
const frontendPathOf = (engine: MiniEngine): string => {
  const [serviceName, id] = [...engine.state.values()].find((r) => r.name === "web-fe")!.id.split("/");
  return `/ipLoadbalancing/${serviceName}/http/frontend/${id}`;
};

describe("a farm and a frontend, run after run (in-process host)", () => {
  let emu: Emulator;
  let engine: MiniEngine;
  let up: (d: Desired) => Promise<Record<string, unknown>>;
  let frontendPath: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.05 });
    ({ engine, up } = stack(emu));
  });
  afterAll(() => emu.close());

  it("1. creates the farm, then the frontend on it, each live in gra when `up` returns", async () => {
    const from = mark(emu);
    const outputs = await up({ port: [443, 80], allowedSource: ["198.51.100.7", "192.0.2.0/24"] });

    expect(ops(engine.steps)).toEqual(["create web", "create web-fe"]);
    frontendPath = frontendPathOf(engine);
    expect(outputs).toEqual({ frontendPort: "443,80", frontendId: Number(frontendPath.split("/").pop()) });
    expect(requestsSince(emu, from, "POST", /\/http\/frontend$/).map((r) => r.body)).toEqual([{
      zone: "gra", port: "443,80", defaultFarmId: farmIdOf(engine), displayName: "web-fe", allowedSource: ["198.51.100.7/32", "192.0.2.0/24"],
    }]);
    // The frontend waits for the farm's id: one refresh per level of the dependency graph.
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }, { zone: "gra" }]);
    expect(runningFrontends(emu, "gra")).toEqual([expectedFrontend(farmIdOf(engine), "443,80", ["198.51.100.7/32", "192.0.2.0/24"])]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("2. the same program again: no write, no refresh, one GET per resource", async () => {
    const from = mark(emu);
    await up({ port: [443, 80], allowedSource: ["198.51.100.7", "192.0.2.0/24"] });

    expect(ops(engine.steps)).toEqual(["same web", "same web-fe"]);
    expect(writesSince(emu, from)).toEqual([]);
    expect(calls(emu, from).sort()).toEqual([`GET /ipLoadbalancing/${emu.serviceName}/http/farm/${farmIdOf(engine)}`, `GET ${frontendPath}`].sort());
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("3. ports and sources reordered, written another way: still no change and no write", async () => {
    const from = mark(emu);
    await up({ port: "80, 443", allowedSource: ["192.0.2.0/24", "198.51.100.7/32"] });

    expect(ops(engine.steps)).toEqual(["same web", "same web-fe"]);
    expect(writesSince(emu, from)).toEqual([]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("4. a port changed and the source list removed: one update, one PUT of those fields, one refresh", async () => {
    const from = mark(emu);
    const outputs = await up({ port: [80, "8443-8444"] });

    expect(engine.steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name])).toEqual([["update", "web-fe"]]);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", frontendPath, { port: "80,8443-8444", allowedSource: null }],
      ["POST", `/ipLoadbalancing/${emu.serviceName}/refresh`, { zone: "gra" }],
    ]);
    expect(outputs.frontendPort).toBe("80,8443-8444");
    expect(runningFrontends(emu, "gra")).toEqual([expectedFrontend(farmIdOf(engine), "80,8443-8444", null)]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("5. the frontend removed from the program: deleted and live, the farm untouched", async () => {
    const from = mark(emu);
    await up({});

    expect(ops(engine.steps)).toEqual(["delete web-fe", "same web"]);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.status])).toEqual([
      ["DELETE", frontendPath, 200],
      ["POST", `/ipLoadbalancing/${emu.serviceName}/refresh`, 200],
    ]);
    expect(runningFrontends(emu, "gra")).toEqual([]);
    expect(Object.keys(emu.running("gra").farms)).toEqual([String(farmIdOf(engine))]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("6. destroy after re-adding it: the frontend goes before its farm (the API refuses to delete a farm in use)", async () => {
    await up({ port: 80 });
    const from = mark(emu);
    const steps = await engine.destroy();

    expect(ops(steps)).toEqual(["delete web", "delete web-fe"]);
    expect(writesSince(emu, from).filter((r) => r.method === "DELETE").map((r) => [r.path.split("/").slice(3, 5).join("/"), r.status])).toEqual([
      ["http/frontend", 200], ["http/farm", 200],
    ]);
    expect(runningFrontends(emu, "gra")).toEqual([]);
    expect(emu.running("gra").farms).toEqual({});
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("a farm and a frontend in one Refresh batch", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05 })));
  afterAll(() => emu.close());

  it("creates both with one refresh, and a later port change costs one PUT and one refresh", async () => {
    const { engine, up } = stack(emu);
    let from = mark(emu);
    await up({ port: 80, batch: true });
    expect(ops(engine.steps.filter((s) => !s.type.includes("Refresh")))).toEqual(["create web", "create web-fe"]);
    expect(refreshesSince(emu, from)).toHaveLength(1);
    expect(runningFrontends(emu, "gra")).toEqual([expectedFrontend(farmIdOf(engine), "80", null)]);
    expect(pendingChanges(emu)).toEqual([]);

    from = mark(emu);
    await up({ port: [80, 443], batch: true });
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([{ port: "80,443" }]);
    expect(refreshesSince(emu, from)).toHaveLength(1);
    expect(runningFrontends(emu, "gra")).toEqual([expectedFrontend(farmIdOf(engine), "80,443", null)]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

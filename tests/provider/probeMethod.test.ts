/**
 * An http probe without `method` sends `OPTIONS /` (the service's default, provider/models/probe.ts
 * PROBE_DEFAULT_METHOD), so a backend that refuses OPTIONS is CRITICAL; adding `method: "GET"` is a change the preview
 * shows, the update sends, the API then holds, and the probe then passes. Before, the provider took an absent method
 * for GET: adding GET showed no diff, sent nothing, and the probe kept failing.
 */
import * as iplb from "../../sdk";
import * as pulumi from "@pulumi/pulumi";
import { farmModel } from "../../provider/models/farm";
import { httpBackend, TestBackend } from "../helpers/backends";
import { Emulator, eventually } from "../helpers/emulator";
import { LiveObjects } from "../helpers/liveObjects";
import { configured, emulatorSettings, mark, Props, Provider, requestsSince, withEmulator } from "./support";

let emu: Emulator;
let backend: TestBackend;
let farms: Provider;
let farm: { id: string; outs: Props };
let serverId: number;

const probe = { type: "http", url: "/health", match: "status", pattern: "200" };
const inputs = (extra: Props = {}) => ({ serviceName: emu.serviceName, zone: "gra", probe: { ...probe, ...extra } });
const health = () => iplb.getServerHealth({ serviceName: emu.serviceName, farmType: "http", farmId: farm.outs.farmId as number, serverId });

describe("an http probe without method, on a backend that refuses OPTIONS", () => {
  withEmulator(
    { probeMsPerSecond: 2, probeTimeoutMs: 300 },
    async (started) => {
      emu = started.emu;
      pulumi.runtime.setAllConfig(emulatorSettings(emu));
      backend = await httpBackend("127.0.0.23", 200, ["OPTIONS"]);
      farms = await configured("HttpFarm", emu);
      const created = await farms.create(inputs());
      farm = { id: created.id, outs: created.outs as Props };
      const live = new LiveObjects(emu);
      serverId = (await live.server("HttpFarmServer", farm.outs.farmId as number, { address: backend.address, port: backend.port })).serverId;
    },
    async () => {
      pulumi.runtime.setAllConfig({});
      await backend?.stop();
    },
  );

  it("fails its probe: the service sends OPTIONS when no method is set", async () => {
    const failed = await eventually(async () => {
      const h = await health();
      return h.instances.some((i) => i.checkCode !== null) ? h : undefined;
    }, 30_000, "a first probe result");
    expect(failed?.status).toBe("CRITICAL");
    expect(failed?.instances.map((i) => i.checkCode)).toContain("501");
  });

  it("shows adding method GET as a change of probe.method", async () => {
    // The model finds the change; the provider answers "unknown", so the engine lists the changed input itself
    // (changes/engineDiff.ts). Before, this answered `changes: false` and the preview showed nothing.
    expect(farmModel("http").diff(inputs({ method: "GET" }) as never, farm.outs as never)).toMatchObject({ changes: true, diffs: ["probe"] });
    expect(await farms.diff(farm.id, farm.outs, inputs({ method: "GET" }))).toEqual({ changes: undefined });
  });

  it("sends it, the API holds GET, and the probe then passes", async () => {
    const from = mark(emu);
    farm = { id: farm.id, outs: (await farms.update(farm.id, farm.outs, inputs({ method: "GET" }))).outs as Props };
    expect(requestsSince(emu, from, "PUT").map((r) => (r.body as { probe: Props }).probe.method)).toEqual(["GET"]);
    expect((farm.outs.probe as Props).method).toBe("GET");
    await eventually(async () => (await health()).status === "OK", 30_000, "the server OK once the probe sends GET");
  });
});

/**
 * The SDK's health functions (sdk/functions.ts) against the emulator, in the test's own process as in a program's,
 * with settings from the stack config (`pulumi.runtime.setAllConfig`) or `OVH_*` variables; and `serverState` on farm
 * server resources: `read` (what `pulumi refresh` calls) returns the state of now, and `diff` never reports it.
 * Backends are real loopback servers started here. Not proven here: how the engine schedules an `...Output` call
 * against `dependsOn` in a real deployment (only that the call waits for the resources' ids).
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { httpBackend, TestBackend } from "../helpers/backends";
import { Emulator, eventually } from "../helpers/emulator";
import { LiveObjects } from "../helpers/liveObjects";
import { emulatorSettings, mark, Props, withEmulator } from "./support";

let emu: Emulator;
let live: LiveObjects;
let backend: TestBackend;
let farmId: number;
let server: { id: string; outs: Props; serverId: number };
let unprobed: number;

const serverArgs = () => ({ serviceName: emu.serviceName, farmType: "http" as const, farmId, serverId: server.serverId });

function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Each describe gets an emulator of its own (support.ts, withEmulator), and a backend: nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator(
    { probeMsPerSecond: 2, probeTimeoutMs: 300 },
    async (started) => {
      emu = started.emu;
      pulumi.runtime.setAllConfig(emulatorSettings(emu));
      live = new LiveObjects(emu);
      backend = await httpBackend("127.0.0.21");
      farmId = await live.farm("HttpFarm", { displayName: "fn", probe: { type: "http", url: "/health", match: "status", pattern: "200" } });
      server = await live.server("HttpFarmServer", farmId, { address: backend.address, port: backend.port, displayName: "fn-1" });
      unprobed = (await live.server("HttpFarmServer", farmId, { address: "127.0.0.22", port: 20001, probe: false })).serverId;
      await eventually(async () => (await iplb.getServerHealth(serverArgs())).status === "OK", 10000, "server OK");
    },
    async () => {
      pulumi.runtime.setAllConfig({});
      await backend?.stop();
    },
  );

describe("getServerHealth", () => {
  withOwnEmulator();
  it("returns the server, its roll-up and each instance's OVH fields with the normalised check", async () => {
    const result = await iplb.getServerHealth(serverArgs());
    expect(result).toEqual({
      serviceName: emu.serviceName, farmType: "http", farmId, serverId: server.serverId,
      address: "127.0.0.21", port: backend.port, displayName: "fn-1", serverStatus: "active", backup: false, probe: true, weight: null,
      status: "OK", reason: "2 of 2 instances pass",
      instances: [101, 102].map((instanceId) => ({
        instanceId, status: "UP", checkStatus: "L7OK", checkCode: "200", checkTime: expect.stringMatching(/^\d{4}-/), lastCheckContent: "OK", check: "OK",
      })),
    });
  });

  it("has an Output variant that gives the same result from Output arguments", async () => {
    const out = iplb.getServerHealthOutput({ ...serverArgs(), farmId: pulumi.output(farmId) });
    expect(await resolved(out)).toMatchObject({ serverId: server.serverId, status: "OK", instances: [{ check: "OK" }, { check: "OK" }] });
  });

  it("turns CRITICAL when the backend stops, and OK again when it comes back", async () => {
    await backend.stop();
    try {
      // A check in flight when the backend stops may end as L7RSP (reset); the next ones are refused.
      const down = await eventually(async () => {
        const r = await iplb.getServerHealth(serverArgs());
        return r.instances.every((i) => i.checkStatus === "L4CON") ? r : undefined;
      }, 10000, "server refused on every instance") as iplb.GetServerHealthResult;
      expect(down.status).toBe("CRITICAL");
      expect(down.instances.map((i) => [i.checkStatus, i.check, i.lastCheckContent])).toEqual([
        ["L4CON", "CONNECT_FAILED", "Connection refused"], ["L4CON", "CONNECT_FAILED", "Connection refused"],
      ]);
      expect(down.reason).toBe("2 of 2 instances fail (L4CON Connection refused)");
    } finally {
      await backend.start();
      await eventually(async () => (await iplb.getServerHealth(serverArgs())).status === "OK", 10000, "server OK again");
    }
  });

  it("is UNKNOWN for a server with the probe off", async () => {
    expect(await iplb.getServerHealth({ ...serverArgs(), serverId: unprobed })).toMatchObject({
      status: "UNKNOWN", reason: "probe is off: the load balancer does not check it", probe: false,
      instances: [{ status: "no check", check: "UNKNOWN" }, { status: "no check", check: "UNKNOWN" }],
    });
  });

  it("rejects bad arguments before any API call, naming them", async () => {
    const from = mark(emu);
    await expect(iplb.getServerHealth({ serviceName: emu.serviceName, farmType: "web" as "http", farmId: 0, serverId: 1 })).rejects.toThrow(
      'getServerHealth: farmType: "web" is not one of http, tcp, udp; farmId: 0 is less than 1',
    );
    expect(emu.requests.length).toBe(from);
  });

  it("says which server does not exist", async () => {
    await expect(iplb.getServerHealth({ ...serverArgs(), serverId: 999999 })).rejects.toThrow(
      `server 999999 of HTTP farm ${farmId} on ${emu.serviceName} does not exist (OVH API GET /ipLoadbalancing/${emu.serviceName}/http/farm/${farmId}/server/999999 failed: 404`,
    );
  });
});

describe("getFarmHealth", () => {
  withOwnEmulator();
  it("rolls up the checked servers and lists every server", async () => {
    const farm = await iplb.getFarmHealth({ serviceName: emu.serviceName, farmType: "http", farmId });
    expect(farm).toMatchObject({
      serviceName: emu.serviceName, farmType: "http", farmId, zone: "gra", displayName: "fn", port: null, balance: null, stickiness: null,
      probe: { type: "http", url: "/health", match: "status", pattern: "200" },
      status: "OK", reason: "1 of 1 checked servers are OK",
    });
    expect(farm.servers.map((s) => [s.serverId, s.status])).toEqual([[server.serverId, "OK"], [unprobed, "UNKNOWN"]]);
  });

  it("has an Output variant that waits for its dependsOn resources", async () => {
    // A stand-in resource whose id resolves later: the call must not run before it does.
    let release!: (id: string) => void;
    const id = new Promise<string>((r) => (release = r));
    const dependency = { id: pulumi.output(id), urn: pulumi.output("urn:x"), __pulumiResource: true, __pulumiCustomResource: true } as unknown as pulumi.CustomResource;
    const from = mark(emu);
    const out = iplb.getFarmHealthOutput({ serviceName: emu.serviceName, farmType: "http", farmId }, { dependsOn: [dependency] });
    await new Promise((r) => setTimeout(r, 200));
    expect(emu.requests.length).toBe(from);
    release("lb/1");
    expect(await resolved(out)).toMatchObject({ farmId, status: "OK" });
  });
});

describe("service functions", () => {
  withOwnEmulator();
  it("getNatIps gives each zone's subnets and every subnet once", async () => {
    const nat = await iplb.getNatIps({ serviceName: emu.serviceName });
    expect(nat.natIps.map((n) => n.zone)).toEqual(["gra", "rbx"]);
    expect(nat.ips).toEqual([...new Set(nat.natIps.flatMap((n) => n.ip))].sort());
    expect(nat.ips.every((ip) => /^198\.51\.100\.\d+\/27$/.test(ip))).toBe(true);
  });

  it("getInstancesState lists the LB instances", async () => {
    const { instances } = await iplb.getInstancesState({ serviceName: emu.serviceName });
    expect(instances.map((i) => [i.internalId, i.zone, i.state])).toEqual([[101, "gra", "running"], [102, "gra", "running"], [111, "rbx", "running"], [112, "rbx", "running"]]);
  });

  it("getPendingChanges is 0 after the provider's writes, and counts staged changes", async () => {
    expect(await iplb.getPendingChanges({ serviceName: emu.serviceName })).toEqual({ serviceName: emu.serviceName, pendingChanges: [], total: 0 });
  });

  it("getServiceStatus returns OVH's counts", async () => {
    const status = await resolved(iplb.getServiceStatusOutput({ serviceName: pulumi.output(emu.serviceName) }));
    expect(status).toMatchObject({ serviceName: emu.serviceName, farms: { total: 1 }, servers: { total: 2, status: { ok: 1, unknown: 1 } }, service: { status: "ok" } });
  });

  it("reads OVH_* variables when the stack config has no ovh:* keys", async () => {
    const saved = { ...process.env };
    pulumi.runtime.setAllConfig({});
    Object.assign(process.env, {
      OVH_ENDPOINT: emu.url, OVH_CA_FILE: emu.caFile, OVH_APPLICATION_KEY: emu.applicationKey,
      OVH_APPLICATION_SECRET: emu.applicationSecret, OVH_CONSUMER_KEY: emu.consumerKey,
    });
    try {
      expect((await iplb.getNatIps({ serviceName: emu.serviceName })).natIps).toHaveLength(2);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      pulumi.runtime.setAllConfig(emulatorSettings(emu));
    }
  });
});

describe("serverState on farm server resources", () => {
  withOwnEmulator();
  it("read (pulumi refresh) returns the current serverState, and diff ignores it", async () => {
    const provider = await live.serverProvider("HttpFarmServer");
    const inputs = { serviceName: emu.serviceName, farmId, address: backend.address, port: backend.port, displayName: "fn-1", status: "active", probe: true };
    const before = await provider.read(server.id, server.outs);
    expect((before.props.serverState as iplb.ServerState[]).map((s) => s.status)).toEqual(["UP", "UP"]);
    await backend.stop();
    try {
      await eventually(async () => {
        const { props } = await provider.read(server.id, before.props);
        return (props.serverState as iplb.ServerState[]).every((s) => s.status === "DOWN" && s.checkStatus === "L4CON");
      }, 10000, "serverState DOWN after a read");
      const { props: after } = await provider.read(server.id, before.props);
      expect(await provider.diff(server.id, before.props, inputs)).toEqual({ changes: false });
      expect(await provider.diff(server.id, after, inputs)).toEqual({ changes: false });
    } finally {
      await backend.start();
      await eventually(async () => (await iplb.getServerHealth(serverArgs())).status === "OK", 10000, "server OK again");
    }
  });
});

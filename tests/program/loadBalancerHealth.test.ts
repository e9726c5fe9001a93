/**
 * `LoadBalancer.health` is read from the API on every run: a server whose backend stopped answering since the last
 * deployment shows CRITICAL on the next `up`, although nothing about it changed (no write, no refresh). Before, it
 * showed the roll-up of the `serverState` the server resource kept from its creation. Under the mini engine
 * (in-process host) against the emulator, whose probes check the loopback backend.
 */
import * as iplb from "../../sdk";
import { httpBackend, TestBackend } from "../helpers/backends";
import { Emulator, eventually, startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, writesSince } from "../provider/support";

const PROJECT = "iplb-health";
let emu: Emulator;
let backend: TestBackend;

beforeAll(async () => {
  emu = await startTestEmulator({ refreshSeconds: 0.05, probeMsPerSecond: 2, probeTimeoutMs: 300 });
  backend = await httpBackend("127.0.0.24");
});
afterAll(async () => {
  await backend.stop();
  await emu.close();
});

const program = () => {
  const lb = new iplb.LoadBalancer("lb", {
    serviceName: emu.serviceName,
    farms: {
      web: {
        type: "http", zone: "gra", port: backend.port, probe: { type: "http", method: "GET", url: "/", match: "status", pattern: "200" },
        servers: { a: { address: backend.address, port: backend.port, status: "active", probe: true } },
      },
    },
  });
  return { health: lb.health, serverIds: lb.serverIds };
};

describe("LoadBalancer.health", () => {
  const engine = new MiniEngine(new InProcessHost(PROJECT));
  const up = () => runWithMocks(engine, program, { project: PROJECT, stack: "dev", config: emulatorSettings(emu) });
  const serverHealth = (serverId: number) => iplb.getServerHealth({ serviceName: emu.serviceName, farmType: "http", farmId: Number(Object.keys(emu.running("gra").farms)[0]), serverId });

  it("reports the server OK once its backend answers the probe", async () => {
    const first = await up();
    const serverId = (first.serverIds as Record<string, Record<string, number>>).web.a;
    await eventually(async () => (await serverHealth(serverId)).status === "OK", 30_000, "the server OK");
    expect((await up()).health).toEqual({ web: { a: { status: "OK", reason: expect.any(String) } } });
  });

  it("reports CRITICAL on the next run once the backend stopped, with nothing written", async () => {
    const serverId = ((await up()).serverIds as Record<string, Record<string, number>>).web.a;
    await backend.stop();
    await eventually(async () => (await serverHealth(serverId)).status === "CRITICAL", 30_000, "the API to see the server down");
    const from = emu.requests.length;
    const run = await up();
    expect(writesSince(emu, from)).toEqual([]);
    expect(run.health).toEqual({ web: { a: { status: "CRITICAL", reason: expect.any(String) } } });
  });
});

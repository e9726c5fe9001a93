/**
 * Failover through real requests: the probes (emulator/probes.ts) mark a stopped backend DOWN and the data plane stops
 * sending it traffic (emulator/dataplane/pool.ts); with no active server left the backup takes over; a restarted
 * backend is marked UP again and gets its traffic back, and the backup goes idle. Each step waits for the health
 * state the API reports (`serverState`), never for time. Backends on 127.0.13.x.
 */
import { httpBackend, TestBackend } from "../helpers/backends";
import { Lb, servedBy, startLb } from "../helpers/dataPlane";

const A = "127.0.13.1";
const B = "127.0.13.2";
const BACKUP = "127.0.13.3";

describe("data plane: failover on the probes' verdict", () => {
  let lb: Lb;
  let backends: TestBackend[];

  beforeAll(async () => (backends = await Promise.all([A, B, BACKUP].map((address) => httpBackend(address)))));
  afterAll(() => Promise.all(backends.map((b) => b.stop())));
  beforeEach(async () => (lb = await startLb({ dataPlane: { basePort: 13000 } })));
  afterEach(() => lb.emu.close());

  it("moves traffic off a server marked down, to the backup when no active server is left, and back when they return", async () => {
    const [a, b, backup] = backends;
    const farmId = await lb.farm("http", { probe: { type: "tcp" } });
    const ids = [
      await lb.server("http", farmId, a, { probe: true }),
      await lb.server("http", farmId, b, { probe: true }),
      await lb.server("http", farmId, backup, { probe: true, backup: true }),
    ];
    await lb.frontend("http", { port: "80", defaultFarmId: farmId });
    await lb.refresh();
    const port = lb.port(80);
    for (const id of ids) await lb.health("http", farmId, id, "UP");
    expect(await servedBy(port, 4)).toEqual([A, B, A, B]);

    await a.stop();
    await lb.health("http", farmId, ids[0], "DOWN");
    expect(await servedBy(port, 3)).toEqual([B, B, B]);

    await b.stop();
    await lb.health("http", farmId, ids[1], "DOWN");
    expect(await servedBy(port, 3)).toEqual([BACKUP, BACKUP, BACKUP]);

    await a.start();
    await lb.health("http", farmId, ids[0], "UP");
    expect(await servedBy(port, 3)).toEqual([A, A, A]);

    await b.start();
    await lb.health("http", farmId, ids[1], "UP");
    expect(await servedBy(port, 4)).toEqual([A, B, A, B]);

    await Promise.all([a.stop(), b.stop(), backup.stop()]);
    for (const id of ids) await lb.health("http", farmId, id, "DOWN");
    expect(await servedBy(port, 2)).toEqual(["503", "503"]);
    await Promise.all([a.start(), b.start(), backup.start()]);
  });

  it("counts only active servers: backup servers stay idle while one active server is up", async () => {
    const [a, , backup] = backends;
    const farmId = await lb.farm("http");
    const ids = [await lb.server("http", farmId, a), await lb.server("http", farmId, backup, { backup: true })];
    await lb.frontend("http", { port: "80", defaultFarmId: farmId });
    await lb.refresh();
    expect(await servedBy(lb.port(80), 4)).toEqual([A, A, A, A]);
    const counters = (lb.emu.dataPlane!.snapshot().servers as { zone: string; serverId: number; requests: number }[]).filter((s) => s.zone === "gra");
    expect(counters.map((s) => [s.serverId, s.requests])).toEqual([[ids[0], 4], [ids[1], 0]]);
  });
});

/**
 * Stickiness through real requests (emulator/dataplane/stickiness.ts), configured through the official client:
 * `sourceIp` keeps each client address on the server it was first balanced to, and a refresh empties the table
 * (OVH's connection-tracking guide: connections "will be rebalanced"); `cookie` sets SERVERID to the server's cookie
 * value, sends a client presenting it back to that server over many requests and across a refresh, honours it on a
 * server of weight 0 and ignores it once that server is inactive. Backends on 127.0.12.x, clients on other 127.0.12.x.
 */
import { httpBackend, TestBackend } from "../helpers/backends";
import { get, Lb, servedBy, startLb } from "../helpers/dataPlane";

const A = "127.0.12.1";
const B = "127.0.12.2";
const X = "127.0.12.101";
const Y = "127.0.12.102";

describe("data plane: stickiness", () => {
  let lb: Lb;
  let backends: TestBackend[];

  beforeAll(async () => (backends = await Promise.all([A, B].map((address) => httpBackend(address)))));
  afterAll(() => Promise.all(backends.map((b) => b.stop())));
  beforeEach(async () => (lb = await startLb({ dataPlane: { basePort: 12000 } })));
  afterEach(() => lb.emu.close());

  async function deploy(stickiness: string) {
    const farmId = await lb.farm("http", { stickiness });
    const ids = [await lb.server("http", farmId, backends[0]), await lb.server("http", farmId, backends[1])];
    await lb.frontend("http", { port: "80", defaultFarmId: farmId });
    await lb.refresh();
    return { farmId, ids, port: lb.port(80) };
  }

  it("keeps each client on its first server with sourceIp, and rebalances from an empty table after a refresh", async () => {
    const { port } = await deploy("sourceIp");
    // Roundrobin places X on A, then Y on B; from then on each stays.
    expect(await servedBy(port, 1, { from: X })).toEqual([A]);
    expect(await servedBy(port, 1, { from: Y })).toEqual([B]);
    expect(await servedBy(port, 5, { from: X })).toEqual([A, A, A, A, A]);
    expect(await servedBy(port, 5, { from: Y })).toEqual([B, B, B, B, B]);
    await lb.refresh();
    // The table and the round robin start over: Y comes first this time and gets A.
    expect(await servedBy(port, 3, { from: Y })).toEqual([A, A, A]);
    expect(await servedBy(port, 3, { from: X })).toEqual([B, B, B]);
  });

  it("keeps a cookie session on its server across many requests and across a refresh", async () => {
    const { farmId, ids, port } = await deploy("cookie");
    const cookieOf = async (id: number) => (await lb.call<{ cookie: string }>("GET", `/http/farm/${farmId}/server/${id}`)).cookie;
    const [cookieA, cookieB] = [await cookieOf(ids[0]), await cookieOf(ids[1])];
    expect(cookieA).toMatch(/^[0-9a-f]{16}$/);
    const first = await get(port);
    expect(first).toMatchObject({ status: 200, body: `200 from ${A}\n`, headers: { "set-cookie": [`SERVERID=${cookieA}; path=/`] } });
    const session = { Cookie: `SERVERID=${cookieA}` };
    const many = await Promise.all(Array.from({ length: 10 }, () => get(port, "/", { headers: session })));
    expect(many.map((r) => r.body)).toEqual(Array(10).fill(`200 from ${A}\n`));
    expect(many.every((r) => r.headers["set-cookie"] === undefined)).toBe(true);
    await lb.refresh();
    expect(await servedBy(port, 4, { headers: session })).toEqual([A, A, A, A]);
    expect(await servedBy(port, 2, { headers: { Cookie: `lang=fr; SERVERID=${cookieB}` } })).toEqual([B, B]);
  });

  it("honours a cookie on a server of weight 0 and ignores it once the server is inactive", async () => {
    const { farmId, ids, port } = await deploy("cookie");
    const { cookie } = await lb.call<{ cookie: string }>("GET", `/http/farm/${farmId}/server/${ids[0]}`);
    await lb.call("PUT", `/http/farm/${farmId}/server/${ids[0]}`, { weight: 0 });
    await lb.refresh();
    expect(await servedBy(port, 2)).toEqual([B, B]); // no new client for A
    expect(await servedBy(port, 2, { headers: { Cookie: `SERVERID=${cookie}` } })).toEqual([A, A]);
    await lb.call("PUT", `/http/farm/${farmId}/server/${ids[0]}`, { status: "inactive" });
    await lb.refresh();
    const moved = await get(port, "/", { headers: { Cookie: `SERVERID=${cookie}` } });
    const { cookie: cookieB } = await lb.call<{ cookie: string }>("GET", `/http/farm/${farmId}/server/${ids[1]}`);
    expect(moved).toMatchObject({ body: `200 from ${B}\n`, headers: { "set-cookie": [`SERVERID=${cookieB}; path=/`] } });
  });
});

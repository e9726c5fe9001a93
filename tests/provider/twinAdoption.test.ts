/**
 * Taking over what an interrupted deployment left (provider/changes/adoptOrCreate.ts): a create first looks for an
 * object with its natural key that is exactly as declared, and takes it over instead of posting, when there is exactly
 * one and this process has not created or taken it already. The objects "left behind" are made here with the official
 * client, unapplied, as a provider process killed after its POST leaves them.
 * Not proven here: the whole interrupted deployment (tests/faults/killedHost.test.ts).
 */
import type { OvhClient } from "ovh";
import type { Emulator } from "../helpers/emulator";
import {
  configured, farmId, mark, pendingChanges, Props, Provider, requestsSince, runningFarm, runningServer, withEmulator,
} from "./support";

let emu: Emulator;
let client: OvhClient;
let farms: Provider;
let servers: Provider;
let frontends: Provider;
let svc: string;
let farm: number;
const farmsPath = () => `/ipLoadbalancing/${svc}/http/farm`;
const serversPath = (f = farm) => `${farmsPath()}/${f}/server`;
const frontendsPath = () => `/ipLoadbalancing/${svc}/http/frontend`;

/** `pulumi up`'s order: check, then create with the checked inputs. */
async function create(p: Provider, news: Props): Promise<{ id: string; outs: Props }> {
  const { inputs, failures } = await p.check({}, news);
  expect(failures).toEqual([]);
  return (await p.create(inputs!)) as { id: string; outs: Props };
}

/** An object a killed provider process left: POSTed, never applied, unknown to any state. */
const leftBehind = async (path: string, body: Props): Promise<Props> => (await client.requestPromised("POST", path, body)) as Props;

const server = (address: string, over: Props = {}): Props => ({ serviceName: svc, farmId: farm, address, port: 80, status: "active", weight: 1, ...over });
const serverBody = (address: string, over: Props = {}): Props => ({ address, port: 80, status: "active", weight: 1, ...over });

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    farms = await configured("HttpFarm", emu);
    servers = await configured("HttpFarmServer", emu);
    frontends = await configured("HttpFrontend", emu);
    farm = farmId((await create(farms, { serviceName: svc, zone: "gra", port: 80, displayName: "twins" })).id);
  });

describe("a create after an interrupted deployment", () => {
  withOwnEmulator();
  it("takes over the exact twin it left: no POST, that server's id, live when create returns", async () => {
    const left = await leftBehind(serversPath(), serverBody("192.0.2.50"));
    const from = mark(emu);
    const { id, outs } = await create(servers, server("192.0.2.50"));
    expect(id).toBe(`${svc}/${farm}/${left.serverId}`);
    expect(requestsSince(emu, from, "POST", serversPath())).toEqual([]);
    expect(outs).toMatchObject({ address: "192.0.2.50", port: 80, weight: 1 });
    expect(runningServer(emu, "gra", left.serverId as number)).toMatchObject({ serverId: left.serverId });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("takes over nothing when two objects match, since nothing tells which is whose: it posts", async () => {
    const a = await leftBehind(serversPath(), serverBody("192.0.2.51"));
    const b = await leftBehind(serversPath(), serverBody("192.0.2.51"));
    const from = mark(emu);
    const { id } = await create(servers, server("192.0.2.51"));
    expect(requestsSince(emu, from, "POST", serversPath())).toHaveLength(1);
    expect([a.serverId, b.serverId]).not.toContain(farmId(id));
  });

  it.each([
    ["another weight", "192.0.2.61", { weight: 5 }],
    ["another port", "192.0.2.62", { port: 8080 }],
    ["a backup flag the program does not set", "192.0.2.63", { backup: true }],
  ])("takes over no server that differs from the declaration (%s): it posts", async (_what, address, over) => {
    const left = await leftBehind(serversPath(), serverBody(address, over));
    const from = mark(emu);
    const { id } = await create(servers, server(address));
    expect(requestsSince(emu, from, "POST", serversPath())).toHaveLength(1);
    expect(farmId(id)).not.toBe(left.serverId);
  });

  it("never takes over what this process created: two identical resources get two objects", async () => {
    const first = await create(servers, server("192.0.2.70"));
    const from = mark(emu);
    const second = await create(servers, server("192.0.2.70"));
    expect(requestsSince(emu, from, "POST", serversPath())).toHaveLength(1);
    expect(second.id).not.toBe(first.id);
  });

  it("never takes over what this process adopted by id (adoptServerId)", async () => {
    const left = await leftBehind(serversPath(), serverBody("192.0.2.71"));
    const adopted = await create(servers, server("192.0.2.71", { adoptServerId: left.serverId }));
    expect(adopted.id).toBe(`${svc}/${farm}/${left.serverId}`);
    const from = mark(emu);
    const twin = await create(servers, server("192.0.2.71"));
    expect(requestsSince(emu, from, "POST", serversPath())).toHaveLength(1);
    expect(twin.id).not.toBe(adopted.id);
  });

  it("takes over a farm only when it has a displayName: identical anonymous farms may be meant to be two", async () => {
    const named = await leftBehind(farmsPath(), { zone: "rbx", port: 8080, displayName: "left" });
    let from = mark(emu);
    const { id } = await create(farms, { serviceName: svc, zone: "rbx", port: 8080, displayName: "left" });
    expect(farmId(id)).toBe(named.farmId);
    expect(requestsSince(emu, from, "POST", farmsPath())).toEqual([]);
    expect(runningFarm(emu, "rbx", named.farmId as number)).toMatchObject({ farmId: named.farmId });

    const anonymous = await leftBehind(farmsPath(), { zone: "rbx", port: 8081 });
    from = mark(emu);
    const other = await create(farms, { serviceName: svc, zone: "rbx", port: 8081 });
    expect(requestsSince(emu, from, "POST", farmsPath())).toHaveLength(1);
    expect(farmId(other.id)).not.toBe(anonymous.farmId);
  });

  it("takes over a frontend of the same zone and port that is exactly as declared", async () => {
    const left = await leftBehind(frontendsPath(), { zone: "gra", port: "80,443", defaultFarmId: farm, displayName: "www" });
    const from = mark(emu);
    const { id } = await create(frontends, { serviceName: svc, zone: "gra", port: [80, 443], defaultFarmId: farm, displayName: "www" });
    expect(id).toBe(`${svc}/${left.frontendId}`);
    expect(requestsSince(emu, from, "POST", frontendsPath())).toEqual([]);
    expect(emu.running("gra").frontends[left.frontendId as number]?.data).toMatchObject({ frontendId: left.frontendId, displayName: "www" });
  });
});

describe("a frontend's recovery listing", () => {
  withOwnEmulator();
  it("asks the API for its zone and port only, so other frontends of the zone are never read", async () => {
    for (const port of ["8081", "8082", "8083", "8084", "8085"]) await leftBehind(frontendsPath(), { zone: "gra", port, defaultFarmId: farm });
    const from = mark(emu);
    await create(frontends, { serviceName: svc, zone: "gra", port: 8443, defaultFarmId: farm });
    const listings = requestsSince(emu, from, "GET", frontendsPath());
    expect(listings.map((r) => r.query)).toEqual([{ zone: "gra", port: "8443" }]);
    expect(requestsSince(emu, from, "GET", new RegExp(`^${frontendsPath()}/\\d+$`))).toEqual([]);
  });
});

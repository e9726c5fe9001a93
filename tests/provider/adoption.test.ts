/**
 * Taking over objects made outside Pulumi: `adoptFarmId` / `adoptServerId` on create (no POST, only a PUT of the fields
 * that differ, then live), clear failures for ids that do not exist, and `read` with an id and no state, which is what
 * `HttpFarm.get(name, id)` does. Objects are made with the official client, as a console or script would.
 * Not proven here: `pulumi import` (the engine's own step, not a provider method).
 */
import type { OvhClient } from "ovh";
import type { Emulator } from "../helpers/emulator";
import {
  applyPendingOutOfBand, calls, configured, declared, mark, pendingChanges, Props, Provider, runningFarm, runningServer,
  withEmulator, writesSince,
} from "./support";

let emu: Emulator;
let client: OvhClient;
let farms: Provider;
let servers: Provider;
let svc: string;
const farmPath = (id?: number, type = "http") => `/ipLoadbalancing/${svc}/${type}/farm${id === undefined ? "" : `/${id}`}`;
const serverPath = (farm: number, id?: number) => `${farmPath(farm)}/server${id === undefined ? "" : `/${id}`}`;

/** A farm with two servers, made out of band and made live, as an existing setup would be. */
async function existingSetup(): Promise<{ farm: Props; servers: Props[] }> {
  const farm = (await client.requestPromised("POST", farmPath(), { zone: "gra", port: 80, displayName: "legacy", balance: "roundrobin" })) as Props;
  const made: Props[] = [];
  for (const address of ["192.0.2.90", "192.0.2.91"]) {
    made.push((await client.requestPromised("POST", serverPath(farm.farmId as number), { address, status: "active", weight: 1 })) as Props);
  }
  await applyPendingOutOfBand(emu, client);
  return { farm, servers: made };
}

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    farms = await configured("HttpFarm", emu);
    servers = await configured("HttpFarmServer", emu);
  });

describe("adopting a farm", () => {
  withOwnEmulator();
  it("refuses to adopt a farm whose zone differs from the args, since the next up would replace (delete) it", async () => {
    const { farm } = await existingSetup();
    const id = farm.farmId as number;
    const from = mark(emu);
    await expect(
      farms.create({ serviceName: svc, zone: "rbx", port: 80, displayName: "legacy", adoptFarmId: id, __provider: "shim" }),
    ).rejects.toThrow(`HttpFarm adoptFarmId: object ${id} cannot be adopted as declared, because zone is "gra", not "rbx", which cannot change in place`);
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("takes it over with no POST, only a PUT of the fields that differ, and the change is live when create returns", async () => {
    const { farm } = await existingSetup();
    const id = farm.farmId as number;
    const inputs = { serviceName: svc, zone: "gra", port: 80, displayName: "adopted", balance: "roundrobin", adoptFarmId: id, __provider: "shim" };
    const from = mark(emu);
    const { id: resourceId, outs } = await farms.create(inputs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", farmPath(id), { displayName: "adopted" }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expect(resourceId).toBe(`${svc}/${id}`);
    expect(outs).toEqual({ ...inputs, farmId: id, vrackNetworkId: null, stickiness: null, probe: null, ...declared(inputs) });
    expect(runningFarm(emu, "gra", id)).toMatchObject({ displayName: "adopted" });
    expect(pendingChanges(emu)).toEqual([]);
    // From then on it is an ordinary farm: adoptFarmId never diffs.
    expect(await farms.diff(resourceId, outs, inputs)).toEqual({ changes: false });
  });

  it("sends nothing at all when the farm already matches", async () => {
    const { farm } = await existingSetup();
    const from = mark(emu);
    const { outs } = await farms.create({ serviceName: svc, zone: "gra", port: 80, displayName: "legacy", adoptFarmId: farm.farmId });
    expect(writesSince(emu, from)).toEqual([]);
    expect(outs).toMatchObject({ farmId: farm.farmId, balance: "roundrobin" });
  });

  it("fails clearly, writing nothing, when the farm does not exist or is of another type", async () => {
    const { farm } = await existingSetup();
    const from = mark(emu);
    await expect(farms.create({ serviceName: svc, zone: "gra", adoptFarmId: 999999 })).rejects.toThrow(
      `HttpFarm adoptFarmId: there is no http farm 999999 on ${svc}`,
    );
    const tcp = await configured("TcpFarm", emu);
    await expect(tcp.create({ serviceName: svc, zone: "gra", adoptFarmId: farm.farmId })).rejects.toThrow(
      `TcpFarm adoptFarmId: there is no tcp farm ${farm.farmId} on ${svc}`,
    );
    expect(writesSince(emu, from)).toEqual([]);
  });
});

describe("adopting a farm server", () => {
  withOwnEmulator();
  it("takes it over with no POST, only a PUT of the fields that differ, and the change is live when create returns", async () => {
    const { farm, servers: made } = await existingSetup();
    const f = farm.farmId as number;
    const s = made[0].serverId as number;
    const inputs = { serviceName: svc, farmId: f, address: "192.0.2.90", status: "active", weight: 5, adoptServerId: s };
    const from = mark(emu);
    const { id, outs } = await servers.create(inputs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", serverPath(f, s), { weight: 5 }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expect(id).toBe(`${svc}/${f}/${s}`);
    expect(outs).toMatchObject({ serverId: s, farmId: f, zone: "gra", weight: 5, adoptServerId: s });
    expect(runningServer(emu, "gra", s)).toMatchObject({ weight: 5 });
    expect(await servers.diff(id, outs, inputs)).toMatchObject({ changes: false });
  });

  it("fails clearly, writing nothing, when the server is not in that farm", async () => {
    const { farm } = await existingSetup();
    const other = await existingSetup();
    const from = mark(emu);
    const f = farm.farmId as number;
    await expect(servers.create({ serviceName: svc, farmId: f, address: "192.0.2.90", status: "active", adoptServerId: 999999 })).rejects.toThrow(
      `HttpFarmServer adoptServerId: there is no server 999999 in HTTP farm ${f} on ${svc}`,
    );
    const elsewhere = other.servers[0].serverId as number;
    await expect(servers.create({ serviceName: svc, farmId: f, address: "192.0.2.90", status: "active", adoptServerId: elsewhere })).rejects.toThrow(
      `HttpFarmServer adoptServerId: there is no server ${elsewhere} in HTTP farm ${f} on ${svc}`,
    );
    expect(writesSince(emu, from)).toEqual([]);
  });
});

describe("read with an id and no state (what `.get()` does)", () => {
  withOwnEmulator();
  it("returns the farm as outputs from a single GET", async () => {
    const { farm } = await existingSetup();
    const id = `${svc}/${farm.farmId}`;
    const from = mark(emu);
    expect(await farms.read(id, {})).toEqual({ id, props: { ...farm, serviceName: svc } });
    expect(calls(emu, from)).toEqual([`GET ${farmPath(farm.farmId as number)}`]);
  });

  it("returns the server as outputs, with its farm's zone looked up", async () => {
    const { farm, servers: made } = await existingSetup();
    const f = farm.farmId as number;
    const s = made[1].serverId as number;
    const id = `${svc}/${f}/${s}`;
    const api = (await client.requestPromised("GET", serverPath(f, s))) as Props;
    const { backendId, ...fields } = api;
    const from = mark(emu);
    expect(await servers.read(id, {})).toEqual({ id, props: { ...fields, farmId: backendId, serviceName: svc, zone: "gra" } });
    expect(calls(emu, from)).toEqual([`GET ${serverPath(f, s)}`, `GET ${farmPath(f)}`]);
  });

  it("returns an empty id for ids that do not exist", async () => {
    expect(await farms.read(`${svc}/999999`, {})).toEqual({ id: "", props: {} });
    expect(await servers.read(`${svc}/999999/1`, {})).toEqual({ id: "", props: {} });
  });
});

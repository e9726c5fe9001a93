/**
 * The VrackNetwork provider method by method against an emulator whose load balancer is attached to a vRack: the
 * calls and bodies of create (farms attached by updateFarmId after the POST), update (farms compared as a set),
 * replace, adoption and twin take-over, drift, delete (managed farms detached first; farms it does not manage named),
 * the refresh that makes farm changes live, and the errors a user sees (a natIp too small, a load balancer outside any
 * vRack). Also the farms' side: a farm is created with a vrackNetworkId, and one without it is refused clearly.
 * Farms and some networks are made with the official client, as a console would. And getVrackNetworks (reads/vrack.ts).
 * Not proven here: a real engine run (tests/engine), traffic (the emulator routes none).
 */
import * as pulumi from "@pulumi/pulumi";
import type { OvhClient } from "ovh";
import { getVrackNetwork, getVrackNetworks } from "../../reads/vrack";
import * as sdkFunctions from "../../sdk/vrackFunctions";
import type { Emulator } from "../helpers/emulator";
import { apiFor } from "../helpers/liveObjects";
import {
  applyPendingOutOfBand, calls, configured, declared, emulatorSettings, failureOf, farmId, mark, pendingChanges, Props, Provider, refreshesSince,
  withEmulator, writesSince,
} from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
const VRACK = "pn-12345";
let emu: Emulator;
let client: OvhClient;
let svc: string;
let networks: Provider;
/** Made out of band: a network, and two farms on it in two zones. */
let home: number;
let web: number;
let db: number;

const netPath = (id?: number) => `/ipLoadbalancing/${svc}/vrack/network${id === undefined ? "" : `/${id}`}`;
const netId = (id: string) => Number(id.split("/").pop());
const post = async (path: string, body: Props) => (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/${path}`, body)) as Props;
const outOfBandNetwork = async (body: Props) => (await post("vrack/network", body)).vrackNetworkId as number;
const apiFarm = async (proto: string, id: number) => (await client.requestPromised("GET", `/ipLoadbalancing/${svc}/${proto}/farm/${id}`)) as Props;
const inputs = (over: Props = {}): Props => ({ serviceName: svc, subnet: "10.1.0.0/16", natIp: "10.1.255.0/27", __provider: PROVIDER_TEXT, ...over });
const writes = (from: number) => writesSince(emu, from).map((r) => [r.method, r.path, r.body]);

/**
 * `serviceName`: a service of its own, for take-over tests. Objects a process created are claimed by collection path and
 * id (changes/adoptOrCreate.ts), and every emulator numbers from 100: the same path would name another describe's claim.
 */
const withVrackEmulator = (serviceName?: string) =>
  withEmulator({ refreshSeconds: 0.05, vrack: { name: VRACK }, serviceName }, async (started) => {
    ({ emu, client, svc } = started);
    networks = await configured("VrackNetwork", emu);
    home = await outOfBandNetwork({ subnet: "10.9.0.0/16", natIp: "10.9.255.0/27" });
    web = (await post("http/farm", { zone: "gra", port: 80, vrackNetworkId: home })).farmId as number;
    db = (await post("tcp/farm", { zone: "rbx", port: 5432, vrackNetworkId: home })).farmId as number;
    await applyPendingOutOfBand(emu, client);
  });

describe("VrackNetwork create and read", () => {
  withVrackEmulator();

  it("POSTs the network (vlan 0 when absent) and nothing else: its own write needs no refresh", async () => {
    const from = mark(emu);
    const { id, outs } = await networks.create(inputs({ displayName: "backends" }));
    expect(id).toBe(`${svc}/${netId(id)}`);
    expect(writes(from)).toEqual([["POST", netPath(), { subnet: "10.1.0.0/16", natIp: "10.1.255.0/27", vlan: 0, displayName: "backends" }]]);
    expect(outs).toEqual({
      ...inputs({ displayName: "backends" }), vrackNetworkId: netId(id), vlan: 0, farmId: [], ...declared(inputs({ displayName: "backends" })),
    });
    expect((await networks.read(id, outs)).props).toEqual(outs);
  });

  it("attaches the declared farms with updateFarmId after the POST, and makes their zones live before returning", async () => {
    const from = mark(emu);
    const news = inputs({ subnet: "10.2.0.0/16", natIp: "10.2.0.0/27", vlan: 42, farmId: [db, web, db] });
    const { id, outs } = await networks.create(news);
    expect(writes(from).slice(0, 2)).toEqual([
      ["POST", netPath(), { subnet: "10.2.0.0/16", natIp: "10.2.0.0/27", vlan: 42 }],
      ["POST", `${netPath(netId(id))}/updateFarmId`, { farmId: [web, db].sort((a, b) => a - b) }],
    ]);
    // Both farms' zones had a pending change: one refresh of the whole service.
    expect(refreshesSince(emu, from).map((r) => [r.body, r.status])).toEqual([[undefined, 200]]);
    expect(pendingChanges(emu)).toEqual([]);
    expect(emu.running("gra").farms[web].data.vrackNetworkId).toBe(netId(id));
    expect(emu.running("rbx").farms[db].data.vrackNetworkId).toBe(netId(id));
    expect(outs).toEqual({ ...news, vrackNetworkId: netId(id), farmId: [web, db].sort((a, b) => a - b), displayName: null, ...declared(news) });
  });

  it("reads a network deleted out of band as gone (empty id)", async () => {
    const { id, outs } = await networks.create(inputs({ subnet: "10.3.0.0/16", natIp: "10.3.0.0/27" }));
    await client.requestPromised("DELETE", netPath(netId(id)));
    expect(await networks.read(id, outs)).toEqual({ id: "", props: {} });
  });
});

describe("VrackNetwork diff and update", () => {
  withVrackEmulator();

  it("finds no change when farms are the same set, shows drift, and replaces on a new subnet", async () => {
    const news = inputs({ farmId: [web] });
    const { id, outs } = await networks.create(news);
    expect(await networks.diff(id, outs, { ...news, farmId: [web, web] })).toEqual({ changes: false });
    expect(await networks.diff(id, outs, { ...news, subnet: "10.5.0.0/16", natIp: "10.5.0.0/27" })).toEqual({ changes: true, replaces: ["subnet"], deleteBeforeReplace: false });
    expect(await networks.diff(id, outs, { ...news, farmId: [web, db] })).toEqual({ changes: undefined });
    // Changed out of band (the console): drift, set back by the update.
    await client.requestPromised("PUT", netPath(netId(id)), { natIp: "10.1.0.0/24" });
    expect(await networks.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const from = mark(emu);
    await networks.update(id, outs, news);
    expect(writes(from)).toEqual([["PUT", netPath(netId(id)), { natIp: "10.1.255.0/27" }]]);
  });

  it("PUTs only changed network fields and posts updateFarmId only when the set differs, then refreshes the farms' zones", async () => {
    const news = inputs({ subnet: "10.6.0.0/16", natIp: "10.6.0.0/27", farmId: [web] });
    const { id, outs } = await networks.create(news);
    await applyPendingOutOfBand(emu, client);
    let from = mark(emu);
    const renamed = { ...news, displayName: "renamed", vlan: 7 };
    const { outs: after } = await networks.update(id, outs, renamed);
    expect(writes(from)).toEqual([["PUT", netPath(netId(id)), { vlan: 7, displayName: "renamed" }]]);
    expect(after).toEqual({ ...outs, displayName: "renamed", vlan: 7, ...declared(renamed) });

    from = mark(emu);
    const both = { ...renamed, farmId: [db, web] };
    const { outs: attached } = await networks.update(id, after, both);
    expect(writes(from).slice(0, 1)).toEqual([["POST", `${netPath(netId(id))}/updateFarmId`, { farmId: [web, db].sort((a, b) => a - b) }]]);
    expect(refreshesSince(emu, from).map((r) => [r.body, r.status])).toEqual([[{ zone: "rbx" }, 200]]);
    expect(emu.running("rbx").farms[db].data.vrackNetworkId).toBe(netId(id));
    expect(attached.farmId).toEqual([web, db].sort((a, b) => a - b));
  });
});

describe("VrackNetwork adoption", () => {
  withVrackEmulator("loadbalancer-vrack-adoption");

  it("takes over adoptVrackNetworkId with a PUT of what differs, and refuses one of another subnet", async () => {
    const manual = await outOfBandNetwork({ subnet: "10.20.0.0/16", natIp: "10.20.0.0/27", displayName: "manual" });
    const from = mark(emu);
    const news = inputs({ subnet: "10.20.0.0/16", natIp: "10.20.0.0/27", displayName: "adopted", adoptVrackNetworkId: manual });
    const { id } = await networks.create(news);
    expect(id).toBe(`${svc}/${manual}`);
    expect(writes(from)).toEqual([["PUT", netPath(manual), { displayName: "adopted" }]]);
    const error = await failureOf(networks.create({ ...news, subnet: "10.21.0.0/16", natIp: "10.21.0.0/27" }));
    expect(error.message).toBe(`VrackNetwork adoptVrackNetworkId: object ${manual} cannot be adopted as declared, because subnet is "10.20.0.0/16", not "10.21.0.0/16", which cannot change in place`);
  });

  it("takes over the twin an interrupted up left (same subnet and vlan, as declared) instead of posting, then attaches its farms", async () => {
    const twin = await outOfBandNetwork({ subnet: "10.30.0.0/16", natIp: "10.30.0.0/27", vlan: 0 });
    const from = mark(emu);
    const { id, outs } = await networks.create(inputs({ subnet: "10.30.0.0/16", natIp: "10.30.0.0/27", farmId: [web] }));
    expect(id).toBe(`${svc}/${twin}`);
    expect(writesSince(emu, from).filter((r) => r.path === netPath())).toEqual([]);
    expect(calls(emu, from)).toContain(`GET ${netPath()}`);
    expect(writes(from)[0]).toEqual(["POST", `${netPath(twin)}/updateFarmId`, { farmId: [web] }]);
    expect(outs.farmId).toEqual([web]);
  });
});

describe("VrackNetwork delete", () => {
  withVrackEmulator();

  it("detaches the farms it manages, then deletes, and makes the farms' change live", async () => {
    const news = inputs({ subnet: "10.40.0.0/16", natIp: "10.40.0.0/27", farmId: [web] });
    const { id, outs } = await networks.create(news);
    const from = mark(emu);
    await networks.delete(id, outs);
    expect(writes(from).slice(0, 2)).toEqual([
      ["POST", `${netPath(netId(id))}/updateFarmId`, { farmId: [] }],
      ["DELETE", netPath(netId(id)), undefined],
    ]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(await apiFarm("http", web)).toEqual(expect.objectContaining({ vrackNetworkId: null }));
    // Gone already counts as deleted.
    await networks.delete(id, outs);
  });

  it("refuses to delete a network that farms it does not manage use, naming them; nothing is deleted", async () => {
    const { id, outs } = await networks.create(inputs({ subnet: "10.41.0.0/16", natIp: "10.41.0.0/27" }));
    const farm = (await post("http/farm", { zone: "gra", port: 81, vrackNetworkId: netId(id) })).farmId as number;
    const error = await failureOf(networks.delete(id, outs));
    expect(error.message).toBe(
      `VrackNetwork ${id} is used by http farm ${farm}: delete those farms or set their vrackNetworkId to another network first, or list them in this ` +
        `network's farmId so that it detaches them (OVH API DELETE ${netPath(netId(id))} failed: 400 vRack network ${netId(id)} is used by http/farm/${farm}: ` +
        "detach them first (updateFarmId, or each farm's vrackNetworkId))",
    );
    expect(await client.requestPromised("GET", netPath(netId(id)))).toEqual(expect.objectContaining({ farmId: [{ id: farm, type: "http" }] }));
  });
});

describe("farms of a load balancer attached to a vRack", () => {
  withVrackEmulator();

  it("creates a farm with the vrackNetworkId of a network, and refuses one without it with a message naming the field and the vRack", async () => {
    const farms = await configured("HttpFarm", emu);
    const { id, outs } = await farms.create({ serviceName: svc, zone: "gra", port: 8080, vrackNetworkId: home, __provider: PROVIDER_TEXT });
    expect(outs.vrackNetworkId).toBe(home);
    expect(await apiFarm("http", farmId(id))).toEqual(expect.objectContaining({ vrackNetworkId: home }));
    const error = await failureOf(farms.create({ serviceName: svc, zone: "gra", port: 8081, __provider: PROVIDER_TEXT }));
    expect(error.message).toBe(
      `OVH API POST /ipLoadbalancing/${svc}/http/farm failed: 400 [vrackNetworkId] Property is mandatory when your Load Balancer is attached to a vRack ` +
        `(${VRACK}): give the vrackNetworkId of one of its networks (GET /ipLoadbalancing/${svc}/vrack/network)`,
    );
  });
});

describe("VrackNetwork errors", () => {
  withVrackEmulator();

  it("refuses bad input at check, before any API call", async () => {
    const from = mark(emu);
    const result = await networks.check({}, inputs({ subnet: "8.8.8.0/24", natIp: "10.1.0.0/28", vlan: 5000, farmId: ["web"] }));
    expect(result.failures).toEqual([
      { property: "subnet", reason: '"8.8.8.0/24" is not a private block (allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)' },
      { property: "vlan", reason: "5000 is out of range 0..4094" },
      { property: "farmId", reason: '"web" is not a farm id (an integer, 1 or more: the farmId of an HttpFarm, TcpFarm or UdpFarm)' },
    ]);
    expect(emu.requests.length).toBe(from);
  });

  it("explains a natIp smaller than the API's minimum with networkCreationRules, keeping the API's message", async () => {
    const error = await failureOf(networks.create(inputs({ subnet: "10.50.0.0/16", natIp: "10.50.0.0/28" })));
    expect(error.message).toBe(
      `VrackNetwork natIp: "10.50.0.0/28" holds 16 addresses; ${svc} needs at least 32 (networkCreationRules.minNatIps of vRack ${VRACK}) ` +
        `(OVH API POST ${netPath()} failed: 400 [natIp] Given data (10.50.0.0/28) holds 16 addresses; this Load Balancer needs at least 32 (networkCreationRules minNatIps))`,
    );
  });
});

describe("getVrackNetworks", () => {
  withVrackEmulator();

  it("lists every network with its farms, by id, filtered by subnet and vlan", async () => {
    const tagged = await outOfBandNetwork({ subnet: "192.168.0.0/24", natIp: "192.168.0.224/27", vlan: 42, displayName: "tagged" });
    const all = await getVrackNetworks(apiFor(emu), { serviceName: svc });
    expect(all.networks.map((n) => n.vrackNetworkId)).toEqual([home, tagged]);
    expect(all.networks[0]).toEqual({
      vrackNetworkId: home, subnet: "10.9.0.0/16", natIp: "10.9.255.0/27", vlan: 0, displayName: null, farmId: [{ id: web, type: "http" }, { id: db, type: "tcp" }],
    });
    expect(await getVrackNetworks(apiFor(emu), { serviceName: svc, vlan: 42 })).toEqual({ serviceName: svc, vlan: 42, networks: [all.networks[1]] });
    expect((await getVrackNetworks(apiFor(emu), { serviceName: svc, subnet: "10.9.0.0/16" })).networks.map((n) => n.vrackNetworkId)).toEqual([home]);
  });

  it("getVrackNetwork reads one by id, and names a network the service does not have", async () => {
    const all = await getVrackNetworks(apiFor(emu), { serviceName: svc });
    expect(await getVrackNetwork(apiFor(emu), { serviceName: svc, vrackNetworkId: home })).toEqual({ serviceName: svc, ...all.networks[0] });
    await expect(getVrackNetwork(apiFor(emu), { serviceName: svc, vrackNetworkId: 9999 })).rejects.toThrow(
      `getVrackNetwork: ${svc} has no vRack network 9999 (getVrackNetworks lists them)`,
    );
  });

  it("is what the SDK's getVrackNetworks answers, with the program's settings (stack config)", async () => {
    pulumi.runtime.setAllConfig(emulatorSettings(emu), ["ovh:applicationSecret", "ovh:consumerKey"]);
    try {
      expect(await sdkFunctions.getVrackNetworks({ serviceName: svc, subnet: "10.9.0.0/16" })).toEqual(
        await getVrackNetworks(apiFor(emu), { serviceName: svc, subnet: "10.9.0.0/16" }),
      );
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  });

  it("refuses bad filters before any call, naming them and what is allowed", async () => {
    const from = mark(emu);
    const error = await failureOf(getVrackNetworks(apiFor(emu), { serviceName: svc, subnet: "10.9.0.0", vlan: 5000 }));
    expect(error.message).toBe('getVrackNetworks: subnet: "10.9.0.0" is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16); vlan: 5000 is out of range 0..4094');
    expect(emu.requests.length).toBe(from);
  });
});

describe("VrackNetwork on a load balancer outside any vRack", () => {
  const started = withEmulator({ refreshSeconds: 0.05 });

  it("says the load balancer is not attached, and writes nothing", async () => {
    ({ emu, client, svc } = started());
    const from = mark(emu);
    const error = await failureOf((await configured("VrackNetwork", emu)).create(inputs()));
    expect(error.message).toBe(
      `VrackNetwork serviceName: ${svc} is not attached to a vRack (vrack/status: inactive); attach it first (POST /vrack/{vRack name}/ipLoadbalancing) ` +
        `(OVH API GET ${netPath()} failed: 400 This Load Balancer (${svc}) is not attached to a vRack)`,
    );
    expect(writesSince(emu, from)).toEqual([]);
  });
});

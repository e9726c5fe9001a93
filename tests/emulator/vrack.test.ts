/**
 * The vRack family (`vrack/network[/{id}[/updateFarmId]]`, `vrack/networkCreationRules`, `vrack/status`) and the farms'
 * `vrackNetworkId`, through the official `ovh` client, on a load balancer attached to a vRack (seed option `vrack`) and
 * on one outside any vRack: full models and defaults, list filters, the network checks (private subnet, natIp inside
 * it and large enough, vlan 0..4094) with exact 400s that change nothing, network writes not staged, updateFarmId
 * staged as farm changes in the farms' zones and made live by a refresh, a used network not deleted, the limit.
 * Not proven here: traffic over the vRack (the emulator routes none), the attachment itself (the vRack API's).
 */
import type { OvhClient } from "ovh";
import { parseCliArgs } from "../../emulator/cli";
import { vrackState } from "../../emulator/seed";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectRefusedUnchanged, pendingByZone } from "../helpers/refusals";

type Body = Record<string, unknown>;
const VRACK = "pn-12345";

let emu: Emulator;
let client: OvhClient;
const call = (method: string, p: string, body?: object) => client.requestPromised(method, p, body);
const networks = (id?: number) => svcPath(emu, `/vrack/network${id === undefined ? "" : `/${id}`}`);
const newNetwork = async (body: Body) => (await call("POST", networks(), body)) as Body & { vrackNetworkId: number };
const newFarm = async (proto: string, zone: string, vrackNetworkId?: number) =>
  ((await call("POST", svcPath(emu, `/${proto}/farm`), { zone, port: 80, ...(vrackNetworkId === undefined ? {} : { vrackNetworkId }) })) as { farmId: number }).farmId;
const farm = async (proto: string, id: number) => (await call("GET", svcPath(emu, `/${proto}/farm/${id}`))) as Body;
const pending = () => pendingByZone(emu, client);
const expectRejected = (send: () => Promise<unknown>, error: number, message: string) => expectRefusedUnchanged(emu, client, send, error, message);

async function refreshAll(): Promise<void> {
  const task = (await call("POST", svcPath(emu, "/refresh"))) as { id: number };
  await eventually(async () => ((await call("GET", svcPath(emu, `/task/${task.id}`))) as { status: string }).status === "done", 10_000, "refresh");
}

function start(options: Parameters<typeof startTestEmulator>[0]): void {
  beforeAll(async () => {
    emu = await startTestEmulator(options);
    client = ovhClient(emu);
  });
  afterAll(() => emu.close());
}

describe("a load balancer outside any vRack", () => {
  start({});
  const notAttached = () => `This Load Balancer (${emu.serviceName}) is not attached to a vRack`;

  it("answers vrack/status inactive, without a vRack name", async () => {
    expect(await call("GET", svcPath(emu, "/vrack/status"))).toEqual({ state: "inactive", task: [], vrackName: null });
  });

  it("refuses every other vRack call with a 400 naming the cause", async () => {
    await expectRejected(() => call("GET", networks()), 400, notAttached());
    await expectRejected(() => call("POST", networks(), { subnet: "10.0.0.0/16", natIp: "10.0.0.0/27" }), 400, notAttached());
    await expectRejected(() => call("GET", svcPath(emu, "/vrack/networkCreationRules")), 400, notAttached());
    await expectRejected(() => call("GET", networks(5)), 400, notAttached());
  });

  it("creates farms without vrackNetworkId, and leaves a given one unchecked (nothing documents the API's answer)", async () => {
    expect(await farm("http", await newFarm("http", "gra"))).toEqual(expect.objectContaining({ vrackNetworkId: null }));
    expect(await farm("tcp", await newFarm("tcp", "gra", 5))).toEqual(expect.objectContaining({ vrackNetworkId: 5 }));
  });
});

describe("a load balancer attached to a vRack: networks", () => {
  start({ vrack: { name: VRACK, maxNetworks: 3 } });

  it("reports the vRack in status, creation rules and the service", async () => {
    expect(await call("GET", svcPath(emu, "/vrack/status"))).toEqual({ state: "active", task: [], vrackName: VRACK });
    expect(await call("GET", svcPath(emu, "/vrack/networkCreationRules"))).toEqual({ minNatIps: 32, remainingNetworks: 3, vrackName: VRACK });
    expect(await call("GET", svcPath(emu))).toEqual(expect.objectContaining({ vrackName: VRACK, vrackEligibility: true }));
  });

  it("creates a network with its defaults, at once (no pending change), and lists it by subnet and vlan", async () => {
    const minimal = await newNetwork({ subnet: "10.0.0.0/16", natIp: "10.0.255.0/27" });
    expect(minimal).toEqual({ vrackNetworkId: minimal.vrackNetworkId, subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 0, displayName: null, farmId: [] });
    const full = await newNetwork({ subnet: "192.168.0.0/24", natIp: "192.168.0.192/26", vlan: 42, displayName: "backends" });
    expect(full).toEqual({ vrackNetworkId: full.vrackNetworkId, subnet: "192.168.0.0/24", natIp: "192.168.0.192/26", vlan: 42, displayName: "backends", farmId: [] });
    expect(await call("GET", networks(full.vrackNetworkId))).toEqual(full);
    expect(await pending()).toEqual({});
    expect(await call("GET", networks())).toEqual([minimal.vrackNetworkId, full.vrackNetworkId]);
    expect(await call("GET", `${networks()}?subnet=192.168.0.0%2F24`)).toEqual([full.vrackNetworkId]);
    expect(await call("GET", `${networks()}?vlan=0`)).toEqual([minimal.vrackNetworkId]);
    expect(await call("GET", svcPath(emu, "/vrack/networkCreationRules"))).toEqual({ minNatIps: 32, remainingNetworks: 1, vrackName: VRACK });
  });

  test.each([
    ["a public subnet", { subnet: "203.0.113.0/24", natIp: "203.0.113.0/27" }, "[subnet] Given data (203.0.113.0/24) is not a private block (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"],
    ["a subnet straddling a private block", { subnet: "172.0.0.0/8", natIp: "172.16.0.0/27" }, "[subnet] Given data (172.0.0.0/8) is not a private block (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"],
    ["a natIp outside the subnet", { subnet: "10.1.0.0/16", natIp: "10.2.0.0/27" }, "[natIp] Given data (10.2.0.0/27) is not inside the subnet 10.1.0.0/16"],
    ["a natIp below minNatIps", { subnet: "10.1.0.0/16", natIp: "10.1.0.0/28" }, "[natIp] Given data (10.1.0.0/28) holds 16 addresses; this Load Balancer needs at least 32 (networkCreationRules minNatIps)"],
    ["vlan 4095", { subnet: "10.1.0.0/16", natIp: "10.1.0.0/27", vlan: 4095 }, "[vlan] Value 4095 is out of range [0..4094]"],
    ["no natIp", { subnet: "10.1.0.0/16" }, "[natIp] Property is mandatory"],
    ["a subnet that is not a block", { subnet: "10.1.0.0/33", natIp: "10.1.0.0/27" }, "[subnet] Given data (10.1.0.0/33) is not valid for type ipBlock"],
    ["a farmId that is no farm", { subnet: "10.1.0.0/16", natIp: "10.1.0.0/27", farmId: [999999] }, "[farmId] Farm 999999 does not exist"],
    ["a farmId that is not a list", { subnet: "10.1.0.0/16", natIp: "10.1.0.0/27", farmId: 7 }, "[farmId] Given data (7) is not valid for type long[]"],
  ])("refuses %s, changing nothing", async (_name, body, message) => {
    await expectRejected(() => call("POST", networks(), body), 400, message);
  });

  it("refuses bad list filters", async () => {
    await expectRejected(() => call("GET", `${networks()}?vlan=x`), 400, "[vlan] Given data (x) is not valid for type long");
    await expectRejected(() => call("GET", `${networks()}?subnet=10.0.0.0%2F40`), 400, "[subnet] Given data (10.0.0.0/40) is not valid for type ipBlock");
  });

  it("updates natIp, vlan and displayName in place, checks the result, and keeps subnet read-only", async () => {
    const net = await newNetwork({ subnet: "172.16.0.0/16", natIp: "172.16.0.0/27" });
    await call("PUT", networks(net.vrackNetworkId), { natIp: "172.16.1.0/24", vlan: 7, displayName: "moved" });
    expect(await call("GET", networks(net.vrackNetworkId))).toEqual({ ...net, natIp: "172.16.1.0/24", vlan: 7, displayName: "moved" });
    expect(await pending()).toEqual({});
    await expectRejected(() => call("PUT", networks(net.vrackNetworkId), { subnet: "172.17.0.0/16" }), 400, "[subnet] This property is read-only");
    await expectRejected(() => call("PUT", networks(net.vrackNetworkId), { natIp: "172.17.0.0/27" }), 400, "[natIp] Given data (172.17.0.0/27) is not inside the subnet 172.16.0.0/16");
    await expectRejected(() => call("PUT", networks(999999), { vlan: 1 }), 404, "The requested object (vrackNetworkId = 999999) does not exist");
  });

  it("refuses a network beyond the limit (remainingNetworks 0)", async () => {
    expect(await call("GET", svcPath(emu, "/vrack/networkCreationRules"))).toEqual({ minNatIps: 32, remainingNetworks: 0, vrackName: VRACK });
    await expectRejected(() => call("POST", networks(), { subnet: "10.9.0.0/16", natIp: "10.9.0.0/27" }), 400,
      "No more vRack network can be created on this Load Balancer (at most 3; networkCreationRules remainingNetworks is 0)");
  });
});

describe("a load balancer attached to a vRack: farms and updateFarmId", () => {
  start({ vrack: { name: VRACK } });

  it("refuses a farm without vrackNetworkId, or naming a network that does not exist", async () => {
    await expectRejected(() => newFarm("http", "gra"), 400,
      `[vrackNetworkId] Property is mandatory when your Load Balancer is attached to a vRack (${VRACK}): give the vrackNetworkId of one of its networks (GET /ipLoadbalancing/${emu.serviceName}/vrack/network)`);
    await expectRejected(() => newFarm("tcp", "gra", 999999), 400, "[vrackNetworkId] vRack network 999999 does not exist on this Load Balancer (its networks: none yet)");
  });

  it("attaches farms created with vrackNetworkId, and lists them in the network's farmId", async () => {
    const net = await newNetwork({ subnet: "10.0.0.0/16", natIp: "10.0.0.0/27" });
    const web = await newFarm("http", "gra", net.vrackNetworkId);
    const db = await newFarm("tcp", "rbx", net.vrackNetworkId);
    expect((await call("GET", networks(net.vrackNetworkId))) as Body).toEqual({ ...net, farmId: [{ id: web, type: "http" }, { id: db, type: "tcp" }] });
    expect(await call("GET", svcPath(emu, `/definedFarms?vrackNetworkId=${net.vrackNetworkId}`))).toEqual([{ id: web, type: "http" }, { id: db, type: "tcp" }]);
    await expectRejected(() => call("DELETE", networks(net.vrackNetworkId)), 400,
      `vRack network ${net.vrackNetworkId} is used by http/farm/${web}, tcp/farm/${db}: detach them first (updateFarmId, or each farm's vrackNetworkId)`);
  });

  it("updateFarmId makes the list the network's farms, staged in their zones until a refresh", async () => {
    await refreshAll();
    const a = await newNetwork({ subnet: "10.1.0.0/16", natIp: "10.1.0.0/27" });
    const b = await newNetwork({ subnet: "10.2.0.0/16", natIp: "10.2.0.0/27", farmId: [] });
    const web = await newFarm("http", "gra", a.vrackNetworkId);
    const db = await newFarm("tcp", "rbx", a.vrackNetworkId);
    await refreshAll();
    const moved = (await call("POST", `${networks(b.vrackNetworkId)}/updateFarmId`, { farmId: [db, web, db] })) as Body;
    expect(moved).toEqual({ ...b, farmId: [{ id: web, type: "http" }, { id: db, type: "tcp" }] });
    expect((await call("GET", networks(a.vrackNetworkId))) as Body).toEqual({ ...a, farmId: [] });
    expect(await farm("tcp", db)).toEqual(expect.objectContaining({ vrackNetworkId: b.vrackNetworkId }));
    expect(await pending()).toEqual({ gra: 1, rbx: 1 });
    expect(emu.running("gra").farms[web].data.vrackNetworkId).toBe(a.vrackNetworkId);
    await refreshAll();
    expect(emu.running("gra").farms[web].data.vrackNetworkId).toBe(b.vrackNetworkId);
    expect(emu.running("rbx").farms[db].data.vrackNetworkId).toBe(b.vrackNetworkId);

    expect(await call("POST", `${networks(b.vrackNetworkId)}/updateFarmId`, { farmId: [web] })).toEqual({ ...b, farmId: [{ id: web, type: "http" }] });
    expect(await farm("tcp", db)).toEqual(expect.objectContaining({ vrackNetworkId: null }));
    expect(await pending()).toEqual({ rbx: 1 });
  });

  it("refuses a bad updateFarmId body, and deletes a network once no farm uses it", async () => {
    const net = await newNetwork({ subnet: "10.3.0.0/16", natIp: "10.3.0.0/27" });
    const web = await newFarm("http", "gra", net.vrackNetworkId);
    const path = `${networks(net.vrackNetworkId)}/updateFarmId`;
    await expectRejected(() => call("POST", path, {}), 400, "[farmId] Property is mandatory");
    await expectRejected(() => call("POST", path, { farmId: [web, 999999] }), 400, "[farmId] Farm 999999 does not exist");
    await expectRejected(() => call("POST", path, { farmId: ["1"] }), 400, "[farmId] Given data (1) is not valid for type long");
    await call("POST", path, { farmId: [] });
    await call("DELETE", networks(net.vrackNetworkId));
    expect(await rejection(call("GET", networks(net.vrackNetworkId)))).toEqual({ error: 404, message: `The requested object (vrackNetworkId = ${net.vrackNetworkId}) does not exist` });
    expect(await farm("http", web)).toEqual(expect.objectContaining({ vrackNetworkId: null }));
  });
});

describe("the vrack option", () => {
  it("comes from --vrack on the command line", () => {
    expect(parseCliArgs(["--vrack", VRACK])).toEqual({ help: false, options: { port: 0, refreshSeconds: 3, routedFqdns: [], vrack: { name: VRACK } } });
    expect(() => parseCliArgs(["--vrack", ""])).toThrow("--vrack must not be empty");
  });

  it("is checked when the seed is made, naming the field and what it takes", () => {
    expect(vrackState({ name: VRACK })).toEqual({ name: VRACK, minNatIps: 32, maxNetworks: 10, networks: {} });
    expect(() => vrackState({ name: "pn 1" })).toThrow('vrack.name must be a vRack name (letters, digits, ".", "_", "-"; e.g. pn-12345), got "pn 1"');
    expect(() => vrackState({ name: VRACK, minNatIps: 0 })).toThrow("vrack.minNatIps must be an integer in 1..65536, got 0");
    expect(() => vrackState({ name: VRACK, maxNetworks: 1.5 })).toThrow("vrack.maxNetworks must be an integer in 0..65536, got 1.5");
  });
});

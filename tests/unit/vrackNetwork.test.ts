/**
 * The VrackNetwork model (provider/models/vrackNetwork.ts), pure: check messages (each names the value and what is
 * allowed), the diff (subnet replaces, farms compared as a set and only when declared, defaults equal to absent), the
 * POST, PUT and updateFarmId bodies, the outputs, the explanation of a refusal, the ids and paths.
 * Not proven here: the calls the provider makes (tests/provider/vrackNetwork.test.ts).
 */
import * as paths from "../../provider/api/paths";
import type * as wire from "../../provider/api/wire";
import { UNKNOWN } from "../../provider/models/fields";
import * as vrack from "../../provider/models/vrackNetwork";

const VALID = { serviceName: "lb-1", subnet: "10.0.0.0/16", natIp: "10.0.255.0/27" };
const fail = (property: string, reason: string) => ({ property, reason });
const check = (over: Record<string, unknown>) => vrack.checkVrackNetwork({ ...VALID, ...over }).failures;

const API: wire.VrackNetwork = { vrackNetworkId: 7, subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 0, displayName: null, farmId: [] };
const live = (over: Partial<wire.VrackNetwork> = {}) => vrack.vrackNetworkOutputs("lb-1", { ...API, ...over });

describe("VrackNetwork check", () => {
  it("accepts a minimal and a full network, and unknown values of a preview", () => {
    expect(check({})).toEqual([]);
    expect(check({ vlan: 4094, displayName: "backends", farmId: [3, 1, 3], adoptVrackNetworkId: 7, __provider: "x" })).toEqual([]);
    expect(check({ vlan: null, displayName: null })).toEqual([]);
    expect(check({ subnet: UNKNOWN, natIp: UNKNOWN, farmId: [UNKNOWN, 4] })).toEqual([]);
    expect(check({ subnet: "172.16.0.0/12", natIp: "172.31.255.224/27" })).toEqual([]);
  });

  test.each([
    ["subnet", { subnet: "10.0.0.0" }, fail("subnet", '"10.0.0.0" is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16)')],
    ["subnet", { subnet: "10.0.0.0/33" }, fail("subnet", '"10.0.0.0/33" is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16)')],
    ["subnet", { subnet: "10.1.2.3/16" }, fail("subnet", '"10.1.2.3/16" is not a network address; the block is "10.1.0.0/16"')],
    ["subnet", { subnet: "203.0.113.0/24", natIp: "203.0.113.0/27" }, fail("subnet", '"203.0.113.0/24" is not a private block (allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)')],
    ["subnet", { subnet: "172.0.0.0/8", natIp: "172.16.0.0/27" }, fail("subnet", '"172.0.0.0/8" is not a private block (allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)')],
    ["natIp", { natIp: 10 }, fail("natIp", "10 is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16)")],
    ["natIp", { natIp: "10.0.255.5/27" }, fail("natIp", '"10.0.255.5/27" is not a network address; the block is "10.0.255.0/27"')],
    ["natIp", { natIp: "10.1.0.0/27" }, fail("natIp", '"10.1.0.0/27" is not inside the subnet "10.0.0.0/16" (natIp is a block of the subnet reserved for the load balancer)')],
    ["natIp", { natIp: "10.0.0.0/8" }, fail("natIp", '"10.0.0.0/8" is not inside the subnet "10.0.0.0/16" (natIp is a block of the subnet reserved for the load balancer)')],
    ["vlan", { vlan: 4095 }, fail("vlan", "4095 is out of range 0..4094")],
    ["vlan", { vlan: "42" }, fail("vlan", '"42" is not an integer (allowed: 0..4094)')],
    ["displayName", { displayName: "a\nb" }, fail("displayName", "contains a control character (U+000A); one line of text is allowed")],
    ["farmId", { farmId: 12 }, fail("farmId", "12 is not a list of farm ids (the farmId of HttpFarm, TcpFarm or UdpFarm resources)")],
    ["farmId", { farmId: null }, fail("farmId", "null is not a list of farm ids (the farmId of HttpFarm, TcpFarm or UdpFarm resources)")],
    ["farmId", { farmId: [4, "web", 0] }, fail("farmId", '"web" is not a farm id (an integer, 1 or more: the farmId of an HttpFarm, TcpFarm or UdpFarm)')],
    ["adoptVrackNetworkId", { adoptVrackNetworkId: 0 }, fail("adoptVrackNetworkId", "0 is less than 1")],
  ])("refuses a bad %s: %j", (property, over, expected) => {
    const failures = check(over);
    expect(failures).toContainEqual(expected);
    expect(failures.every((f) => f.property === property)).toBe(true);
  });

  it("reports every problem at once: missing fields, an unknown field with the allowed ones, a bad farm id", () => {
    expect(vrack.checkVrackNetwork({ serviceName: "lb-1", vlanId: 3, farmId: [0] }).failures).toEqual([
      fail("vlanId", "unknown field; allowed fields: serviceName, subnet, natIp, vlan, displayName, farmId, adoptVrackNetworkId"),
      fail("subnet", "a value is required"),
      fail("natIp", "a value is required"),
      fail("farmId", "0 is not a farm id (an integer, 1 or more: the farmId of an HttpFarm, TcpFarm or UdpFarm)"),
    ]);
  });
});

describe("VrackNetwork diff", () => {
  it("finds nothing when the network is as declared: vlan absent is 0, displayName \"\" is none, farms not declared", () => {
    expect(vrack.diffVrackNetwork({ ...VALID, displayName: "" }, live({ farmId: [{ id: 4, type: "http" }] })).changes).toBe(false);
    expect(vrack.diffVrackNetwork({ ...VALID, vlan: null }, live()).changes).toBe(false);
  });

  it("compares farms as a set: order and repeats never diff, another set updates", () => {
    const attached = live({ farmId: [{ id: 9, type: "tcp" }, { id: 4, type: "http" }] });
    expect(vrack.diffVrackNetwork({ ...VALID, farmId: [9, 4, 9] }, attached).changes).toBe(false);
    expect(vrack.diffVrackNetwork({ ...VALID, farmId: [4] }, attached)).toEqual({
      changes: true, replaces: [], diffs: ["farmId"], detailedDiff: { farmId: { kind: "update", inputDiff: true } },
    });
    expect(vrack.diffVrackNetwork({ ...VALID, farmId: [] }, attached).diffs).toEqual(["farmId"]);
    expect(vrack.diffVrackNetwork({ ...VALID, farmId: [UNKNOWN] }, attached).diffs).toEqual(["farmId"]);
  });

  it("replaces on a new subnet or service, updates natIp, vlan and displayName in place", () => {
    const result = vrack.diffVrackNetwork({ ...VALID, subnet: "10.1.0.0/16", natIp: "10.1.0.0/27", vlan: 5, displayName: "x" }, live());
    expect(result.replaces).toEqual(["subnet"]);
    expect(result.diffs).toEqual(["subnet", "natIp", "vlan", "displayName"]);
    expect(result.detailedDiff.subnet).toEqual({ kind: "update-replace", inputDiff: true });
    expect(vrack.diffVrackNetwork({ ...VALID, serviceName: "lb-2" }, live()).replaces).toEqual(["serviceName"]);
  });

  it("replaces a network deleted outside Pulumi", () => {
    expect(vrack.diffVrackNetwork(VALID, undefined)).toEqual({
      changes: true, replaces: ["vrackNetworkId"], diffs: ["vrackNetworkId"], detailedDiff: { vrackNetworkId: { kind: "update-replace", inputDiff: true } },
    });
  });
});

describe("VrackNetwork bodies and outputs", () => {
  it("POSTs subnet, natIp, vlan (0 when absent) and a set displayName, never farms (updateFarmId attaches them)", () => {
    expect(vrack.vrackNetworkCreateBody({ ...VALID, farmId: [4], displayName: "" })).toEqual({ subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 0 });
    expect(vrack.vrackNetworkCreateBody({ ...VALID, vlan: 42, displayName: "backends" })).toEqual({ subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 42, displayName: "backends" });
  });

  it("PUTs only the changed network fields: a cleared vlan as 0, a cleared displayName as null", () => {
    const named = live({ vlan: 42, displayName: "backends" });
    expect(vrack.vrackNetworkUpdateBody({ ...VALID, vlan: 42, displayName: "backends", farmId: [4] }, named)).toEqual({});
    expect(vrack.vrackNetworkUpdateBody({ ...VALID, natIp: "10.0.254.0/24" }, named)).toEqual({ natIp: "10.0.254.0/24", vlan: 0, displayName: null });
  });

  it("asks updateFarmId for the declared set when it differs, and for nothing otherwise", () => {
    const attached = live({ farmId: [{ id: 4, type: "http" }] });
    expect(vrack.farmIdBody({ ...VALID, farmId: [9, 4, 9] }, attached)).toEqual({ farmId: [4, 9] });
    expect(vrack.farmIdBody({ ...VALID, farmId: [] }, attached)).toEqual({ farmId: [] });
    expect(vrack.farmIdBody({ ...VALID, farmId: [4] }, attached)).toBeUndefined();
    expect(vrack.farmIdBody(VALID, attached)).toBeUndefined();
  });

  it("outputs every field, farms as their ids ascending", () => {
    expect(live({ vlan: 3, displayName: "n", farmId: [{ id: 9, type: "tcp" }, { id: 4, type: "http" }] })).toEqual({
      vrackNetworkId: 7, serviceName: "lb-1", subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 3, displayName: "n", farmId: [4, 9],
    });
  });
});

describe("VrackNetwork refusals explained", () => {
  const active: wire.VrackInformation = { state: "active", task: [], vrackName: "pn-1" };
  const rules: wire.VrackNetworkCreationRules = { minNatIps: 32, remainingNetworks: 2, vrackName: "pn-1" };

  it("names the cause only the API knows", () => {
    expect(vrack.refusalProblem("lb-1", VALID, { state: "inactive", task: [], vrackName: null })).toBe(
      "serviceName: lb-1 is not attached to a vRack (vrack/status: inactive); attach it first (POST /vrack/{vRack name}/ipLoadbalancing)",
    );
    expect(vrack.refusalProblem("lb-1", { ...VALID, natIp: "10.0.255.0/28" }, active, rules)).toBe(
      'natIp: "10.0.255.0/28" holds 16 addresses; lb-1 needs at least 32 (networkCreationRules.minNatIps of vRack pn-1)',
    );
    expect(vrack.refusalProblem("lb-1", VALID, active, { ...rules, remainingNetworks: 0 })).toBe(
      "serviceName: lb-1 can describe no more vRack network (networkCreationRules.remainingNetworks is 0); delete one first",
    );
  });

  it("says nothing when none of those applies (an update of an existing network, a natIp large enough)", () => {
    expect(vrack.refusalProblem("lb-1", VALID, active, rules)).toBeUndefined();
    expect(vrack.refusalProblem("lb-1", { ...VALID, vrackNetworkId: 7 }, active, { ...rules, remainingNetworks: 0 })).toBeUndefined();
    expect(vrack.refusalProblem("lb-1", VALID, active)).toBeUndefined();
  });
});

describe("VrackNetwork ids, paths and model verbs", () => {
  const model = vrack.vrackNetworkModel();

  it("uses serviceName/vrackNetworkId, terraform's import id", () => {
    expect(model.id({ serviceName: "lb-1", vrackNetworkId: 7 })).toBe("lb-1/7");
    expect(model.parseId("lb-1/7")).toEqual({ serviceName: "lb-1", vrackNetworkId: 7 });
    expect(() => model.parseId("lb-1_7")).toThrow('invalid VrackNetwork id "lb-1_7": expected <serviceName>/<vrackNetworkId>, e.g. loadbalancer-abc/7');
  });

  it("builds the schema's paths, the list filter of a recovery, and goes live on every zone with pending changes", () => {
    expect(paths.vrackNetworks("lb 1")).toBe("/ipLoadbalancing/lb%201/vrack/network");
    expect(paths.vrackNetwork("lb-1", 7)).toBe("/ipLoadbalancing/lb-1/vrack/network/7");
    expect(paths.vrackNetworkFarms("lb-1", 7)).toBe("/ipLoadbalancing/lb-1/vrack/network/7/updateFarmId");
    expect(paths.vrackNetworkCreationRules("lb-1")).toBe("/ipLoadbalancing/lb-1/vrack/networkCreationRules");
    expect(paths.vrackStatus("lb-1")).toBe("/ipLoadbalancing/lb-1/vrack/status");
    expect(model.collection(VALID)).toBe("/ipLoadbalancing/lb-1/vrack/network");
    expect(model.listQuery(VALID)).toEqual({ subnet: "10.0.0.0/16", vlan: 0 });
    expect(model.listQuery({ ...VALID, vlan: 42 })).toEqual({ subnet: "10.0.0.0/16", vlan: 42 });
    expect(model.zones(live())).toEqual(["all"]);
    expect(model.describe({ serviceName: "lb-1", vrackNetworkId: 7 })).toBe("vRack network 7 on lb-1");
  });
});

import * as farmServer from "../../provider/models/farmServer";
import { UNKNOWN } from "../../provider/models/fields";
import type { FarmType } from "../../provider/models/farm";
import type * as wire from "../../provider/api/wire";

const fail = (property: string, reason: string) => ({ property, reason });
const PROVIDER = "exports.handler = __f0;";
const BASE = { serviceName: "lb-1", farmId: 12, address: "10.0.0.1", status: "active" };

const HEALTH = [{ instanceId: 1, status: "UP", checkStatus: "L4OK", checkCode: null, checkTime: "2025-01-31T10:00:00+01:00", lastCheckContent: null }];
/** A server as the API answers a GET after a create that sent address and status only. */
const API_HTTP_SERVER: wire.BackendHTTPServer = {
  serverId: 3, backendId: 12, address: "10.0.0.1", status: "active", port: null, displayName: null, weight: 1, backup: false,
  probe: false, ssl: false, chain: null, cookie: "a1b2c3", proxyProtocolVersion: null, onMarkedDown: null, serverState: HEALTH,
};
const API_UDP_SERVER: wire.BackendUDPServer = { serverId: 4, backendId: 13, address: "10.0.0.2", status: "inactive", port: 53, displayName: null };
const liveHttp = (over: Record<string, unknown> = {}) => farmServer.farmServerOutputs("http", "lb-1", { ...API_HTTP_SERVER, ...over });

describe("checkFarmServer", () => {
  it.each([
    ["http", { ...BASE, weight: 0, backup: true, probe: true, ssl: true, chain: "PEM", cookie: "c", proxyProtocolVersion: "v2-ssl-cn", onMarkedDown: "shutdown-sessions" }],
    ["tcp", { ...BASE, port: 8080, weight: 256, proxyProtocolVersion: "v1" }],
    ["udp", { ...BASE, port: 53, displayName: "dns" }],
  ])("accepts a valid %s server", (type, news) => {
    expect(farmServer.checkFarmServer(type as FarmType, news).failures).toEqual([]);
  });

  it("returns the inputs as given: no defaults added, __provider untouched", () => {
    const news = { ...BASE, weight: 0, __provider: PROVIDER };
    expect(farmServer.checkFarmServer("http", news).inputs).toEqual(news);
  });

  it("requires serviceName, farmId, address and status, and reports them together", () => {
    expect(farmServer.checkFarmServer("tcp", {}).failures).toEqual([
      fail("serviceName", "a value is required"),
      fail("farmId", "a value is required"),
      fail("address", "a value is required"),
      fail("status", "a value is required"),
    ]);
  });

  it("rejects untyped values from JavaScript callers instead of crashing", () => {
    const news = { serviceName: "lb-1", farmId: "12", address: "10.0.0.300", status: "up", port: "80", weight: -1, backup: "false", chain: 1 };
    expect(farmServer.checkFarmServer("http", news).failures).toEqual([
      fail("farmId", '"12" is not an integer (allowed: 1 or more)'),
      fail("address", '"10.0.0.300" is not an IPv4 address'),
      fail("status", '"up" is not one of active, inactive'),
      fail("port", '"80" is not an integer (allowed: 1..49151)'),
      fail("weight", "-1 is out of range 0..256"),
      fail("backup", '"false" is not a boolean'),
      fail("chain", "1 is not a string"),
    ]);
  });

  it.each([
    ["weight", 0, []],
    ["weight", 257, [fail("weight", "257 is out of range 0..256")]],
    ["farmId", 0, [fail("farmId", "0 is less than 1")]],
    ["address", "2001:db8::1", [fail("address", '"2001:db8::1" is not an IPv4 address')]],
    ["proxyProtocolVersion", "v3", [fail("proxyProtocolVersion", '"v3" is not one of v1, v2, v2-ssl, v2-ssl-cn')]],
    ["onMarkedDown", "drain", [fail("onMarkedDown", '"drain" is not one of shutdown-sessions')]],
    ["status", null, [fail("status", "null is not one of active, inactive")]],
    ["ssl", null, [fail("ssl", "null is not a boolean")]],
    ["weight", null, []],
    ["adoptServerId", 0, [fail("adoptServerId", "0 is less than 1")]],
  ])("HTTP servers: %s %p", (field, value, expected) => {
    expect(farmServer.checkFarmServer("http", { ...BASE, [field]: value }).failures).toEqual(expected);
  });

  it.each([
    ["tcp", "cookie", "c", "TCP farm servers have no cookie"],
    ["udp", "weight", 1, "UDP farm servers have no weight"],
    ["udp", "backup", true, "UDP farm servers have no backup"],
    ["udp", "proxyProtocolVersion", "v1", "UDP farm servers have no proxyProtocolVersion"],
  ])("%s servers refuse %s, naming the field", (type, field, value, reason) => {
    expect(farmServer.checkFarmServer(type as FarmType, { ...BASE, [field]: value }).failures).toEqual([fail(field, reason)]);
  });

  it("lists the allowed fields of the type for an unknown field", () => {
    expect(farmServer.checkFarmServer("udp", { ...BASE, serverState: [] }).failures).toEqual([
      fail("serverState", "unknown field; allowed fields: serviceName, farmId, address, status, port, displayName, adoptServerId"),
    ]);
  });

  it("accepts a farmId still unknown during preview (the farm is created in the same run)", () => {
    expect(farmServer.checkFarmServer("http", { ...BASE, farmId: UNKNOWN }).failures).toEqual([]);
  });
});

describe("diffFarmServer", () => {
  const desired = { ...BASE, __provider: PROVIDER };
  const NO_CHANGE = { changes: false, replaces: [], diffs: [], detailedDiff: {} };

  it("sees no change when the API has filled in weight 1, false booleans, a cookie and health", () => {
    expect(farmServer.diffFarmServer("http", desired, liveHttp())).toEqual(NO_CHANGE);
  });

  it("treats weight null as 1 but weight 0 as a real change", () => {
    expect(farmServer.diffFarmServer("http", { ...desired, weight: 1 }, liveHttp({ weight: null }))).toEqual(NO_CHANGE);
    expect(farmServer.diffFarmServer("http", { ...desired, weight: 0 }, liveHttp())).toEqual({
      changes: true, replaces: [], diffs: ["weight"], detailedDiff: { weight: { kind: "update", inputDiff: true } },
    });
  });

  it("never diffs on serverState, adoptServerId or __provider", () => {
    const live = liveHttp({ serverState: [{ ...HEALTH[0], status: "DOWN" }] });
    expect(farmServer.diffFarmServer("http", { ...desired, adoptServerId: 3, __provider: "other" }, live)).toEqual(NO_CHANGE);
  });

  it("leaves an absent cookie unmanaged but diffs a cookie the program sets", () => {
    expect(farmServer.diffFarmServer("http", { ...desired, cookie: null }, liveHttp())).toEqual(NO_CHANGE);
    expect(farmServer.diffFarmServer("http", { ...desired, cookie: "mine" }, liveHttp()).diffs).toEqual(["cookie"]);
  });

  it.each([
    ["serviceName", "lb-2"],
    ["farmId", 99],
    ["address", "10.0.0.9"],
  ])("replaces the server when %s changes", (field, value) => {
    expect(farmServer.diffFarmServer("tcp", { ...desired, [field]: value }, liveHttp())).toEqual({
      changes: true, replaces: [field], diffs: [field], detailedDiff: { [field]: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("replaces a server deleted outside Pulumi, which re-creates it", () => {
    expect(farmServer.diffFarmServer("http", desired, undefined)).toEqual({
      changes: true, replaces: ["serverId"], diffs: ["serverId"], detailedDiff: { serverId: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("sees the same chain with or without a final newline", () => {
    expect(farmServer.diffFarmServer("http", { ...desired, chain: "PEM\n" }, liveHttp({ chain: "PEM" }))).toEqual(NO_CHANGE);
  });

  it("compares only UDP fields on UDP servers", () => {
    const live = farmServer.farmServerOutputs("udp", "lb-1", API_UDP_SERVER);
    const udpDesired = { serviceName: "lb-1", farmId: 13, address: "10.0.0.2", status: "inactive", port: 53 };
    expect(farmServer.diffFarmServer("udp", udpDesired, live)).toEqual(NO_CHANGE);
    expect(farmServer.diffFarmServer("udp", { ...udpDesired, status: "active" }, live).diffs).toEqual(["status"]);
  });
});

describe("farmServerCreateBody", () => {
  it("keeps weight 0 and false booleans, and never sends ids, adoption or __provider", () => {
    const inputs = { ...BASE, weight: 0, backup: false, displayName: null, adoptServerId: 3, __provider: PROVIDER };
    expect(farmServer.farmServerCreateBody("tcp", inputs)).toEqual({ address: "10.0.0.1", status: "active", weight: 0, backup: false });
  });

  it("sends the cookie of HTTP servers", () => {
    expect(farmServer.farmServerCreateBody("http", { ...BASE, cookie: "web1" })).toEqual({ address: "10.0.0.1", status: "active", cookie: "web1" });
  });

  it("sends only UDP fields for UDP servers", () => {
    expect(farmServer.farmServerCreateBody("udp", { ...BASE, port: 53, displayName: "dns" })).toEqual({ address: "10.0.0.1", status: "active", port: 53, displayName: "dns" });
  });
});

describe("farmServerUpdateBody", () => {
  it("is empty when nothing changed, so no PUT and no refresh are needed", () => {
    expect(farmServer.farmServerUpdateBody("http", BASE, liveHttp())).toEqual({});
  });

  it("sends weight 0 as 0", () => {
    expect(farmServer.farmServerUpdateBody("http", { ...BASE, weight: 0 }, liveHttp())).toEqual({ weight: 0 });
  });

  it("clears removed fields: null for nullable ones, false for booleans", () => {
    const live = liveHttp({ weight: 5, backup: true, ssl: true, chain: "PEM", displayName: "web", proxyProtocolVersion: "v2", onMarkedDown: "shutdown-sessions", port: 8080 });
    expect(farmServer.farmServerUpdateBody("http", BASE, live)).toEqual({
      port: null, displayName: null, weight: null, backup: false, ssl: false, chain: null, proxyProtocolVersion: null, onMarkedDown: null,
    });
  });

  it("never sends address, which the API makes read-only", () => {
    expect(farmServer.farmServerUpdateBody("http", { ...BASE, address: "10.0.0.9", status: "inactive" }, liveHttp())).toEqual({ status: "inactive" });
  });
});

describe("farmServerOutputs", () => {
  it("reports every HTTP field as the API does, farmId from backendId, and serverState", () => {
    expect(liveHttp()).toEqual({
      serverId: 3, farmId: 12, serviceName: "lb-1", address: "10.0.0.1", status: "active", port: null, displayName: null, weight: 1,
      backup: false, probe: false, ssl: false, chain: null, proxyProtocolVersion: null, onMarkedDown: null, cookie: "a1b2c3", serverState: HEALTH,
    });
  });

  it("fills missing fields with null and a missing serverState with []", () => {
    expect(farmServer.farmServerOutputs("tcp", "lb-1", { serverId: 3, backendId: 12, address: "10.0.0.1", status: "active" })).toEqual({
      serverId: 3, farmId: 12, serviceName: "lb-1", address: "10.0.0.1", status: "active", port: null, displayName: null, weight: null,
      backup: null, probe: null, ssl: null, chain: null, proxyProtocolVersion: null, onMarkedDown: null, serverState: [],
    });
  });

  it("has only the UDP fields on UDP servers, and serverState []", () => {
    expect(farmServer.farmServerOutputs("udp", "lb-1", API_UDP_SERVER)).toEqual({
      serverId: 4, farmId: 13, serviceName: "lb-1", address: "10.0.0.2", status: "inactive", port: 53, displayName: null, serverState: [],
    });
  });
});

describe("farm server ids", () => {
  it("builds and parses serviceName/farmId/serverId, the import id", () => {
    expect(farmServer.farmServerResourceId("loadbalancer-abc", 12, 3)).toBe("loadbalancer-abc/12/3");
    expect(farmServer.parseFarmServerResourceId("loadbalancer-abc/12/3")).toEqual({ serviceName: "loadbalancer-abc", farmId: 12, serverId: 3 });
  });

  it.each(["lb-1/12", "lb-1/12/", "lb-1/x/3", "lb-1/12/0", "/12/3", "12/3"])("rejects the malformed id %p", (id) => {
    expect(() => farmServer.parseFarmServerResourceId(id)).toThrow(
      `invalid farm server id ${JSON.stringify(id)}: expected <serviceName>/<farmId>/<serverId>, e.g. loadbalancer-abc/12/3`,
    );
  });
});

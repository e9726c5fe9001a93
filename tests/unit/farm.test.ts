import * as farm from "../../provider/models/farm";
import { UNKNOWN } from "../../provider/models/fields";
import type { FarmType } from "../../provider/models/farm";

const fail = (property: string, reason: string) => ({ property, reason });
const PROVIDER = "exports.handler = __f0;";

/** A farm as the API answers a GET after a create that sent only zone and port: defaults filled in. */
const API_HTTP_FARM = {
  farmId: 12, zone: "gra", port: 80, displayName: null, balance: "roundrobin", stickiness: null, vrackNetworkId: null,
  probe: { type: "tcp", port: 80, interval: 30, method: null, url: null, match: "default", pattern: null, negate: false, forceSsl: false },
};
const API_UDP_FARM = { farmId: 13, zone: "gra", port: 53, displayName: "dns", vrackNetworkId: null };
const liveHttp = (over: Record<string, unknown> = {}) => farm.farmOutputs("http", "lb-1", { ...API_HTTP_FARM, ...over });

describe("checkFarm", () => {
  it.each([
    ["http", { serviceName: "lb-1", zone: "gra" }],
    ["tcp", { serviceName: "lb-1", zone: "all", port: 443, balance: "source", stickiness: "sourceIp" }],
    ["udp", { serviceName: "lb-1", zone: "rbx", port: 53, displayName: "dns", vrackNetworkId: 0 }],
  ])("accepts a valid %s farm", (type, news) => {
    expect(farm.checkFarm(type as FarmType, news).failures).toEqual([]);
  });

  it("returns the inputs as given: no defaults added, __provider untouched", () => {
    const news = { serviceName: "lb-1", zone: "gra", probe: { type: "http" }, __provider: PROVIDER };
    expect(farm.checkFarm("http", news).inputs).toEqual(news);
  });

  it("allows null on every optional field of HTTP and TCP farms, meaning the API default", () => {
    const news = { serviceName: "lb-1", zone: "gra", port: null, displayName: null, vrackNetworkId: null, balance: null, stickiness: null, probe: null, adoptFarmId: null };
    expect(farm.checkFarm("tcp", news).failures).toEqual([]);
  });

  it("reports every failure together, from untyped JavaScript callers too", () => {
    const news = { zone: "GRA", port: "80", displayName: 5, vrackNetworkId: -1, balance: "fastest", stickiness: "cookie", probe: { interval: 1 }, weight: 1 };
    expect(farm.checkFarm("tcp", news).failures).toEqual([
      fail("weight", "unknown field; allowed fields: serviceName, zone, port, displayName, vrackNetworkId, balance, stickiness, probe, adoptFarmId"),
      fail("serviceName", "a value is required"),
      fail("zone", '"GRA" is not a zone name (lower-case letters such as gra, or all)'),
      fail("port", '"80" is not an integer (allowed: 1..49151)'),
      fail("displayName", "5 is not a string"),
      fail("vrackNetworkId", "-1 is less than 0"),
      fail("balance", '"fastest" is not one of first, leastconn, roundrobin, source'),
      fail("stickiness", '"cookie" is not one of sourceIp'),
      fail("probe.interval", "1 is out of range 30..3600"),
    ]);
  });

  it.each([
    ["http", "balance", "uri", []],
    ["http", "balance", "fastest", [fail("balance", '"fastest" is not one of first, leastconn, roundrobin, source, uri')]],
    ["tcp", "balance", "uri", [fail("balance", '"uri" is not one of first, leastconn, roundrobin, source')]],
    ["http", "stickiness", "cookie", []],
    ["tcp", "stickiness", "sourceIp", []],
    ["udp", "balance", "roundrobin", [fail("balance", "UDP farms have no balance")]],
    ["udp", "stickiness", "sourceIp", [fail("stickiness", "UDP farms have no stickiness")]],
    ["udp", "probe", { type: "tcp" }, [fail("probe", "UDP farms have no probe")]],
  ])("%s farms: %s %p", (type, field, value, expected) => {
    const base = { serviceName: "lb-1", zone: "gra", port: 80 };
    expect(farm.checkFarm(type as FarmType, { ...base, [field]: value }).failures).toEqual(expected);
  });

  it("lists only the UDP fields when a UDP farm gets a field it does not know", () => {
    expect(farm.checkFarm("udp", { serviceName: "lb-1", zone: "gra", port: 53, weight: 1 }).failures).toEqual([
      fail("weight", "unknown field; allowed fields: serviceName, zone, port, displayName, vrackNetworkId, adoptFarmId"),
    ]);
  });

  it.each([
    [undefined, [fail("port", "a value is required")]],
    [null, [fail("port", "null is not an integer (allowed: 1..49151)")]],
    [70000, [fail("port", "70000 is out of range 1..49151")]],
  ])("requires a port on UDP farms (port %p)", (port, expected) => {
    expect(farm.checkFarm("udp", { serviceName: "lb-1", zone: "gra", port }).failures).toEqual(expected);
  });

  it.each([
    ["", [fail("zone", '"" is not a zone name (lower-case letters such as gra, or all)')]],
    ["gra1", [fail("zone", '"gra1" is not a zone name (lower-case letters such as gra, or all)')]],
    [["gra"], [fail("zone", "an array is not a zone name (lower-case letters such as gra, or all)")]],
    [undefined, [fail("zone", "a value is required")]],
  ])("checks the zone %p", (zone, expected) => {
    expect(farm.checkFarm("http", { serviceName: "lb-1", zone }).failures).toEqual(expected);
  });

  it.each([
    ["", [fail("serviceName", "must not be empty")]],
    [null, [fail("serviceName", "null is not a string")]],
  ])("checks the service name %p", (serviceName, expected) => {
    expect(farm.checkFarm("http", { serviceName, zone: "gra" }).failures).toEqual(expected);
  });

  it.each([
    [12, []],
    [0, [fail("adoptFarmId", "0 is less than 1")]],
    ["12", [fail("adoptFarmId", '"12" is not an integer (allowed: 1 or more)')]],
  ])("checks adoptFarmId %p", (adoptFarmId, expected) => {
    expect(farm.checkFarm("http", { serviceName: "lb-1", zone: "gra", adoptFarmId }).failures).toEqual(expected);
  });

  it("accepts values that are unknown during preview", () => {
    const news = { serviceName: UNKNOWN, zone: UNKNOWN, port: UNKNOWN, probe: UNKNOWN };
    expect(farm.checkFarm("http", news).failures).toEqual([]);
  });

  it("throws on a farm type that does not exist", () => {
    expect(() => farm.checkFarm("sctp" as FarmType, {})).toThrow('unknown farm type "sctp" (expected one of http, tcp, udp)');
  });
});

describe("diffFarm", () => {
  const desired = { serviceName: "lb-1", zone: "gra", port: 80, __provider: PROVIDER };
  const NO_CHANGE = { changes: false, replaces: [], diffs: [], detailedDiff: {} };

  it("sees no change when the API has filled in its defaults (balance, probe)", () => {
    expect(farm.diffFarm("http", desired, liveHttp())).toEqual(NO_CHANGE);
  });

  it("sees no change when the API reports nulls for the defaults", () => {
    expect(farm.diffFarm("http", desired, liveHttp({ balance: null, probe: null }))).toEqual(NO_CHANGE);
  });

  it("sees no change when roundrobin is written out and the API says null", () => {
    expect(farm.diffFarm("http", { ...desired, balance: "roundrobin" }, liveHttp({ balance: null }))).toEqual(NO_CHANGE);
  });

  it("never diffs on adoptFarmId or __provider", () => {
    expect(farm.diffFarm("http", { ...desired, adoptFarmId: 99, __provider: "other" }, liveHttp())).toEqual(NO_CHANGE);
  });

  it.each([
    ["serviceName", "lb-2"],
    ["zone", "rbx"],
  ])("replaces the farm when %s changes", (field, value) => {
    expect(farm.diffFarm("http", { ...desired, [field]: value }, liveHttp())).toEqual({
      changes: true, replaces: [field], diffs: [field], detailedDiff: { [field]: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("replaces a farm deleted outside Pulumi, which re-creates it", () => {
    expect(farm.diffFarm("http", desired, undefined)).toEqual({
      changes: true, replaces: ["farmId"], diffs: ["farmId"], detailedDiff: { farmId: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("shows drift: a field changed outside Pulumi is an update back to the program's value", () => {
    expect(farm.diffFarm("http", desired, liveHttp({ balance: "source", displayName: "edited" }))).toEqual({
      changes: true,
      replaces: [],
      diffs: ["displayName", "balance"],
      detailedDiff: { displayName: { kind: "delete", inputDiff: true }, balance: { kind: "delete", inputDiff: true } },
    });
  });

  it("compares the probe field by field with the API defaults filled in", () => {
    const result = farm.diffFarm("http", { ...desired, probe: { type: "http", url: "/health" } }, liveHttp({
      probe: { type: "http", port: null, interval: 30, method: "OPTIONS", url: "/", match: "default", pattern: null, negate: false, forceSsl: false },
    }));
    expect(result).toEqual({ changes: true, replaces: [], diffs: ["probe"], detailedDiff: { "probe.url": { kind: "update", inputDiff: true } } });
  });

  it("takes a probe without method for the service's OPTIONS: an explicit GET is a change, an explicit OPTIONS is not", () => {
    const live = liveHttp({ probe: { type: "http", port: null, interval: 30, method: null, url: "/", match: "default", pattern: null, negate: false, forceSsl: false } });
    expect(farm.diffFarm("http", { ...desired, probe: { type: "http", method: "GET" } }, live)).toMatchObject({
      changes: true, detailedDiff: { "probe.method": { kind: "update", inputDiff: true } },
    });
    expect(farm.diffFarm("http", { ...desired, probe: { type: "http", method: "OPTIONS" } }, live)).toEqual(NO_CHANGE);
  });

  it("does not touch the probe when only the farm port changes", () => {
    expect(farm.diffFarm("http", { ...desired, port: 81 }, liveHttp()).diffs).toEqual(["port"]);
  });

  it("reports a value unknown during preview as an update", () => {
    expect(farm.diffFarm("http", { ...desired, port: UNKNOWN }, liveHttp()).detailedDiff).toEqual({ port: { kind: "update", inputDiff: true } });
  });

  it("compares only UDP fields on UDP farms", () => {
    const live = farm.farmOutputs("udp", "lb-1", API_UDP_FARM);
    expect(farm.diffFarm("udp", { serviceName: "lb-1", zone: "gra", port: 53, displayName: "dns" }, live)).toEqual(NO_CHANGE);
    expect(farm.diffFarm("udp", { serviceName: "lb-1", zone: "gra", port: 54 }, live).diffs).toEqual(["port", "displayName"]);
  });
});

describe("farmCreateBody", () => {
  it.each([
    ["http", { serviceName: "lb-1", zone: "gra", __provider: PROVIDER, adoptFarmId: 3 }, { zone: "gra" }],
    ["tcp", { serviceName: "lb-1", zone: "gra", port: 443, balance: "source", stickiness: null, displayName: null }, { zone: "gra", port: 443, balance: "source" }],
    ["udp", { serviceName: "lb-1", zone: "gra", port: 53, displayName: "dns", vrackNetworkId: 0 }, { zone: "gra", port: 53, displayName: "dns", vrackNetworkId: 0 }],
  ])("sends only the set %s fields, never serviceName, adoptFarmId or __provider", (type, inputs, expected) => {
    expect(farm.farmCreateBody(type as FarmType, inputs)).toEqual(expected);
  });

  it("sends the whole probe, null where unset", () => {
    const body = farm.farmCreateBody("http", { serviceName: "lb-1", zone: "gra", probe: { type: "http", match: "status", pattern: "200", negate: true } });
    expect(body).toEqual({
      zone: "gra",
      probe: { type: "http", port: null, interval: null, method: null, url: null, match: "status", pattern: "200", negate: true, forceSsl: false },
    });
  });
});

describe("farmUpdateBody", () => {
  const desired = { serviceName: "lb-1", zone: "gra", port: 80 };

  it("is empty when nothing changed, so no PUT and no refresh are needed", () => {
    expect(farm.farmUpdateBody("http", desired, liveHttp())).toEqual({});
  });

  it("sends only the changed fields", () => {
    expect(farm.farmUpdateBody("http", { ...desired, port: 8080, balance: "leastconn" }, liveHttp())).toEqual({ port: 8080, balance: "leastconn" });
  });

  it("sends null for fields that were set and are now absent, so the API default comes back", () => {
    const live = liveHttp({ displayName: "web", stickiness: "cookie", vrackNetworkId: 4, probe: { ...API_HTTP_FARM.probe, type: "http" } });
    expect(farm.farmUpdateBody("http", desired, live)).toEqual({ displayName: null, vrackNetworkId: null, stickiness: null, probe: null });
  });

  it("sends the whole desired probe when one probe field changed", () => {
    expect(farm.farmUpdateBody("tcp", { ...desired, probe: { interval: 60 } }, liveHttp())).toEqual({
      probe: { type: null, port: null, interval: 60, method: null, url: null, match: null, pattern: null, forceSsl: false },
    });
  });
});

describe("farmOutputs", () => {
  it("has every HTTP/TCP key, null where the API says null, with serviceName from the id", () => {
    expect(farm.farmOutputs("tcp", "lb-1", { farmId: 5, zone: "all", port: null, displayName: null, balance: null, stickiness: null, probe: null, vrackNetworkId: null })).toEqual({
      farmId: 5, serviceName: "lb-1", zone: "all", port: null, displayName: null, vrackNetworkId: null, balance: null, stickiness: null, probe: null,
    });
  });

  it("fills keys the API left out with null", () => {
    expect(farm.farmOutputs("http", "lb-1", { farmId: 5, zone: "gra" })).toEqual({
      farmId: 5, serviceName: "lb-1", zone: "gra", port: null, displayName: null, vrackNetworkId: null, balance: null, stickiness: null, probe: null,
    });
  });

  it("has no balance, stickiness or probe key on UDP farms", () => {
    expect(farm.farmOutputs("udp", "lb-1", API_UDP_FARM)).toEqual({
      farmId: 13, serviceName: "lb-1", zone: "gra", port: 53, displayName: "dns", vrackNetworkId: null,
    });
  });
});

describe("farm ids", () => {
  it("builds and parses serviceName/farmId, the import id", () => {
    expect(farm.farmResourceId("loadbalancer-abc", 12)).toBe("loadbalancer-abc/12");
    expect(farm.parseFarmResourceId("loadbalancer-abc/12")).toEqual({ serviceName: "loadbalancer-abc", farmId: 12 });
    expect(farm.parseFarmResourceId("ip-203.0.113.7/3")).toEqual({ serviceName: "ip-203.0.113.7", farmId: 3 });
  });

  it.each(["lb-1", "lb-1/", "/12", "lb-1/abc", "lb-1/0", "lb-1/012", "lb-1/12.5", "lb-1/-3", ""])("rejects the malformed id %p", (id) => {
    expect(() => farm.parseFarmResourceId(id)).toThrow(`invalid farm id ${JSON.stringify(id)}: expected <serviceName>/<farmId>, e.g. loadbalancer-abc/12`);
  });
});

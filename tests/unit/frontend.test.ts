import * as frontend from "../../provider/models/frontend";
import { UNKNOWN } from "../../provider/models/fields";
import type { FarmType } from "../../provider/api/wire";

const fail = (property: string, reason: string) => ({ property, reason });
const PROVIDER = "exports.handler = __f0;";
const NO_CHANGE = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
const update = (field: string, kind = "update") => ({ [field]: { kind, inputDiff: true } });

/** An HTTP frontend as the API answers a GET after a create that sent only zone and port. */
const API_HTTP = {
  frontendId: 7, zone: "gra", port: "80", defaultFarmId: null, displayName: null, disabled: false, dedicatedIpfo: null,
  ssl: false, defaultSslId: null, allowedSource: null, deniedSource: null, hsts: false, httpHeader: null,
  redirectLocation: null, vrackNetworkId: null, vrackVrouterId: null,
};
const live = (type: FarmType, over: Record<string, unknown> = {}) => frontend.frontendOutputs(type, "lb-1", { ...API_HTTP, ...over });
const base = { serviceName: "lb-1", zone: "gra", port: "80" };
const check = (type: FarmType, news: Record<string, unknown>) => frontend.checkFrontend(type, { ...base, ...news });

describe("checkFrontend", () => {
  it.each([
    ["http", { ...base, defaultFarmId: 3, ssl: true, defaultSslId: 2, allowedSource: ["198.51.100.0/24"], hsts: true, httpHeader: ["X-Client-IP %ci"], redirectLocation: "https://example.com" }],
    ["tcp", { ...base, zone: "all", port: "443", ssl: true, deniedSource: ["192.0.2.0/24"], disabled: true }],
    ["udp", { ...base, port: "53", defaultFarmId: 4, displayName: "dns", dedicatedIpfo: ["203.0.113.7/32"] }],
  ])("accepts a valid %s frontend and returns it unchanged", (type, news) => {
    expect(frontend.checkFrontend(type as FarmType, news)).toEqual({ inputs: news, failures: [] });
  });

  it("allows null on every nullable field, meaning none", () => {
    const news = { ...base, defaultFarmId: null, displayName: null, dedicatedIpfo: null, defaultSslId: null, allowedSource: null, deniedSource: null, httpHeader: null, redirectLocation: null, adoptFrontendId: null };
    expect(frontend.checkFrontend("http", news).failures).toEqual([]);
  });

  it.each([
    [80, "80"],
    ["80", "80"],
    ["80, 443 ,8000 - 8010", "80,443,8000-8010"],
    [[443, 80, "8000-8010"], "443,80,8000-8010"],
    [["80,443", 8080], "80,443,8080"],
    ["8000-8000", "8000"],
    [[1, 49151], "1,49151"],
  ])("turns port %p into the API's string %p, in the user's order", (port, expected) => {
    expect(check("tcp", { port })).toEqual({ inputs: { ...base, port: expected }, failures: [] });
  });

  const PORTS_ALLOWED = 'a port (1..49151), a range a-b or a comma-separated list of them, e.g. "80,443,8000-8010"';
  it.each([
    [0, ["0 is out of range 1..49151"]],
    ["49152", ["49152 is out of range 1..49151"]],
    ["80,70000,99999", ["70000 is out of range 1..49151", "99999 is out of range 1..49151"]],
    ["8010-8000", ['"8010-8000" is not a range: 8010 is higher than 8000']],
    ["http", [`"http" is not ${PORTS_ALLOWED}`]],
    ["80,", [`"" is not ${PORTS_ALLOWED}`]],
    [80.5, [`"80.5" is not ${PORTS_ALLOWED}`]],
    [[], [`an empty list opens no port; give ${PORTS_ALLOWED}`]],
    [[80, true], [`an array is not ${PORTS_ALLOWED}`]],
    [{ from: 80 }, [`an object is not ${PORTS_ALLOWED}`]],
    ["80,443,80", ["80 is listed twice; list each port once"]],
    ["8000-8010,8005", ["8005 overlaps 8000-8010; list each port once"]],
    [[8005, "8000-8010"], ["8000-8010 overlaps 8005; list each port once"]],
    [undefined, ["a value is required"]],
    [null, [`null is not ${PORTS_ALLOWED}`]],
  ])("refuses port %p, naming every bad entry", (port, reasons) => {
    const { inputs, failures } = check("http", { port });
    expect(failures).toEqual(reasons.map((r) => fail("port", r)));
    expect(inputs.port).toEqual(port);
  });

  it.each(["dedicatedIpfo", "allowedSource", "deniedSource"] as const)("writes bare addresses of %s as /32 and checks every block", (field) => {
    expect(check("tcp", { [field]: ["203.0.113.7", "10.0.0.0/8"] }).inputs[field]).toEqual(["203.0.113.7/32", "10.0.0.0/8"]);
    expect(check("tcp", { [field]: ["10.0.0.300", "10.0.0.5/24", "10.0.0.0/33", "::1"] }).failures).toEqual([
      fail(field, `"10.0.0.300" is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32)`),
      fail(field, `"10.0.0.5/24" is not a network address; the block is "10.0.0.0/24"`),
      fail(field, `"10.0.0.0/33" is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32)`),
      fail(field, `"::1" is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32)`),
    ]);
    expect(check("tcp", { [field]: "10.0.0.0/8" }).failures).toEqual([fail(field, `"10.0.0.0/8" is not a list of IPv4 addresses or blocks`)]);
  });

  it.each([
    [["192.0.2.0/24"], ["198.51.100.7"], [fail("deniedSource", "cannot be set together with allowedSource (the API takes one or the other); remove one of them")]],
    [["192.0.2.0/24"], [], []],
    [null, ["198.51.100.7"], []],
    [[UNKNOWN], ["198.51.100.7"], []],
  ])("refuses allowedSource %p with deniedSource %p", (allowedSource, deniedSource, expected) => {
    expect(check("http", { allowedSource, deniedSource }).failures).toEqual(expected);
  });

  it.each([
    ["tcp", "hsts", true],
    ["tcp", "httpHeader", ["X-A b"]],
    ["tcp", "redirectLocation", "https://example.com"],
    ["udp", "ssl", false],
    ["udp", "defaultSslId", 1],
    ["udp", "allowedSource", ["192.0.2.0/24"]],
    ["udp", "deniedSource", ["192.0.2.0/24"]],
    ["udp", "hsts", false],
  ])("%s frontends refuse %s, naming the protocol", (type, field, value) => {
    expect(check(type as FarmType, { [field]: value }).failures).toEqual([
      fail(field, `${(type as string).toUpperCase()} frontends have no ${field}`),
    ]);
  });

  it("reports every failure together, from untyped JavaScript callers too", () => {
    const news = { zone: "GRA", port: "0", defaultFarmId: 0, disabled: "yes", defaultSslId: "2", httpHeader: ["", 5], redirectLocation: "", weight: 1 };
    expect(frontend.checkFrontend("http", news).failures).toEqual([
      fail("weight", "unknown field; allowed fields: serviceName, zone, port, defaultFarmId, displayName, disabled, dedicatedIpfo, ssl, defaultSslId, allowedSource, deniedSource, hsts, httpHeader, redirectLocation, adoptFrontendId"),
      fail("serviceName", "a value is required"),
      fail("zone", '"GRA" is not a zone name (lower-case letters such as gra, or all)'),
      fail("port", "0 is out of range 1..49151"),
      fail("defaultFarmId", "0 is less than 1"),
      fail("disabled", '"yes" is not a boolean'),
      fail("defaultSslId", '"2" is not an integer (allowed: 1 or more)'),
      fail("httpHeader", '"" is not a header line such as "X-Client-IP %ci"'),
      fail("httpHeader", '5 is not a header line such as "X-Client-IP %ci"'),
      fail("redirectLocation", "must not be empty"),
    ]);
  });

  it("skips values unknown during preview, and leaves them as they are", () => {
    const news = { serviceName: UNKNOWN, zone: UNKNOWN, port: [80, UNKNOWN], defaultFarmId: UNKNOWN, dedicatedIpfo: [UNKNOWN, "203.0.113.7"] };
    expect(frontend.checkFrontend("udp", news)).toEqual({ inputs: news, failures: [] });
  });

  it("passes __provider through", () => {
    expect(check("udp", { __provider: PROVIDER }).inputs.__provider).toBe(PROVIDER);
  });
});

describe("diffFrontend", () => {
  it("sees no change when the API reports its defaults (false, null) for absent fields", () => {
    expect(frontend.diffFrontend("http", { ...base, __provider: PROVIDER, adoptFrontendId: 7 }, live("http"))).toEqual(NO_CHANGE);
  });

  it.each([
    ["443,80", "80,443"],
    ["80,81,82", "80-82"],
    ["8000-8010,80", "80,8000-8005,8006-8010"],
  ])("sees no change between ports %p (desired) and %p (API): the same ports", (port, apiPort) => {
    expect(frontend.diffFrontend("tcp", { ...base, port }, live("tcp", { port: apiPort }))).toEqual(NO_CHANGE);
  });

  it("updates the port when the ports differ", () => {
    expect(frontend.diffFrontend("tcp", { ...base, port: "80,443" }, live("tcp"))).toEqual({
      changes: true, replaces: [], diffs: ["port"], detailedDiff: update("port"),
    });
  });

  it.each(["dedicatedIpfo", "allowedSource", "deniedSource"])("compares %s as a set: order, repeats and bare vs /32 never diff", (field) => {
    const desired = { ...base, [field]: ["203.0.113.7", "192.0.2.0/24", "203.0.113.7/32"] };
    expect(frontend.diffFrontend("tcp", desired, live("tcp", { [field]: ["192.0.2.0/24", "203.0.113.7/32"] }))).toEqual(NO_CHANGE);
    expect(frontend.diffFrontend("tcp", { ...base, [field]: [] }, live("tcp", { [field]: null }))).toEqual(NO_CHANGE);
    expect(frontend.diffFrontend("tcp", base, live("tcp", { [field]: [] }))).toEqual(NO_CHANGE);
    expect(frontend.diffFrontend("tcp", desired, live("tcp", { [field]: ["192.0.2.0/24"] })).detailedDiff).toEqual(update(field));
  });

  it("compares httpHeader in order (headers are added in that order), [] being none", () => {
    const desired = { ...base, httpHeader: ["X-A 1", "X-B 2"] };
    expect(frontend.diffFrontend("http", desired, live("http", { httpHeader: ["X-A 1", "X-B 2"] }))).toEqual(NO_CHANGE);
    expect(frontend.diffFrontend("http", desired, live("http", { httpHeader: ["X-B 2", "X-A 1"] })).detailedDiff).toEqual(update("httpHeader"));
    expect(frontend.diffFrontend("http", { ...base, httpHeader: [] }, live("http"))).toEqual(NO_CHANGE);
  });

  it("changes the zone in place, and replaces only on serviceName", () => {
    expect(frontend.diffFrontend("http", { ...base, zone: "all" }, live("http"))).toEqual({
      changes: true, replaces: [], diffs: ["zone"], detailedDiff: update("zone"),
    });
    expect(frontend.diffFrontend("http", { ...base, serviceName: "lb-2" }, live("http"))).toEqual({
      changes: true, replaces: ["serviceName"], diffs: ["serviceName"], detailedDiff: update("serviceName", "update-replace"),
    });
  });

  it("shows drift made outside Pulumi as updates back to the program (fields the program leaves out as deletes)", () => {
    const drifted = live("http", { disabled: true, displayName: "console", hsts: true, defaultFarmId: 9 });
    expect(frontend.diffFrontend("http", { ...base, defaultFarmId: 3 }, drifted)).toEqual({
      changes: true, replaces: [], diffs: ["defaultFarmId", "displayName", "disabled", "hsts"],
      detailedDiff: { ...update("defaultFarmId"), ...update("displayName", "delete"), ...update("disabled", "delete"), ...update("hsts", "delete") },
    });
  });

  it("replaces a frontend deleted outside Pulumi, which re-creates it", () => {
    expect(frontend.diffFrontend("udp", base, undefined)).toEqual({
      changes: true, replaces: ["frontendId"], diffs: ["frontendId"], detailedDiff: update("frontendId", "update-replace"),
    });
  });

  it("reports a value unknown during preview as an update", () => {
    expect(frontend.diffFrontend("udp", { ...base, defaultFarmId: UNKNOWN }, live("udp")).detailedDiff).toEqual(update("defaultFarmId"));
  });
});

describe("frontendCreateBody", () => {
  it.each([
    ["udp", { ...base, serviceName: "lb-1", adoptFrontendId: 3, __provider: PROVIDER, displayName: null }, { zone: "gra", port: "80" }],
    ["tcp", { ...base, port: [443, 80], ssl: false, allowedSource: ["192.0.2.7", "192.0.2.7/32"], deniedSource: [] }, { zone: "gra", port: "443,80", ssl: false, allowedSource: ["192.0.2.7/32"] }],
    ["http", { ...base, defaultFarmId: 3, hsts: true, httpHeader: [], redirectLocation: "https://example.com" }, { zone: "gra", port: "80", defaultFarmId: 3, hsts: true, redirectLocation: "https://example.com" }],
  ])("sends the set %s fields, lists as the API takes them, never serviceName, adoptFrontendId or empty lists", (type, inputs, expected) => {
    expect(frontend.frontendCreateBody(type as FarmType, inputs)).toEqual(expected);
  });
});

describe("frontendUpdateBody", () => {
  const full = live("http", {
    port: "80,443", defaultFarmId: 3, displayName: "web", disabled: true, dedicatedIpfo: ["203.0.113.7/32"], ssl: true,
    defaultSslId: 2, allowedSource: ["192.0.2.0/24"], hsts: true, httpHeader: ["X-A 1"], redirectLocation: "https://example.com",
  });

  it("clears every removed field: null for nullable ones, false for booleans", () => {
    expect(frontend.frontendUpdateBody("http", { ...base, port: "443,80" }, full)).toEqual({
      defaultFarmId: null, displayName: null, disabled: false, dedicatedIpfo: null, ssl: false, defaultSslId: null,
      allowedSource: null, hsts: false, httpHeader: null, redirectLocation: null,
    });
  });

  it("sends nothing when only the order of ports or blocks changed", () => {
    const desired = {
      ...base, port: [443, 80], defaultFarmId: 3, displayName: "web", disabled: true, dedicatedIpfo: ["203.0.113.7"], ssl: true,
      defaultSslId: 2, allowedSource: ["192.0.2.0/24"], hsts: true, httpHeader: ["X-A 1"], redirectLocation: "https://example.com",
    };
    expect(frontend.frontendUpdateBody("http", desired, full)).toEqual({});
  });

  it("sends a changed port as the API's string, an emptied list as null, and a swap of source lists in one body", () => {
    const desired = { ...base, port: [8080, "9000-9001"], deniedSource: ["198.51.100.7"], dedicatedIpfo: [] };
    expect(frontend.frontendUpdateBody("tcp", desired, live("tcp", { allowedSource: ["192.0.2.0/24"], dedicatedIpfo: ["203.0.113.7/32"] }))).toEqual({
      port: "8080,9000-9001", dedicatedIpfo: null, allowedSource: null, deniedSource: ["198.51.100.7/32"],
    });
  });

  it("sends a zone change", () => {
    expect(frontend.frontendUpdateBody("udp", { ...base, zone: "all" }, live("udp"))).toEqual({ zone: "all" });
  });
});

describe("frontendOutputs", () => {
  it.each([
    ["udp", ["frontendId", "serviceName", "zone", "port", "defaultFarmId", "displayName", "disabled", "dedicatedIpfo"]],
    ["tcp", ["frontendId", "serviceName", "zone", "port", "defaultFarmId", "displayName", "disabled", "dedicatedIpfo", "ssl", "defaultSslId", "allowedSource", "deniedSource", "vrackNetworkId", "vrackVrouterId"]],
  ])("gives %s frontends exactly their own fields", (type, keys) => {
    expect(Object.keys(live(type as FarmType))).toEqual(keys);
  });

  it("keeps every value the API reports, null where it says null", () => {
    expect(live("http", { vrackNetworkId: 5 })).toEqual({ ...API_HTTP, vrackNetworkId: 5, serviceName: "lb-1" });
  });
});

describe("frontend resource ids", () => {
  it("round-trips serviceName/frontendId and refuses other shapes", () => {
    expect(frontend.parseFrontendResourceId(frontend.frontendResourceId("lb-1", 7))).toEqual({ serviceName: "lb-1", frontendId: 7 });
    expect(() => frontend.parseFrontendResourceId("lb-1")).toThrow('invalid frontend id "lb-1": expected <serviceName>/<frontendId>, e.g. loadbalancer-abc/7');
  });
});

describe("defaultFarmProblem", () => {
  it.each([
    ["http", "gra", undefined, "defaultFarmId: there is no farm 5 on lb-1; it must be a HTTP farm (farmId of a HttpFarm)"],
    ["http", "gra", { type: "tcp", zone: "gra" }, "defaultFarmId: farm 5 is a TCP farm; a HTTP frontend needs a HTTP farm"],
    ["udp", "gra", { type: "udp", zone: "rbx" }, "defaultFarmId: farm 5 is in zone rbx and cannot serve a frontend in zone gra; use a farm in gra or all"],
    ["tcp", "all", { type: "tcp", zone: "gra" }, "defaultFarmId: farm 5 is in zone gra and cannot serve a frontend in zone all; use a farm in zone all"],
    ["tcp", "gra", { type: "tcp", zone: "all" }, undefined],
    ["tcp", "gra", { type: "tcp", zone: "gra" }, undefined],
  ])("explains a %s frontend in %s pointing at %p", (type, zone, found, expected) => {
    expect(frontend.defaultFarmProblem(type as FarmType, "lb-1", zone, 5, found as frontend.FoundFarm | undefined)).toBe(expected);
  });
});

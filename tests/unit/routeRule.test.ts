import * as rr from "../../provider/models/routeRule";
import { UNKNOWN } from "../../provider/models/fields";
import type { RouteRuleObject, RouteType } from "../../provider/api/wire";

const fail = (property: string, reason: string) => ({ property, reason });
const PROVIDER = "exports.handler = __f0;";
const NO_CHANGE = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
const base = { serviceName: "lb-1", routeId: 7, field: "host", match: "is", pattern: "a.example.com" };
const failures = (type: RouteType, over: Record<string, unknown>) => rr.checkRouteRule(type, { ...base, ...over }).failures;
const API_RULE: RouteRuleObject = { ruleId: 9, field: "host", match: "is", negate: false, pattern: "a.example.com", subField: null, displayName: null };
const live = (over: Partial<RouteRuleObject> = {}) => ({ ...rr.routeRuleOutputs("lb-1", { ...API_RULE, ...over }), routeId: 7, zone: "gra" });

describe("checkRouteRule", () => {
  it.each([
    ["http", base],
    ["http", { ...base, field: "header", subField: "X-Env", match: "exists", pattern: null, negate: true, displayName: "env", __provider: PROVIDER }],
    ["http", { ...base, field: "source", match: "in", pattern: "10.0.0.0/8, 192.0.2.7" }],
    ["http", { ...base, field: "method", match: "in", pattern: "GET,HEAD" }],
    ["tcp", { ...base, field: "protocol", match: "is", pattern: "http/2.0" }],
    ["tcp", { ...base, field: "sni", match: "endswith", pattern: ".example.com", subField: null, negate: null, displayName: null, adoptRuleId: null }],
  ])("accepts a valid %s rule and returns it unchanged", (type, news) => {
    expect(rr.checkRouteRule(type as RouteType, news)).toEqual({ inputs: news, failures: [] });
  });

  it.each([
    ["http", { field: "sni" }, [fail("field", '"sni" is not one of source, protocol, method, host, uri, param, header, cookie (HTTP route rules)')]],
    ["tcp", { field: "host" }, [fail("field", '"host" is not one of source, protocol, sni (TCP route rules)')]],
    ["http", { match: "exists" }, [fail("match", '"exists" is not available for the HTTP rule field host (allowed: is, in, contains, startswith, endswith, matches)')]],
    ["tcp", { field: "source", match: "contains", pattern: "10.0.0.0/8" }, [fail("match", '"contains" is not available for the TCP rule field source (allowed: is, in)')]],
    ["http", { match: "like" }, [fail("match", '"like" is not one of contains, endswith, exists, in, internal, is, matches, startswith')]],
    ["http", { field: "cookie" }, [fail("subField", "the HTTP rule field cookie needs a subField (the cookie name)")]],
    ["http", { subField: "X-Env" }, [fail("subField", "the HTTP rule field host takes no subField (only param, header, cookie do)")]],
    ["tcp", { field: "sni", subField: "x" }, [fail("subField", "the TCP rule field sni takes no subField (only none do)")]],
    ["http", { pattern: undefined }, [fail("pattern", "a value is required for the is match")]],
    ["http", { field: "method", pattern: "" }, [fail("pattern", "a value is required for the is match (one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE)")]],
    ["http", { field: "header", subField: "X", match: "exists", pattern: "1" }, [fail("pattern", "the exists match takes no pattern (it tests that the subField is present)")]],
    ["http", { field: "method", match: "in", pattern: "GET,PATCH" }, [fail("pattern", '"PATCH" is not a value of the HTTP rule field method (allowed: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE)')]],
    ["http", { field: "protocol", pattern: "http/2.0" }, [fail("pattern", '"http/2.0" is not a value of the HTTP rule field protocol (allowed: http, https, tcp, tls)')]],
    ["tcp", { field: "source", pattern: "10.0.0.300" }, [fail("pattern", '"10.0.0.300" is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32) for the TCP rule field source')]],
    ["http", { field: "source", match: "in", pattern: "10.0.0.0/8,10.1.2.3/16" }, [fail("pattern", '"10.1.2.3/16" is not a network address; the block is "10.1.0.0/16"')]],
    ["http", { pattern: "a\r\nb" }, [fail("pattern", "contains a control character (U+000D); one line of text is allowed")]],
  ])("%s rules refuse %p, naming the field and what is allowed", (type, over, expected) => {
    expect(failures(type as RouteType, over)).toEqual(expected);
  });

  it("reports every failure together, from untyped JavaScript callers too", () => {
    expect(rr.checkRouteRule("http", { routeId: 0, match: "is", negate: "yes", zone: "gra" }).failures).toEqual([
      fail("zone", "unknown field; allowed fields: serviceName, routeId, field, subField, match, negate, pattern, displayName, adoptRuleId"),
      fail("serviceName", "a value is required"),
      fail("routeId", "0 is less than 1"),
      fail("field", "a value is required"),
      fail("negate", '"yes" is not a boolean'),
    ]);
  });

  it("skips values unknown during preview", () => {
    const news = { ...base, routeId: UNKNOWN, field: UNKNOWN, pattern: UNKNOWN };
    expect(rr.checkRouteRule("http", news)).toEqual({ inputs: news, failures: [] });
    expect(failures("http", { field: "cookie", subField: UNKNOWN, match: "is", pattern: UNKNOWN })).toEqual([]);
  });
});

describe("diffRouteRule", () => {
  it("sees no change when the API fills its defaults or normalises (negate false, match case, /32, an in list re-ordered)", () => {
    expect(rr.diffRouteRule("http", { ...base, negate: null, subField: "", displayName: "", adoptRuleId: 3, __provider: PROVIDER }, live())).toEqual(NO_CHANGE);
    expect(rr.diffRouteRule("http", base, live({ match: "IS" }))).toEqual(NO_CHANGE);
    const source = { ...base, field: "source", match: "in", pattern: "192.0.2.7, 10.0.0.0/8" };
    expect(rr.diffRouteRule("http", source, live({ field: "source", match: "in", pattern: "10.0.0.0/8,192.0.2.7/32" }))).toEqual(NO_CHANGE);
    expect(rr.diffRouteRule("tcp", { ...base, field: "protocol", match: "in", pattern: "tls,tcp" }, live({ field: "protocol", match: "in", pattern: "tcp, tls" }))).toEqual(NO_CHANGE);
  });

  it("updates field, subField, match, negate, pattern and displayName in place; replaces on routeId and serviceName only", () => {
    const desired = { ...base, field: "header", subField: "X-Env", match: "contains", negate: true, pattern: "prod", displayName: "env" };
    const d = rr.diffRouteRule("http", desired, live());
    expect([d.changes, d.replaces, d.diffs]).toEqual([true, [], ["field", "subField", "match", "negate", "pattern", "displayName"]]);
    expect(rr.diffRouteRule("http", { ...base, routeId: 8 }, live()).replaces).toEqual(["routeId"]);
    expect(rr.diffRouteRule("http", { ...base, serviceName: "lb-2" }, live()).replaces).toEqual(["serviceName"]);
  });

  it("shows drift (a pattern changed out of band) as an update back; a gone rule is replaced", () => {
    expect(rr.diffRouteRule("http", base, live({ pattern: "b.example.com" }))).toEqual({
      changes: true, replaces: [], diffs: ["pattern"], detailedDiff: { pattern: { kind: "update", inputDiff: true } },
    });
    expect(rr.diffRouteRule("http", base, undefined).replaces).toEqual(["ruleId"]);
  });
});

describe("route rule bodies, outputs, zones and ids", () => {
  it("POSTs the fields set and negate always (false when absent), never serviceName, routeId or adoptRuleId", () => {
    expect(rr.routeRuleCreateBody("http", { ...base, adoptRuleId: 3, displayName: "", __provider: PROVIDER })).toEqual({ field: "host", match: "is", pattern: "a.example.com", negate: false });
    expect(rr.routeRuleCreateBody("http", { ...base, field: "cookie", subField: "sid", match: "exists", pattern: null, negate: true })).toEqual({ field: "cookie", subField: "sid", match: "exists", negate: true });
  });

  it("PUTs only the changed fields; a cleared pattern is null and a cleared negate false", () => {
    const was = live({ field: "header", subField: "X", match: "is", pattern: "1", negate: true });
    expect(rr.routeRuleUpdateBody("http", { ...base, field: "header", subField: "X", match: "exists", pattern: undefined }, was)).toEqual({ match: "exists", negate: false, pattern: null });
    expect(rr.routeRuleUpdateBody("http", base, live())).toEqual({});
  });

  it("keeps every field of the API's rule; goes live in the route's zone, every zone when unknown", () => {
    expect(live()).toEqual({ ruleId: 9, serviceName: "lb-1", routeId: 7, field: "host", subField: null, match: "is", negate: false, pattern: "a.example.com", displayName: null, zone: "gra" });
    expect([rr.routeRuleZones({ zone: "gra" }), rr.routeRuleZones({ zone: null }), rr.routeRuleZones({})]).toEqual([["gra"], ["all"], ["all"]]);
  });

  it("round-trips serviceName/routeId/ruleId, refuses other shapes, and keys recovery on the rule's natural key", () => {
    const key = { serviceName: "lb-1", routeId: 7, ruleId: 9 };
    expect(rr.parseRouteRuleResourceId(rr.routeRuleResourceId(key))).toEqual(key);
    expect(() => rr.parseRouteRuleResourceId("lb-1/7")).toThrow('invalid route rule id "lb-1/7": expected <serviceName>/<routeId>/<ruleId>, e.g. loadbalancer-abc/7/12');
    const model = rr.routeRuleModel("tcp");
    expect([model.naturalKey, model.collection({ ...base, match: "is" }), model.name]).toEqual(["routeRule", "/ipLoadbalancing/lb-1/tcp/route/7/rule", "TcpRouteRule"]);
  });
});

import * as route from "../../provider/models/route";
import { UNKNOWN } from "../../provider/models/fields";
import type { Route, RouteType } from "../../provider/api/wire";

const fail = (property: string, reason: string) => ({ property, reason });
const PROVIDER = "exports.handler = __f0;";
const NO_CHANGE = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
const update = (field: string, kind = "update") => ({ [field]: { kind, inputDiff: true } });

/** An HTTP route as the API answers a GET after a create that sent only a farm action. */
const API_ROUTE: Route = {
  routeId: 7, action: { type: "farm", target: "3", status: null }, displayName: null, frontendId: null, weight: 0, rules: [], status: "ok",
};
const live = (type: RouteType, over: Partial<Route> = {}) => route.routeOutputs(type, "lb-1", { ...API_ROUTE, ...over });
const base = { serviceName: "lb-1", action: { type: "farm", target: "3" } };
const check = (type: RouteType, news: Record<string, unknown>) => route.checkRoute(type, { ...base, ...news });
const failures = (type: RouteType, action: unknown) => check(type, { action }).failures;

describe("checkRoute", () => {
  it.each([
    ["http", { ...base, frontendId: 2, weight: 255, displayName: "api" }],
    ["http", { ...base, action: { type: "redirect", target: "https://${host}${path}", status: 301 } }],
    ["http", { ...base, action: { type: "reject", status: 403 }, weight: 0 }],
    ["http", { ...base, action: { type: "reject" } }],
    ["tcp", { ...base, action: { type: "reject", target: null } }],
    ["tcp", { ...base, frontendId: null, weight: null, displayName: null, adoptRouteId: null }],
  ])("accepts a valid %s route and returns it unchanged", (type, news) => {
    expect(route.checkRoute(type as RouteType, news)).toEqual({ inputs: news, failures: [] });
  });

  it("takes a farm target as a number (farm.farmId) and returns the API's string", () => {
    expect(check("tcp", { action: { type: "farm", target: 12 }, __provider: PROVIDER })).toEqual({
      inputs: { ...base, action: { type: "farm", target: "12" }, __provider: PROVIDER }, failures: [],
    });
  });

  it.each([
    ["http", { type: "forward" }, [fail("action.type", '"forward" is not one of farm, redirect, reject (HTTP routes)')]],
    ["tcp", { type: "redirect", target: "https://x" }, [fail("action.type", '"redirect" is not one of farm, reject (TCP routes)')]],
    ["tcp", { type: "reject", status: 403 }, [fail("action.status", "TCP actions take no status")]],
    ["http", { target: "3" }, [fail("action.type", "a value is required (one of farm, redirect, reject)")]],
    ["http", { type: "farm" }, [fail("action.target", "HTTP farm actions need a target: a farm id (farmId)")]],
    ["http", { type: "farm", target: "web" }, [fail("action.target", '"web" is not a farm id (farmId of a farm, 1 or more)')]],
    ["tcp", { type: "farm", target: 0 }, [fail("action.target", "0 is not a farm id (farmId of a farm, 1 or more)")]],
    ["http", { type: "farm", target: "3", status: 302 }, [fail("action.status", "HTTP farm actions take no status")]],
    ["http", { type: "redirect", status: 301 }, [fail("action.target", "HTTP redirect actions need a target: a URL template such as https://${host}${path}${arguments}")]],
    ["http", { type: "redirect", target: "https://x", status: 200 }, [fail("action.status", "200 is not a status of HTTP redirect actions (allowed: 301, 302, 303, 307, 308)")]],
    ["http", { type: "reject", status: 404 }, [fail("action.status", "404 is not a status of HTTP reject actions (allowed: 200, 400, 403, 405, 408, 429, 500, 502, 503, 504)")]],
    ["http", { type: "reject", target: "3" }, [fail("action.target", "HTTP reject actions take no target")]],
    ["http", { type: "redirect", target: "https://x\r\nSet-Cookie: a" }, [fail("action.target", "contains a control character (U+000D); one line of text is allowed")]],
    ["http", { type: "farm", target: "3", code: 1 }, [fail("action.code", "unknown field; allowed fields: type, target, status")]],
    ["http", "farm", [fail("action", '"farm" is not an object such as { type: "farm", target: "12" }')]],
  ])("%s routes refuse the action %p, naming the field and what is allowed", (type, action, expected) => {
    expect(failures(type as RouteType, action)).toEqual(expected);
  });

  it("reports every failure together, from untyped JavaScript callers too", () => {
    expect(route.checkRoute("http", { frontendId: 0, weight: 256, displayName: 5, zone: "gra" }).failures).toEqual([
      fail("zone", "unknown field; allowed fields: serviceName, frontendId, action, weight, displayName, adoptRouteId"),
      fail("serviceName", "a value is required"),
      fail("frontendId", "0 is less than 1"),
      fail("action", "a value is required"),
      fail("weight", "256 is out of range 0..255"),
      fail("displayName", "5 is not a string"),
    ]);
  });

  it("skips values unknown during preview", () => {
    const news = { serviceName: UNKNOWN, frontendId: UNKNOWN, action: { type: "farm", target: UNKNOWN }, weight: UNKNOWN };
    expect(route.checkRoute("http", news)).toEqual({ inputs: news, failures: [] });
    expect(route.checkRoute("tcp", { ...base, action: { type: UNKNOWN, target: "3" } }).failures).toEqual([]);
  });
});

describe("diffRoute", () => {
  it("sees no change when the API fills its defaults (status null, weight 0, no frontend) and a number target is the same farm", () => {
    expect(route.diffRoute("http", { ...base, adoptRouteId: 4, __provider: PROVIDER }, live("http"))).toEqual(NO_CHANGE);
    expect(route.diffRoute("http", { ...base, action: { type: "farm", target: 3, status: null }, weight: null, displayName: "" }, live("http"))).toEqual(NO_CHANGE);
    expect(route.diffRoute("tcp", base, live("tcp", { action: { type: "farm", target: "3" } }))).toEqual(NO_CHANGE);
  });

  it("updates frontendId, action, weight and displayName in place; replaces only on serviceName", () => {
    const desired = { ...base, frontendId: 2, action: { type: "reject", status: 403 }, weight: 5, displayName: "api" };
    expect(route.diffRoute("http", desired, live("http"))).toEqual({
      changes: true, replaces: [], diffs: ["frontendId", "action", "weight", "displayName"],
      detailedDiff: { ...update("frontendId", "add"), ...update("action.type"), ...update("action.target"), ...update("action.status"), ...update("weight"), ...update("displayName", "add") },
    });
    expect(route.diffRoute("http", { ...base, serviceName: "lb-2" }, live("http")).replaces).toEqual(["serviceName"]);
  });

  it("shows drift made outside Pulumi (a status added to the action, a weight) as updates back to the program", () => {
    const drifted = live("http", { action: { type: "reject", target: null, status: 503 }, weight: 9 });
    const desired = { ...base, action: { type: "reject", status: 403 } };
    expect(route.diffRoute("http", desired, drifted)).toEqual({
      changes: true, replaces: [], diffs: ["action", "weight"], detailedDiff: { ...update("action.status"), ...update("weight", "delete") },
    });
  });

  it("replaces a route deleted outside Pulumi, which re-creates it", () => {
    expect(route.diffRoute("tcp", base, undefined)).toEqual({
      changes: true, replaces: ["routeId"], diffs: ["routeId"], detailedDiff: update("routeId", "update-replace"),
    });
  });
});

describe("route bodies", () => {
  it.each([
    ["http", { ...base, adoptRouteId: 3, __provider: PROVIDER, displayName: "", weight: null }, { action: { type: "farm", target: "3" } }],
    ["http", { ...base, frontendId: 2, weight: 0, displayName: "api", action: { type: "redirect", target: "https://x", status: null } },
      { frontendId: 2, weight: 0, displayName: "api", action: { type: "redirect", target: "https://x" } }],
    ["tcp", { ...base, action: { type: "farm", target: 4 } }, { action: { type: "farm", target: "4" } }],
  ])("POSTs exactly the %s fields set, the action's set keys only, never serviceName or adoptRouteId", (type, inputs, expected) => {
    expect(route.routeCreateBody(type as RouteType, inputs)).toEqual(expected);
  });

  it("PUTs the changed fields only, the whole action when any of it changed, 0 for a cleared weight, null for the rest", () => {
    const full = live("http", { frontendId: 2, weight: 7, displayName: "api", action: { type: "redirect", target: "https://x", status: 301 } });
    expect(route.routeUpdateBody("http", { ...base, action: { type: "redirect", target: "https://x", status: 301 } }, full)).toEqual({
      frontendId: null, weight: 0, displayName: null,
    });
    expect(route.routeUpdateBody("http", { ...base, frontendId: 2, weight: 7, displayName: "api", action: { type: "redirect", target: "https://y" } }, full)).toEqual({
      action: { type: "redirect", target: "https://y" },
    });
    expect(route.routeUpdateBody("http", { ...base, frontendId: 2, weight: 7, displayName: "api", action: { type: "redirect", target: "https://x", status: 301 } }, full)).toEqual({});
  });
});

describe("route outputs, zones and ids", () => {
  it("keeps every field the API reports, rules and status included; TCP actions have no status", () => {
    const rules = [{ ruleId: 9, field: "host", match: "is", negate: false, pattern: "a.example.com", subField: null }];
    expect(live("http", { rules })).toEqual({
      routeId: 7, serviceName: "lb-1", frontendId: null, action: { type: "farm", target: "3", status: null }, weight: 0, displayName: null, rules, status: "ok",
    });
    expect(live("tcp").action).toEqual({ type: "farm", target: "3" });
  });

  it.each([
    [{ frontendId: 2, zone: "gra", zoneFrontendId: 2 }, ["gra"]],
    [{ frontendId: 2, zone: "all", zoneFrontendId: 2 }, ["all"]],
    [{ frontendId: null, zone: "all", zoneFrontendId: null }, ["all"]],
    [{ frontendId: 5, zone: "gra", zoneFrontendId: 2 }, ["all"]], // moved to another frontend: its zone is not known
    [{ frontendId: 2, zone: null, zoneFrontendId: 2 }, ["all"]], // the frontend is gone
  ])("makes %p live in %p", (outs, zones) => {
    expect(route.routeZones(outs)).toEqual(zones);
  });

  it("round-trips serviceName/routeId and refuses other shapes", () => {
    expect(route.parseRouteResourceId(route.routeResourceId("lb-1", 7))).toEqual({ serviceName: "lb-1", routeId: 7 });
    expect(() => route.parseRouteResourceId("lb-1")).toThrow('invalid route id "lb-1": expected <serviceName>/<routeId>, e.g. loadbalancer-abc/7');
  });

  it("lists routes by frontend for a recovery, and keys them on frontendId and displayName", () => {
    const model = route.routeModel("http");
    expect([model.listQuery({ ...base, action: base.action, frontendId: 2 }), model.listQuery({ ...base, action: base.action })]).toEqual([{ frontendId: 2 }, {}]);
    expect(model.naturalKey).toBe("route");
  });
});

describe("targetFarmProblem", () => {
  it.each([
    ["http", "gra", undefined, "action.target: there is no farm 5 on lb-1; it must be a HTTP farm (farmId of a HttpFarm)"],
    ["http", "gra", { type: "tcp", zone: "gra" }, "action.target: farm 5 is a TCP farm; a HTTP route needs a HTTP farm"],
    ["tcp", "gra", { type: "tcp", zone: "rbx" }, "action.target: farm 5 is in zone rbx and cannot serve the route's frontend in zone gra; use a farm in gra or all"],
    ["tcp", null, { type: "tcp", zone: "rbx" }, undefined],
    ["tcp", "gra", { type: "tcp", zone: "all" }, undefined],
  ])("explains a %s route whose frontend is in %p pointing at %p", (type, zone, found, expected) => {
    expect(route.targetFarmProblem(type as RouteType, "lb-1", zone, 5, found as { type: "http" | "tcp"; zone: string } | undefined)).toBe(expected);
  });
});

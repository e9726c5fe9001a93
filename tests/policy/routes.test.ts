/**
 * Route policies on stacks registered by real program runs (captured under mocks): a route relates to its frontend,
 * farm and rules through the property dependencies of `frontendId`, `action` and `routeId` (unknown ids in the
 * preview that creates them), or by value when an id is a plain number. What this does not prove: that OVH refuses
 * what iplb-route-targets flags (tests/provider/route.test.ts shows the provider refusing it on the emulator).
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { frontendDefaultFarmUsed, routeRulesCanMatch, routeTargets } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, detail, flagged } from "./harness";
import { SERVICE } from "./programs";

const probe = { type: "tcp" } as const;
const serviceName = SERVICE;

describe("iplb-route-targets", () => {
  const program = () => {
    const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", probe });
    const eu = new iplb.HttpFarm("eu", { serviceName, zone: "rbx", probe });
    const everywhere = new iplb.HttpFarm("everywhere", { serviceName, zone: "all", probe });
    const db = new iplb.TcpFarm("db", { serviceName, zone: "gra", probe });
    const https = new iplb.HttpFrontend("https", { serviceName, zone: "gra", port: 443, defaultFarmId: web.farmId });
    const tls = new iplb.TcpFrontend("tls", { serviceName, zone: "gra", port: 8443 });
    const toFarm = (name: string, frontendId: pulumi.Input<number>, target: pulumi.Input<number>) =>
      new iplb.HttpRoute(name, { serviceName, frontendId, action: { type: "farm", target } });
    toFarm("to-web", https.frontendId, web.farmId);
    toFarm("to-everywhere", https.frontendId, everywhere.farmId);
    toFarm("to-db", https.frontendId, db.farmId);
    toFarm("to-eu", https.frontendId, eu.farmId);
    toFarm("on-tls", tls.frontendId, web.farmId);
    new iplb.HttpRoute("redirect", { serviceName, frontendId: https.frontendId, action: { type: "redirect", target: "https://${host}${path}" } });
    new iplb.TcpRoute("tcp-to-db", { serviceName, frontendId: tls.frontendId, action: { type: "farm", target: db.farmId } });
    new iplb.HttpRoute("no-frontend", { serviceName, action: { type: "farm", target: eu.farmId } });
  };
  let preview: CapturedStack;
  beforeAll(async () => {
    preview = await captureStack(program, { dryRun: true });
  });

  it("flags routes whose frontend or farm is of another protocol, or whose farm misses the frontend's zone, in preview and update", async () => {
    const expected = ["on-tls", "to-db", "to-eu"];
    expect(flagged(await analyze([routeTargets], preview), preview, "iplb-route-targets")).toEqual(expected);
    const update = await captureStack(program);
    expect(flagged(await analyze([routeTargets], update), update, "iplb-route-targets")).toEqual(expected);
  });

  it("says which resources do not fit, why OVH refuses them, and what to set instead", async () => {
    const diagnostics = await analyze([routeTargets], preview);
    expect(diagnostics.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
    expect(diagnostics.map(detail).sort()).toEqual([
      'HttpRoute "on-tls" listens on TcpFrontend "tls": HTTP routes only work with HTTP frontends, and OVH refuses it when ' +
        "`pulumi up` creates the route. Set frontendId to the frontendId of an HttpFrontend, or make it a TcpRoute.",
      'HttpRoute "to-db" sends to TcpFarm "db": HTTP routes only work with HTTP farms, and OVH refuses it when `pulumi up` ' +
        "creates the route. Set action.target to the farmId of an HttpFarm, or make it a TcpRoute.",
      'HttpRoute "to-eu" sends to HttpFarm "eu" in zone rbx, but listens on HttpFrontend "https" in zone gra: a farm serves ' +
        "only its own zone (every zone in zone all), and OVH refuses the route when `pulumi up` creates it. Send it to a farm " +
        "in gra or all, or listen on a frontend in rbx.",
    ]);
  });

  it("relates plain-number ids by value, and flags a frontend in zone all with a farm of one zone", async () => {
    const stack = await captureStack(async () => {
      const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", probe });
      const https = new iplb.HttpFrontend("https", { serviceName, zone: "all", port: 443 });
      // Known numbers, without the dependencies: ids written in the program or read from config.
      const [farmId, frontendId] = await new Promise<number[]>((resolve) => pulumi.all([web.farmId, https.frontendId]).apply(resolve));
      new iplb.HttpRoute("literal", { serviceName, frontendId, action: { type: "farm", target: String(farmId) } });
      new iplb.HttpRoute("elsewhere", { serviceName: "loadbalancer-other", frontendId, action: { type: "farm", target: farmId } });
    });
    const diagnostics = await analyze([routeTargets], stack);
    expect(stack.resources.find((r) => r.name === "literal")!.propertyDependencies.action).toEqual([]);
    expect(diagnostics.map(detail)).toEqual([
      'HttpRoute "literal" sends to HttpFarm "web" in zone gra, but listens on HttpFrontend "https" in zone all: a farm serves ' +
        "only its own zone (every zone in zone all), and OVH refuses the route when `pulumi up` creates it. Send it to a farm in zone all.",
    ]);
  });

  it("flags a frontend or farm of another load balancer", async () => {
    const stack = await captureStack(() => {
      const web = new iplb.HttpFarm("web", { serviceName: "loadbalancer-b", zone: "gra", probe });
      const https = new iplb.HttpFrontend("https", { serviceName, zone: "gra", port: 443 });
      new iplb.HttpRoute("across", { serviceName, frontendId: https.frontendId, action: { type: "farm", target: web.farmId } });
    }, { dryRun: true });
    expect((await analyze([routeTargets], stack)).map(detail)).toEqual([
      `HttpRoute "across" is on load balancer ${SERVICE}, but its action.target names HttpFarm "web" of load balancer ` +
        `loadbalancer-b: OVH looks the farm up on ${SERVICE} and refuses the route. Use a farm of ${SERVICE}.`,
    ]);
  });
});

describe("iplb-route-rules-can-match", () => {
  const program = () => {
    const https = new iplb.HttpFrontend("https", { serviceName, zone: "gra", port: 443 });
    const tls = new iplb.TcpFrontend("tls", { serviceName, zone: "gra", port: 8443 });
    const route = (name: string, rules: Omit<iplb.HttpRouteRuleArgs, "serviceName" | "routeId">[]) => {
      const r = new iplb.HttpRoute(name, { serviceName, frontendId: https.frontendId, action: { type: "reject", status: 403 } });
      rules.forEach((rule, i) => new iplb.HttpRouteRule(`${name}-${i + 1}`, { serviceName, routeId: r.routeId, ...rule }));
    };
    route("api", [{ field: "host", match: "is", pattern: "api.example.com" }, { field: "uri", match: "startswith", pattern: "/v1/" }]);
    route("two-hosts", [{ field: "host", match: "is", pattern: "a.example.com" }, { field: "host", match: "is", pattern: "b.example.com" }]);
    route("glob", [{ field: "host", match: "matches", pattern: "*.example.com" }]);
    route("scheme", [{ field: "host", match: "is", pattern: "https://shop.example.com" }]);
    route("no-debug", [{ field: "header", subField: "X-Debug", match: "exists", negate: true }]);
    route("same-header", [{ field: "header", subField: "X-Env", match: "is", pattern: "a" }, { field: "header", subField: "X-Env", match: "is", pattern: "b" }]);
    const sni = new iplb.TcpRoute("sni", { serviceName, frontendId: tls.frontendId, action: { type: "reject" } });
    new iplb.TcpRouteRule("sni-ip", { serviceName, routeId: sni.routeId, field: "sni", match: "is", pattern: "203.0.113.7" });
  };
  let preview: CapturedStack;
  beforeAll(async () => {
    preview = await captureStack(program, { dryRun: true });
  });

  it("advises on rules that never match and on routes whose rules contradict, in preview and update", async () => {
    const expected = ["glob-1", "scheme-1", "sni-ip", "two-hosts"];
    expect(flagged(await analyze([routeRulesCanMatch], preview), preview, "iplb-route-rules-can-match")).toEqual(expected);
    const update = await captureStack(program);
    expect(flagged(await analyze([routeRulesCanMatch], update), update, "iplb-route-rules-can-match")).toEqual(expected);
  });

  it("names the rule, its route, the reason and the fix", async () => {
    const diagnostics = await analyze([routeRulesCanMatch], preview);
    expect(diagnostics.every((d) => d.enforcementLevel === "advisory")).toBe(true);
    expect(diagnostics.map(detail).sort()).toEqual([
      'HttpRoute "two-hosts", with rules "two-hosts-1" (host is "a.example.com"), "two-hosts-2" (host is "b.example.com"), can ' +
        "never match: a request has one host, and no host satisfies all of them. A route acts only when every one of its rules " +
        "matches: remove the rule that does not belong, or make one route per value to accept either.",
      'HttpRouteRule "glob-1" (route "glob") can never match (host matches "*.example.com"): its pattern is no regular ' +
        "expression: the * at position 1 repeats nothing (a glob such as *.example.com is written .*\\.example\\.com). A route " +
        "acts only when all its rules match, so its route never acts. Fix the pattern, or remove the rule.",
      'HttpRouteRule "scheme-1" (route "scheme") can never match (host is "https://shop.example.com"): a Host header holds a ' +
        "host name and maybe a port, never a scheme, a path or a space. A route acts only when all its rules match, so its " +
        "route never acts. Fix the pattern, or remove the rule.",
      'TcpRouteRule "sni-ip" (route "sni") can never match (sni is "203.0.113.7"): RFC 6066 (section 3) forbids an IP address ' +
        "as the TLS server name, so clients send none. A route acts only when all its rules match, so its route never acts. " +
        "Fix the pattern, or remove the rule.",
    ]);
  });

  it("groups rules of a route outside the stack by the route id they name", async () => {
    const stack = await captureStack(() => {
      for (const [i, pattern] of ["/api/", "/admin/"].entries()) {
        new iplb.HttpRouteRule(`path-${i + 1}`, { serviceName, routeId: 42, field: "uri", match: "startswith", pattern });
      }
      new iplb.HttpRouteRule("other-route", { serviceName, routeId: 43, field: "uri", match: "startswith", pattern: "/static/" });
    });
    const diagnostics = await analyze([routeRulesCanMatch], stack);
    expect(flagged(diagnostics, stack, "iplb-route-rules-can-match")).toEqual(["path-1"]);
    expect(detail(diagnostics[0])).toMatch(/^The route of rules "path-1" \(uri startswith "\/api\/"\), "path-2" \(uri startswith "\/admin\/"\) can never match/);
  });
});

describe("iplb-frontend-default-farm-used", () => {
  const program = () => {
    const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", probe });
    const api = new iplb.HttpFarm("api", { serviceName, zone: "gra", probe });
    const frontend = (name: string, port: number, withDefault = true) =>
      new iplb.HttpFrontend(name, { serviceName, zone: "gra", port, ...(withDefault ? { defaultFarmId: web.farmId } : {}) });
    const route = (name: string, frontendId: pulumi.Input<number>, rules: Omit<iplb.HttpRouteRuleArgs, "serviceName" | "routeId">[] = []) => {
      const r = new iplb.HttpRoute(name, { serviceName, frontendId, action: { type: "farm", target: api.farmId } });
      rules.forEach((rule, i) => new iplb.HttpRouteRule(`${name}-${i + 1}`, { serviceName, routeId: r.routeId, ...rule }));
    };
    route("catch-all", frontend("bare", 8001).frontendId);
    route("anyone", frontend("open", 8002).frontendId, [{ field: "source", match: "is", pattern: "0.0.0.0/0" }, { field: "uri", match: "matches", pattern: ".*" }]);
    route("by-host", frontend("site", 8003).frontendId, [{ field: "host", match: "is", pattern: "api.example.com" }]);
    route("redirect-all", frontend("plain", 8004, false).frontendId);
  };
  let preview: CapturedStack;
  beforeAll(async () => {
    preview = await captureStack(program, { dryRun: true });
  });

  it("advises on frontends whose default farm a route hides, in preview and update", async () => {
    expect(flagged(await analyze([frontendDefaultFarmUsed], preview), preview, "iplb-frontend-default-farm-used")).toEqual(["bare", "open"]);
    const update = await captureStack(program);
    expect(flagged(await analyze([frontendDefaultFarmUsed], update), update, "iplb-frontend-default-farm-used")).toEqual(["bare", "open"]);
  });

  it("names the frontend, its default farm, the route that takes everything and why, and the fix", async () => {
    const diagnostics = await analyze([frontendDefaultFarmUsed], preview);
    expect(diagnostics.map((d) => [d.enforcementLevel, detail(d)])).toEqual([
      ["advisory", 'HttpFrontend "bare" never sends anything to its default farm (HttpFarm "web"): HttpRoute "catch-all" has no ' +
        "rules, so it matches every request, and OVH applies routes before the default farm. Remove defaultFarmId, or give " +
        'route "catch-all" rules that select only the requests it should take.'],
      ["advisory", 'HttpFrontend "open" never sends anything to its default farm (HttpFarm "web"): HttpRoute "anyone" matches ' +
        'every request (rule "anyone-1" (source is "0.0.0.0/0") always matches: every client address is in it; rule "anyone-2" ' +
        '(uri matches ".*") always matches: the expression matches any path), and OVH applies routes before the default farm. ' +
        'Remove defaultFarmId, or give route "anyone" rules that select only the requests it should take.'],
    ]);
  });

  it("counts a route without a frontend on every frontend of its protocol and load balancer", async () => {
    const stack = await captureStack(() => {
      const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", probe });
      new iplb.HttpFrontend("https", { serviceName, zone: "gra", port: 443, defaultFarmId: web.farmId });
      new iplb.TcpFrontend("tls", { serviceName, zone: "gra", port: 8443, defaultFarmId: 7 });
      new iplb.HttpRoute("everything", { serviceName, action: { type: "reject", status: 503 } });
    }, { dryRun: true });
    expect(flagged(await analyze([frontendDefaultFarmUsed], stack), stack, "iplb-frontend-default-farm-used")).toEqual(["https"]);
  });

  it("does not judge a route whose rules the API lists beyond the stack's (made elsewhere)", async () => {
    const stack = await captureStack(program);
    const bare = stack.resources.find((r) => r.name === "catch-all")!;
    bare.outputs = { ...bare.outputs, rules: [{ ruleId: 1, field: "host", match: "is", negate: false, pattern: "x.example.com", subField: null }] };
    expect(flagged(await analyze([frontendDefaultFarmUsed], stack), stack, "iplb-frontend-default-farm-used")).toEqual(["open"]);
  });
});

describe("route rules not known in preview", () => {
  const program = () => {
    const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", probe });
    const https = new iplb.HttpFrontend("https", { serviceName, zone: "gra", port: 443, defaultFarmId: web.farmId });
    const later = <T>(value: T) => web.farmId.apply(() => value);
    const route = new iplb.HttpRoute("by-source", { serviceName, frontendId: https.frontendId, action: { type: "reject", status: 403 } });
    new iplb.HttpRouteRule("by-source-1", { serviceName, routeId: route.routeId, field: "source", match: "is", pattern: later("0.0.0.0/0") });
    const glob = new iplb.HttpRoute("glob", { serviceName, frontendId: https.frontendId, action: { type: "reject", status: 403 } });
    new iplb.HttpRouteRule("glob-1", { serviceName, routeId: glob.routeId, field: "host", match: "matches", pattern: "*.example.com" });
  };

  it("give advisories that the policies could not run, and keep what is certainly wrong; the update judges them", async () => {
    const preview = await captureStack(program, { dryRun: true });
    const cantRun = (policy: string) =>
      `can't run policy '${policy}' from policy pack 'ovh-iplb@v0.1.0' during preview: string value at .pattern can't be known during preview`;
    const diagnostics = await analyze([routeRulesCanMatch, frontendDefaultFarmUsed], preview);
    expect(diagnostics.map((d) => [d.enforcementLevel, d.policyName, d.urn ? preview.resources.find((r) => r.urn === d.urn)!.name : "-"])).toEqual([
      ["advisory", "iplb-route-rules-can-match", "glob-1"],
      ["advisory", "iplb-route-rules-can-match", "-"],
      ["advisory", "iplb-frontend-default-farm-used", "-"],
    ]);
    expect(diagnostics.slice(1).map(detail)).toEqual([cantRun("iplb-route-rules-can-match"), cantRun("iplb-frontend-default-farm-used")]);
    const update = await captureStack(program);
    expect(flagged(await analyze([frontendDefaultFarmUsed], update), update, "iplb-frontend-default-farm-used")).toEqual(["https"]);
  });
});

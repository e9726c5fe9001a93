/**
 * The LoadBalancer component's route cross-references (sdk/loadBalancerModel.ts): a route's frontend and its farm
 * action's farm named by key, the protocol and zone it takes from its frontend, its rules keyed by name, and the
 * names of its children. What a rule's field or a route's action type may be per protocol is the route classes' own
 * check (provider/models/route.ts, routeRule.ts), not proven here.
 */
import { childNames, LoadBalancerShape, loadBalancerProblems } from "../../sdk/loadBalancerModel";

const base = (): LoadBalancerShape & { routes: NonNullable<LoadBalancerShape["routes"]> } => ({
  farms: { web: { type: "http", zone: "gra" }, api: { type: "tcp", zone: "all" }, eu: { type: "http", zone: "all" } },
  frontends: {
    www: { type: "http", zone: "gra", farm: "web" },
    tls: { type: "tcp", zone: "rbx" },
    dns: { type: "udp", zone: "gra" },
  },
  failoverIps: [],
  certificates: {},
  routes: {
    api: { frontend: "www", action: { type: "farm", farm: "eu" }, rules: { host: {}, path: {} } },
    old: { frontend: "www", action: { type: "redirect", target: "https://${host}${path}" } },
    deny: { frontend: "tls", action: { type: "reject" } },
    tcp: { frontend: "tls", action: { type: "farm", farm: "api" } },
  },
});

describe("LoadBalancer routes cross-references", () => {
  it("accepts routes whose frontend and farm hold (a farm in `all` serves a frontend of any zone)", () => {
    expect(loadBalancerProblems(base())).toEqual([]);
  });

  it.each<[string, (s: ReturnType<typeof base>) => void, string]>([
    ["a route naming a missing frontend, listing the known ones", (s) => (s.routes.api.frontend = "shop"),
      'routes.api.frontend: "shop" is not a frontend of this load balancer (frontends: www, tls, dns)'],
    ["a route without a frontend", (s) => delete s.routes.old.frontend,
      "routes.old.frontend: the key of a frontend of this load balancer is expected, not undefined"],
    ["a route of a UDP frontend", (s) => (s.routes.old.frontend = "dns"),
      'routes.old.frontend: "dns" is a UDP frontend; OVH routes only HTTP and TCP frontends'],
    ["a farm action naming a missing farm, listing the known ones", (s) => (s.routes.api.action = { type: "farm", farm: "shop" }),
      'routes.api.action.farm: "shop" is not a farm of this load balancer (farms: web, api, eu)'],
    ["a farm action without a farm key (the class's `target` instead)", (s) => (s.routes.api.action = { type: "farm", target: 12 }),
      "routes.api.action.farm: the key of a farm of this load balancer is expected, not undefined"],
    ["a farm of another protocol than the route's frontend", (s) => (s.routes.api.action = { type: "farm", farm: "api" }),
      'routes.api.action.farm: "api" is a TCP farm; a HTTP route needs a HTTP farm'],
    ["a farm in another zone than the route's frontend", (s) => ((s.frontends.www = { type: "http", zone: "rbx" }), (s.routes.api.action = { type: "farm", farm: "web" })),
      'routes.api.action.farm: farm "web" is in zone gra, the route\'s frontend in rbx; use the same zone, or put the farm in "all"'],
    ["an action that is not an object", (s) => (s.routes.old.action = "reject"),
      'routes.old.action: { type: "farm", farm: "<farm key>" }, { type: "redirect", target } or { type: "reject" } is expected, not "reject"'],
    ["rules given as an array (an index would rename every rule after a removed one)", (s) => (s.routes.api.rules = [{}, {}]),
      'routes.api.rules: rules by key are expected ({ api: { field: "uri", match: "startswith", pattern: "/api" } }), so that each rule keeps its name when another is added or removed'],
    ["a rule key that cannot be part of a resource name", (s) => (s.routes.api.rules = { "by host": {} }),
      'routes.api.rules.by host: keys are letters, digits, "_", "." and "-" (at most 63), not "by host"'],
    ["a route key that cannot be part of a resource name", (s) => (s.routes["a/b"] = { frontend: "www", action: { type: "reject" } }),
      'routes.a/b: keys are letters, digits, "_", "." and "-" (at most 63), not "a/b"'],
  ])("rejects %s", (_what, mutate, message) => {
    const shape = base();
    mutate(shape);
    expect(loadBalancerProblems(shape)).toEqual([message]);
  });

  it("rejects two rules whose resources would have the same name, and two servers likewise", () => {
    const shape = base();
    shape.routes["api-v2"] = { frontend: "www", action: { type: "reject" }, rules: { host: {} } };
    shape.routes.api.rules = { "v2-host": {} };
    shape.farms["web-a"] = { type: "http", zone: "gra", servers: { b: {} } };
    shape.farms.web.servers = { "a-b": {} };
    expect(loadBalancerProblems(shape)).toEqual([
      "farms.web-a.servers.b: its resource name (<name>-server-web-a-b) is also that of farms.web.servers.a-b; rename one of the keys",
      "routes.api-v2.rules.host: its resource name (<name>-rule-api-v2-host) is also that of routes.api.rules.v2-host; rename one of the keys",
    ]);
  });

  it("reports every route problem at once, with the frontends' and certificates' problems", () => {
    const shape = base();
    shape.routes.api.frontend = "shop";
    shape.routes.tcp.action = { type: "farm", farm: "web" };
    shape.routes.old.frontend = "dns";
    shape.frontends.www.farm = "api";
    expect(loadBalancerProblems(shape)).toEqual([
      'frontends.www.farm: "api" is a TCP farm; a HTTP frontend needs a HTTP farm',
      'routes.api.frontend: "shop" is not a frontend of this load balancer (frontends: www, tls, dns)',
      'routes.old.frontend: "dns" is a UDP frontend; OVH routes only HTTP and TCP frontends',
      'routes.tcp.action.farm: "web" is a HTTP farm; a TCP route needs a TCP farm',
    ]);
  });

  it("does not judge a farm's zone that is not a plain value yet (an Output)", () => {
    const shape = base();
    shape.routes.api.action = { type: "farm", farm: "web" };
    shape.frontends.www.zone = { apply: () => undefined };
    expect(loadBalancerProblems(shape)).toEqual([]);
  });

  it("names routes and rules after the component and their keys, a rule also after its route", () => {
    expect([childNames.route("lb", "api"), childNames.rule("lb", "api", "host")]).toEqual(["lb-route-api", "lb-rule-api-host"]);
  });
});

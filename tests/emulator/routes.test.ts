/**
 * The route family (`/{http|tcp}/route[/{routeId}[/rule[/{ruleId}]]]`, `availableRouteActions`, `availableRouteRules`,
 * `definedRoutes`) through the official `ovh` client: full models and defaults, list filters and evaluation order,
 * exact 400s naming the allowed values (each rejection checked against the whole store and pendingChanges), 404s across
 * protocols and routes, rules deleted with their route, farms and frontends kept while routes use them, and staging
 * (pendingChanges counts the route's zone; a refresh makes routes and rules run in `emu.running(zone)`).
 * Not proven here: that traffic follows the routes (the emulator routes no traffic).
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

type Proto = "http" | "tcp";
type Body = Record<string, unknown>;
type Route = Body & { routeId: number; rules: Body[] };

let emu: Emulator;
let client: OvhClient;
const call = (method: string, p: string, body?: object) => client.requestPromised(method, p, body);
const withNulls = (body: Body) => ({ toJSON: () => body });
const routes = (proto: Proto, id?: number) => svcPath(emu, `/${proto}/route${id === undefined ? "" : `/${id}`}`);
const rules = (proto: Proto, routeId: number, id?: number) => `${routes(proto, routeId)}/rule${id === undefined ? "" : `/${id}`}`;
const newFarm = async (proto: Proto, zone = "gra") => ((await call("POST", svcPath(emu, `/${proto}/farm`), { zone, port: 80 })) as { farmId: number }).farmId;
const newFrontend = async (proto: Proto, zone = "gra") =>
  ((await call("POST", svcPath(emu, `/${proto}/frontend`), { zone, port: "80" })) as { frontendId: number }).frontendId;
const newRoute = async (proto: Proto, body: Body) => (await call("POST", routes(proto), body)) as Route;
const newRule = async (proto: Proto, routeId: number, body: Body) => (await call("POST", rules(proto, routeId), body)) as Body & { ruleId: number };
const pending = async () => Object.fromEntries(((await call("GET", svcPath(emu, "/pendingChanges"))) as { zone: string; number: number }[]).map((p) => [p.zone, p.number]));

async function expectRejected(p: () => Promise<unknown>, error: number, message: string): Promise<void> {
  const state = async () => ({ store: JSON.stringify(emu.store.data), pending: await pending() });
  const before = await state();
  expect(await rejection(p())).toEqual({ error, message });
  expect(await state()).toEqual(before);
}

function start(): void {
  beforeAll(async () => {
    emu = await startTestEmulator();
    client = ovhClient(emu);
  });
  afterAll(() => emu.close());
}

describe("routes", () => {
  start();
  const REJECT = "200, 400, 403, 405, 408, 429, 500, 502, 503, 504";

  it("advertises the guide's actions and rules per protocol", async () => {
    const actions = (await call("GET", svcPath(emu, "/availableRouteActions"))) as Body[];
    expect(actions.map((a) => `${a.type} ${a.name}`)).toEqual(["http farm", "http redirect", "http reject", "tcp farm", "tcp reject"]);
    expect(actions.find((a) => a.name === "redirect")).toEqual({ type: "http", name: "redirect", destination: "string", status: [301, 302, 303, 307, 308] });
    const available = (await call("GET", svcPath(emu, "/availableRouteRules"))) as Body[];
    expect(available.map((r) => `${r.type} ${r.name}`)).toEqual(["http source", "http protocol", "http method", "http host", "http uri", "http param", "http header", "http cookie", "tcp source", "tcp protocol", "tcp sni"]);
    expect(available.find((r) => r.name === "header")).toEqual({ type: "http", name: "header", hasSubField: true, matches: ["is", "in", "contains", "startswith", "endswith", "matches", "exists"], pattern: "string", enum: null });
  });

  it("creates an http route with every field, and fills in the defaults of a minimal one (http and tcp)", async () => {
    const farmId = await newFarm("http");
    const frontendId = await newFrontend("http");
    const full = await newRoute("http", { frontendId, displayName: "vhost", weight: 3, action: { type: "farm", target: String(farmId) } });
    expect(full).toEqual({ routeId: expect.any(Number), frontendId, displayName: "vhost", weight: 3, action: { type: "farm", target: String(farmId), status: null }, rules: [], status: "ok" });
    expect(await call("GET", routes("http", full.routeId))).toEqual(full);
    const http = await newRoute("http", { action: { type: "redirect", target: "https://${host}${path}${arguments}", status: 301 } });
    expect(http).toMatchObject({ frontendId: null, displayName: null, weight: 0, action: { type: "redirect", target: "https://${host}${path}${arguments}", status: 301 } });
    const tcp = await newRoute("tcp", { action: { type: "reject" } });
    expect(tcp).toEqual({ routeId: tcp.routeId, frontendId: null, displayName: null, weight: 0, action: { type: "reject", target: null }, rules: [], status: "ok" });
    const defined = (await call("GET", svcPath(emu, "/definedRoutes"))) as Body[];
    expect(defined).toEqual(expect.arrayContaining([{ type: "http", routeId: full.routeId, displayName: "vhost" }, { type: "tcp", routeId: tcp.routeId, displayName: null }]));
  });

  it("lists a protocol's routes in evaluation order, filtered by frontendId", async () => {
    const frontendId = await newFrontend("http");
    const farmId = String(await newFarm("http"));
    const a = await newRoute("http", { frontendId, action: { type: "farm", target: farmId } });
    const b = await newRoute("http", { frontendId, weight: 5, action: { type: "reject", status: 403 } });
    const c = await newRoute("http", { frontendId, weight: 1, action: { type: "redirect", target: "https://example.net" } });
    const d = await newRoute("http", { frontendId, action: { type: "farm", target: farmId } });
    expect(await call("GET", routes("http"), { frontendId })).toEqual([c.routeId, b.routeId, a.routeId, d.routeId]);
    const tcp = await newRoute("tcp", { action: { type: "reject" } });
    expect(await call("GET", routes("tcp"))).toContain(tcp.routeId);
    expect(await call("GET", routes("http"))).not.toContain(tcp.routeId);
    expect(await call("GET", routes("tcp"), { frontendId })).toEqual([]);
  });

  it("changes only the fields given; an action replaces the whole action", async () => {
    const route = await newRoute("http", { displayName: "keep", action: { type: "reject", status: 403 } });
    expect(await call("PUT", routes("http", route.routeId), { weight: 7, action: { type: "redirect", target: "https://a.example" } })).toBeNull();
    expect(await call("GET", routes("http", route.routeId))).toEqual({ ...route, weight: 7, action: { type: "redirect", target: "https://a.example", status: null } });
  });

  it("takes back its own GET answer in a PUT (terraform re-sends the read-only fields unchanged)", async () => {
    const route = await newRoute("http", { action: { type: "reject" } });
    await newRule("http", route.routeId, { field: "uri", match: "is", pattern: "/" });
    const read = (await call("GET", routes("http", route.routeId))) as Route;
    const fragments = ["body.routeId: read-only", "body.rules: read-only", "body.status: read-only"];
    expect(await expectSchemaViolations(emu, fragments, () => call("PUT", routes("http", route.routeId), withNulls({ ...read, weight: 9 })))).toBeNull();
    expect(await call("GET", routes("http", route.routeId))).toEqual({ ...read, weight: 9 });
  });

  it("answers 404 for an id of the other protocol and for unknown ids", async () => {
    const tcp = await newRoute("tcp", { action: { type: "reject" } });
    const message = (id: number) => `The requested object (routeId = ${id}) does not exist`;
    expect(await rejection(call("GET", routes("http", tcp.routeId)))).toEqual({ error: 404, message: message(tcp.routeId) });
    await expectRejected(() => call("PUT", routes("http", tcp.routeId), { displayName: "x" }), 404, message(tcp.routeId));
    await expectRejected(() => call("DELETE", routes("http", tcp.routeId)), 404, message(tcp.routeId));
    await expectRejected(() => call("GET", rules("http", tcp.routeId)), 404, message(tcp.routeId));
    expect(await rejection(call("GET", routes("tcp", 999999)))).toEqual({ error: 404, message: message(999999) });
  });

  test.each<[string, Proto, Body, string]>([
    ["no action", "http", { displayName: "x" }, "[action] Property is mandatory"],
    ["an action without type", "http", { action: { target: "1" } }, "[action.type] Property is mandatory"],
    ["an unknown action type", "http", { action: { type: "forward" } }, "[action.type] Given data (forward) is not an available http route action (farm, redirect, reject)"],
    ["a redirect on tcp", "tcp", { action: { type: "redirect", target: "https://a" } }, "[action.type] Given data (redirect) is not an available tcp route action (farm, reject)"],
    ["a status on tcp", "tcp", { action: { type: "reject", status: 403 } }, "[action.status] Unknown property"],
    ["a redirect status on reject", "http", { action: { type: "reject", status: 301 } }, `[action.status] Given data (301) is not a status of http reject actions (${REJECT})`],
    ["a status on farm", "http", { action: { type: "farm", target: "1", status: 200 } }, "[action.status] Given data (200) is not applicable: http farm actions take no status"],
    ["a redirect without target", "http", { action: { type: "redirect", status: 302 } }, "[action.target] Property is mandatory for http redirect actions"],
    ["a target on reject", "tcp", { action: { type: "reject", target: "1" } }, "[action.target] Given data (1) is not applicable: tcp reject actions take no target"],
    ["an unknown farm", "tcp", { action: { type: "farm", target: "999999" } }, "[action.target] tcp farm 999999 does not exist"],
    ["an unknown frontend", "http", { frontendId: 999999, action: { type: "reject" } }, "[frontendId] http frontend 999999 does not exist"],
    ["a weight past 255", "http", { weight: 256, action: { type: "reject" } }, "[weight] Value 256 is out of range [0..255]"],
    ["a read-only routeId", "http", { routeId: 1, action: { type: "reject" } }, "[routeId] This property is read-only"],
  ])("refuses a create with %s, changing nothing", async (_what, proto, body, message) => {
    await expectRejected(() => call("POST", routes(proto), body), 400, message);
  });

  it("refuses a farm or a frontend of the other protocol, and a farm whose zone does not cover the frontend's", async () => {
    const tcpFarm = await newFarm("tcp");
    const tcpFrontend = await newFrontend("tcp");
    await expectRejected(() => newRoute("http", { action: { type: "farm", target: String(tcpFarm) } }), 400, `[action.target] http farm ${tcpFarm} does not exist`);
    await expectRejected(() => newRoute("http", { frontendId: tcpFrontend, action: { type: "reject" } }), 400, `[frontendId] http frontend ${tcpFrontend} does not exist`);
    const rbxFrontend = await newFrontend("tcp", "rbx");
    const message = `[action.target] Farm ${tcpFarm} is in zone gra and can not serve a route of a frontend in zone rbx`;
    await expectRejected(() => newRoute("tcp", { frontendId: rbxFrontend, action: { type: "farm", target: String(tcpFarm) } }), 400, message);
    const route = await newRoute("tcp", { action: { type: "farm", target: String(tcpFarm) } });
    await expectRejected(() => call("PUT", routes("tcp", route.routeId), { frontendId: rbxFrontend }), 400, message);
  });

  it("keeps a farm a route targets and a frontend a route belongs to, until the route lets go", async () => {
    const farmId = await newFarm("http");
    const frontendId = await newFrontend("http");
    const route = await newRoute("http", { frontendId, action: { type: "farm", target: String(farmId) } });
    await expectRejected(() => call("DELETE", svcPath(emu, `/http/farm/${farmId}`)), 400, `Farm ${farmId} is the target of http route(s) ${route.routeId}: change or delete them first`);
    await expectRejected(() => call("DELETE", svcPath(emu, `/http/frontend/${frontendId}`)), 400, `Frontend ${frontendId} has http route(s) ${route.routeId}: delete them or move them to another frontend first`);
    await call("PUT", routes("http", route.routeId), withNulls({ frontendId: null, action: { type: "reject" } }));
    expect(await call("DELETE", svcPath(emu, `/http/frontend/${frontendId}`))).toBeNull();
    expect(await call("DELETE", svcPath(emu, `/http/farm/${farmId}`))).toBeNull();
  });
});

describe("rules", () => {
  start();

  it("creates, reads, lists, updates and deletes rules; the route shows them without displayName", async () => {
    const route = await newRoute("http", { action: { type: "reject" } });
    const host = await newRule("http", route.routeId, { field: "host", match: "is", pattern: "www.example.com", displayName: "vhost" });
    expect(host).toEqual({ ruleId: expect.any(Number), field: "host", match: "is", pattern: "www.example.com", displayName: "vhost", negate: false, subField: null });
    const cookie = await newRule("http", route.routeId, { field: "cookie", subField: "PreprodOptIn", match: "exists" });
    expect(await call("GET", rules("http", route.routeId, host.ruleId))).toEqual(host);
    expect(await call("GET", rules("http", route.routeId))).toEqual([host.ruleId, cookie.ruleId]);
    expect(await call("PUT", rules("http", route.routeId, host.ruleId), { negate: true, match: "in", pattern: "a.example, b.example" })).toBeNull();
    expect(((await call("GET", routes("http", route.routeId))) as Route).rules).toEqual([
      { ruleId: host.ruleId, field: "host", subField: null, match: "in", negate: true, pattern: "a.example, b.example" },
      { ruleId: cookie.ruleId, field: "cookie", subField: "PreprodOptIn", match: "exists", negate: false, pattern: null },
    ]);
    expect(await call("DELETE", rules("http", route.routeId, cookie.ruleId))).toBeNull();
    expect(await call("GET", rules("http", route.routeId))).toEqual([host.ruleId]);
  });

  it("accepts the guide's tcp rules: source lists, protocol values, sni", async () => {
    const route = await newRoute("tcp", { action: { type: "reject" } });
    await newRule("tcp", route.routeId, { field: "source", match: "in", pattern: "42.42.42.0/24, 1.2.3.4" });
    await newRule("tcp", route.routeId, { field: "protocol", match: "is", pattern: "http/2.0" });
    await newRule("tcp", route.routeId, { field: "sni", match: "endswith", pattern: ".example.com", negate: true });
    expect(await call("GET", rules("tcp", route.routeId))).toHaveLength(3);
  });

  test.each<[string, Proto, Body, string]>([
    ["a field of the other protocol", "tcp", { field: "host", match: "is", pattern: "a" }, "[field] Given data (host) is not an available tcp route rule field (source, protocol, sni)"],
    ["an unknown field", "http", { field: "path", match: "is", pattern: "/" }, "[field] Given data (path) is not an available http route rule field (source, protocol, method, host, uri, param, header, cookie)"],
    ["a match the field does not offer", "http", { field: "host", match: "exists" }, "[match] Given data (exists) is not available for the http rule field host (is, in, contains, startswith, endswith, matches)"],
    ["a match outside the enum", "http", { field: "uri", match: "equals", pattern: "/" }, "[match] Given data (equals) does not belong to the ipLoadbalancing.RouteRuleMatchesEnum enumeration"],
    ["no match", "http", { field: "uri", pattern: "/" }, "[match] Property is mandatory"],
    ["a header without subField", "http", { field: "header", match: "is", pattern: "websocket" }, "[subField] The http rule field header needs a subField (the header name)"],
    ["a subField on uri", "http", { field: "uri", subField: "x", match: "is", pattern: "/" }, "[subField] Given data (x) is not applicable: the http rule field uri has no subField"],
    ["no pattern", "http", { field: "uri", match: "startswith" }, "[pattern] Property is mandatory for the startswith match"],
    ["a method outside the list", "http", { field: "method", match: "in", pattern: "GET, FETCH" }, "[pattern] Given data (FETCH) is not a http method value (GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE)"],
    ["a source that is not an address", "tcp", { field: "source", match: "is", pattern: "10.0.0.0/33" }, "[pattern] Given data (10.0.0.0/33) is not an IPv4 address or block (a.b.c.d or a.b.c.d/z)"],
  ])("refuses a rule with %s, changing nothing", async (_what, proto, body, message) => {
    const route = await newRoute(proto, { action: { type: "reject" } });
    await expectRejected(() => call("POST", rules(proto, route.routeId), body), 400, message);
  });

  it("checks the whole rule on a PUT", async () => {
    const route = await newRoute("http", { action: { type: "reject" } });
    const rule = await newRule("http", route.routeId, { field: "uri", match: "startswith", pattern: "/wp-login" });
    const message = "[subField] The http rule field cookie needs a subField (the cookie name)";
    await expectRejected(() => call("PUT", rules("http", route.routeId, rule.ruleId), { field: "cookie" }), 400, message);
  });

  it("answers 404 for another route's rule and on the other protocol's path", async () => {
    const one = await newRoute("http", { action: { type: "reject" } });
    const two = await newRoute("http", { action: { type: "reject" } });
    const rule = await newRule("http", one.routeId, { field: "uri", match: "is", pattern: "/" });
    const message = `The requested object (ruleId = ${rule.ruleId}) does not exist`;
    expect(await rejection(call("GET", rules("http", two.routeId, rule.ruleId)))).toEqual({ error: 404, message });
    await expectRejected(() => call("DELETE", rules("http", two.routeId, rule.ruleId)), 404, message);
    await expectRejected(() => call("PUT", rules("tcp", one.routeId, rule.ruleId), { negate: true }), 404, `The requested object (routeId = ${one.routeId}) does not exist`);
  });

  it("deletes a route's rules with it", async () => {
    const route = await newRoute("tcp", { action: { type: "reject" } });
    const rule = await newRule("tcp", route.routeId, { field: "sni", match: "is", pattern: "a.example" });
    expect(await call("DELETE", routes("tcp", route.routeId))).toBeNull();
    expect(await rejection(call("GET", rules("tcp", route.routeId, rule.ruleId)))).toMatchObject({ error: 404 });
    expect(JSON.stringify(emu.store.data.services[emu.serviceName].staged)).not.toContain(`"ruleId":${rule.ruleId}`);
  });
});

describe("staging", () => {
  start();
  const refresh = async () => {
    const task = (await call("POST", svcPath(emu, "/refresh"))) as { id: number };
    await eventually(async () => ((await call("GET", svcPath(emu, `/task/${task.id}`))) as { status: string }).status === "done", 30_000, `refresh ${task.id}`);
  };

  it("counts route and rule writes in the zone of the route's frontend, every zone without one", async () => {
    const gra = await newFrontend("http", "gra");
    const rbx = await newFrontend("http", "rbx");
    const all = await newFrontend("http", "all");
    const before = await pending();
    const route = await newRoute("http", { frontendId: gra, action: { type: "reject" } });
    const rule = await newRule("http", route.routeId, { field: "uri", match: "is", pattern: "/" });
    await call("PUT", rules("http", route.routeId, rule.ruleId), { negate: true });
    expect(await pending()).toEqual({ ...before, gra: before.gra + 3 });
    await call("PUT", routes("http", route.routeId), { frontendId: rbx });
    expect(await pending()).toEqual({ gra: before.gra + 4, rbx: before.rbx + 1 });
    await newRoute("http", { action: { type: "reject" } });
    await newRoute("http", { frontendId: all, action: { type: "reject" } });
    expect(await pending()).toEqual({ gra: before.gra + 6, rbx: before.rbx + 3 });
  });

  it("makes routes and their rules run after a refresh, in their zones only", async () => {
    const gra = await newFrontend("tcp", "gra");
    const route = await newRoute("tcp", { frontendId: gra, action: { type: "reject" } });
    const everywhere = await newRoute("tcp", { action: { type: "reject" } });
    const rule = await newRule("tcp", route.routeId, { field: "sni", match: "is", pattern: "a.example" });
    expect(emu.running("gra").routes?.[route.routeId]).toBeUndefined();
    await refresh();
    expect(await pending()).toEqual({});
    expect(emu.running("gra").routes?.[route.routeId]).toMatchObject({ type: "tcp", data: { frontendId: gra }, rules: { [rule.ruleId]: { pattern: "a.example" } } });
    expect(emu.running("rbx").routes?.[route.routeId]).toBeUndefined();
    expect(emu.running("rbx").routes?.[everywhere.routeId]).toMatchObject({ type: "tcp" });
    await call("PUT", rules("tcp", route.routeId, rule.ruleId), { pattern: "b.example" });
    expect(emu.running("gra").routes?.[route.routeId].rules[rule.ruleId]).toMatchObject({ pattern: "a.example" });
    await call("DELETE", routes("tcp", route.routeId));
    await refresh();
    expect(emu.running("gra").routes?.[route.routeId]).toBeUndefined();
  });
});

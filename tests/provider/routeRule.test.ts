/**
 * Route rule providers (HttpRouteRule, TcpRouteRule) method by method against the emulator: the bodies and calls each
 * method sends, the zone made live (the route's, read through its frontend: one refresh of it), drift, a rule deleted
 * out of band, and rules that stay untouched (no diff, never re-created) across two `up`s, a change of another rule
 * of the route, and a re-read where the API lists the route's rules in another order. Routes and frontends are made
 * with the official client, as a console would. Also: ROUTE_RULES is what GET availableRouteRules answers.
 * Not proven here: the Refresh batch (tests/program/), traffic (the emulator routes none).
 */
import type { OvhClient } from "ovh";
import { ROUTE_RULES } from "../../provider/models/routeRule";
import type { Emulator } from "../helpers/emulator";
import { applyPendingOutOfBand, configured, declared, failureOf, mark, pendingChanges, Props, Provider, writesSince, withEmulator } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
let emu: Emulator;
let client: OvhClient;
let svc: string;
let http: Provider;
let tcp: Provider;
let ids: { route: number; tcpRoute: number };

const rulePath = (proto: string, route: number, rule?: number) => `/ipLoadbalancing/${svc}/${proto}/route/${route}/rule${rule === undefined ? "" : `/${rule}`}`;
const refreshPath = () => `/ipLoadbalancing/${svc}/refresh`;
const ruleId = (id: string) => Number(id.split("/").pop());
const runningRule = (zone: string, route: number, rule: number) => emu.running(zone).routes?.[route]?.rules?.[rule];
const post = async (path: string, body: Props) => (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/${path}`, body)) as Props;

const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    [http, tcp] = await Promise.all([configured("HttpRouteRule", emu), configured("TcpRouteRule", emu)]);
    const feGra = (await post("http/frontend", { zone: "gra", port: "80" })).frontendId as number;
    ids = {
      route: (await post("http/route", { frontendId: feGra, action: { type: "reject", status: 403 } })).routeId as number,
      tcpRoute: (await post("tcp/route", { action: { type: "reject" } })).routeId as number,
    };
    await applyPendingOutOfBand(emu, client);
  });

const hostRule = (over: Props = {}): Props => ({
  serviceName: svc, routeId: ids.route, field: "host", match: "is", pattern: "a.example.com", displayName: "host", __provider: PROVIDER_TEXT, ...over,
});

describe("route rules offered", () => {
  withOwnEmulator();
  it("ROUTE_RULES is exactly what GET availableRouteRules answers (a drift between the two fails here)", async () => {
    expect(await client.requestPromised("GET", `/ipLoadbalancing/${svc}/availableRouteRules`)).toEqual(ROUTE_RULES);
  });
});

describe("route rule create", () => {
  withOwnEmulator();
  it("POSTs exactly the fields set (negate false), then one refresh of the route's zone; the rule runs when create returns", async () => {
    const from = mark(emu);
    const { id, outs } = await http.create(hostRule());
    const rule = ruleId(id);
    expect(id).toBe(`${svc}/${ids.route}/${rule}`);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body, r.status])).toEqual([
      ["POST", rulePath("http", ids.route), { field: "host", match: "is", pattern: "a.example.com", displayName: "host", negate: false }, 200],
      ["POST", refreshPath(), { zone: "gra" }, 200],
    ]);
    expect(runningRule("gra", ids.route, rule)).toEqual(expect.objectContaining({ ruleId: rule, pattern: "a.example.com" }));
    expect(runningRule("rbx", ids.route, rule)).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
    expect(outs).toEqual({ ...hostRule(), ruleId: rule, subField: null, negate: false, zone: "gra", ...declared(hostRule()) });
  });

  it("makes a rule of a route without frontend live in every zone", async () => {
    const inputs = { serviceName: svc, routeId: ids.tcpRoute, field: "source", match: "in", pattern: "10.0.0.0/8,192.0.2.7" };
    const { id } = await tcp.create(inputs);
    expect([runningRule("gra", ids.tcpRoute, ruleId(id)), runningRule("rbx", ids.tcpRoute, ruleId(id))]).toEqual([expect.anything(), expect.anything()]);
  });

  it("refuses a route that does not exist (or is of the other protocol), naming routeId, before any write", async () => {
    const from = mark(emu);
    const refused = await failureOf(tcp.create({ ...hostRule(), field: "sni" }));
    expect(refused.message).toBe(`TcpRouteRule routeId: there is no TCP route ${ids.route} on ${svc}`);
    expect(writesSince(emu, from)).toEqual([]);
  });
});

describe("route rule diff, update, read, delete", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  let other: { id: string; outs: Props };
  const otherInputs = (over: Props = {}) => hostRule({ field: "header", subField: "X-Env", match: "exists", pattern: undefined, displayName: "env", ...over });
  beforeAll(async () => {
    other = (await http.create(otherInputs())) as { id: string; outs: Props };
    ({ id, outs } = await http.create(hostRule()));
  });
  const listed = async () => ((await client.requestPromised("GET", `/ipLoadbalancing/${svc}/http/route/${ids.route}`)) as { rules: Props[] }).rules.map((r) => r.ruleId);

  it("a rule unchanged across two ups, a change of another rule of its route, and a re-read listing the rules in another order shows no diff and is never re-created", async () => {
    const from = mark(emu);
    expect(await http.diff(id, outs, hostRule())).toMatchObject({ changes: false }); // the second up
    ({ outs: other.outs } = (await http.update(other.id, other.outs, otherInputs({ negate: true }))) as { outs: Props });
    expect(await http.diff(id, outs, hostRule())).toMatchObject({ changes: false });
    expect(await listed()).toEqual([ruleId(other.id), ruleId(id)]);
    // Out of band: the other rule made again (a higher id) and the old one deleted: the route now lists ours first.
    const again = (await client.requestPromised("POST", rulePath("http", ids.route), { field: "header", subField: "X-Env", match: "exists", negate: true })) as Props;
    await client.requestPromised("DELETE", rulePath("http", ids.route, ruleId(other.id)));
    await applyPendingOutOfBand(emu, client);
    expect(await listed()).toEqual([ruleId(id), again.ruleId]);
    other = { id: `${svc}/${ids.route}/${String(again.ruleId)}`, outs: { ...other.outs, ruleId: again.ruleId } };
    const read = await http.read(id, outs);
    expect(read.id).toBe(id);
    expect(await http.diff(id, read.props, hostRule())).toMatchObject({ changes: false });
    const ours = writesSince(emu, from).filter((r) => r.path.startsWith(rulePath("http", ids.route, ruleId(id))) || (r.method === "POST" && r.path === rulePath("http", ids.route)));
    expect(ours.map((r) => r.method)).toEqual(["POST"]); // only the out-of-band copy of the other rule: ours never written
  });

  it("shows drift made out of band as an update back", async () => {
    await client.requestPromised("PUT", rulePath("http", ids.route, ruleId(id)), { pattern: "b.example.com" });
    await applyPendingOutOfBand(emu, client);
    const drift = await http.diff(id, outs, hostRule());
    expect([drift.changes, drift.replaces ?? []]).toEqual([true, []]);
  });

  it("PUTs only the changed fields and makes the route's zone live", async () => {
    const from = mark(emu);
    ({ outs } = (await http.update(id, outs, hostRule({ match: "endswith", pattern: ".example.com", negate: true }))) as { outs: Props });
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", rulePath("http", ids.route, ruleId(id)), { match: "endswith", negate: true, pattern: ".example.com" }],
      ["POST", refreshPath(), { zone: "gra" }],
    ]);
    expect(runningRule("gra", ids.route, ruleId(id))).toMatchObject({ match: "endswith", negate: true });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("replaces a rule deleted out of band; delete makes the route's zone live and counts a gone rule as deleted", async () => {
    await client.requestPromised("DELETE", rulePath("http", ids.route, ruleId(other.id)));
    await applyPendingOutOfBand(emu, client);
    expect((await http.diff(other.id, other.outs, otherInputs({ negate: true }))).replaces).toEqual(["ruleId"]);
    expect((await http.read(other.id, other.outs)).id).toBe("");
    await http.delete(other.id, other.outs);
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.body])).toEqual([["DELETE", undefined], ["POST", { zone: "gra" }]]);
    expect(runningRule("gra", ids.route, ruleId(id))).toBeUndefined();
  });
});

/**
 * Route providers (HttpRoute, TcpRoute) method by method against the emulator: the bodies and calls each method
 * sends, the zone made live (the route's frontend's), drift and gone routes, a frontendId move, and the error a user
 * sees when the action's farm is of the other protocol or zone. Frontends and farms are made with the official
 * client, as a console would, and made live before the tests use them. Also: ROUTE_ACTIONS is what the API offers.
 * Not proven here: the Refresh batch (tests/program/), route rules (routeRule.test.ts), traffic (the emulator routes none).
 */
import type { OvhClient } from "ovh";
import { ROUTE_ACTIONS } from "../../provider/models/route";
import type { Emulator } from "../helpers/emulator";
import {
  applyPendingOutOfBand, configured, declared, failureOf, mark, pendingChanges, Props, Provider, refreshesSince, writesSince, withEmulator,
} from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
let emu: Emulator;
let client: OvhClient;
let svc: string;
let http: Provider;
let tcp: Provider;
/** Live objects made out of band. */
let ids: { httpGra: number; httpRbx: number; tcpGra: number; feGra: number; feRbx: number; tcpFe: number };

const routePath = (proto: string, id?: number) => `/ipLoadbalancing/${svc}/${proto}/route${id === undefined ? "" : `/${id}`}`;
const refreshPath = () => `/ipLoadbalancing/${svc}/refresh`;
const apiRoute = async (proto: string, id: number) => (await client.requestPromised("GET", routePath(proto, id))) as Props;
const routeId = (id: string) => Number(id.split("/").pop());
const running = (zone: string, id: number) => emu.running(zone).routes?.[id]?.data;
const post = async (path: string, body: Props) => (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/${path}`, body)) as Props;

const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    [http, tcp] = await Promise.all([configured("HttpRoute", emu), configured("TcpRoute", emu)]);
    const farm = async (proto: string, zone: string) => (await post(`${proto}/farm`, { zone, port: 8080 })).farmId as number;
    const frontend = async (proto: string, zone: string, port: string) => (await post(`${proto}/frontend`, { zone, port })).frontendId as number;
    ids = {
      httpGra: await farm("http", "gra"), httpRbx: await farm("http", "rbx"), tcpGra: await farm("tcp", "gra"),
      feGra: await frontend("http", "gra", "80"), feRbx: await frontend("http", "rbx", "80"), tcpFe: await frontend("tcp", "gra", "443"),
    };
    await applyPendingOutOfBand(emu, client);
  });

/** A fully specified HTTP route of the gra frontend to the gra farm. */
const apiInputs = (): Props => ({
  serviceName: svc, frontendId: ids.feGra, action: { type: "farm", target: String(ids.httpGra) }, weight: 10, displayName: "api", __provider: PROVIDER_TEXT,
});

describe("route actions", () => {
  withOwnEmulator();
  it("ROUTE_ACTIONS is exactly what GET availableRouteActions answers (a drift between the two fails here)", async () => {
    expect(await client.requestPromised("GET", `/ipLoadbalancing/${svc}/availableRouteActions`)).toEqual(ROUTE_ACTIONS);
  });
});

describe("route create", () => {
  withOwnEmulator();
  it("POSTs exactly the fields set, then one refresh of its frontend's zone; the route runs when create returns", async () => {
    const from = mark(emu);
    const { id, outs } = await http.create(apiInputs());
    const route = routeId(id);
    expect(id).toBe(`${svc}/${route}`);
    const { serviceName: _s, __provider: _p, ...sent } = apiInputs();
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body, r.status])).toEqual([
      ["POST", routePath("http"), sent, 200],
      ["POST", refreshPath(), { zone: "gra" }, 200],
    ]);
    expect(running("gra", route)).toEqual(expect.objectContaining({ routeId: route, weight: 10 }));
    expect(running("rbx", route)).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
    expect(outs).toEqual({
      ...apiInputs(), routeId: route, action: { type: "farm", target: String(ids.httpGra), status: null }, rules: [], status: "ok",
      zone: "gra", zoneFrontendId: ids.feGra, ...declared(apiInputs()),
    });
  });

  it("makes a route without frontend live in every zone, and takes a number farm id", async () => {
    const from = mark(emu);
    const inputs = { serviceName: svc, action: { type: "farm", target: ids.tcpGra } };
    const checked = (await tcp.check({}, inputs)).inputs as Props;
    const { id } = await tcp.create(checked);
    expect(writesSince(emu, from).map((r) => r.body)).toEqual([{ action: { type: "farm", target: String(ids.tcpGra) } }, undefined]);
    expect([running("gra", routeId(id)), running("rbx", routeId(id))]).toEqual([expect.anything(), expect.anything()]);
  });

  it("refuses a farm of the other protocol or zone, and a missing frontend, naming the field, before any write", async () => {
    const from = mark(emu);
    const other = await failureOf(http.create({ ...apiInputs(), action: { type: "farm", target: String(ids.tcpGra) } }));
    expect(other.message).toBe(`HttpRoute action.target: farm ${ids.tcpGra} is a TCP farm; a HTTP route needs a HTTP farm`);
    const zone = await failureOf(http.create({ ...apiInputs(), action: { type: "farm", target: String(ids.httpRbx) } }));
    expect(zone.message).toBe(`HttpRoute action.target: farm ${ids.httpRbx} is in zone rbx and cannot serve the route's frontend in zone gra; use a farm in gra or all`);
    const frontend = await failureOf(tcp.create({ serviceName: svc, frontendId: ids.feGra, action: { type: "reject" } }));
    expect(frontend.message).toBe(`TcpRoute frontendId: there is no TCP frontend ${ids.feGra} on ${svc}`);
    expect(writesSince(emu, from)).toEqual([]);
  });
});

describe("route diff, update, read, delete", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => {
    ({ id, outs } = await http.create(apiInputs()));
  });

  it("shows no change for the program as created, and drift made out of band as an update back", async () => {
    expect((await http.diff(id, outs, apiInputs())).changes).toBe(false);
    await client.requestPromised("PUT", routePath("http", routeId(id)), { weight: 50 });
    const drift = await http.diff(id, outs, apiInputs());
    expect([drift.changes, drift.replaces ?? []]).toEqual([true, []]);
    await applyPendingOutOfBand(emu, client);
  });

  it("PUTs only the changed fields (the whole action) and makes the frontend's zone live; an update of a farm of the other protocol is refused and explained", async () => {
    const from = mark(emu);
    const news = { ...apiInputs(), action: { type: "reject", status: 403 } };
    ({ outs } = (await http.update(id, outs, news)) as { outs: Props });
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", routePath("http", routeId(id)), { action: { type: "reject", status: 403 }, weight: 10 }],
      ["POST", refreshPath(), { zone: "gra" }],
    ]);
    expect(running("gra", routeId(id))?.action).toEqual({ type: "reject", target: null, status: 403 });
    const refused = await failureOf(http.update(id, outs, { ...apiInputs(), action: { type: "farm", target: String(ids.tcpGra) } }));
    expect(refused.message).toMatch(new RegExp(`^HttpRoute action.target: farm ${ids.tcpGra} is a TCP farm; a HTTP route needs a HTTP farm \\(OVH API PUT .* failed: 400 `));
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("moves the route to a frontend of another zone in place, making both zones live", async () => {
    const from = mark(emu);
    const news = { ...apiInputs(), frontendId: ids.feRbx, action: { type: "reject", status: 403 } };
    expect((await http.diff(id, outs, news)).replaces ?? []).toEqual([]);
    ({ outs } = (await http.update(id, outs, news)) as { outs: Props });
    expect(refreshesSince(emu, from).length).toBeGreaterThanOrEqual(1);
    expect(pendingChanges(emu)).toEqual([]);
    expect([running("gra", routeId(id)), running("rbx", routeId(id))?.frontendId]).toEqual([undefined, ids.feRbx]);
    const read = await http.read(id, outs);
    expect(read.props).toMatchObject({ frontendId: ids.feRbx, zone: "rbx", zoneFrontendId: ids.feRbx });
  });

  it("replaces a route deleted out of band; delete makes its zone live and counts a gone route as deleted", async () => {
    const { id: other, outs: otherOuts } = await http.create({ ...apiInputs(), displayName: "gone" });
    await client.requestPromised("DELETE", routePath("http", routeId(other)));
    await applyPendingOutOfBand(emu, client);
    expect((await http.diff(other, otherOuts, { ...apiInputs(), displayName: "gone" })).replaces).toEqual(["routeId"]);
    expect((await http.read(other, otherOuts)).id).toBe("");
    await http.delete(other, otherOuts);
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.body])).toEqual([["DELETE", undefined], ["POST", { zone: "rbx" }]]);
    expect(running("rbx", routeId(id))).toBeUndefined();
    expect(await apiRoute("http", routeId(id)).catch((e: { error?: number }) => e.error)).toBe(404);
  });
});

/**
 * Farm server providers (HttpFarmServer, TcpFarmServer, UdpFarmServer) method by method against the emulator: bodies,
 * outputs (the farm's zone and serverState included), weight 0, the generated cookie of cookie-sticky farms, nulls on
 * update, and what runs when each method returns. Servers use documentation addresses (192.0.2.0/24), which the
 * emulator never probes: serverState reads "no check". Not proven here: real health checks (tests/emulator/), batching
 * across resources (liveChanges.test.ts), retries (errors.test.ts), adoption (adoption.test.ts).
 */
import type { OvhClient } from "ovh";
import { farmServerModel } from "../../provider/models/farmServer";
import type { Emulator } from "../helpers/emulator";
import {
  calls, configured, declared, farmId, mark, pendingChanges, Props, Provider, requestsSince, runningServer, writesSince,
  failedProperties, withEmulator,
} from "./support";

let emu: Emulator;
let client: OvhClient;
let servers: Provider;
let svc: string;
/** An HTTP farm with cookie stickiness in gra, created through the provider. */
let farm: number;
const serverPath = (id?: number, f = farm, type = "http") =>
  `/ipLoadbalancing/${svc}/${type}/farm/${f}/server${id === undefined ? "" : `/${id}`}`;
const apiServer = async (id: number, f = farm, type = "http") => (await client.requestPromised("GET", serverPath(id, f, type))) as Props;
const serverIdOf = (id: string) => Number(id.split("/").pop());

/** serverState of a running server that is not probed: one entry per LB instance of gra (emulator ids 101, 102). */
const NO_CHECK = [101, 102].map((instanceId) => ({
  instanceId, status: "no check", checkStatus: null, checkCode: null, checkTime: null, lastCheckContent: null,
}));

const web = (extra: Props = {}): Props => ({
  serviceName: svc, farmId: farm, address: "192.0.2.31", status: "active", port: 8080, displayName: "web-1", weight: 10,
  backup: true, __provider: "shim", ...extra,
});

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    servers = await configured("HttpFarmServer", emu);
    const farms = await configured("HttpFarm", emu);
    farm = farmId((await farms.create({ serviceName: svc, zone: "gra", port: 80, stickiness: "cookie" })).id);
  });

describe("HttpFarmServer check", () => {
  withOwnEmulator();
  // The messages themselves are the model's (tests/unit/farmServer.test.ts): here, the wiring.
  it("answers with its protocol's model: every failure at once, without any API call", async () => {
    const news = { serviceName: svc, farmId: 0, address: "192.0.2.300", status: "up", weight: 257, proxyProtocolVersion: "v3" };
    const from = mark(emu);
    const result = await servers.check({}, news);
    expect(result).toEqual(farmServerModel("http").check(news));
    expect(failedProperties(result)).toEqual(["farmId", "address", "status", "weight", "proxyProtocolVersion"]);
    expect(emu.requests.length).toBe(from);
  });

  it("refuses the fields UDP servers do not have, as the UDP model does", async () => {
    const udp = await configured("UdpFarmServer", emu);
    const news = { serviceName: svc, farmId: 1, address: "192.0.2.1", status: "active", weight: 0, cookie: "c" };
    const result = await udp.check({}, news);
    expect(result).toEqual(farmServerModel("udp").check(news));
    expect(failedProperties(result)).toEqual(["weight", "cookie"]);
  });
});

describe("HttpFarmServer create", () => {
  withOwnEmulator();
  it("POSTs exactly the fields set, refreshes the farm's zone once, and the server runs when create returns", async () => {
    const from = mark(emu);
    const { id } = await servers.create(web());
    const serverId = serverIdOf(id);
    expect(id).toBe(`${svc}/${farm}/${serverId}`);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", serverPath(), { address: "192.0.2.31", status: "active", port: 8080, displayName: "web-1", weight: 10, backup: true }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    const { serverState, ...stored } = await apiServer(serverId);
    void serverState;
    expect(runningServer(emu, "gra", serverId)).toEqual(stored);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("outputs every field as the API reports it, with farmId, serviceName, the farm's zone and serverState after the refresh", async () => {
    const inputs = web({ address: "192.0.2.32", displayName: "web-2" });
    const { id, outs } = await servers.create(inputs);
    const { backendId, ...api } = await apiServer(serverIdOf(id));
    expect(outs).toEqual({ ...api, farmId: backendId, serviceName: svc, zone: "gra", __provider: "shim", ...declared(inputs) });
    expect(outs).toMatchObject({
      serverId: serverIdOf(id), farmId: farm, address: "192.0.2.32", status: "active", port: 8080, displayName: "web-2",
      weight: 10, backup: true, probe: false, ssl: false, chain: null, proxyProtocolVersion: null, onMarkedDown: null,
      serverState: NO_CHECK,
    });
  });

  it("keeps weight 0 (a server out of balancing) in the body, the outputs and the diff", async () => {
    const from = mark(emu);
    const inputs = web({ address: "192.0.2.33", weight: 0 });
    const { id, outs } = await servers.create(inputs);
    expect(requestsSince(emu, from, "POST", serverPath()).map((r) => (r.body as Props).weight)).toEqual([0]);
    expect(outs.weight).toBe(0);
    expect((await apiServer(serverIdOf(id))).weight).toBe(0);
    expect(await servers.diff(id, outs, inputs)).toMatchObject({ changes: false });
    // Only the program changed: "unknown" lets the engine diff the inputs and name `weight` in the preview.
    expect(await servers.diff(id, outs, web({ address: "192.0.2.33" }))).toEqual({ changes: undefined });
  });

  it("gets a cookie generated by the API on a cookie-sticky farm, which never diffs while the input has none", async () => {
    const inputs = web({ address: "192.0.2.34" });
    const from = mark(emu);
    const { id, outs } = await servers.create(inputs);
    expect(requestsSince(emu, from, "POST", serverPath()).map((r) => "cookie" in (r.body as Props))).toEqual([false]);
    expect(outs.cookie).toMatch(/^[0-9a-f]{16}$/);
    expect(outs.cookie).toBe((await apiServer(serverIdOf(id))).cookie);
    expect(await servers.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const beforeUpdate = mark(emu);
    await servers.update(id, outs, { ...inputs, weight: 20 });
    expect(requestsSince(emu, beforeUpdate, "PUT").map((r) => r.body)).toEqual([{ weight: 20 }]);
    expect((await apiServer(serverIdOf(id))).cookie).toBe(outs.cookie);
  });

  it("diffs and sends a cookie that is set", async () => {
    const inputs = web({ address: "192.0.2.35" });
    const { id, outs } = await servers.create(inputs);
    expect(await servers.diff(id, outs, { ...inputs, cookie: "mine" })).toEqual({ changes: undefined });
    const from = mark(emu);
    await servers.update(id, outs, { ...inputs, cookie: "mine" });
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([{ cookie: "mine" }]);
  });

  it("fails clearly when the farm does not exist, without POSTing", async () => {
    const from = mark(emu);
    await expect(servers.create(web({ farmId: 999999 }))).rejects.toThrow(
      `HttpFarmServer farmId: there is no HTTP farm 999999 on ${svc}`,
    );
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("creates UDP servers with only their own fields", async () => {
    const udpFarm = farmId((await (await configured("UdpFarm", emu)).create({ serviceName: svc, zone: "rbx", port: 53 })).id);
    const udp = await configured("UdpFarmServer", emu);
    const from = mark(emu);
    const inputs = { serviceName: svc, farmId: udpFarm, address: "192.0.2.40", status: "inactive", port: 5353 };
    const { id, outs } = await udp.create(inputs);
    expect(writesSince(emu, from).map((r) => [r.path, r.body])).toEqual([
      [serverPath(undefined, udpFarm, "udp"), { address: "192.0.2.40", status: "inactive", port: 5353 }],
      [`/ipLoadbalancing/${svc}/refresh`, { zone: "rbx" }],
    ]);
    expect(outs).toEqual({
      serverId: serverIdOf(id), farmId: udpFarm, serviceName: svc, zone: "rbx", address: "192.0.2.40", status: "inactive",
      port: 5353, displayName: null, serverState: [], ...declared(inputs),
    });
  });
});

describe("HttpFarmServer diff", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => {
    ({ id, outs } = await servers.create(web({ address: "192.0.2.50" })));
  });

  it("finds no change with exactly one GET (the farm's zone comes from the state)", async () => {
    // A provider configured afresh, as the host configures one per command: this file's shared provider has diffed
    // enough servers to read them ahead (api/readAhead.ts, tested on its own).
    const fresh = await configured("HttpFarmServer", emu);
    const from = mark(emu);
    expect(await fresh.diff(id, outs, web({ address: "192.0.2.50" }))).toEqual({ changes: false });
    expect(calls(emu, from)).toEqual([`GET ${serverPath(serverIdOf(id))}`]);
  });

  it("replaces on an address, farmId or serviceName change", async () => {
    const news = web({ address: "192.0.2.50" });
    expect(await servers.diff(id, outs, { ...news, address: "192.0.2.51" })).toMatchObject({ changes: true, replaces: ["address"] });
    expect(await servers.diff(id, outs, { ...news, farmId: farm + 1000 })).toMatchObject({ changes: true, replaces: ["farmId"] });
    expect(await servers.diff(id, outs, { ...news, serviceName: "loadbalancer-other" })).toMatchObject({ changes: true, replaces: ["serviceName"] });
  });

  it("never diffs on serverState or __provider", async () => {
    const news = { ...web({ address: "192.0.2.50" }), __provider: "another shim", serverState: [{ instanceId: 1, status: "DOWN" }] };
    expect(await servers.diff(id, { ...outs, serverState: [] }, news)).toEqual({ changes: false });
  });

  it("shows a change made out of band (server disabled in the console)", async () => {
    await client.requestPromised("PUT", serverPath(serverIdOf(id)), { status: "inactive" });
    expect(await servers.diff(id, outs, web({ address: "192.0.2.50" }))).toEqual({
      changes: true, replaces: [], deleteBeforeReplace: false,
    });
    await client.requestPromised("PUT", serverPath(serverIdOf(id)), { status: "active" });
  });

  it("replaces a server deleted out of band", async () => {
    const { id: goneId, outs: gone } = await servers.create(web({ address: "192.0.2.52" }));
    await client.requestPromised("DELETE", serverPath(serverIdOf(goneId)));
    expect(await servers.diff(goneId, gone, web({ address: "192.0.2.52" }))).toMatchObject({ changes: true, replaces: ["serverId"] });
  });
});

describe("HttpFarmServer update", () => {
  withOwnEmulator();
  it("PUTs only the changed fields; the change runs when update returns", async () => {
    const { id, outs } = await servers.create(web({ address: "192.0.2.60" }));
    const from = mark(emu);
    const result = await servers.update(id, outs, web({ address: "192.0.2.60", weight: 50, status: "inactive" }));
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", serverPath(serverIdOf(id)), { status: "inactive", weight: 50 }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expect(runningServer(emu, "gra", serverIdOf(id))).toMatchObject({ status: "inactive", weight: 50 });
    expect(pendingChanges(emu)).toEqual([]);
    expect(result.outs).toMatchObject({ status: "inactive", weight: 50, cookie: outs.cookie });
  });

  it("sends null for a removed port and displayName and false for a removed boolean, as the emulator received them", async () => {
    const { id, outs } = await servers.create(web({ address: "192.0.2.61", proxyProtocolVersion: "v2" }));
    const from = mark(emu);
    const result = await servers.update(id, outs, { serviceName: svc, farmId: farm, address: "192.0.2.61", status: "active", weight: 10 });
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([
      { port: null, displayName: null, backup: false, proxyProtocolVersion: null },
    ]);
    expect(runningServer(emu, "gra", serverIdOf(id))).toMatchObject({ port: null, displayName: null, backup: false, proxyProtocolVersion: null });
    expect(result.outs).toMatchObject({ port: null, displayName: null, backup: false, proxyProtocolVersion: null });
  });

  it("sends nothing and refreshes nothing when nothing changed", async () => {
    const inputs = web({ address: "192.0.2.62" });
    const { id, outs } = await servers.create(inputs);
    const from = mark(emu);
    await servers.update(id, outs, inputs);
    expect(writesSince(emu, from)).toEqual([]);
  });
});

describe("HttpFarmServer read", () => {
  withOwnEmulator();
  it("returns live values (drift) with serverState", async () => {
    const { id, outs } = await servers.create(web({ address: "192.0.2.70" }));
    await client.requestPromised("PUT", serverPath(serverIdOf(id)), { weight: 99 });
    const { id: readId, props } = await servers.read(id, outs);
    expect(readId).toBe(id);
    expect(props).toEqual({ ...outs, weight: 99 });
  });

  it("returns an empty id when the server is gone, and when its farm is gone", async () => {
    const { id, outs } = await servers.create(web({ address: "192.0.2.71" }));
    await client.requestPromised("DELETE", serverPath(serverIdOf(id)));
    expect(await servers.read(id, outs)).toEqual({ id: "", props: {} });
    expect(await servers.read(`${svc}/999999/1`, outs)).toEqual({ id: "", props: {} });
  });
});

describe("HttpFarmServer delete", () => {
  withOwnEmulator();
  it("DELETEs the server and refreshes the zone: it no longer runs when delete returns", async () => {
    const { id, outs } = await servers.create(web({ address: "192.0.2.80" }));
    expect(runningServer(emu, "gra", serverIdOf(id))).toMatchObject({ serverId: serverIdOf(id) });
    const from = mark(emu);
    await servers.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["DELETE", serverPath(serverIdOf(id)), undefined],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expect(runningServer(emu, "gra", serverIdOf(id))).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("succeeds when the server, or its whole farm, is already gone, leaving nothing pending", async () => {
    const farms = await configured("HttpFarm", emu);
    const other = await farms.create({ serviceName: svc, zone: "gra" });
    const { id, outs } = await servers.create(web({ farmId: farmId(other.id), address: "192.0.2.81" }));
    await farms.delete(other.id, other.outs);
    const from = mark(emu);
    await servers.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["DELETE", 404]]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

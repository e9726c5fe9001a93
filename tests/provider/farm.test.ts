/**
 * Farm providers (HttpFarm, TcpFarm, UdpFarm) method by method against the emulator: what each method sends (paths,
 * bodies, counts of writes and refreshes in the request log), what it returns, and what runs when it returns.
 * Not proven here: the refresh batching across resources (liveChanges.test.ts), retries and error wrapping
 * (errors.test.ts), adoption (adoption.test.ts), and anything about serialization or the real host (tests/host/).
 */
import type { OvhClient } from "ovh";
import { farmModel } from "../../provider/models/farm";
import type { Emulator } from "../helpers/emulator";
import {
  applyPendingOutOfBand, calls, configured, declared, farmId, mark, pendingChanges, Props, Provider, refreshesSince,
  requestsSince, runningFarm, writesSince, failedProperties, withEmulator,
} from "./support";

/** What the engine passes along with the inputs; kept in the outputs, never compared. */
const PROVIDER_TEXT = "exports.handler = __shim;";

let emu: Emulator;
let client: OvhClient;
let http: Provider;
let svc: string;
const farmPath = (type: string, id?: number) => `/ipLoadbalancing/${svc}/${type}/farm${id === undefined ? "" : `/${id}`}`;
const apiFarm = async (id: number) => (await client.requestPromised("GET", farmPath("http", id))) as Props;

/** A fully specified HTTP farm. */
const webInputs = (): Props => ({
  serviceName: svc, zone: "gra", port: 8080, displayName: "web", balance: "leastconn", stickiness: "cookie",
  probe: { type: "http", url: "/health", match: "status", pattern: "200,204", interval: 60 }, __provider: PROVIDER_TEXT,
});

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    http = await configured("HttpFarm", emu);
  });

describe("HttpFarm check", () => {
  withOwnEmulator();
  // The messages themselves are the model's (tests/unit/farm.test.ts): here, that each provider answers with its own
  // protocol's model, every failure at once, before any API call.
  it("answers with its protocol's model: every failure at once, without any API call", async () => {
    const tcp = await configured("TcpFarm", emu);
    const news = { serviceName: "", zone: "GRA", port: 0, balance: "uri", stickiness: "cookie", colour: "red", __provider: PROVIDER_TEXT };
    const from = mark(emu);
    const result = await tcp.check({}, news);
    expect(result).toEqual(farmModel("tcp").check(news));
    expect(failedProperties(result)).toEqual(["colour", "serviceName", "zone", "port", "balance", "stickiness"]);
    expect(emu.requests.length).toBe(from);
  });

  it("refuses what a farm type does not have, and a probe rule the API would refuse, as the model does", async () => {
    const udp = await configured("UdpFarm", emu);
    const udpNews = { serviceName: svc, zone: "gra", balance: "first" };
    expect(await udp.check({}, udpNews)).toEqual(farmModel("udp").check(udpNews));
    expect(failedProperties(await udp.check({}, udpNews))).toEqual(["balance", "port"]);
    const httpNews = { serviceName: svc, zone: "gra", probe: { type: "tcp", match: "status", pattern: "200" } };
    expect(failedProperties(await http.check({}, httpNews))).toEqual(["probe.match"]);
  });

  it("returns valid inputs unchanged (no defaults added), __provider included", async () => {
    const inputs = webInputs();
    expect(await http.check({}, inputs)).toEqual({ inputs, failures: [] });
  });
});

describe("HttpFarm create", () => {
  withOwnEmulator();
  it("POSTs exactly the fields set, the probe in full, then one refresh of the farm's zone; the farm runs when create returns", async () => {
    const from = mark(emu);
    const { id } = await http.create(webInputs());
    const farm = farmId(id);
    expect(id).toBe(`${svc}/${farm}`);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body, r.status])).toEqual([
      ["POST", farmPath("http"), {
        zone: "gra", port: 8080, displayName: "web", balance: "leastconn", stickiness: "cookie",
        probe: { type: "http", port: null, interval: 60, method: null, url: "/health", match: "status", pattern: "200,204", negate: false, forceSsl: false },
      }, 200],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }, 200],
    ]);
    expect(runningFarm(emu, "gra", farm)).toEqual(await apiFarm(farm));
    expect(runningFarm(emu, "rbx", farm)).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("outputs every field as the API reports it, plus serviceName and the inputs (__provider kept)", async () => {
    const inputs = { ...webInputs(), displayName: "outputs" };
    const { id, outs } = await http.create(inputs);
    const api = await apiFarm(farmId(id));
    expect(outs).toEqual({ ...api, serviceName: svc, __provider: PROVIDER_TEXT, ...declared(inputs) });
    expect(outs).toEqual({
      farmId: farmId(id), serviceName: svc, zone: "gra", port: 8080, displayName: "outputs", vrackNetworkId: null,
      balance: "leastconn", stickiness: "cookie",
      probe: { type: "http", port: null, interval: 60, method: null, url: "/health", match: "status", pattern: "200,204", negate: false, forceSsl: false },
      __provider: PROVIDER_TEXT,
      // The program's inputs as declared, beside the API's view: what diff tells drift by (lifecycle.ts).
      declaredInputs: {
        serviceName: svc, zone: "gra", port: 8080, displayName: "outputs", balance: "leastconn", stickiness: "cookie",
        probe: { type: "http", url: "/health", match: "status", pattern: "200,204", interval: 60 },
      },
    });
  });

  it("POSTs only the zone for a minimal farm and outputs the API's nulls", async () => {
    const from = mark(emu);
    const { id, outs } = await http.create({ serviceName: svc, zone: "rbx" });
    expect(requestsSince(emu, from, "POST", farmPath("http")).map((r) => r.body)).toEqual([{ zone: "rbx" }]);
    expect(outs).toEqual({
      farmId: farmId(id), serviceName: svc, zone: "rbx", port: null, displayName: null, vrackNetworkId: null,
      balance: null, stickiness: null, probe: null, ...declared({ serviceName: svc, zone: "rbx" }),
    });
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "rbx" }]);
  });

  it("creates TCP and UDP farms on their own paths, with only their own fields in the outputs", async () => {
    const tcp = await configured("TcpFarm", emu);
    const udp = await configured("UdpFarm", emu);
    const from = mark(emu);
    const t = await tcp.create({ serviceName: svc, zone: "gra", balance: "source", stickiness: "sourceIp" });
    const u = await udp.create({ serviceName: svc, zone: "gra", port: 53, displayName: "dns" });
    expect(requestsSince(emu, from, "POST", /\/farm$/).map((r) => [r.path, r.body])).toEqual([
      [farmPath("tcp"), { zone: "gra", balance: "source", stickiness: "sourceIp" }],
      [farmPath("udp"), { zone: "gra", port: 53, displayName: "dns" }],
    ]);
    expect(u.outs).toEqual({
      farmId: farmId(u.id), serviceName: svc, zone: "gra", port: 53, displayName: "dns", vrackNetworkId: null,
      ...declared({ serviceName: svc, zone: "gra", port: 53, displayName: "dns" }),
    });
    expect(t.outs.probe).toBeNull();
  });
});

describe("HttpFarm diff", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => {
    ({ id, outs } = await http.create({ ...webInputs(), displayName: "diffed" }));
  });

  it("finds no change with exactly one GET of the farm and nothing else", async () => {
    const from = mark(emu);
    const news = { ...webInputs(), displayName: "diffed" };
    expect(await http.diff(id, outs, news)).toEqual({ changes: false });
    expect(calls(emu, from)).toEqual([`GET ${farmPath("http", farmId(id))}`]);
  });

  it("treats an absent balance as roundrobin and an absent probe as the API's default tcp probe", async () => {
    const { id: plainId, outs: plain } = await http.create({ serviceName: svc, zone: "gra", port: 80 });
    expect(await http.diff(plainId, plain, { serviceName: svc, zone: "gra", port: 80, balance: "roundrobin", probe: { type: "tcp", interval: 30 } }))
      .toMatchObject({ changes: false });
  });

  it("shows a change made out of band (balance changed in the console) as an update of that field", async () => {
    await client.requestPromised("PUT", farmPath("http", farmId(id)), { balance: "source" });
    const news = { ...webInputs(), displayName: "diffed" };
    expect(await http.diff(id, outs, news)).toEqual({
      changes: true, replaces: [], deleteBeforeReplace: false,
    });
    await client.requestPromised("PUT", farmPath("http", farmId(id)), { balance: "leastconn" });
  });

  it("replaces when zone or serviceName change", async () => {
    const news = { ...webInputs(), displayName: "diffed" };
    expect(await http.diff(id, outs, { ...news, zone: "rbx" })).toEqual({
      changes: true, replaces: ["zone"], deleteBeforeReplace: false,
    });
    expect(await http.diff(id, outs, { ...news, serviceName: "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0" })).toEqual({
      changes: true, replaces: ["serviceName"], deleteBeforeReplace: false,
    });
  });

  it("never diffs on __provider (a new provider version alone changes nothing)", async () => {
    const news = { ...webInputs(), displayName: "diffed", __provider: "exports.handler = somethingElse;" };
    expect(await http.diff(id, { ...outs, __provider: "old" }, news)).toEqual({ changes: false });
  });

  it("replaces a farm deleted out of band (so `up` re-creates it)", async () => {
    const { id: goneId, outs: gone } = await http.create({ serviceName: svc, zone: "gra", displayName: "gone" });
    await client.requestPromised("DELETE", farmPath("http", farmId(goneId)));
    expect(await http.diff(goneId, gone, { serviceName: svc, zone: "gra", displayName: "gone" })).toEqual({
      changes: true, replaces: ["farmId"], deleteBeforeReplace: false,
    });
  });
});

describe("HttpFarm update", () => {
  withOwnEmulator();
  it("PUTs only the changed field, refreshes the zone once, and the change runs when update returns", async () => {
    const { id, outs } = await http.create(webInputs());
    const news = { ...webInputs(), displayName: "renamed" };
    const from = mark(emu);
    const result = await http.update(id, outs, news);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", farmPath("http", farmId(id)), { displayName: "renamed" }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "gra" }],
    ]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ displayName: "renamed", balance: "leastconn" });
    expect(pendingChanges(emu)).toEqual([]);
    expect(result.outs).toEqual({ ...outs, displayName: "renamed", ...declared(news) });
  });

  it("sends null for stickiness, port, probe, balance and displayName when they are removed, and the API clears them", async () => {
    const { id, outs } = await http.create(webInputs());
    const from = mark(emu);
    const news = { serviceName: svc, zone: "gra", __provider: PROVIDER_TEXT };
    const result = await http.update(id, outs, news);
    // The body the emulator received: node-ovh would have dropped these top-level nulls (ovh-iplb-api.md 1.4).
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([
      { port: null, displayName: null, balance: null, stickiness: null, probe: null },
    ]);
    const cleared = { port: null, displayName: null, balance: null, stickiness: null, probe: null };
    expect(runningFarm(emu, "gra", farmId(id))).toEqual({ farmId: farmId(id), zone: "gra", vrackNetworkId: null, ...cleared });
    expect(result.outs).toEqual({ farmId: farmId(id), serviceName: svc, zone: "gra", vrackNetworkId: null, ...cleared, __provider: PROVIDER_TEXT, ...declared(news) });
  });

  it("sends nothing and posts no refresh when nothing changed", async () => {
    const { id, outs } = await http.create(webInputs());
    const from = mark(emu);
    const result = await http.update(id, outs, { ...webInputs(), __provider: "a newer provider" });
    expect(writesSince(emu, from)).toEqual([]);
    expect(result.outs).toEqual({ ...outs, __provider: "a newer provider" });
  });

  it("changes one probe field by sending the whole probe", async () => {
    const { id, outs } = await http.create(webInputs());
    const probe = { type: "http", url: "/ready", match: "status", pattern: "200,204", interval: 60 };
    const from = mark(emu);
    await http.update(id, outs, { ...webInputs(), probe });
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([
      { probe: { type: "http", port: null, interval: 60, method: null, url: "/ready", match: "status", pattern: "200,204", negate: false, forceSsl: false } },
    ]);
    expect(runningFarm(emu, "gra", farmId(id))?.probe).toMatchObject({ url: "/ready" });
  });
});

describe("HttpFarm read", () => {
  withOwnEmulator();
  it("returns the live values, drift included", async () => {
    const { id, outs } = await http.create(webInputs());
    await client.requestPromised("PUT", farmPath("http", farmId(id)), { port: 9090, displayName: "edited in the console" });
    const from = mark(emu);
    expect(await http.read(id, outs)).toEqual({ id, props: { ...outs, port: 9090, displayName: "edited in the console" } });
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("returns an empty id when the farm is gone", async () => {
    const { id, outs } = await http.create({ serviceName: svc, zone: "gra" });
    await client.requestPromised("DELETE", farmPath("http", farmId(id)));
    expect(await http.read(id, outs)).toEqual({ id: "", props: {} });
  });
});

describe("HttpFarm delete", () => {
  withOwnEmulator();
  it("DELETEs the farm and refreshes its zone: it no longer runs when delete returns", async () => {
    const { id, outs } = await http.create(webInputs());
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ farmId: farmId(id) });
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.status])).toEqual([
      ["DELETE", farmPath("http", farmId(id)), 200],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, 200],
    ]);
    expect(runningFarm(emu, "gra", farmId(id))).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("succeeds on a farm already deleted out of band, and still makes that deletion live", async () => {
    const { id, outs } = await http.create(webInputs());
    await client.requestPromised("DELETE", farmPath("http", farmId(id)));
    expect(pendingChanges(emu)).toEqual([{ zone: "gra", number: 1 }]);
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.status])).toEqual([
      ["DELETE", farmPath("http", farmId(id)), 404],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, 200],
    ]);
    expect(runningFarm(emu, "gra", farmId(id))).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("succeeds on a farm gone and applied, sending nothing but the DELETE", async () => {
    const { id, outs } = await http.create({ serviceName: svc, zone: "rbx" });
    await client.requestPromised("DELETE", farmPath("http", farmId(id)));
    await applyPendingOutOfBand(emu, client);
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["DELETE", 404]]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

/**
 * Frontend providers (HttpFrontend, TcpFrontend, UdpFrontend) method by method against the emulator: the bodies and
 * calls each method sends, what runs when it returns, drift and gone frontends, clearing, adoption, and the error a
 * user sees when `defaultFarmId` or `defaultSslId` names the wrong object. Farms are made with the official client,
 * as a console would, and made live before each test uses them.
 * Not proven here: batching across resources and the Refresh batch (tests/program/), the real API's own wording of
 * its 400s (the emulator's is used; the provider's explanation does not depend on it), and that traffic follows the
 * frontend (the emulator routes none).
 */
import type { OvhClient } from "ovh";
import { frontendModel } from "../../provider/models/frontend";
import type { Emulator } from "../helpers/emulator";
import {
  applyPendingOutOfBand, calls, configured, declared, failureOf, mark, pendingChanges, Props, Provider, refreshesSince,
  requestsSince, writesSince, failedProperties, withEmulator,
} from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
type Proto = "http" | "tcp" | "udp";

let emu: Emulator;
let client: OvhClient;
let svc: string;
let http: Provider;
let tcp: Provider;
let udp: Provider;
/** Live farms made out of band: HTTP in gra, HTTP in rbx, TCP in gra, UDP in all. */
let farms: { httpGra: number; httpRbx: number; tcpGra: number; udpAll: number };

const frontendPath = (proto: Proto, id?: number) => `/ipLoadbalancing/${svc}/${proto}/frontend${id === undefined ? "" : `/${id}`}`;
const refreshPath = () => `/ipLoadbalancing/${svc}/refresh`;
const apiFrontend = async (proto: Proto, id: number) => (await client.requestPromised("GET", frontendPath(proto, id))) as Props;
const frontendId = (id: string) => Number(id.split("/").pop());
const running = (zone: string, id: number) => emu.running(zone).frontends[id]?.data;
// support.ts lists the farm kinds only; the registry serves these too.
const provider = (kind: "HttpFrontend" | "TcpFrontend" | "UdpFrontend") => configured(kind, emu);

async function newFarm(proto: Proto, zone: string): Promise<number> {
  const body = { zone, port: 8080 };
  return ((await client.requestPromised("POST", `/ipLoadbalancing/${svc}/${proto}/farm`, body)) as { farmId: number }).farmId;
}

/** A fully specified HTTP frontend on the gra HTTP farm. */
const webInputs = (): Props => ({
  serviceName: svc, zone: "gra", port: "80,443", defaultFarmId: farms.httpGra, displayName: "web", disabled: false,
  dedicatedIpfo: ["203.0.113.7/32"], allowedSource: ["198.51.100.0/24", "192.0.2.0/24"], hsts: true,
  httpHeader: ["X-Client-IP %ci", "X-Client-Port %cp"], __provider: PROVIDER_TEXT,
});

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    [http, tcp, udp] = await Promise.all([provider("HttpFrontend"), provider("TcpFrontend"), provider("UdpFrontend")]);
    farms = { httpGra: await newFarm("http", "gra"), httpRbx: await newFarm("http", "rbx"), tcpGra: await newFarm("tcp", "gra"), udpAll: await newFarm("udp", "all") };
    await applyPendingOutOfBand(emu, client);
  });

describe("frontend check", () => {
  withOwnEmulator();
  // The messages themselves are the model's (tests/unit/frontend.test.ts): here, the wiring.
  it("answers with its protocol's model without any API call, and returns the port and blocks as the API takes them", async () => {
    const from = mark(emu);
    const udpNews = { serviceName: svc, zone: "gra", port: "53,53", ssl: true, dedicatedIpfo: ["203.0.113.7/24"] };
    const result = await udp.check({}, udpNews);
    expect(result).toEqual(frontendModel("udp").check(udpNews));
    expect(failedProperties(result)).toEqual(["ssl", "port", "dedicatedIpfo"]);
    expect(await tcp.check({}, { serviceName: svc, zone: "gra", port: [443, "8000-8010"], deniedSource: ["192.0.2.1"], __provider: PROVIDER_TEXT })).toEqual({
      inputs: { serviceName: svc, zone: "gra", port: "443,8000-8010", deniedSource: ["192.0.2.1/32"], __provider: PROVIDER_TEXT },
      failures: [],
    });
    expect(emu.requests.length).toBe(from);
  });
});

describe("frontend create", () => {
  withOwnEmulator();
  it("POSTs exactly the fields set, then one refresh of its zone; the frontend runs when create returns", async () => {
    const from = mark(emu);
    const { id, outs } = await http.create(webInputs());
    const fe = frontendId(id);
    expect(id).toBe(`${svc}/${fe}`);
    const { serviceName: _s, __provider: _p, ...sent } = webInputs();
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body, r.status])).toEqual([
      ["POST", frontendPath("http"), sent, 200],
      ["POST", refreshPath(), { zone: "gra" }, 200],
    ]);
    expect(running("gra", fe)).toEqual(await apiFrontend("http", fe));
    expect(running("rbx", fe)).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
    expect(outs).toEqual({
      ...webInputs(), frontendId: fe, ssl: false, defaultSslId: null, deniedSource: null, redirectLocation: null,
      vrackNetworkId: null, vrackVrouterId: null, ...declared(webInputs()),
    });
  });

  it("makes a frontend in zone all live in every zone with one refresh", async () => {
    const from = mark(emu);
    const inputs = { serviceName: svc, zone: "all", port: 53, defaultFarmId: farms.udpAll };
    const { id, outs } = await udp.create(inputs);
    expect(requestsSince(emu, from, "POST", frontendPath("udp")).map((r) => r.body)).toEqual([{ zone: "all", port: "53", defaultFarmId: farms.udpAll }]);
    // No body: the API applies every zone at once.
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    expect([running("gra", frontendId(id)), running("rbx", frontendId(id))]).toEqual([expect.objectContaining({ port: "53" }), expect.objectContaining({ port: "53" })]);
    expect(outs).toEqual({
      serviceName: svc, zone: "all", port: "53", defaultFarmId: farms.udpAll, frontendId: frontendId(id), displayName: null, disabled: false, dedicatedIpfo: null,
      ...declared(inputs),
    });
  });

  it("fails clearly, naming defaultFarmId, when it is a farm of another protocol, and creates nothing", async () => {
    const from = mark(emu);
    const err = await failureOf(http.create({ serviceName: svc, zone: "gra", port: "80", defaultFarmId: farms.tcpGra }));
    expect(err.message).toBe(
      `HttpFrontend defaultFarmId: farm ${farms.tcpGra} is a TCP farm; a HTTP frontend needs a HTTP farm ` +
      `(OVH API POST ${frontendPath("http")} failed: 400 [defaultFarmId] http farm ${farms.tcpGra} does not exist)`);
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["POST", 400]]);
    expect(await client.requestPromised("GET", frontendPath("http"), { defaultFarmId: farms.tcpGra })).toEqual([]);
  });

  it("names the zone rule when the farm is in another zone, and a missing certificate by its id", async () => {
    const inRbx = await failureOf(http.create({ serviceName: svc, zone: "gra", port: "80", defaultFarmId: farms.httpRbx }));
    expect(inRbx.message).toMatch(new RegExp(`^HttpFrontend defaultFarmId: farm ${farms.httpRbx} is in zone rbx and cannot serve a frontend in zone gra; use a farm in gra or all \\(OVH API POST .* failed: 400 `));
    const noFarm = await failureOf(tcp.create({ serviceName: svc, zone: "gra", port: "80", defaultFarmId: 999999 }));
    expect(noFarm.message).toMatch(/^TcpFrontend defaultFarmId: there is no farm 999999 on .*; it must be a TCP farm \(farmId of a TcpFarm\) \(OVH API/);
    const noSsl = await failureOf(tcp.create({ serviceName: svc, zone: "gra", port: "443", ssl: true, defaultSslId: 424242 }));
    expect(noSsl.message).toMatch(new RegExp(`^TcpFrontend defaultSslId: there is no certificate 424242 on ${svc} \\(OVH API POST`));
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("frontend diff", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => {
    ({ id, outs } = await http.create({ ...webInputs(), displayName: "diffed" }));
  });
  const news = () => ({ ...webInputs(), displayName: "diffed" });

  it("finds no change with exactly one GET of the frontend", async () => {
    const from = mark(emu);
    expect(await http.diff(id, outs, news())).toEqual({ changes: false });
    expect(calls(emu, from)).toEqual([`GET ${frontendPath("http", frontendId(id))}`]);
  });

  it("finds no change when only the order of ports, sources or IPs changed, or a /32 is written bare", async () => {
    const reordered = { ...news(), port: [443, 80], allowedSource: ["192.0.2.0/24", "198.51.100.0/24"], dedicatedIpfo: ["203.0.113.7"] };
    const { inputs } = await http.check(outs, reordered);
    expect(await http.diff(id, outs, inputs)).toMatchObject({ changes: false });
  });

  it("shows a change made out of band as an update of that field, and a header order change as a change", async () => {
    await client.requestPromised("PUT", frontendPath("http", frontendId(id)), { disabled: true });
    expect(await http.diff(id, outs, news())).toEqual({
      changes: true, replaces: [], deleteBeforeReplace: false,
    });
    await client.requestPromised("PUT", frontendPath("http", frontendId(id)), { disabled: false, httpHeader: ["X-Client-Port %cp", "X-Client-IP %ci"] });
    expect(await http.diff(id, outs, news())).toEqual({
      changes: true, replaces: [], deleteBeforeReplace: false,
    });
    await client.requestPromised("PUT", frontendPath("http", frontendId(id)), { httpHeader: outs.httpHeader });
  });

  it("updates a zone change in place and replaces only on serviceName", async () => {
    expect(await http.diff(id, outs, { ...news(), zone: "all" })).toEqual({ changes: undefined });
    expect(await http.diff(id, outs, { ...news(), serviceName: "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0" })).toMatchObject({ replaces: ["serviceName"] });
  });

  it("replaces a frontend deleted out of band (so `up` re-creates it)", async () => {
    const made = await tcp.create({ serviceName: svc, zone: "gra", port: "25" });
    await client.requestPromised("DELETE", frontendPath("tcp", frontendId(made.id)));
    expect(await tcp.diff(made.id, made.outs, { serviceName: svc, zone: "gra", port: "25" })).toEqual({
      changes: true, replaces: ["frontendId"], deleteBeforeReplace: false,
    });
  });
});

describe("frontend update", () => {
  withOwnEmulator();
  it("sends null for removed nullable fields and false for removed booleans; the API clears them and runs it", async () => {
    const { id, outs } = await http.create({ ...webInputs(), ssl: true });
    const fe = frontendId(id);
    const from = mark(emu);
    const news = { serviceName: svc, zone: "gra", port: "80,443", __provider: PROVIDER_TEXT };
    const result = await http.update(id, outs, news);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", frontendPath("http", fe), {
        defaultFarmId: null, displayName: null, dedicatedIpfo: null, ssl: false, allowedSource: null, hsts: false, httpHeader: null,
      }],
      ["POST", refreshPath(), { zone: "gra" }],
    ]);
    const cleared = {
      frontendId: fe, zone: "gra", port: "80,443", defaultFarmId: null, displayName: null, disabled: false, dedicatedIpfo: null, ssl: false,
      defaultSslId: null, allowedSource: null, deniedSource: null, hsts: false, httpHeader: null, redirectLocation: null, vrackNetworkId: null, vrackVrouterId: null,
    };
    expect(running("gra", fe)).toEqual(cleared);
    expect(result.outs).toEqual({ ...cleared, serviceName: svc, __provider: PROVIDER_TEXT, ...declared(news) });
  });

  it("sends nothing and refreshes nothing when only orders changed", async () => {
    const { id, outs } = await http.create(webInputs());
    const { inputs } = await http.check(outs, { ...webInputs(), port: "443, 80", allowedSource: ["192.0.2.0/24", "198.51.100.0/24"] });
    const from = mark(emu);
    await http.update(id, outs, inputs);
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("moves a frontend to another zone in place: one PUT, both zones refreshed, it runs only in the new one", async () => {
    const { id, outs } = await tcp.create({ serviceName: svc, zone: "gra", port: "3306", displayName: "db" });
    const fe = frontendId(id);
    const from = mark(emu);
    await tcp.update(id, outs, { serviceName: svc, zone: "rbx", port: "3306", displayName: "db" });
    expect(requestsSince(emu, from, "PUT").map((r) => r.body)).toEqual([{ zone: "rbx" }]);
    // Both zones have a change, so one refresh without a zone applies them together.
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([undefined]);
    expect([running("gra", fe), running("rbx", fe)]).toEqual([undefined, expect.objectContaining({ zone: "rbx", displayName: "db" })]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("fails clearly when a zone move leaves the default farm behind, writing nothing", async () => {
    const { id, outs } = await http.create({ serviceName: svc, zone: "gra", port: "8081", defaultFarmId: farms.httpGra });
    const from = mark(emu);
    const err = await failureOf(http.update(id, outs, { serviceName: svc, zone: "rbx", port: "8081", defaultFarmId: farms.httpGra }));
    expect(err.message).toMatch(new RegExp(`^HttpFrontend defaultFarmId: farm ${farms.httpGra} is in zone gra and cannot serve a frontend in zone rbx; use a farm in rbx or all \\(OVH API PUT`));
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["PUT", 400]]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("frontend read and delete", () => {
  withOwnEmulator();
  it("reads the live values, drift included, and an empty id once gone", async () => {
    const { id, outs } = await udp.create({ serviceName: svc, zone: "gra", port: "53" });
    await client.requestPromised("PUT", frontendPath("udp", frontendId(id)), { port: "5353", displayName: "console" });
    expect(await udp.read(id, outs)).toEqual({ id, props: { ...outs, port: "5353", displayName: "console" } });
    await client.requestPromised("DELETE", frontendPath("udp", frontendId(id)));
    expect(await udp.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it("DELETEs and refreshes: it no longer runs when delete returns; an already deleted one counts as done", async () => {
    const { id, outs } = await http.create(webInputs());
    const from = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.status])).toEqual([
      ["DELETE", frontendPath("http", frontendId(id)), 200],
      ["POST", refreshPath(), 200],
    ]);
    expect(running("gra", frontendId(id))).toBeUndefined();
    const again = mark(emu);
    await http.delete(id, outs);
    expect(writesSince(emu, again).map((r) => [r.method, r.status])).toEqual([["DELETE", 404]]);
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("adopting a frontend", () => {
  withOwnEmulator();
  it("takes it over with no POST, only a PUT of the fields that differ (zone included), live when create returns", async () => {
    const made = (await client.requestPromised("POST", frontendPath("tcp"), { zone: "gra", port: "443,80", displayName: "legacy", deniedSource: ["192.0.2.0/24"] })) as Props;
    await applyPendingOutOfBand(emu, client);
    const fe = made.frontendId as number;
    const inputs = { serviceName: svc, zone: "all", port: [80, 443], displayName: "legacy", deniedSource: ["192.0.2.0/24"], adoptFrontendId: fe };
    const { inputs: checked } = await tcp.check({}, inputs);
    const from = mark(emu);
    const { id, outs } = await tcp.create(checked);
    expect(id).toBe(`${svc}/${fe}`);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["PUT", frontendPath("tcp", fe), { zone: "all" }],
      ["POST", refreshPath(), undefined],
    ]);
    expect(outs).toMatchObject({ frontendId: fe, zone: "all", port: "443,80" });
    expect(await tcp.diff(id, outs, checked)).toMatchObject({ changes: false });
    expect([running("gra", fe), running("rbx", fe)].map((f) => f?.zone)).toEqual(["all", "all"]);
  });

  it("fails clearly, writing nothing, when the frontend does not exist in that protocol", async () => {
    const made = (await client.requestPromised("POST", frontendPath("udp"), { zone: "gra", port: "53" })) as Props;
    const from = mark(emu);
    await expect(tcp.create({ serviceName: svc, zone: "gra", port: "53", adoptFrontendId: made.frontendId })).rejects.toThrow(
      `TcpFrontend adoptFrontendId: there is no TCP frontend ${made.frontendId} on ${svc}`);
    expect(writesSince(emu, from)).toEqual([]);
  });
});

/**
 * The frontend family (`/{http|tcp|udp}/frontend`) through the official `ovh` client: per-protocol models, port
 * strings, references to farms and certificates, the source lists, filters, and exact errors, each rejection checked
 * against the whole store, the frontend list and pendingChanges.
 * The certificate is uploaded through the ssl family with the emulator's own test certificate.
 * Not proven here: that traffic follows the frontend (the emulator routes no traffic).
 */
import * as fs from "fs";
import type { OvhClient } from "ovh";
import * as path from "path";
import { Emulator, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

type Proto = "http" | "tcp" | "udp";
type Body = Record<string, unknown>;

let emu: Emulator;
let client: OvhClient;
let sslId: number;
const call = (method: string, p: string, body?: object) => client.requestPromised(method, p, body);
const withNulls = (body: Body) => ({ toJSON: () => body });
const frontends = (proto: Proto, id?: number) => svcPath(emu, `/${proto}/frontend${id === undefined ? "" : `/${id}`}`);
const newFrontend = async (proto: Proto, body: Body = {}) =>
  (await call("POST", frontends(proto), { zone: "gra", port: "80", ...body })) as Body & { frontendId: number };
const newFarm = async (proto: Proto, zone = "gra") =>
  ((await call("POST", svcPath(emu, `/${proto}/farm`), { zone, port: 80 })) as { farmId: number }).farmId;

async function expectRejected(p: () => Promise<unknown>, proto: Proto, error: number, message: string): Promise<void> {
  const state = async () => ({
    store: JSON.stringify(emu.store.data),
    list: await call("GET", frontends(proto)),
    pending: await call("GET", svcPath(emu, "/pendingChanges")),
  });
  const before = await state();
  expect(await rejection(p())).toEqual({ error, message });
  expect(await state()).toEqual(before);
}

beforeAll(async () => {
  emu = await startTestEmulator();
  client = ovhClient(emu);
  const pem = (file: string) => fs.readFileSync(path.join(path.dirname(emu.caFile), file), "utf8");
  sslId = ((await call("POST", svcPath(emu, "/ssl"), { certificate: pem("server.pem"), key: pem("server-key.pem") })) as { id: number }).id;
});
afterAll(() => emu.close());

describe("frontend create and read", () => {
  it("returns every HTTP frontend field: false for unset booleans, null for unset nullable fields", async () => {
    const fe = await newFrontend("http");
    expect(fe).toEqual({
      frontendId: expect.any(Number),
      zone: "gra",
      port: "80",
      defaultFarmId: null,
      displayName: null,
      disabled: false,
      dedicatedIpfo: null,
      ssl: false,
      defaultSslId: null,
      allowedSource: null,
      deniedSource: null,
      hsts: false,
      httpHeader: null,
      redirectLocation: null,
      vrackNetworkId: null,
      vrackVrouterId: null,
    });
    expect(await call("GET", frontends("http", fe.frontendId))).toEqual(fe);
  });

  it("keeps every given HTTP field", async () => {
    const farmId = await newFarm("http");
    const given = {
      zone: "gra", port: "80,443,8000-8010", defaultFarmId: farmId, displayName: "web", disabled: true, dedicatedIpfo: ["203.0.113.12/32"],
      ssl: true, defaultSslId: sslId, allowedSource: ["198.51.100.0/24"], hsts: true, httpHeader: ["X-Client-IP %ci"], redirectLocation: "https://example.com",
    };
    const fe = await newFrontend("http", given);
    expect(fe).toEqual({ ...given, frontendId: fe.frontendId, deniedSource: null, vrackNetworkId: null, vrackVrouterId: null });
  });

  it("gives TCP frontends no hsts/httpHeader/redirectLocation, and UDP frontends no ssl, sources or vRack fields", async () => {
    const tcp = await newFrontend("tcp", { port: "443", zone: "all" });
    expect(Object.keys(tcp).sort()).toEqual(
      ["allowedSource", "dedicatedIpfo", "defaultFarmId", "defaultSslId", "deniedSource", "disabled", "displayName", "frontendId", "port", "ssl", "vrackNetworkId", "vrackVrouterId", "zone"],
    );
    const udp = await newFrontend("udp", { port: "53" });
    expect(udp).toEqual({ frontendId: udp.frontendId, zone: "gra", port: "53", defaultFarmId: null, displayName: null, disabled: false, dedicatedIpfo: null });
  });

  it("lets a frontend use a farm of its own zone or of zone all", async () => {
    const gra = await newFarm("tcp", "gra");
    const all = await newFarm("tcp", "all");
    expect((await newFrontend("tcp", { defaultFarmId: gra })).defaultFarmId).toBe(gra);
    expect((await newFrontend("tcp", { zone: "rbx", defaultFarmId: all })).defaultFarmId).toBe(all);
    expect((await newFrontend("tcp", { zone: "all", defaultFarmId: all })).defaultFarmId).toBe(all);
  });

  it("answers 404 for unknown frontend ids and for a frontend id of another protocol", async () => {
    const tcp = await newFrontend("tcp");
    const message = (id: unknown) => `The requested object (frontendId = ${id}) does not exist`;
    expect(await rejection(call("GET", frontends("http", tcp.frontendId)))).toEqual({ error: 404, message: message(tcp.frontendId) });
    expect(await rejection(call("GET", frontends("udp", 999999)))).toEqual({ error: 404, message: message(999999) });
    await expectRejected(() => call("PUT", frontends("udp", tcp.frontendId), { displayName: "x" }), "udp", 404, message(tcp.frontendId));
    await expectRejected(() => call("DELETE", frontends("http", tcp.frontendId)), "http", 404, message(tcp.frontendId));
  });
});

describe("frontend update and delete", () => {
  it("changes only the fields given (zone included) and returns null", async () => {
    const fe = await newFrontend("http", { displayName: "keep" });
    expect(await call("PUT", frontends("http", fe.frontendId), { zone: "rbx", port: "8080", hsts: true })).toBeNull();
    expect(await call("GET", frontends("http", fe.frontendId))).toEqual({ ...fe, zone: "rbx", port: "8080", hsts: true });
  });

  it("clears nullable fields sent as null and accepts the read-only vRack fields repeated unchanged", async () => {
    const farmId = await newFarm("tcp");
    const fe = await newFrontend("tcp", { defaultFarmId: farmId, defaultSslId: sslId, displayName: "x", deniedSource: ["192.0.2.0/24"] });
    await expectSchemaViolations(emu, ["body.vrackNetworkId: read-only"], () =>
      call("PUT", frontends("tcp", fe.frontendId), withNulls({ defaultFarmId: null, defaultSslId: null, displayName: null, deniedSource: null, vrackNetworkId: null })),
    );
    expect(await call("GET", frontends("tcp", fe.frontendId))).toEqual({ ...fe, defaultFarmId: null, defaultSslId: null, displayName: null, deniedSource: null });
  });

  it("deletes a frontend and returns null; its farm can then be deleted", async () => {
    const farmId = await newFarm("udp");
    const fe = await newFrontend("udp", { port: "53", defaultFarmId: farmId });
    expect(await call("DELETE", frontends("udp", fe.frontendId))).toBeNull();
    expect(await rejection(call("GET", frontends("udp", fe.frontendId)))).toMatchObject({ error: 404 });
    expect(await call("DELETE", svcPath(emu, `/udp/farm/${farmId}`))).toBeNull();
  });
});

describe("frontend lists", () => {
  it("filters by defaultFarmId, defaultSslId, port (like) and zone, per protocol", async () => {
    const own = await startTestEmulator();
    const c = ovhClient(own);
    const p = (proto: Proto) => `/ipLoadbalancing/${own.serviceName}/${proto}/frontend`;
    const post = async (proto: Proto, body: Body) => ((await c.requestPromised("POST", p(proto), body)) as { frontendId: number }).frontendId;
    try {
      const farmId = ((await c.requestPromised("POST", `/ipLoadbalancing/${own.serviceName}/http/farm`, { zone: "all" })) as { farmId: number }).farmId;
      const a = await post("http", { zone: "gra", port: "80", defaultFarmId: farmId });
      const b = await post("http", { zone: "rbx", port: "8080-8090" });
      const d = await post("http", { zone: "all", port: "443", defaultFarmId: farmId });
      const u = await post("udp", { zone: "gra", port: "53" });
      const list = (proto: Proto, query?: Body) => c.requestPromised("GET", p(proto), query);
      expect(await list("http")).toEqual([a, b, d]);
      expect(await list("udp")).toEqual([u]);
      expect(await list("tcp")).toEqual([]);
      expect(await list("http", { defaultFarmId: farmId })).toEqual([a, d]);
      expect(await list("http", { zone: "rbx" })).toEqual([b]);
      expect(await list("http", { zone: "all" })).toEqual([d]);
      expect(await list("http", { port: "80%" })).toEqual([a, b]);
      expect(await list("http", { port: "443" })).toEqual([d]);
      expect(await list("http", { defaultSslId: 1 })).toEqual([]);
      expect(await list("udp", { port: "%3" })).toEqual([u]);
    } finally {
      await own.close();
    }
  });

  it("filters by defaultSslId", async () => {
    const fe = await newFrontend("tcp", { port: "8443", defaultSslId: sslId, ssl: true });
    expect(await call("GET", frontends("tcp"), { defaultSslId: sslId })).toEqual([fe.frontendId]);
  });
});

describe("frontend validation", () => {
  const badPort = (v: string) => `[port] Given data (${v}) is not a port, a port range or a comma-separated list of them (ports 1..49151)`;

  test.each<[string, Proto, Body, string]>([
    ["zone missing", "http", { port: "80" }, "[zone] Property is mandatory"],
    ["port missing", "tcp", { zone: "gra" }, "[port] Property is mandatory"],
    ["a numeric port", "udp", { zone: "gra", port: 53 }, "[port] Given data (53) is not valid for type string"],
    ["zone not of the service", "http", { zone: "sbg", port: "80" }, "[zone] Given data (sbg) is not a zone of this load balancer (gra, rbx, all)"],
    ["port 0", "http", { zone: "gra", port: "0" }, badPort("0")],
    ["port 49152", "tcp", { zone: "gra", port: "49152" }, badPort("49152")],
    ["a reversed range", "tcp", { zone: "gra", port: "90-80" }, badPort("90-80")],
    ["a range ending past 49151", "http", { zone: "gra", port: "49000-50000" }, badPort("49000-50000")],
    ["a trailing comma", "http", { zone: "gra", port: "80," }, badPort("80,")],
    ["a space", "udp", { zone: "gra", port: "80, 443" }, badPort("80, 443")],
    ["a word", "http", { zone: "gra", port: "http" }, badPort("http")],
    ["a dedicatedIpfo that is not an IP block", "http", { zone: "gra", port: "80", dedicatedIpfo: ["ip-1"] }, "[dedicatedIpfo] Given data (ip-1) is not valid for type ipBlock"],
    ["allowedSource and deniedSource both", "tcp", { zone: "gra", port: "80", allowedSource: ["10.0.0.0/8"], deniedSource: ["10.1.0.0/16"] }, "You cannot specify allowedSource and deniedSource both at the same time"],
    ["hsts on TCP", "tcp", { zone: "gra", port: "80", hsts: true }, "[hsts] Unknown property"],
    ["httpHeader on TCP", "tcp", { zone: "gra", port: "80", httpHeader: ["X-A b"] }, "[httpHeader] Unknown property"],
    ["redirectLocation on UDP", "udp", { zone: "gra", port: "80", redirectLocation: "https://a" }, "[redirectLocation] Unknown property"],
    ["ssl on UDP", "udp", { zone: "gra", port: "80", ssl: true }, "[ssl] Unknown property"],
    ["vrackNetworkId given", "http", { zone: "gra", port: "80", vrackNetworkId: 1 }, "[vrackNetworkId] This property is read-only"],
    ["frontendId given", "tcp", { zone: "gra", port: "80", frontendId: 1 }, "[frontendId] This property is read-only"],
    ["an unknown defaultFarmId", "http", { zone: "gra", port: "80", defaultFarmId: 999999 }, "[defaultFarmId] http farm 999999 does not exist"],
    ["an unknown defaultSslId", "tcp", { zone: "gra", port: "80", defaultSslId: 999999 }, "[defaultSslId] Certificate 999999 does not exist"],
  ])("refuses a create with %s, changing nothing", async (_what, proto, body, message) => {
    await expectRejected(() => call("POST", frontends(proto), body), proto, 400, message);
  });

  it("refuses a defaultFarmId of another protocol", async () => {
    const tcpFarm = await newFarm("tcp");
    await expectRejected(() => call("POST", frontends("http"), { zone: "gra", port: "80", defaultFarmId: tcpFarm }), "http", 400, `[defaultFarmId] http farm ${tcpFarm} does not exist`);
  });

  it("refuses a farm whose zone does not cover the frontend's, on create and on a zone change", async () => {
    const gra = await newFarm("http", "gra");
    const message = (zone: string) => `[defaultFarmId] Farm ${gra} is in zone gra and can not serve a frontend in zone ${zone}`;
    await expectRejected(() => call("POST", frontends("http"), { zone: "rbx", port: "80", defaultFarmId: gra }), "http", 400, message("rbx"));
    await expectRejected(() => call("POST", frontends("http"), { zone: "all", port: "80", defaultFarmId: gra }), "http", 400, message("all"));
    const fe = await newFrontend("http", { defaultFarmId: gra });
    await expectRejected(() => call("PUT", frontends("http", fe.frontendId), { zone: "rbx" }), "http", 400, message("rbx"));
  });

  test.each<[string, Proto, Body, Body, string]>([
    ["deniedSource added to allowedSource", "http", { allowedSource: ["10.0.0.0/8"] }, { deniedSource: ["10.1.0.0/16"] }, "You cannot specify allowedSource and deniedSource both at the same time"],
    ["a changed vrackVrouterId", "tcp", {}, { vrackVrouterId: 5 }, "[vrackVrouterId] This property is read-only"],
    ["a bad port next to a good field", "udp", {}, { displayName: "n", port: "1-99999" }, "[port] Given data (1-99999) is not a port, a port range or a comma-separated list of them (ports 1..49151)"],
    ["zone set to null", "http", {}, { zone: null }, "[zone] Property is mandatory"],
    ["an unknown zone", "tcp", {}, { zone: "bhs" }, "[zone] Given data (bhs) is not a zone of this load balancer (gra, rbx, all)"],
  ])("refuses a PUT with %s, changing nothing", async (_what, proto, initial, body, message) => {
    const fe = await newFrontend(proto, initial);
    await expectRejected(() => call("PUT", frontends(proto, fe.frontendId), withNulls(body)), proto, 400, message);
  });
});

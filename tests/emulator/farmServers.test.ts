/**
 * The farm-server family (`/{http|tcp|udp}/farm/{farmId}/server`) through the official `ovh` client: per-protocol
 * models, defaults of unset fields, the generated cookie, filters, read-only `address`, and exact errors, each
 * rejection checked against the whole store, the server list and pendingChanges.
 * Not proven here: real `serverState` values (the health prober's tests); here it is only computed, never stored.
 */
import type { OvhClient } from "ovh";
import { Emulator, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

type Proto = "http" | "tcp" | "udp";
type Body = Record<string, unknown>;

let emu: Emulator;
let client: OvhClient;
const call = (method: string, path: string, body?: object) => client.requestPromised(method, path, body);
const withNulls = (body: Body) => ({ toJSON: () => body });
const farmPath = (proto: Proto, farmId: number) => svcPath(emu, `/${proto}/farm/${farmId}`);
const servers = (proto: Proto, farmId: number, id?: number) => `${farmPath(proto, farmId)}/server${id === undefined ? "" : `/${id}`}`;
const newFarm = async (proto: Proto, body: Body = {}) =>
  ((await call("POST", svcPath(emu, `/${proto}/farm`), { zone: "gra", port: 80, ...body })) as { farmId: number }).farmId;
const newServer = async (proto: Proto, farmId: number, body: Body = {}) =>
  (await call("POST", servers(proto, farmId), { address: "10.0.0.1", status: "active", ...body })) as Body & { serverId: number };

async function expectRejected(p: () => Promise<unknown>, listPath: string, error: number, message: string): Promise<void> {
  const state = async () => ({
    store: JSON.stringify(emu.store.data),
    list: await call("GET", listPath).catch((e: unknown) => e),
    pending: await call("GET", svcPath(emu, "/pendingChanges")),
  });
  const before = await state();
  expect(await rejection(p())).toEqual({ error, message });
  expect(await state()).toEqual(before);
}

beforeAll(async () => {
  emu = await startTestEmulator();
  client = ovhClient(emu);
});
afterAll(() => emu.close());

describe("farm server create and read", () => {
  it("returns every HTTP server field: false for unset booleans, null for unset nullable fields, serverState []", async () => {
    const farmId = await newFarm("http");
    const server = await newServer("http", farmId);
    expect(server).toEqual({
      serverId: expect.any(Number),
      backendId: farmId,
      address: "10.0.0.1",
      status: "active",
      port: null,
      displayName: null,
      weight: null,
      backup: false,
      probe: false,
      ssl: false,
      chain: null,
      cookie: null,
      proxyProtocolVersion: null,
      onMarkedDown: null,
      serverState: [],
    });
    expect(await call("GET", servers("http", farmId, server.serverId))).toEqual(server);
  });

  it("keeps every given field, weight 0 included", async () => {
    const farmId = await newFarm("http");
    const given = {
      address: "10.0.0.2", status: "inactive", port: 8443, displayName: "b", weight: 0, backup: true, probe: true, ssl: true,
      chain: "-----BEGIN CERTIFICATE-----", cookie: "s1", proxyProtocolVersion: "v2-ssl-cn", onMarkedDown: "shutdown-sessions",
    };
    const server = await newServer("http", farmId, given);
    expect(server).toEqual({ ...given, serverId: server.serverId, backendId: farmId, serverState: [] });
  });

  it("gives TCP servers every field but cookie, and UDP servers only address, status, port, displayName", async () => {
    const tcpFarm = await newFarm("tcp");
    const tcp = await newServer("tcp", tcpFarm, { weight: 256 });
    expect(Object.keys(tcp).sort()).toEqual(
      ["address", "backendId", "backup", "chain", "displayName", "onMarkedDown", "port", "probe", "proxyProtocolVersion", "serverId", "serverState", "ssl", "status", "weight"],
    );
    expect(tcp.weight).toBe(256);
    const udpFarm = await newFarm("udp");
    const udp = await newServer("udp", udpFarm, { port: 53 });
    expect(udp).toEqual({ serverId: udp.serverId, backendId: udpFarm, address: "10.0.0.1", status: "active", port: 53, displayName: null });
  });

  it("stores serverState nowhere: it is computed on each read", async () => {
    const farmId = await newFarm("tcp");
    const server = await newServer("tcp", farmId);
    const stored = emu.store.service(emu.serviceName)!.staged.servers[server.serverId];
    expect(stored).toEqual({ type: "tcp", farmId, data: expect.not.objectContaining({ serverState: expect.anything() }) });
  });

  it("generates a 16-hex-digit cookie on a cookie-stickiness farm when none is given, and keeps a given one", async () => {
    const farmId = await newFarm("http", { stickiness: "cookie" });
    const generated = await newServer("http", farmId);
    expect(generated.cookie).toMatch(/^[0-9a-f]{16}$/);
    const other = await newServer("http", farmId, { address: "10.0.0.9" });
    expect(other.cookie).not.toBe(generated.cookie);
    expect((await newServer("http", farmId, { cookie: "mine" })).cookie).toBe("mine");
    expect((await newServer("http", await newFarm("http", { stickiness: "sourceIp" }))).cookie).toBeNull();
  });

  it("answers 404 for an unknown server, a server of another farm, and a farm of another protocol", async () => {
    const a = await newFarm("http");
    const b = await newFarm("http");
    const tcp = await newFarm("tcp");
    const server = await newServer("http", a);
    const notFound = (param: string, id: unknown) => ({ error: 404, message: `The requested object (${param} = ${id}) does not exist` });
    expect(await rejection(call("GET", servers("http", a, 999999)))).toEqual(notFound("serverId", 999999));
    expect(await rejection(call("GET", servers("http", b, server.serverId)))).toEqual(notFound("serverId", server.serverId));
    expect(await rejection(call("GET", servers("tcp", tcp, server.serverId)))).toEqual(notFound("serverId", server.serverId));
    expect(await rejection(call("GET", servers("udp", a)))).toEqual(notFound("farmId", a));
    expect(await rejection(call("POST", servers("tcp", 999999), { address: "10.0.0.1", status: "active" }))).toEqual(notFound("farmId", 999999));
    await expectRejected(() => call("PUT", servers("http", b, server.serverId), { weight: 3 }), servers("http", a), 404, notFound("serverId", server.serverId).message);
    await expectRejected(() => call("DELETE", servers("http", b, server.serverId)), servers("http", a), 404, notFound("serverId", server.serverId).message);
  });
});

describe("farm server update and delete", () => {
  it("changes only the fields given, accepts address and serverState repeated unchanged, and returns null", async () => {
    const farmId = await newFarm("http");
    const server = await newServer("http", farmId, { weight: 5, displayName: "s" });
    const body = { address: "10.0.0.1", serverState: [], status: "inactive", weight: 0, backup: true };
    // Read-only fields re-sent unchanged: tolerated by the emulator (terraform does it), refused by the schema.
    await expectSchemaViolations(emu, ["body.address: read-only", "body.serverState: read-only"], async () => expect(await call("PUT", servers("http", farmId, server.serverId), body)).toBeNull());
    expect(await call("GET", servers("http", farmId, server.serverId))).toEqual({ ...server, status: "inactive", weight: 0, backup: true });
  });

  it("clears nullable fields sent as null and leaves non-nullable booleans sent as null unchanged", async () => {
    const farmId = await newFarm("tcp");
    const server = await newServer("tcp", farmId, { weight: 5, port: 81, proxyProtocolVersion: "v1", ssl: true });
    await expectSchemaViolations(emu, ["body.ssl: null, but boolean is not nullable"], () =>
      call("PUT", servers("tcp", farmId, server.serverId), withNulls({ weight: null, port: null, proxyProtocolVersion: null, ssl: null })),
    );
    expect(await call("GET", servers("tcp", farmId, server.serverId))).toEqual({ ...server, weight: null, port: null, proxyProtocolVersion: null, ssl: true });
  });

  it("deletes a server and returns null; the farm stays", async () => {
    const farmId = await newFarm("udp");
    const server = await newServer("udp", farmId);
    expect(await call("DELETE", servers("udp", farmId, server.serverId))).toBeNull();
    expect(await call("GET", servers("udp", farmId))).toEqual([]);
    expect(await call("GET", farmPath("udp", farmId))).toMatchObject({ farmId });
  });
});

describe("farm server lists", () => {
  it("filters HTTP servers by address (=), status (=) and cookie (like)", async () => {
    const farmId = await newFarm("http");
    const a = await newServer("http", farmId, { address: "10.0.1.1", cookie: "web-a" });
    const b = await newServer("http", farmId, { address: "10.0.1.2", cookie: "web-b", status: "inactive" });
    const c = await newServer("http", farmId, { address: "10.0.1.1", cookie: "api" });
    const list = (query?: Body) => call("GET", servers("http", farmId), query);
    expect(await list()).toEqual([a.serverId, b.serverId, c.serverId]);
    expect(await list({ address: "10.0.1.1" })).toEqual([a.serverId, c.serverId]);
    expect(await list({ status: "inactive" })).toEqual([b.serverId]);
    expect(await list({ cookie: "web-%" })).toEqual([a.serverId, b.serverId]);
    expect(await list({ cookie: "api" })).toEqual([c.serverId]);
    expect(await list({ address: "10.0.1.1", status: "inactive" })).toEqual([]);
  });

  it("filters TCP and UDP servers by address and status, and lists only the servers of the farm", async () => {
    for (const proto of ["tcp", "udp"] as const) {
      const farmId = await newFarm(proto);
      const otherFarm = await newFarm(proto);
      const a = await newServer(proto, farmId, { address: "10.0.2.1" });
      const b = await newServer(proto, farmId, { address: "10.0.2.2", status: "inactive" });
      await newServer(proto, otherFarm, { address: "10.0.2.1" });
      expect(await call("GET", servers(proto, farmId))).toEqual([a.serverId, b.serverId]);
      expect(await call("GET", servers(proto, farmId), { address: "10.0.2.1" })).toEqual([a.serverId]);
      expect(await call("GET", servers(proto, farmId), { status: "active" })).toEqual([a.serverId]);
    }
  });

  it("refuses filters of the wrong type", async () => {
    const farmId = await newFarm("tcp");
    expect(await rejection(call("GET", servers("tcp", farmId), { status: "up" }))).toEqual({
      error: 400,
      message: "[status] Given data (up) does not belong to the ipLoadbalancing.BackendCustomerServerStatusEnum enumeration",
    });
    expect(await rejection(call("GET", servers("tcp", farmId), { address: "10.0.0" }))).toEqual({
      error: 400,
      message: "[address] Given data (10.0.0) is not valid for type ipv4",
    });
  });
});

describe("farm server validation", () => {
  const enumMsg = (field: string, value: string, name: string) =>
    `[${field}] Given data (${value}) does not belong to the ipLoadbalancing.${name} enumeration`;

  test.each<[string, Proto, Body, string]>([
    ["address missing", "http", { status: "active" }, "[address] Property is mandatory"],
    ["status missing", "tcp", { address: "10.0.0.1" }, "[status] Property is mandatory"],
    ["status unknown", "udp", { address: "10.0.0.1", status: "up" }, enumMsg("status", "up", "BackendCustomerServerStatusEnum")],
    ["an IPv6 address", "http", { address: "2001:db8::1", status: "active" }, "[address] Given data (2001:db8::1) is not valid for type ipv4"],
    ["a hostname address", "tcp", { address: "backend.example", status: "active" }, "[address] Given data (backend.example) is not valid for type ipv4"],
    ["port 0", "http", { address: "10.0.0.1", status: "active", port: 0 }, "[port] Value 0 is out of range [1..49151]"],
    ["port 49152", "udp", { address: "10.0.0.1", status: "active", port: 49152 }, "[port] Value 49152 is out of range [1..49151]"],
    ["weight -1", "http", { address: "10.0.0.1", status: "active", weight: -1 }, "[weight] Value -1 is out of range [0..256]"],
    ["weight 257", "tcp", { address: "10.0.0.1", status: "active", weight: 257 }, "[weight] Value 257 is out of range [0..256]"],
    ["proxyProtocolVersion unknown", "http", { address: "10.0.0.1", status: "active", proxyProtocolVersion: "v3" }, enumMsg("proxyProtocolVersion", "v3", "ProxyProtocolVersionEnum")],
    ["onMarkedDown unknown", "tcp", { address: "10.0.0.1", status: "active", onMarkedDown: "drain" }, enumMsg("onMarkedDown", "drain", "OnMarkedDownEnum")],
    ["backup not a boolean", "http", { address: "10.0.0.1", status: "active", backup: "yes" }, "[backup] Given data (yes) is not valid for type boolean"],
    ["cookie on a TCP server", "tcp", { address: "10.0.0.1", status: "active", cookie: "c" }, "[cookie] Unknown property"],
    ["weight on a UDP server", "udp", { address: "10.0.0.1", status: "active", weight: 1 }, "[weight] Unknown property"],
    ["serverId given", "http", { address: "10.0.0.1", status: "active", serverId: 1 }, "[serverId] This property is read-only"],
    ["backendId given", "tcp", { address: "10.0.0.1", status: "active", backendId: 1 }, "[backendId] This property is read-only"],
  ])("refuses a create with %s, changing nothing", async (_what, proto, body, message) => {
    const farmId = await newFarm(proto);
    await expectRejected(() => call("POST", servers(proto, farmId), body), servers(proto, farmId), 400, message);
  });

  test.each<[string, Proto, Body, string]>([
    ["an address change", "http", { address: "10.0.0.2" }, "[address] This property is read-only"],
    ["status set to null", "tcp", { status: null }, "[status] Property is mandatory"],
    ["a weight out of range", "http", { weight: 300 }, "[weight] Value 300 is out of range [0..256]"],
    ["a changed serverState", "tcp", { serverState: [{ instanceId: 1 }] }, "[serverState] This property is read-only"],
    ["displayName and an unknown status", "udp", { displayName: "n", status: "down" }, enumMsg("status", "down", "BackendCustomerServerStatusEnum")],
  ])("refuses a PUT with %s, changing nothing", async (_what, proto, body, message) => {
    const farmId = await newFarm(proto);
    const server = await newServer(proto, farmId);
    await expectRejected(() => call("PUT", servers(proto, farmId, server.serverId), withNulls(body)), servers(proto, farmId), 400, message);
  });
});

/**
 * The farm family (`/{http|tcp|udp}/farm`) through the official `ovh` client: the schema's models, filters,
 * read-only and nullable rules, and the exact 400/404 answers. A rejected call must leave the state as it was, so
 * every rejection is checked against the whole store, the farm lists and pendingChanges before and after.
 * Not proven here: how farms run after a refresh (staging.test.ts) and their servers' fields (farmServers.test.ts).
 */
import type { OvhClient } from "ovh";
import { Emulator, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

type Proto = "http" | "tcp" | "udp";
type Body = Record<string, unknown>;

let emu: Emulator;
let client: OvhClient;
const farms = (proto: Proto, id?: number) => svcPath(emu, `/${proto}/farm${id === undefined ? "" : `/${id}`}`);
/** node-ovh drops top-level nulls; a `toJSON` body is the only way to send `"field": null` (ovh-iplb-api.md 1.4). */
const withNulls = (body: Body) => ({ toJSON: () => body });
const call = (method: string, path: string, body?: object) => client.requestPromised(method, path, body);
const create = async (proto: Proto, body: Body) => (await call("POST", farms(proto), body)) as Body & { farmId: number };

/** Everything a rejected call could have changed. */
async function state() {
  return {
    store: JSON.stringify(emu.store.data),
    lists: await Promise.all((["http", "tcp", "udp"] as const).map((p) => call("GET", farms(p)))),
    pending: await call("GET", svcPath(emu, "/pendingChanges")),
  };
}

async function expectRejected(p: () => Promise<unknown>, error: number, message: string): Promise<void> {
  const before = await state();
  expect(await rejection(p())).toEqual({ error, message });
  expect(await state()).toEqual(before);
}

beforeAll(async () => {
  emu = await startTestEmulator();
  client = ovhClient(emu);
});
afterAll(() => emu.close());

describe("farm create and read", () => {
  it("returns every schema field of an HTTP farm from POST, null when unset, and GET returns the same", async () => {
    const farm = await create("http", { zone: "gra", port: 8080, displayName: "web" });
    expect(farm).toEqual({
      farmId: expect.any(Number),
      zone: "gra",
      port: 8080,
      displayName: "web",
      balance: null,
      stickiness: null,
      probe: null,
      vrackNetworkId: null,
    });
    expect(await call("GET", farms("http", farm.farmId))).toEqual(farm);
  });

  it("gives TCP farms the same fields and UDP farms only zone, port, displayName, vrackNetworkId", async () => {
    const tcp = await create("tcp", { zone: "rbx", balance: "source", stickiness: "sourceIp" });
    expect(tcp).toEqual({ farmId: tcp.farmId, zone: "rbx", port: null, displayName: null, balance: "source", stickiness: "sourceIp", probe: null, vrackNetworkId: null });
    const udp = await create("udp", { zone: "gra", port: 53 });
    expect(udp).toEqual({ farmId: udp.farmId, zone: "gra", port: 53, displayName: null, vrackNetworkId: null });
  });

  it("stores the whole probe, with the probe fields that were not given as null", async () => {
    const probe = { type: "http", url: "/health", method: "HEAD", match: "status", pattern: "200,204", interval: 60, negate: false };
    const farm = await create("http", { zone: "gra", probe });
    expect(farm.probe).toEqual({ ...probe, port: null, forceSsl: null });
  });

  it("keeps method and url on a non-http probe (ignored by the API, not refused)", async () => {
    const farm = await create("tcp", { zone: "gra", probe: { type: "tcp", method: "GET", url: "/" } });
    expect(farm.probe).toMatchObject({ type: "tcp", method: "GET", url: "/" });
  });

  it("accepts zone `all` and gives ids from one counter shared by every family", async () => {
    const a = await create("http", { zone: "all" });
    const b = await create("udp", { zone: "all", port: 5000 });
    expect(a.zone).toBe("all");
    expect(b.farmId).toBe(a.farmId + 1);
  });

  it("answers 404 for unknown farm ids and for a farm id of another protocol", async () => {
    const tcp = await create("tcp", { zone: "gra" });
    const message = (id: unknown) => `The requested object (farmId = ${id}) does not exist`;
    expect(await rejection(call("GET", farms("http", tcp.farmId)))).toEqual({ error: 404, message: message(tcp.farmId) });
    expect(await rejection(call("GET", farms("udp", 999999)))).toEqual({ error: 404, message: message(999999) });
    await expectSchemaViolations(emu, ['path parameter farmId: expected integer, got string "abc"'], async () =>
      expect(await rejection(call("GET", svcPath(emu, "/http/farm/abc")))).toEqual({ error: 404, message: message("abc") }),
    );
    await expectRejected(() => call("PUT", farms("http", tcp.farmId), { port: 80 }), 404, message(tcp.farmId));
    await expectRejected(() => call("DELETE", farms("udp", tcp.farmId)), 404, message(tcp.farmId));
  });

  it("answers 404 `This service does not exist` for an unknown service", async () => {
    expect(await rejection(call("GET", "/ipLoadbalancing/loadbalancer-nope/http/farm"))).toEqual({ error: 404, message: "This service does not exist" });
  });
});

describe("farm update", () => {
  it("changes only the fields given and returns null", async () => {
    const farm = await create("http", { zone: "gra", port: 80, displayName: "keep" });
    expect(await call("PUT", farms("http", farm.farmId), { balance: "uri", stickiness: "cookie" })).toBeNull();
    expect(await call("GET", farms("http", farm.farmId))).toEqual({ ...farm, balance: "uri", stickiness: "cookie" });
  });

  it("clears a nullable field sent as null, probe included", async () => {
    const farm = await create("tcp", { zone: "gra", port: 80, displayName: "x", probe: { type: "tcp" } });
    await call("PUT", farms("tcp", farm.farmId), withNulls({ displayName: null, port: null, probe: null }));
    expect(await call("GET", farms("tcp", farm.farmId))).toEqual({ ...farm, displayName: null, port: null, probe: null });
  });

  it("replaces the whole probe: probe fields not re-sent become null", async () => {
    const farm = await create("http", { zone: "gra", probe: { type: "http", url: "/a", interval: 45 } });
    await call("PUT", farms("http", farm.farmId), { probe: { type: "http", match: "contains", pattern: "ok" } });
    const probe = ((await call("GET", farms("http", farm.farmId))) as Body).probe;
    expect(probe).toEqual({ type: "http", match: "contains", pattern: "ok", url: null, interval: null, method: null, port: null, negate: null, forceSsl: null });
  });

  it("accepts zone and farmId repeated unchanged, as terraform sends them", async () => {
    const farm = await create("udp", { zone: "rbx", port: 53 });
    // Tolerated by the emulator, refused by the schema (read-only fields are not sent in requests).
    await expectSchemaViolations(emu, ["body.zone: read-only", "body.farmId: read-only"], () => call("PUT", farms("udp", farm.farmId), { zone: "rbx", farmId: farm.farmId, port: 54 }));
    expect(await call("GET", farms("udp", farm.farmId))).toEqual({ ...farm, port: 54 });
  });
});

describe("farm lists", () => {
  it("lists the farms of one protocol, filtered by zone and vrackNetworkId", async () => {
    const own = await startTestEmulator();
    const c = ovhClient(own);
    const path = (proto: Proto) => `/ipLoadbalancing/${own.serviceName}/${proto}/farm`;
    try {
      const gra = (await c.requestPromised("POST", path("http"), { zone: "gra", vrackNetworkId: 7 })) as Body;
      const rbx = (await c.requestPromised("POST", path("http"), { zone: "rbx" })) as Body;
      const all = (await c.requestPromised("POST", path("http"), { zone: "all", vrackNetworkId: 7 })) as Body;
      const tcp = (await c.requestPromised("POST", path("tcp"), { zone: "gra" })) as Body;
      expect(await c.requestPromised("GET", path("http"))).toEqual([gra.farmId, rbx.farmId, all.farmId]);
      expect(await c.requestPromised("GET", path("tcp"))).toEqual([tcp.farmId]);
      expect(await c.requestPromised("GET", path("udp"))).toEqual([]);
      expect(await c.requestPromised("GET", path("http"), { zone: "gra" })).toEqual([gra.farmId]);
      expect(await c.requestPromised("GET", path("http"), { zone: "all" })).toEqual([all.farmId]);
      expect(await c.requestPromised("GET", path("http"), { vrackNetworkId: 7 })).toEqual([gra.farmId, all.farmId]);
      expect(await c.requestPromised("GET", path("http"), { zone: "rbx", vrackNetworkId: 7 })).toEqual([]);
      expect(await rejection(c.requestPromised("GET", path("http"), { vrackNetworkId: "seven" }))).toEqual({
        error: 400,
        message: "[vrackNetworkId] Given data (seven) is not valid for type long",
      });
    } finally {
      await own.close();
    }
  });
});

describe("farm delete", () => {
  it("deletes the farm and its servers, and returns null", async () => {
    const farm = await create("tcp", { zone: "gra" });
    const server = (await call("POST", `${farms("tcp", farm.farmId)}/server`, { address: "10.0.0.1", status: "active" })) as Body;
    expect(await call("DELETE", farms("tcp", farm.farmId))).toBeNull();
    expect(await rejection(call("GET", farms("tcp", farm.farmId)))).toMatchObject({ error: 404 });
    const svc = emu.store.service(emu.serviceName)!;
    expect(svc.staged.servers[server.serverId as number]).toBeUndefined();
    expect(await call("GET", farms("tcp"))).not.toContain(farm.farmId);
  });

  it("refuses to delete a farm that is a frontend's defaultFarmId", async () => {
    const farm = await create("http", { zone: "gra" });
    const fe = (await call("POST", svcPath(emu, "/http/frontend"), { zone: "gra", port: "80", defaultFarmId: farm.farmId })) as Body;
    await expectRejected(
      () => call("DELETE", farms("http", farm.farmId)),
      400,
      `Farm ${farm.farmId} is the default farm of http frontend(s) ${fe.frontendId}: change their defaultFarmId first`,
    );
  });
});

describe("farm validation", () => {
  const enumMsg = (field: string, value: string, name: string) =>
    `[${field}] Given data (${value}) does not belong to the ipLoadbalancing.${name} enumeration`;

  test.each<[string, Proto, Body, string]>([
    ["zone missing", "http", { port: 80 }, "[zone] Property is mandatory"],
    ["zone not of the service", "tcp", { zone: "waw" }, "[zone] Given data (waw) is not a zone of this load balancer (gra, rbx, all)"],
    ["port 0", "http", { zone: "gra", port: 0 }, "[port] Value 0 is out of range [1..49151]"],
    ["port 49152", "tcp", { zone: "gra", port: 49152 }, "[port] Value 49152 is out of range [1..49151]"],
    ["port not an integer", "http", { zone: "gra", port: "80" }, "[port] Given data (80) is not valid for type long"],
    ["UDP port missing", "udp", { zone: "gra" }, "[port] Property is mandatory"],
    ["HTTP balance unknown", "http", { zone: "gra", balance: "fastest" }, enumMsg("balance", "fastest", "BalanceHTTPEnum")],
    ["TCP balance uri", "tcp", { zone: "gra", balance: "uri" }, enumMsg("balance", "uri", "BalanceTCPEnum")],
    ["HTTP stickiness unknown", "http", { zone: "gra", stickiness: "ip" }, enumMsg("stickiness", "ip", "StickinessHTTPEnum")],
    ["cookie stickiness on a TCP farm", "tcp", { zone: "gra", stickiness: "cookie" }, enumMsg("stickiness", "cookie", "StickinessTCPEnum")],
    ["balance on a UDP farm", "udp", { zone: "gra", port: 53, balance: "first" }, "[balance] Unknown property"],
    ["stickiness on a UDP farm", "udp", { zone: "gra", port: 53, stickiness: "sourceIp" }, "[stickiness] Unknown property"],
    ["probe on a UDP farm", "udp", { zone: "gra", port: 53, probe: { type: "tcp" } }, "[probe] Unknown property"],
    ["farmId given", "http", { zone: "gra", farmId: 5 }, "[farmId] This property is read-only"],
    ["unknown property", "http", { zone: "gra", weight: 1 }, "[weight] Unknown property"],
    ["probe interval 29", "http", { zone: "gra", probe: { interval: 29 } }, "[probe.interval] Value 29 is out of range [30..3600]"],
    ["probe interval 3601", "tcp", { zone: "gra", probe: { interval: 3601 } }, "[probe.interval] Value 3601 is out of range [30..3600]"],
    ["probe port 0", "tcp", { zone: "gra", probe: { port: 0 } }, "[probe.port] Value 0 is out of range [1..49151]"],
    ["probe type unknown", "http", { zone: "gra", probe: { type: "icmp" } }, enumMsg("probe.type", "icmp", "ProbeTypeEnum")],
    ["probe method unknown", "http", { zone: "gra", probe: { type: "http", method: "POST" } }, enumMsg("probe.method", "POST", "ProbeMethodEnum")],
    ["probe match unknown", "http", { zone: "gra", probe: { match: "equals" } }, enumMsg("probe.match", "equals", "ProbeExpectMatchEnum")],
    ["probe unknown field", "http", { zone: "gra", probe: { timeout: 5 } }, "[probe.timeout] Unknown property"],
    ["probe type internal", "http", { zone: "gra", probe: { type: "internal" } }, "[probe.type] Given data (internal) is reserved for OVHcloud internal use"],
    ["probe method internal", "http", { zone: "gra", probe: { type: "http", method: "internal" } }, "[probe.method] Given data (internal) is reserved for OVHcloud internal use"],
    ["probe negate without match", "http", { zone: "gra", probe: { type: "http", negate: true } }, "A probe can not negate without a match"],
    ["status match on a tcp probe", "tcp", { zone: "gra", probe: { type: "tcp", match: "status", pattern: "200" } }, "[probe.match] Given data (status) is not supported by tcp probes (default, contains, matches)"],
    ["status match on a default (tcp) probe", "http", { zone: "gra", probe: { match: "status" } }, "[probe.match] Given data (status) is not supported by tcp probes (default, contains, matches)"],
    ["contains match on a mysql probe", "tcp", { zone: "gra", probe: { type: "mysql", match: "contains" } }, "[probe.match] Given data (contains) is not supported by mysql probes (default)"],
    ["negated default match", "http", { zone: "gra", probe: { type: "http", match: "default", negate: true } }, "[probe.negate] The default match of http probes can not be negated"],
  ])("refuses a create with %s, changing nothing", async (_what, proto, body, message) => {
    await expectRejected(() => call("POST", farms(proto), body), 400, message);
  });

  it("refuses a zone change in PUT, changing nothing", async () => {
    const farm = await create("http", { zone: "gra" });
    await expectRejected(() => call("PUT", farms("http", farm.farmId), { zone: "rbx", port: 81 }), 400, "[zone] This property is read-only");
  });

  it("refuses a farmId change in PUT", async () => {
    const farm = await create("tcp", { zone: "gra" });
    await expectRejected(() => call("PUT", farms("tcp", farm.farmId), { farmId: farm.farmId + 1000 }), 400, "[farmId] This property is read-only");
  });

  test.each<[string, Proto, Body, string]>([
    ["cookie stickiness on a TCP farm", "tcp", { stickiness: "cookie" }, enumMsg("stickiness", "cookie", "StickinessTCPEnum")],
    ["an out-of-range port", "http", { port: 65535 }, "[port] Value 65535 is out of range [1..49151]"],
    ["a UDP port set to null", "udp", { port: null }, "[port] Property is mandatory"],
    ["a bad probe in an otherwise good body", "http", { displayName: "new", probe: { negate: true } }, "A probe can not negate without a match"],
  ])("refuses a PUT with %s, changing nothing", async (_what, proto, body, message) => {
    const farm = await create(proto, { zone: "rbx", port: 53, displayName: "old" });
    await expectRejected(() => call("PUT", farms(proto, farm.farmId), withNulls(body)), 400, message);
  });
});

/**
 * HttpFarm and HttpFarmServer through the real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, started
 * from the repository root as the engine starts it from the project directory), driven over gRPC with the shim text
 * the SDK serializes as `__provider`, against the emulator. The host gets the whole stack config, as the engine sends it
 * to Configure: every namespace, secrets marked. Its own environment holds wrong OVH_* values, so every call that
 * works also proves that the stack config wins over the environment; a second host gets the credentials only through
 * its environment.
 *
 * Not proven here: the engine's step rules (tests/program/), the other kinds (the same shim and lifecycle; their
 * methods are covered in tests/provider/), and anything about credentials in state or logs (credentials.test.ts).
 */
import type { OvhClient } from "ovh";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { HostDriver, ProviderError, Props, startHost } from "../helpers/hostDriver";
import { secret } from "../helpers/miniEngine";
import { REPO_ROOT } from "../helpers/programRunner";
import {
  declared, applyPendingOutOfBand, emulatorSettings, failureOf, farmId, mark, outOfBand, pendingChanges, requestsSince, runningFarm,
  runningServer, writesSince,
} from "../provider/support";
import { serializeLikeTheSdk, urnOf } from "./support";

/** Credentials and endpoint that would fail if used: a closed loopback port, unknown keys, a missing CA file. */
const WRONG_ENV = {
  OVH_ENDPOINT: "https://127.0.0.1:9/1.0",
  OVH_APPLICATION_KEY: "wrong-application-key",
  OVH_APPLICATION_SECRET: "wrong-application-secret",
  OVH_CONSUMER_KEY: "wrong-consumer-key",
  OVH_CA_FILE: "/nonexistent/ca.pem",
};

let emu: Emulator;
let client: OvhClient;
let host: HostDriver;
let svc: string;
let farmText: string;
let serverText: string;
const FARM_URN = urnOf("HttpFarm", "web");
const SERVER_URN = urnOf("HttpFarmServer", "web-1");
const farmPath = (id: number) => `/ipLoadbalancing/${svc}/http/farm/${id}`;
const serverPath = (farm: number, id: number) => `${farmPath(farm)}/server/${id}`;
/** Inputs without some fields (a Struct has no `undefined`: a removed field is an absent key). */
const without = (props: Props, ...keys: string[]): Props => Object.fromEntries(Object.entries(props).filter(([k]) => !keys.includes(k)));

/** The config the engine sends to Configure: the whole stack config, namespaces kept, secret values marked. */
function stackConfig(emu: Emulator): Props {
  const settings = emulatorSettings(emu);
  return {
    ...settings,
    "ovh:applicationSecret": secret(settings["ovh:applicationSecret"]),
    "ovh:consumerKey": secret(settings["ovh:consumerKey"]),
    "ovh-iplb:retryBaseMs": "20",
    "proj:x": "unrelated",
  };
}

beforeAll(async () => {
  emu = await startTestEmulator({ refreshSeconds: 0.05 });
  client = outOfBand(emu);
  svc = emu.serviceName;
  farmText = (await serializeLikeTheSdk("HttpFarm")).text;
  serverText = (await serializeLikeTheSdk("HttpFarmServer")).text;
  host = await startHost({ cwd: REPO_ROOT, project: "proj", env: WRONG_ENV });
  await host.configure(stackConfig(emu));
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});
afterEach(async () => {
  emu.faults.refreshOutcome = "done";
  await applyPendingOutOfBand(emu, client);
});

describe("HttpFarm through the host (stack config wins over the host's OVH_* environment)", () => {
  const web = (extra: Props = {}): Props => ({
    __provider: farmText, serviceName: svc, zone: "gra", port: 8080, displayName: "web", balance: "leastconn", stickiness: "cookie", ...extra,
  });
  let id: string;
  let created: Props;

  it("returns check failures as CheckFailures naming each field, and valid inputs unchanged with __provider", async () => {
    const bad = await host.check(FARM_URN, {}, web({ zone: "GRA", balance: "fastest" }));
    expect(bad.failures).toEqual([
      { property: "zone", reason: '"GRA" is not a zone name (lower-case letters such as gra, or all)' },
      { property: "balance", reason: '"fastest" is not one of first, leastconn, roundrobin, source, uri' },
    ]);
    expect(await host.check(FARM_URN, {}, web())).toEqual({ inputs: web(), failures: [] });
  });

  it("creates the farm, which runs in its zone when create returns; the outputs keep __provider", async () => {
    const from = mark(emu);
    ({ id, properties: created } = await host.create(FARM_URN, web()));
    expect(id).toBe(`${svc}/${farmId(id)}`);
    expect(created).toEqual({
      __provider: farmText, farmId: farmId(id), serviceName: svc, zone: "gra", port: 8080, displayName: "web", vrackNetworkId: null,
      balance: "leastconn", stickiness: "cookie", probe: null, ...declared(web()),
    });
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ipLoadbalancing/${svc}/http/farm`, `POST /ipLoadbalancing/${svc}/refresh`,
    ]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ displayName: "web", balance: "leastconn", stickiness: "cookie" });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("diffs: none for the same inputs, unknown for a program change (the engine names the fields), some for drift, a replace for the zone", async () => {
    const none = { changes: "none", replaces: [], deleteBeforeReplace: false, diffs: [] };
    expect(await host.diff(id, FARM_URN, created, web())).toEqual(none);
    expect(await host.diff(id, FARM_URN, created, web({ displayName: "renamed" }))).toEqual({ ...none, changes: "unknown" });
    expect(await host.diff(id, FARM_URN, created, web({ zone: "rbx" }))).toEqual({ ...none, changes: "some", replaces: ["zone"] });
    await client.requestPromised("PUT", farmPath(farmId(id)), { displayName: "console" });
    expect(await host.diff(id, FARM_URN, created, web())).toEqual({ ...none, changes: "some" });
    await client.requestPromised("PUT", farmPath(farmId(id)), { displayName: "web" });
  });

  it("updates with null for removed fields, and the change runs when update returns", async () => {
    const from = mark(emu);
    const news = without(web(), "displayName", "balance", "stickiness");
    const { properties } = await host.update(id, FARM_URN, created, news);
    expect(requestsSince(emu, from, "PUT").map((r) => [r.path, r.body])).toEqual([
      [farmPath(farmId(id)), { displayName: null, balance: null, stickiness: null }],
    ]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ displayName: null, balance: null, stickiness: null, port: 8080 });
    expect(properties).toEqual({ ...created, displayName: null, balance: null, stickiness: null, ...declared(news) });
    created = properties;
  });

  it("reads the live farm, drift included", async () => {
    await client.requestPromised("PUT", farmPath(farmId(id)), { port: 9090 });
    expect(await host.read(id, FARM_URN, created)).toEqual({ id, properties: { ...created, port: 9090 }, inputs: undefined });
  });

  it("deletes the farm (gone from the zone when delete returns); a read afterwards returns id \"\"", async () => {
    await host.delete(id, FARM_URN, created);
    expect(runningFarm(emu, "gra", farmId(id))).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
    expect(await host.read(id, FARM_URN, created)).toEqual({ id: "", properties: { __provider: farmText }, inputs: undefined });
  });

  it("diffs a farm deleted out of band as a replace", async () => {
    const { id: goneId, properties } = await host.create(FARM_URN, web({ displayName: "gone" }));
    await client.requestPromised("DELETE", farmPath(farmId(goneId)));
    expect(await host.diff(goneId, FARM_URN, properties, web({ displayName: "gone" }))).toMatchObject({ changes: "some", replaces: ["farmId"] });
  });
});

describe("HttpFarmServer through the host", () => {
  let farm: number;
  let id: string;
  let created: Props;
  const server = (extra: Props = {}): Props => ({
    __provider: serverText, serviceName: svc, farmId: farm, address: "192.0.2.10", status: "active", port: 8080, displayName: "web-1",
    weight: 5, backup: true, ...extra,
  });
  const serverIdOf = (resourceId: string) => Number(resourceId.split("/").pop());

  beforeAll(async () => {
    farm = farmId((await host.create(FARM_URN, { __provider: farmText, serviceName: svc, zone: "gra", port: 80 })).id);
  });

  it("returns check failures as CheckFailures naming each field", async () => {
    const { failures } = await host.check(SERVER_URN, {}, server({ address: "192.0.2.300", status: "up", weight: 257 }));
    expect(failures).toEqual([
      { property: "address", reason: '"192.0.2.300" is not an IPv4 address' },
      { property: "status", reason: '"up" is not one of active, inactive' },
      { property: "weight", reason: "257 is out of range 0..256" },
    ]);
    expect(await host.check(SERVER_URN, {}, server())).toEqual({ inputs: server(), failures: [] });
  });

  it("creates the server, which runs in the farm's zone when create returns", async () => {
    ({ id, properties: created } = await host.create(SERVER_URN, server()));
    expect(id).toBe(`${svc}/${farm}/${serverIdOf(id)}`);
    expect(created).toMatchObject({
      __provider: serverText, serverId: serverIdOf(id), farmId: farm, serviceName: svc, zone: "gra", address: "192.0.2.10",
      status: "active", port: 8080, displayName: "web-1", weight: 5, backup: true,
    });
    expect(runningServer(emu, "gra", serverIdOf(id))).toMatchObject({ address: "192.0.2.10", weight: 5, backup: true });
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("diffs: none, unknown (weight: the engine names it), replace (address)", async () => {
    const none = { changes: "none", replaces: [], deleteBeforeReplace: false, diffs: [] };
    expect(await host.diff(id, SERVER_URN, created, server())).toEqual(none);
    expect(await host.diff(id, SERVER_URN, created, server({ weight: 50 }))).toEqual({ ...none, changes: "unknown" });
    expect(await host.diff(id, SERVER_URN, created, server({ address: "192.0.2.11" }))).toEqual({ ...none, changes: "some", replaces: ["address"] });
  });

  it("updates with null (and false) for removed fields", async () => {
    const from = mark(emu);
    const { properties } = await host.update(id, SERVER_URN, created, without(server({ weight: 6 }), "displayName", "port", "backup"));
    expect(requestsSince(emu, from, "PUT").map((r) => [r.path, r.body])).toEqual([
      [serverPath(farm, serverIdOf(id)), { port: null, displayName: null, weight: 6, backup: false }],
    ]);
    expect(runningServer(emu, "gra", serverIdOf(id))).toMatchObject({ port: null, displayName: null, weight: 6, backup: false });
    expect(properties).toMatchObject({ __provider: serverText, port: null, displayName: null, weight: 6, backup: false });
    created = properties;
  });

  it("reads the live server, drift included", async () => {
    await client.requestPromised("PUT", serverPath(farm, serverIdOf(id)), { status: "inactive" });
    const read = await host.read(id, SERVER_URN, created);
    expect(read).toMatchObject({ id, properties: { ...created, status: "inactive", serverState: expect.any(Array) } });
  });

  it("deletes the server; a read afterwards returns id \"\"; a server deleted out of band diffs as a replace", async () => {
    await host.delete(id, SERVER_URN, created);
    expect(runningServer(emu, "gra", serverIdOf(id))).toBeUndefined();
    expect((await host.read(id, SERVER_URN, created)).id).toBe("");

    const { id: goneId, properties } = await host.create(SERVER_URN, server({ address: "192.0.2.12" }));
    await client.requestPromised("DELETE", serverPath(farm, serverIdOf(goneId)));
    expect(await host.diff(goneId, SERVER_URN, properties, server({ address: "192.0.2.12" }))).toMatchObject({ changes: "some", replaces: ["serverId"] });
  });
});

describe("a refresh that fails after the create", () => {
  it("comes back through the host as a partial create: the message, the id, and properties that include __provider", async () => {
    emu.faults.refreshOutcome = "error";
    const inputs = { __provider: farmText, serviceName: svc, zone: "rbx", displayName: "half" };
    const e = await failureOf(host.create(FARM_URN, inputs));
    expect(e).toBeInstanceOf(ProviderError);
    const err = e as unknown as ProviderError;
    expect(err.id).toMatch(new RegExp(`^${svc}/\\d+$`));
    expect(err.message).toMatch(new RegExp(`^HttpFarm ${err.id} was created but is not live yet: .+\\. The next \`pulumi up\` will apply it\\.$`));
    expect(err.reasons).toHaveLength(1);
    expect(err.properties).toMatchObject({ ...inputs, farmId: farmId(err.id!) });
    expect(emu.store.service(svc)?.staged.farms[farmId(err.id!)]?.data).toMatchObject({ farmId: farmId(err.id!), zone: "rbx" });
    expect(runningFarm(emu, "rbx", farmId(err.id!))).toBeUndefined();
  });

  it("after an update comes back as a partial update too, and the next update (nothing to change) makes it live", async () => {
    const inputs = { __provider: farmText, serviceName: svc, zone: "rbx", displayName: "before" };
    const { id, properties } = await host.create(FARM_URN, inputs);
    emu.faults.refreshOutcome = "error";
    const news = { ...inputs, displayName: "after" };
    const err = (await failureOf(host.update(id, FARM_URN, properties, news))) as unknown as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.id).toBe(id);
    expect(err.message).toMatch(new RegExp(`^HttpFarm ${id} was updated but is not live yet: .+\\. The next \`pulumi up\` will apply it\\.$`));
    expect(err.properties).toEqual({ ...properties, displayName: "after", ...declared(news) });
    expect(runningFarm(emu, "rbx", farmId(id))).toMatchObject({ displayName: "before" });

    // The next `up`: the API already holds the change, so diff finds nothing; the init error makes the engine update anyway.
    emu.faults.refreshOutcome = "done";
    expect(await host.diff(id, FARM_URN, err.properties!, news)).toMatchObject({ changes: "none" });
    const from = mark(emu);
    const { properties: fixed } = await host.update(id, FARM_URN, err.properties!, news);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([["POST", `/ipLoadbalancing/${svc}/refresh`, { zone: "rbx" }]]);
    expect(runningFarm(emu, "rbx", farmId(id))).toMatchObject({ displayName: "after" });
    expect(fixed).toEqual(err.properties);
  });
});

describe("credentials given only through the host's environment", () => {
  it("work when the stack config has none (OVH_ENDPOINT, OVH_APPLICATION_KEY/SECRET, OVH_CONSUMER_KEY, OVH_CA_FILE)", async () => {
    const envHost = await startHost({
      cwd: REPO_ROOT, project: "proj",
      env: {
        OVH_ENDPOINT: emu.url, OVH_APPLICATION_KEY: emu.applicationKey, OVH_APPLICATION_SECRET: emu.applicationSecret,
        OVH_CONSUMER_KEY: emu.consumerKey, OVH_CA_FILE: emu.caFile,
      },
    });
    try {
      await envHost.configure({ "proj:x": "unrelated" });
      const { id, properties } = await envHost.create(FARM_URN, { __provider: farmText, serviceName: svc, zone: "gra", displayName: "from-env" });
      expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ displayName: "from-env" });
      await envHost.delete(id, FARM_URN, properties);
      expect(runningFarm(emu, "gra", farmId(id))).toBeUndefined();
    } finally {
      await envHost.close();
    }
  });
});

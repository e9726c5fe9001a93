/**
 * Failures as users meet them: API refusals as Errors that name the call, retries of idempotent calls (5xx, 429,
 * no answer in time) counted in the request log, POSTs that are never sent twice blindly (no duplicate farm after a
 * 503 or a late answer), missing credentials named by key and variable, and no credential in any error message.
 * Retries wait `ovh-iplb:retryBaseMs` (20 ms here) instead of the 500 ms default.
 * Not proven here: how the engine prints these errors (tests/host/), and real network failures other than a closed
 * loopback port.
 */
import * as net from "net";
import type { OvhClient } from "ovh";
import { CREDENTIALS_HINT } from "../../provider/providers/credentialsHint";
import type { Emulator } from "../helpers/emulator";
import {
  configured, failureOf, farmId, mark, pendingChanges, Props, Provider, refreshesSince, requestsSince, runningFarm,
  stagedFarms, withEmulator,
} from "./support";

let emu: Emulator;
let client: OvhClient;
let http: Provider;
let svc: string;
const FAST = { "ovh-iplb:retryBaseMs": "20" };
const farmsPath = () => `/ipLoadbalancing/${svc}/http/farm`;
const farmPath = (id: string) => `${farmsPath()}/${farmId(id)}`;
const statuses = (from: number, method: string, path: string | RegExp) => requestsSince(emu, from, method, path).map((r) => r.status);

/** Every error any test below got, with everything it carries, for the final credential check. */
const seen: string[] = [];
async function failed(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const e = await failureOf(p);
  seen.push(e.message, String(e.stack), JSON.stringify({ ...e, cause: String((e as { cause?: unknown }).cause) }));
  return e;
}

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    http = await configured("HttpFarm", emu, FAST);
  });

/** Turns off the counted faults a test set and did not use up (e.g. 2 of 5 503s left after 3 POSTs). */
function clearFaults(): void {
  Object.assign(emu.faults, {
    methods: [], errorBurst: { count: 0, status: 503 }, rateLimit: { count: 0, retryAfterSeconds: 1 }, latencySpikes: { count: 0, ms: 0 },
  });
}

describe("API errors", () => {
  withOwnEmulator();
  it("become Errors naming the method, the path, the status and the API's message, and a 400 is not retried", async () => {
    const from = mark(emu);
    const e = await failed(http.create({ serviceName: svc, zone: "sbg" }));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("OvhApiError");
    // The hint lists the zones from the API itself (GET .../zone), as the real API's message may not.
    expect(e.message).toBe(
      `OVH API POST ${farmsPath()} failed: 400 [zone] Given data (sbg) is not a zone of this load balancer (gra, rbx, all). ` +
        `Zone "sbg" is not a zone of ${svc}; its zones: gra, rbx, or all for every zone.`,
    );
    expect(e).toMatchObject({ status: 400, method: "POST", path: farmsPath(), apiMessage: "[zone] Given data (sbg) is not a zone of this load balancer (gra, rbx, all)" });
    expect(statuses(from, "POST", farmsPath())).toEqual([400]);
    expect(refreshesSince(emu, from)).toEqual([]);
  });

  it("say when the service itself is unknown to these credentials, and which ones they see", async () => {
    const from = mark(emu);
    const e = await failed(http.create({ serviceName: "loadbalancer-typo", zone: "gra" }));
    expect(e.message).toMatch(/^OVH API \w+ \/ipLoadbalancing\/loadbalancer-typo\/\S+ failed: 404 /);
    expect(e.message).toMatch(new RegExp(`\\. There is no IP Load Balancer named "loadbalancer-typo" for these credentials \\(they see: [^)]*\\b${svc}\\b[^)]*\\); check serviceName and ovh:endpoint\\.$`));
    expect(requestsSince(emu, from, "POST")).toEqual([]);
  });

  it("add nothing to a 404 of an object when the service exists", async () => {
    const e = await failed(http.update(`${svc}/999999`, { serviceName: svc, zone: "gra", farmId: 999999 }, { serviceName: svc, zone: "gra", displayName: "x" }));
    expect(e.message).not.toMatch(/There is no IP Load Balancer/);
  });

  it("report a credential the API refuses without naming it (403 unknown consumer key, 400 bad signature)", async () => {
    const { id, outs } = await http.create({ serviceName: svc, zone: "gra" });
    const wrongKey = await configured("HttpFarm", emu, { ...FAST, "ovh:consumerKey": "ck-not-a-real-consumer-key-0001" });
    const from = mark(emu);
    expect((await failed(wrongKey.read(id, outs))).message).toBe(`OVH API GET ${farmPath(id)} failed: 403 This credential does not exist. ${CREDENTIALS_HINT}`);
    expect(statuses(from, "GET", farmPath(id))).toEqual([403]);
    const wrongSecret = await configured("HttpFarm", emu, { ...FAST, "ovh:applicationSecret": "as-not-the-real-secret-0002" });
    expect((await failed(wrongSecret.read(id, outs))).message).toBe(`OVH API GET ${farmPath(id)} failed: 400 Invalid signature. ${CREDENTIALS_HINT}`);
  });

  it("say so when the object vanished during an update, and name the expected id format for a bad id", async () => {
    const { id, outs } = await http.create({ serviceName: svc, zone: "gra", displayName: "vanishing" });
    await client.requestPromised("DELETE", farmPath(id));
    expect((await failed(http.update(id, outs, { serviceName: svc, zone: "gra", displayName: "new" }))).message).toBe(
      `HttpFarm ${id} was deleted outside Pulumi during this update; run \`pulumi up\` again to re-create it`,
    );
    expect((await failed(http.read("web", {}))).message).toBe('invalid farm id "web": expected <serviceName>/<farmId>, e.g. loadbalancer-abc/12');
  });
});

describe("retries of idempotent calls", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => {
    ({ id, outs } = await http.create({ serviceName: svc, zone: "gra", displayName: "retried" }));
  });

  it("retries a GET answered 503 twice and returns the farm", async () => {
    Object.assign(emu.faults, { methods: ["GET"], errorBurst: { count: 2, status: 503 } });
    const from = mark(emu);
    expect(await http.read(id, outs)).toEqual({ id, props: outs });
    expect(statuses(from, "GET", farmPath(id))).toEqual([503, 503, 200]);
  });

  it("retries a PUT answered 503 twice; the change is live when update returns", async () => {
    Object.assign(emu.faults, { methods: ["PUT"], errorBurst: { count: 2, status: 503 } });
    const from = mark(emu);
    const { outs: updated } = await http.update(id, outs, { serviceName: svc, zone: "gra", displayName: "retried", port: 81 });
    expect(statuses(from, "PUT", farmPath(id))).toEqual([503, 503, 200]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ port: 81 });
    outs = updated as Props;
  });

  it("retries a GET answered 429, and a GET that got no answer within ovh-iplb:requestTimeoutSeconds", async () => {
    Object.assign(emu.faults, { methods: ["GET"], rateLimit: { count: 1, retryAfterSeconds: 1 } });
    let from = mark(emu);
    expect((await http.read(id, outs)).id).toBe(id);
    expect(statuses(from, "GET", farmPath(id))).toEqual([429, 200]);

    const patient = await configured("HttpFarm", emu, { ...FAST, "ovh-iplb:requestTimeoutSeconds": "0.3" });
    await patient.read(id, outs); // node-ovh syncs its clock once per client, before the spike
    Object.assign(emu.faults, { methods: ["GET"], latencySpikes: { count: 1, ms: 600 } });
    from = mark(emu);
    expect((await patient.read(id, outs)).props).toEqual(outs);
    expect(requestsSince(emu, from, "GET", farmPath(id))).toHaveLength(2);
  });

  it("gives up after 6 attempts with the last error", async () => {
    Object.assign(emu.faults, { methods: ["GET"], errorBurst: { count: 10, status: 503 } });
    const from = mark(emu);
    const e = await failed(http.read(id, outs));
    expect(e.message).toBe(`OVH API GET ${farmPath(id)} failed: 503 Service temporarily unavailable`);
    expect(statuses(from, "GET", farmPath(id))).toEqual([503, 503, 503, 503, 503, 503]);
  });

  it("retries a DELETE answered 503 twice; the farm no longer runs when delete returns", async () => {
    Object.assign(emu.faults, { methods: ["DELETE"], errorBurst: { count: 2, status: 503 } });
    const from = mark(emu);
    await http.delete(id, outs);
    expect(statuses(from, "DELETE", farmPath(id))).toEqual([503, 503, 200]);
    expect(runningFarm(emu, "gra", farmId(id))).toBeUndefined();
    expect(pendingChanges(emu)).toEqual([]);
  });
});

describe("POSTs are never sent twice blindly", () => {
  withOwnEmulator();
  // Needed between these tests: "stops after 3 POSTs" leaves 2 of its 5 POST 503s, which would hit the next test's POST.
  afterEach(clearFaults);
  const named = (displayName: string) => stagedFarms(emu, "http").filter((f) => f.displayName === displayName);

  it("retries a POST answered 429 (the API did not process it): one farm", async () => {
    Object.assign(emu.faults, { methods: ["POST"], rateLimit: { count: 2, retryAfterSeconds: 1 } });
    const from = mark(emu);
    const { id } = await http.create({ serviceName: svc, zone: "gra", displayName: "rate limited" });
    expect(statuses(from, "POST", farmsPath())).toEqual([429, 429, 200]);
    expect(named("rate limited").map((f) => f.farmId)).toEqual([farmId(id)]);
  });

  it("after a 503 on POST, looks for the farm first and posts again only when none appeared: one farm", async () => {
    const quick = await configured("HttpFarm", emu, { ...FAST, "ovh-iplb:requestTimeoutSeconds": "0.3" });
    Object.assign(emu.faults, { methods: ["POST"], errorBurst: { count: 1, status: 503 } });
    const from = mark(emu);
    const { id } = await quick.create({ serviceName: svc, zone: "gra", displayName: "after a 503" });
    expect(statuses(from, "POST", farmsPath())).toEqual([503, 200]);
    expect(requestsSince(emu, from, "GET", farmsPath()).length).toBeGreaterThanOrEqual(2);
    expect(named("after a 503").map((f) => f.farmId)).toEqual([farmId(id)]);
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ farmId: farmId(id) });
  });

  it("stops after 3 POSTs when every one fails, and creates nothing", async () => {
    const quick = await configured("HttpFarm", emu, { ...FAST, "ovh-iplb:requestTimeoutSeconds": "0.2" });
    Object.assign(emu.faults, { methods: ["POST"], errorBurst: { count: 5, status: 503 } });
    const from = mark(emu);
    const e = await failed(quick.create({ serviceName: svc, zone: "gra", displayName: "never created" }));
    expect(e.message).toBe(`OVH API POST ${farmsPath()} failed: 503 Service temporarily unavailable`);
    expect(statuses(from, "POST", farmsPath())).toEqual([503, 503, 503]);
    expect(named("never created")).toEqual([]);
    expect(refreshesSince(emu, from)).toEqual([]);
  });

  it("adopts a farm whose POST answered after ovh-iplb:requestTimeoutSeconds instead of creating a second one", async () => {
    const quick = await configured("HttpFarm", emu, { ...FAST, "ovh-iplb:requestTimeoutSeconds": "1" });
    await quick.read("x/1", {}); // node-ovh syncs its clock once per client, before the spike
    Object.assign(emu.faults, { methods: ["POST"], latencySpikes: { count: 1, ms: 1300 } });
    const inputs = {
      serviceName: svc, zone: "gra", displayName: "slow POST", port: 8080,
      probe: { type: "http", url: "/health", match: "status", pattern: "200" },
    };
    const from = mark(emu);
    const { id, outs } = await quick.create(inputs);
    expect(requestsSince(emu, from, "POST", farmsPath())).toHaveLength(1);
    expect(named("slow POST").map((f) => f.farmId)).toEqual([farmId(id)]);
    expect(outs).toMatchObject({ displayName: "slow POST", port: 8080, probe: { type: "http", url: "/health", match: "status", pattern: "200" } });
    expect(runningFarm(emu, "gra", farmId(id))).toMatchObject({ farmId: farmId(id) });
  });
});

describe("credentials", () => {
  withOwnEmulator();
  const ENV = ["OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY", "OVH_ENDPOINT", "OVH_CA_FILE"];
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
    for (const k of ENV) delete process.env[k];
  });
  afterEach(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("names a missing key by config key and environment variable, without calling the API", async () => {
    const noConsumer = await configured("HttpFarm", emu, { "ovh:consumerKey": undefined });
    const from = mark(emu);
    expect((await failed(noConsumer.create({ serviceName: svc, zone: "gra" }))).message).toBe(
      "OVH credentials are missing: set ovh:consumerKey (or OVH_CONSUMER_KEY). Use `pulumi config set --secret` for the secret ones.",
    );
    expect(emu.requests.length).toBe(from);
  });

  it("names every missing key at once", async () => {
    const none = await configured("HttpFarm", emu, { "ovh:applicationKey": undefined, "ovh:applicationSecret": undefined, "ovh:consumerKey": undefined });
    expect((await failed(none.read(`${svc}/1`, {}))).message).toBe(
      "OVH credentials are missing: set ovh:applicationKey (or OVH_APPLICATION_KEY), ovh:applicationSecret (or OVH_APPLICATION_SECRET), " +
        "ovh:consumerKey (or OVH_CONSUMER_KEY). Use `pulumi config set --secret` for the secret ones.",
    );
  });

  it("takes the keys from OVH_* variables when the stack config has none", async () => {
    Object.assign(process.env, { OVH_APPLICATION_KEY: emu.applicationKey, OVH_APPLICATION_SECRET: emu.applicationSecret, OVH_CONSUMER_KEY: emu.consumerKey });
    const fromEnv = await configured("HttpFarm", emu, { "ovh:applicationKey": undefined, "ovh:applicationSecret": undefined, "ovh:consumerKey": undefined });
    expect(await fromEnv.read(`${svc}/999999`, {})).toEqual({ id: "", props: {} });
  });
});

describe("no credential in any error", () => {
  withOwnEmulator();
  it("reports a closed endpoint as a network error naming the call, the endpoint and the cause", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    const closed = await configured("HttpFarm", emu, { ...FAST, "ovh:endpoint": `https://127.0.0.1:${port}/1.0` });
    const e = await failed(closed.read(`${svc}/1`, {}));
    expect(e.name).toBe("OvhNetworkError");
    // node-ovh alone says only "[OVH] Unable to fetch OVH API time": the clock sync's cause is kept.
    expect(e.message).toBe(
      `OVH API GET ${farmsPath()}/1 failed: no answer from https://127.0.0.1:${port}/1.0 ` +
        `(its clock, GET /auth/time: network error ECONNREFUSED (-111))`,
    );
  });

  it("reports a failed refresh with the created id", async () => {
    emu.faults.refreshOutcome = "error";
    expect((await failed(http.create({ serviceName: svc, zone: "rbx" }))).name).toBe("ResourceInitError");
  });

  it("never puts the application secret, the consumer key or the application key in a message, a stack or a property", () => {
    const secrets = [emu.applicationSecret, emu.consumerKey, emu.applicationKey, "ck-not-a-real-consumer-key-0001", "as-not-the-real-secret-0002"];
    expect(seen).toHaveLength(3 * 13); // the 13 errors of the tests above
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

/**
 * pulumi-ovh-iplb/testing, the environment (testing/environment.ts and the modules it joins), against a real emulator:
 * the stack config it hands out is what the provider reads, its `ovh` client is signed and trusted, the request log
 * queries see exactly one step's requests, pending changes appear and go, and `waitUntilLive` resolves only once
 * nothing is pending or running (and says what is, when it gives up). Not proven here: a deployment by the real CLI
 * with this config (examples/integration-test does that, in the engine project).
 */
import { inspect } from "util";
import type * as pulumi from "@pulumi/pulumi";
import { callsOf, type IplbTestEnvironment, WaitTimeoutError } from "../../testing";
import { providers } from "../../provider/registry";
import { farmOutOfBand, startRefereed } from "./support";

describe("startTestEnvironment", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed({ serviceName: "loadbalancer-kit0000000000000000000000000000", zones: ["gra", "sbg"], refreshSeconds: 0.1 })));
  afterAll(() => env?.close());

  it("passes the emulator's options through: the seed's service and zones", () => {
    expect(env.serviceName).toBe("loadbalancer-kit0000000000000000000000000000");
    expect(env.emulator.store.serviceZones(env.emulator.store.service(env.serviceName)!)).toEqual(["gra", "sbg"]);
    expect(env.url).toBe(`https://127.0.0.1:${env.emulator.port}/1.0`);
  });

  it("shows no credential when printed or serialized", () => {
    const shown = [inspect(env, { depth: 5 }), JSON.stringify(env), JSON.stringify(Object.entries(env))].join("\n");
    for (const secret of [env.emulator.applicationKey, env.emulator.applicationSecret, env.emulator.consumerKey]) expect(shown).not.toContain(secret);
    expect(shown).toContain(env.url);
  });
});

describe("env.stackConfig()", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed({ refreshSeconds: 0.1 })));
  afterAll(() => env?.close());

  it("holds the endpoint, the CA file and the credentials, the secret two marked secret, and the service name under the key asked for", () => {
    const emu = env.emulator;
    expect(env.stackConfig({ serviceNameKey: "my-project:lb" })).toEqual({
      "ovh:endpoint": { value: emu.url },
      "ovh-iplb:caFile": { value: emu.caFile },
      "ovh:applicationKey": { value: emu.applicationKey },
      "ovh:applicationSecret": { value: emu.applicationSecret, secret: true },
      "ovh:consumerKey": { value: emu.consumerKey, secret: true },
      "my-project:lb": { value: emu.serviceName },
    });
    expect(Object.keys(env.stackConfig())).not.toContain("serviceName");
  });

  it("is what the provider reads: configured with it, the provider creates a farm that is live when create returns", async () => {
    const config = env.stackConfig();
    const provider = Object.create(providers.HttpFarm) as pulumi.dynamic.ResourceProvider;
    await provider.configure!({ config: { get: (key: string) => config[key]?.value } } as unknown as pulumi.dynamic.ConfigureRequest);
    const { id } = await provider.create({ serviceName: env.serviceName, zone: "gra", port: 8080 });
    const farmId = Number(id.split("/")[1]);
    expect(env.emulator.running("gra").farms[farmId]?.data.port).toBe(8080);
    expect(env.pendingChanges()).toEqual([]);
  });
});

describe("env.ovhClient()", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed({ refreshSeconds: 0.1 })));
  afterAll(() => env?.close());

  it("reads the service, signed with the emulator's credentials and trusting its CA", async () => {
    const client = env.ovhClient();
    expect(await client.requestPromised("GET", "/ipLoadbalancing")).toContain(env.serviceName);
    expect(await client.requestPromised("GET", `/ipLoadbalancing/${env.serviceName}`)).toMatchObject({ serviceName: env.serviceName, zone: ["gra", "rbx"] });
  });

  it("rejects as node-ovh does, with { error, message } (the client's trap)", async () => {
    await expect(env.ovhClient().requestPromised("GET", `/ipLoadbalancing/${env.serviceName}/http/farm/999999`)).rejects.toMatchObject({ error: 404 });
  });

  it("follows a rotated consumer key: the client, health and the stack config use the new one", async () => {
    const old = env.ovhClient();
    const key = env.emulator.rotateConsumerKey();
    await expect(old.requestPromised("GET", "/ipLoadbalancing")).rejects.toMatchObject({ error: 403 });
    expect(await env.ovhClient().requestPromised("GET", "/ipLoadbalancing")).toContain(env.serviceName);
    expect(await env.health()).toEqual([]);
    expect(env.stackConfig()["ovh:consumerKey"]).toEqual({ value: key, secret: true });
  });
});

describe("the request log: mark, requests, writes, refreshes", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed({ refreshSeconds: 0.1 })));
  afterAll(() => env?.close());

  it("sees exactly the requests of one step, and their writes and refreshes apart", async () => {
    const client = env.ovhClient();
    await client.requestPromised("GET", "/ipLoadbalancing"); // the client's clock sync happens here, before the mark
    const before = env.mark();
    const farmId = await farmOutOfBand(env);
    const svc = `/ipLoadbalancing/${env.serviceName}`;
    await client.requestPromised("PUT", `${svc}/http/farm/${farmId}`, { port: 81 });
    await client.requestPromised("GET", `${svc}/http/farm/${farmId}`);
    expect(await env.applyPending()).toEqual(["gra"]);
    expect(callsOf(env.writes(before))).toEqual([`POST ${svc}/http/farm`, `PUT ${svc}/http/farm/${farmId}`, `POST ${svc}/refresh`]);
    expect(env.refreshes(before).map((r) => [r.body, r.status])).toEqual([[{ zone: "gra" }, 200]]);
    expect(callsOf(env.requests(before)).slice(0, 3)).toEqual([`POST ${svc}/http/farm`, `PUT ${svc}/http/farm/${farmId}`, `GET ${svc}/http/farm/${farmId}`]);
    expect(env.requests(env.mark())).toEqual([]);
  });

  it("leaves the client's clock sync out of callsOf", () => {
    expect(env.requests().some((r) => r.path === "/auth/time")).toBe(true);
    expect(callsOf(env.requests()).some((line) => line.endsWith(" /auth/time"))).toBe(false);
  });
});

describe("pending changes, applyPending and waitUntilLive", () => {
  let env: IplbTestEnvironment;
  beforeAll(async () => (env = await startRefereed({ refreshSeconds: 0.2 })));
  afterEach(() => (env.emulator.faults.refreshOutcome = "done"));
  afterAll(() => env?.close());

  it("shows a write as pending in its zone only, and nothing pending once applyPending refreshed it", async () => {
    const farmId = await farmOutOfBand(env);
    expect(env.pendingChanges()).toEqual([{ zone: "gra", number: 1 }]);
    expect(env.pendingChanges("gra")).toEqual([{ zone: "gra", number: 1 }]);
    expect(env.pendingChanges("rbx")).toEqual([]);
    expect(env.emulator.running("gra").farms[farmId]).toBeUndefined();
    expect(await env.applyPending()).toEqual(["gra"]);
    expect(env.pendingChanges()).toEqual([]);
    expect(env.runningTasks()).toEqual([]);
    expect(env.emulator.running("gra").farms[farmId]).toBeDefined();
  });

  it("applyPending sends nothing when nothing is pending", async () => {
    const before = env.mark();
    expect(await env.applyPending()).toEqual([]);
    expect(env.requests(before)).toEqual([]);
  });

  it("waitUntilLive, called while a change is pending, resolves only once a refresh made it live", async () => {
    const farmId = await farmOutOfBand(env);
    expect(env.pendingChanges()).toEqual([{ zone: "gra", number: 1 }]); // nothing refreshes it until we ask
    const seenWhenResolved = env.waitUntilLive().then(() => ({
      pending: env.pendingChanges(),
      running: env.runningTasks(),
      farm: env.emulator.running("gra").farms[farmId] !== undefined,
    }));
    const task = (await env.ovhClient().requestPromised("POST", `/ipLoadbalancing/${env.serviceName}/refresh`, { zone: "gra" })) as { id: number };
    expect(await seenWhenResolved).toEqual({ pending: [], running: [], farm: true });
    expect(env.emulator.store.service(env.serviceName)!.tasks[task.id].status).toBe("done");
  });

  it("waitUntilLive gives up after timeoutMs, naming the pending zone and saying that nothing refreshes it", async () => {
    await farmOutOfBand(env);
    const failure = await env.waitUntilLive({ timeoutMs: 100 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    expect((failure as Error).message).toBe(
      `timed out after 100 ms waiting for ${env.serviceName} to be live: 1 pending change(s) in gra; ` +
        "no refresh is running, so nothing will make the pending changes live (did an `up` fail?)",
    );
    await env.applyPending();
  });

  it("runningTasks lists a refresh that has not ended, and waitUntilLive does not resolve while it runs", async () => {
    env.emulator.faults.refreshOutcome = "never"; // the task stays `doing`
    await farmOutOfBand(env);
    const task = (await env.ovhClient().requestPromised("POST", `/ipLoadbalancing/${env.serviceName}/refresh`, { zone: "gra" })) as { id: number };
    expect(env.runningTasks()).toEqual([{ kind: "iplb", id: task.id, action: "refreshIplb", status: expect.stringMatching(/^(todo|doing)$/), zones: ["gra"] }]);
    const failure = (await env.waitUntilLive({ timeoutMs: 100 }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toMatch(new RegExp(`1 pending change\\(s\\) in gra; iplb task ${task.id} refreshIplb (todo|doing)$`));
  });
});

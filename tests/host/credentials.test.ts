/**
 * Credentials given as secret stack config (`ovh:applicationSecret`, `ovh:consumerKey` marked secret, as
 * `pulumi config set --secret` does) never come out anywhere else: not in the state (inputs, outputs and `__provider`
 * of every resource), not in what the real host process prints, not in what the API received (bodies and queries), not
 * in any error a user sees (bad input, an API refusal, a failed refresh, a failed diff), not in a real program's logs.
 * The emulator's credentials are random, so a match is never an accident; the grep is shown to find them where they
 * legitimately are (the stack config).
 *
 * Not proven here: what the Go engine, the CLI's display or the state backend do with them (secret config is encrypted
 * by the CLI; nothing here can run it), and HTTP headers (the application key travels in `X-Ovh-Application` by
 * design; the request log keeps no headers).
 */
import * as path from "path";
import { HttpFarm, HttpFarmServer } from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine, Step } from "../helpers/miniEngine";
import { ProgramRunResult, REPO_ROOT, runProgram, runWithMocks } from "../helpers/programRunner";
import { applyPendingOutOfBand, emulatorSettings, failureOf, farmId, outOfBand, runningFarm, runningServer } from "../provider/support";
import { Credentials, credentialsIn, typeToken } from "./support";

const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

let emu: Emulator;
let host: HostDriver;
let creds: Credentials;
let svc: string;
/** Everything a user or a state file could see, with where it came from. */
const seen: { where: string; text: string }[] = [];
const collect = (where: string, value: unknown) => seen.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });

/** The stack config, credentials included; the secret ones are marked secret through SECRET_KEYS. */
const stackConfig = (): Record<string, string> => ({ ...emulatorSettings(emu), "ovh-iplb:retryBaseMs": "5", "proj:x": "unrelated" });
const opts = () => ({ project: "proj", stack: "dev", config: stackConfig(), secretKeys: SECRET_KEYS });

/** Collects every resource's state (inputs, outputs, `__provider`), which must hold the provider text in the clear. */
function collectEngine(where: string, engine: MiniEngine): void {
  for (const r of [...engine.state.values(), ...engine.pendingDeletes]) {
    if (r.custom) expect(typeof r.inputs.__provider).toBe("string"); // not turned into a secret by the SDK
    collect(`${where}: state of ${r.name}`, r);
  }
  collect(`${where}: stack outputs`, engine.stackOutputs);
}

/** Collects everything a failed run shows: the error, its stack, its cause (the host's ProviderError) and what it carries. */
function collectError(where: string, e: Error & Record<string, unknown>): void {
  const cause = e.cause as (Error & Record<string, unknown>) | undefined;
  collect(`${where}: message`, e.message);
  collect(`${where}: stack`, String(e.stack));
  collect(`${where}: cause`, { ...cause, message: cause?.message, stack: cause?.stack });
}

const ops = (steps: Step[]) => steps.map((s) => `${s.op} ${s.name}`).sort();

beforeAll(async () => {
  emu = await startTestEmulator({ refreshSeconds: 0.05 });
  svc = emu.serviceName;
  creds = { applicationKey: emu.applicationKey, applicationSecret: emu.applicationSecret, consumerKey: emu.consumerKey };
  // Nothing in the host's environment: the credentials can only come from Configure.
  const noOvhEnv = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith("OVH_")).map((k) => [k, undefined]));
  host = await startHost({ cwd: REPO_ROOT, project: "proj", env: noOvhEnv });
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("a whole lifecycle with credentials as secret stack config", () => {
  function program(step: 1 | 2) {
    return () => {
      const web = new HttpFarm("web", { serviceName: svc, zone: "gra", port: 8080, displayName: step === 1 ? "web" : "web-v2" });
      const one = new HttpFarmServer("web-1", { serviceName: svc, farmId: web.farmId, address: "192.0.2.21", status: "active", weight: step });
      const two = step === 1 ? new HttpFarmServer("web-2", { serviceName: svc, farmId: web.farmId, address: "192.0.2.22", status: "active" }) : undefined;
      return { farmId: web.farmId, serverIds: [one.serverId, ...(two ? [two.serverId] : [])] };
    };
  }

  it("creates a farm and two servers, then updates the farm and a server and deletes the other, then deletes all", async () => {
    const lifecycle = new MiniEngine(host);
    const engine = () => lifecycle;
    const first = await runWithMocks(engine(), program(1), opts());
    expect(ops(engine().steps)).toEqual(["create web", "create web-1", "create web-2"]);
    const farm = first.farmId as number;
    const [s1, s2] = first.serverIds as number[];
    expect(runningFarm(emu, "gra", farm)).toMatchObject({ displayName: "web" });
    expect([runningServer(emu, "gra", s1)?.weight, runningServer(emu, "gra", s2)?.address]).toEqual([1, "192.0.2.22"]);
    collectEngine("run 1", engine());

    await runWithMocks(engine(), program(2), opts());
    expect(ops(engine().steps)).toEqual(["delete web-2", "update web", "update web-1"]);
    expect(runningFarm(emu, "gra", farm)).toMatchObject({ displayName: "web-v2" });
    expect(runningServer(emu, "gra", s1)).toMatchObject({ weight: 2 });
    expect(runningServer(emu, "gra", s2)).toBeUndefined();
    collectEngine("run 2", engine());

    await runWithMocks(engine(), () => undefined, opts());
    expect(ops(engine().steps)).toEqual(["delete web", "delete web-1"]);
    expect(runningFarm(emu, "gra", farm)).toBeUndefined();
    expect(engine().state.size).toBe(1); // the Stack
  });
});

describe("failures a user meets", () => {
  let engine: MiniEngine;
  let partialId = "";
  beforeAll(() => {
    engine = new MiniEngine(host);
  });
  afterEach(async () => {
    Object.assign(emu.faults, { refreshOutcome: "done", methods: [], errorBurst: { count: 0, status: 503 } });
    await applyPendingOutOfBand(emu, outOfBand(emu));
  });

  const farmProgram = (args: Record<string, unknown>) => () => {
    new HttpFarm("f", { serviceName: svc, zone: "gra", ...args });
  };

  it("bad input fails check, naming the field", async () => {
    const e = await failureOf(runWithMocks(engine, farmProgram({ zone: "GRA" }), opts()));
    expect(e.message).toBe(`${typeToken("HttpFarm")} resource 'f' failed check: zone: "GRA" is not a zone name (lower-case letters such as gra, or all)`);
    collectError("bad input", e);
  });

  it("an API refusal (400) fails the create, naming the call", async () => {
    const e = await failureOf(runWithMocks(engine, farmProgram({ zone: "sbg" }), opts()));
    expect(e.message).toBe(
      `${typeToken("HttpFarm")} resource 'f': create failed: OVH API POST /ipLoadbalancing/${svc}/http/farm failed: 400 ` +
        `[zone] Given data (sbg) is not a zone of this load balancer (gra, rbx, all). Zone "sbg" is not a zone of ${svc}; its zones: gra, rbx, or all for every zone.`,
    );
    collectError("API 400", e);
  });

  it("a failed refresh fails the create but keeps the farm in state (partial create)", async () => {
    emu.faults.refreshOutcome = "error";
    const e = await failureOf(runWithMocks(engine, farmProgram({ displayName: "half" }), opts()));
    expect(e.message).toMatch(/create failed: HttpFarm \S+ was created but is not live yet: /);
    expect(e.id).toMatch(new RegExp(`^${svc}/\\d+$`));
    partialId = e.id as string;
    const kept = engine.state.get(`urn:pulumi:dev::proj::${typeToken("HttpFarm")}::f`);
    expect(kept).toMatchObject({ id: e.id, initErrors: expect.any(Array) });
    collectError("refresh failure", e);
    collectEngine("after the partial create", engine);
  });

  it("a diff whose GETs keep failing fails the run, and the host prints the error", async () => {
    Object.assign(emu.faults, { methods: ["GET"], errorBurst: { count: 100, status: 503 } });
    const e = await failureOf(runWithMocks(engine, farmProgram({ displayName: "half" }), opts()));
    expect(e.message).toBe(`OVH API GET /ipLoadbalancing/${svc}/http/farm/${farmId(partialId)} failed: 503 Service temporarily unavailable`);
    expect(host.stderr).toContain("OVH API GET");
    collectError("diff failure", e);
  });
});

describe("a real program (examples/quickstart through cmd/run)", () => {
  let result: ProgramRunResult;
  let engine: MiniEngine;

  it("runs with the credentials as secret config", async () => {
    engine = new MiniEngine(host);
    const project = "iplb-quickstart";
    result = await runProgram({
      programDir: path.join(REPO_ROOT, "examples", "quickstart"),
      project,
      stack: "dev",
      engine,
      config: {
        ...stackConfig(),
        [`${project}:serviceName`]: svc,
        [`${project}:webServers`]: JSON.stringify(["127.0.0.1:20001", "127.0.0.1:20002", "127.0.0.1:20003"]),
        [`${project}:tcpServers`]: JSON.stringify(["127.0.0.1:20004", "127.0.0.1:20005"]),
      },
      secretKeys: SECRET_KEYS,
    });
    expect(ops(result.steps)).toEqual([
      "create cache", "create cache-1", "create cache-2", "create cache-frontend", "create web", "create web-1", "create web-2",
      "create web-3", "create web-frontend",
    ]);
    expect(runningFarm(emu, "gra", result.outputs.webFarmId as number)).toMatchObject({ displayName: "web", stickiness: "cookie" });
    expect(result.logs.filter((l) => l.message.startsWith("Registering resource: t=pulumi-nodejs:dynamic/iplb:"))).toHaveLength(9);
    // The SDK in a real program: one provider text per type, whatever the number of resources of that type.
    const texts = new Map<string, Set<string>>();
    for (const r of engine.state.values()) if (r.custom) texts.set(r.type, (texts.get(r.type) ?? new Set()).add(r.inputs.__provider));
    expect([...texts.values()].map((t) => t.size)).toEqual([1, 1, 1, 1, 1, 1]);
    collect("quickstart: program logs", result.logs);
    collect("quickstart: program stdout", result.stdout);
    collect("quickstart: program stderr", result.stderr);
    collect("quickstart: stack outputs", result.outputs);
    collectEngine("quickstart", engine);
  });

  it("had the credentials in its stack config, where the grep finds them (the grep works)", () => {
    const config = JSON.stringify(engine.config);
    expect(credentialsIn(config, creds)).toEqual(["applicationKey", "applicationSecret", "consumerKey"]);
    expect(engine.secretKeys).toEqual(SECRET_KEYS);
    expect(credentialsIn(`error: ${creds.consumerKey}.`, creds)).toEqual(["consumerKey"]);
  });
});

describe("nowhere", () => {
  it("is a credential: state, errors, host output, API request log, program output", () => {
    collect("host stdout+stderr", host.output);
    collect("emulator request log", emu.requests);
    // What was collected, so that an empty grep cannot pass silently.
    const sources = new Set(seen.map((s) => s.where.split(":")[0]));
    expect([...sources].sort()).toEqual([
      "API 400", "after the partial create", "bad input", "diff failure", "emulator request log", "host stdout+stderr", "quickstart",
      "refresh failure", "run 1", "run 2",
    ]);
    expect(emu.requests.length).toBeGreaterThan(50);
    expect(emu.requests.every((r) => !("headers" in r))).toBe(true);

    const leaks = seen.flatMap((s) => credentialsIn(s.text, creds).map((name) => `${name} in ${s.where}`));
    expect(leaks).toEqual([]);
  });
});


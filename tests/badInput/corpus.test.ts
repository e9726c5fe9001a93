/**
 * Every case of the bad-input corpus (corpus.ts) runs as a program (runWithMocks + MiniEngine) against one emulator,
 * each in a fresh stack: the run fails with the case's reason, on the case's field, and the emulator's request log
 * shows what the run cost. Check failures cost nothing at all (no request, not even a GET); a reference to an object
 * that does not exist costs reads only; a frontend's missing farm or certificate costs one POST that the API refuses.
 * A handful of cases also go through the real dynamic-provider host, to show the reasons survive the gRPC
 * CheckFailure path word for word.
 *
 * Not proven here: how the Pulumi CLI prints a CheckFailure (it shows the property and the reason; the MiniEngine
 * joins them as `property: reason`).
 */
import type { OvhClient } from "ovh";
import * as iplb from "../../sdk";
import { Emulator, isWrite, RequestLogEntry } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { CheckFailure, HostDriver, InProcessHost, ProviderBackend, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, outOfBand } from "../provider/support";
import { BadInputCase, checkCases as baseCheckCases, CorpusContext } from "./corpus";
import { componentCases, missingReferenceCases, refusedReferenceCases } from "./referenceCases";
import { familyCases } from "./familyCases";
import { vrackCases } from "./vrackCases";
import { unsafeCases } from "./unsafeCases";

const checkCases = [...baseCheckCases, ...unsafeCases, ...familyCases, ...vrackCases];

const PROJECT = "iplb-bad-input";

/** A backend that keeps every check result, so a test can see the failures as the provider returned them. */
function recording(backend: ProviderBackend): { backend: ProviderBackend; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const wrapped: ProviderBackend = {
    configure: (config) => backend.configure(config),
    check: async (urn, olds, news) => {
      const result = await backend.check(urn, olds, news);
      failures.push(...result.failures);
      return result;
    },
    diff: (...args) => backend.diff(...args),
    create: (...args) => backend.create(...args),
    read: (...args) => backend.read(...args),
    update: (...args) => backend.update(...args),
    delete: (...args) => backend.delete(...args),
  };
  return { backend: wrapped, failures };
}

interface Outcome {
  error: Error & { cause?: unknown };
  failures: CheckFailure[];
  requests: RequestLogEntry[];
  engine: MiniEngine;
}

let emu: Emulator;
let client: OvhClient;
let ctx: CorpusContext;
const inProcess = new InProcessHost(PROJECT);

/** One `pulumi up` of the case's program in a fresh stack; it must fail. */
async function runCase(c: BadInputCase, host: ProviderBackend = inProcess, dryRun = false): Promise<Outcome> {
  const { backend, failures } = recording(host);
  const engine = new MiniEngine(backend);
  const from = emu.requests.length;
  const opts = { project: PROJECT, stack: "bad", config: emulatorSettings(emu), dryRun };
  const error = await runWithMocks(engine, () => { c.build(ctx); }, opts).then(
    () => { throw new Error(`${c.name}: the run succeeded`); },
    (e: Error) => e,
  );
  return { error, failures, requests: emu.requests.slice(from), engine };
}

const matches = (text: string, expected: string | RegExp) => (typeof expected === "string" ? text === expected : expected.test(text));
const typeToken = (resource: string) => `pulumi-nodejs:dynamic/iplb:${resource}`;

/** The run failed at check on the case's field, with its reason, and nothing was created. */
function expectCheckFailure(c: BadInputCase, o: Outcome): void {
  // The engine prints each failure as its property then its reason: the corpus states them together.
  const reasons = o.failures.filter((f) => f.property === c.field).map((f) => `${f.property}: ${f.reason}`);
  expect(reasons).toEqual(expect.arrayContaining([typeof c.message === "string" ? c.message : expect.stringMatching(c.message)]));
  const reason = reasons.find((r) => matches(r, c.message))!;
  // Once: a reason that names its property again reads "balance: balance: ..." after the engine's prefix.
  for (const f of o.failures) expect(f.reason.startsWith(`${f.property}:`)).toBe(false);
  expect(o.error.message).toContain(`${typeToken(c.resource)} resource '`);
  expect(o.error.message).toContain(`failed check: ${reason}`);
  expect([...o.engine.state.values()].filter((r) => r.type === typeToken(c.resource))).toEqual([]);
}

beforeAll(async () => {
  emu = await startTestEmulator({ refreshSeconds: 0.05 });
  client = outOfBand(emu);
  const farm = (await client.requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/http/farm`, { zone: "gra", port: 8080 })) as { farmId: number };
  ctx = { serviceName: emu.serviceName, httpFarmId: farm.farmId };
});
afterAll(() => emu?.close());

describe("bad input is refused by check(), naming the field and the allowed values, before any API call", () => {
  it("has at least 40 cases over every resource class", () => {
    expect(checkCases.length).toBeGreaterThanOrEqual(40);
    const classes = new Set(checkCases.map((c) => c.resource));
    for (const cls of ["HttpFarm", "TcpFarm", "UdpFarm", "HttpFarmServer", "TcpFarmServer", "UdpFarmServer", "HttpFrontend",
      "TcpFrontend", "UdpFrontend", "FailoverIpAttachment", "FreeCertificate", "RefreshStart"]) {
      expect(classes).toContain(cls);
    }
    expect(new Set(checkCases.map((c) => c.name)).size).toBe(checkCases.length);
  });

  test.each(checkCases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const o = await runCase(c);
    expectCheckFailure(c, o);
    expect(o.requests).toEqual([]);
  });

  it("refuses every case in preview too, with the same reason and no API call", async () => {
    for (const c of checkCases) {
      const o = await runCase(c, inProcess, true);
      expectCheckFailure(c, o);
      expect(o.requests).toEqual([]);
    }
  });

  it("reports every failure of one resource together, in one error", async () => {
    const c: BadInputCase = {
      name: "five problems at once", resource: "HttpFarm", field: "zone", message: /./,
      build: (x) => new iplb.HttpFarm("bad", {
        serviceName: x.serviceName, zone: "GRA", port: 0, balance: "fastest" as iplb.HttpBalance,
        probe: { type: "http", interval: 29, negate: true }, ...({ weigth: 1 } as object),
      }),
    };
    const o = await runCase(c);
    const expected = [
      "weigth: unknown field; allowed fields: serviceName, zone, port, displayName, vrackNetworkId, balance, stickiness, probe, adoptFarmId",
      'zone: "GRA" is not a zone name (lower-case letters such as gra, or all)',
      "port: 0 is out of range 1..49151",
      'balance: "fastest" is not one of first, leastconn, roundrobin, source, uri',
      "probe.interval: 29 is out of range 30..3600",
    ];
    expect(o.failures.map((f) => `${f.property}: ${f.reason}`)).toEqual(expected);
    expect(o.error.message).toBe(`${typeToken("HttpFarm")} resource 'bad' failed check: ${expected.join("; ")}`);
    expect(o.requests).toEqual([]);
  });
});

describe("a LoadBalancer whose cross-references do not hold is refused before anything is registered", () => {
  test.each(componentCases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const o = await runCase(c);
    const problem = o.error.message.replace(/^LoadBalancer bad: /, "");
    expect(o.error.message).toBe(`LoadBalancer bad: ${problem}`);
    expect(problem).toEqual(typeof c.message === "string" ? c.message : expect.stringMatching(c.message));
    expect(problem.startsWith(`${c.field}: `)).toBe(true);
    expect(o.failures).toEqual([]);
    expect(o.engine.calls).toEqual([]);
    expect(o.requests).toEqual([]);
  });
});

describe("references to objects that do not exist: valid for check(), refused at create before anything is written", () => {
  test.each(missingReferenceCases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const o = await runCase(c);
    expect(o.failures).toEqual([]);
    expect(o.error.message).toContain(`${typeToken(c.resource)} resource 'bad': create failed: `);
    const cause = (o.error.cause as Error).message;
    expect(cause).toEqual(typeof c.message === "string" ? c.message : expect.stringMatching(c.message));
    // Reads only: the create looked the reference up and stopped.
    expect(o.requests.length).toBeGreaterThan(0);
    expect(o.requests.filter(isWrite)).toEqual([]);
  });
});

describe("a frontend's defaultFarmId or defaultSslId that the API refuses: one POST, refused and explained, nothing written", () => {
  test.each(refusedReferenceCases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const frontendsBefore = Object.keys(emu.store.service(emu.serviceName)!.staged.frontends).length;
    const o = await runCase(c);
    expect(o.failures).toEqual([]);
    const cause = (o.error.cause as Error).message;
    expect(cause).toEqual(typeof c.message === "string" ? c.message : expect.stringMatching(c.message));
    // The API's own refusal is kept at the end of the explanation.
    expect(cause).toMatch(/\(OVH API POST \/ipLoadbalancing\/[\w-]+\/(http|tcp)\/frontend failed: 400 .+\)$/);
    expect(o.requests.filter(isWrite).map((r) => [r.method, r.path.replace(emu.serviceName, "{svc}"), r.status])).toEqual([
      ["POST", `/ipLoadbalancing/{svc}/${c.resource === "TcpFrontend" ? "tcp" : "http"}/frontend`, 400],
    ]);
    expect(Object.keys(emu.store.service(emu.serviceName)!.staged.frontends)).toHaveLength(frontendsBefore);
  });
});

describe("the same reasons through the real dynamic-provider host (gRPC CheckFailure)", () => {
  let host: HostDriver;
  beforeAll(async () => {
    // cwd = the repository: the serialized shim loads provider/registry.ts from there (through ts-node).
    host = await startHost({ cwd: REPO_ROOT, project: PROJECT });
  });
  afterAll(() => host?.close());

  const picked = ["HttpFarm balance outside the HTTP list", "HttpFarmServer weight as a string (untyped)",
    "HttpFrontend allowedSource with deniedSource", "FreeCertificate wildcard", "FailoverIpAttachment ip 203.0.113.7/24",
    "Refresh serviceName \"\"", "HttpFarmServer status null (required, untyped)"];

  test.each(picked)("%s", async (name) => {
    const c = checkCases.find((x) => x.name === name)!;
    const o = await runCase(c, host);
    expectCheckFailure(c, o);
    expect(o.requests).toEqual([]);
    expect(host.stderr).toBe("");
  }, 60000);
});

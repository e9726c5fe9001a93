/**
 * What Pulumi writes into `__provider` (the state of every resource) for each provider kind: the shim of
 * provider/shim.ts, serialized exactly as the SDK serializes it, while OVH_* credentials are set in the environment and
 * the stack config holds secret credentials. It must be small, hold no credential and no secret, require only what the
 * shim loads itself, be the same text for every resource of a kind, and, rebuilt in a fresh process as the
 * dynamic-provider host rebuilds it, load the implementation.
 *
 * Not proven here: the host's gRPC contract and the provider's behaviour through it (providers.test.ts), and that the
 * implementation never writes a credential into state, logs or errors (credentials.test.ts).
 */
import * as sdk from "../../sdk";
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as shim from "../../provider/shim";
import { providers, ProviderKind } from "../../provider/registry";
import { HttpFarm, HttpFarmServer } from "../../sdk";
import { CheckResult, CreateResult, DiffResult, ProviderBackend, Props, ReadResult } from "../helpers/hostDriver";
import { isSecret, MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runWithMocks } from "../helpers/programRunner";
import { withRealEnv } from "../helpers/realProcess";
import { credentialsIn, KINDS, requireCalls, serializeLikeTheSdk, Serialized, typeToken } from "./support";

/**
 * The bound: the shim is about 3.2 KB (a loader, a kind name, one or two module paths, seven forwarding methods).
 * Anything captured by value on top (one of our modules, a client, the implementation: see the control below) adds
 * tens of kilobytes, so 4 KB leaves room for a long install path and catches every such capture.
 */
const MAX_PROVIDER_BYTES = 4096;

const creds = {
  applicationKey: randomBytes(8).toString("hex"),
  applicationSecret: randomBytes(16).toString("hex"),
  consumerKey: randomBytes(16).toString("hex"),
};
const ENV = {
  OVH_ENDPOINT: "https://127.0.0.1:9/1.0",
  OVH_APPLICATION_KEY: creds.applicationKey,
  OVH_APPLICATION_SECRET: creds.applicationSecret,
  OVH_CONSUMER_KEY: creds.consumerKey,
  OVH_CA_FILE: "/nonexistent/ca.pem",
};
const STACK_CONFIG = {
  "ovh:endpoint": "https://127.0.0.1:9/1.0",
  "ovh:applicationKey": creds.applicationKey,
  "ovh:applicationSecret": creds.applicationSecret,
  "ovh:consumerKey": creds.consumerKey,
  "proj:x": "unrelated",
};
const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

/** Sets the credentials everywhere a closure could see them: this sandbox's env, the real process env, the config. */
async function withCredentialsEverywhere<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, ENV);
  pulumi.runtime.setAllConfig(STACK_CONFIG, SECRET_KEYS);
  try {
    return await withRealEnv(ENV, fn);
  } finally {
    for (const k of Object.keys(ENV)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    pulumi.runtime.setAllConfig({}, []);
  }
}

/** Runs `node -e script args...` with `cwd`, no OVH_* variable, and returns its stdout (rejects on a non-zero exit). */
function runNode(script: string, args: string[], cwd: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OVH_")));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`node exited with ${code}:\n${err}`))));
  });
}

/**
 * What the host's getProvider() does with each text (requireFromString(text).handler()), then check(olds, news).
 * argv: the require-from-string module to use, a JSON file {kind: text}, the news to check.
 */
const REBUILD_AND_CHECK = `
const fs = require("fs");
const requireFromString = require(process.argv[1]);
const texts = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const news = JSON.parse(process.argv[3]);
(async () => {
  const out = {};
  for (const [kind, text] of Object.entries(texts)) {
    try { out[kind] = await requireFromString(text).handler().check({}, news); }
    catch (e) { out[kind] = { error: e.message }; }
  }
  process.stdout.write(JSON.stringify(out));
})();`;

async function rebuildAndCheck(texts: Record<string, string>, news: Props, cwd: string): Promise<Record<string, unknown>> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "iplb-shim-")), "texts.json");
  fs.writeFileSync(file, JSON.stringify(texts));
  return JSON.parse(await runNode(REBUILD_AND_CHECK, [require.resolve("require-from-string"), file, JSON.stringify(news)], cwd));
}

let serialized: Record<ProviderKind, Serialized>;

beforeAll(async () => {
  serialized = await withCredentialsEverywhere(async () => {
    const entries = await Promise.all(KINDS.map(async (kind) => [kind, await serializeLikeTheSdk(kind)] as const));
    return Object.fromEntries(entries) as Record<ProviderKind, Serialized>;
  });
});

describe("the serialized provider of each kind", () => {
  it("covers every resource class of the SDK, and every provider kind has its class", () => {
    // Each exported class registers `pulumi-nodejs:dynamic/iplb:<Kind>`; the Refresh batch's two internal resources
    // are registered by the `Refresh` component instead of exported classes.
    const tokens = Object.values(sdk)
      .map((v) => (v as { __pulumiType?: unknown }).__pulumiType)
      .filter((t): t is string => typeof t === "string");
    const classKinds = tokens.map((t) => t.replace("pulumi-nodejs:dynamic/iplb:", "")).sort();
    expect(classKinds.length).toBeGreaterThanOrEqual(11);
    expect(Object.keys(serialized).sort()).toEqual([...classKinds, "RefreshCommit", "RefreshStart"].sort());
  });

  it.each(KINDS)("%s: is under 4 KB and not marked as holding a secret", (kind) => {
    const { text, containsSecrets } = serialized[kind];
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_PROVIDER_BYTES);
    expect(containsSecrets).toBe(false);
  });

  it.each(KINDS)("%s: holds no credential, no setting and no environment lookup", (kind) => {
    const { text } = serialized[kind];
    expect(credentialsIn(text, creds)).toEqual([]);
    for (const setting of ["127.0.0.1:9", "/nonexistent/ca.pem", "unrelated", "OVH_", "process.env", "ovh:"]) {
      expect(text).not.toContain(setting);
    }
  });

  it.each(KINDS)("%s: requires only ts-node and the implementation candidate (never ovh, @pulumi/pulumi or our modules)", (kind) => {
    const { text } = serialized[kind];
    expect(requireCalls(text)).toEqual(['"ts-node"', "candidate"]);
    expect(text).toContain(`var __candidates = ${JSON.stringify([path.join(REPO_ROOT, "provider", "registry.ts")])};`);
  });

  it("differs between kinds only by the kind name", () => {
    const http = serialized.HttpFarm.text;
    expect(http.split('"HttpFarm"')).toHaveLength(2);
    for (const kind of KINDS) expect(serialized[kind].text).toBe(http.replace('"HttpFarm"', JSON.stringify(kind)));
  });
});

describe("the detectors above", () => {
  it("find a credential captured by a closure, and mark a captured secret Output", async () => {
    const secretValue = creds.applicationSecret;
    const leaky = { create: async () => ({ id: secretValue, outs: {} }) };
    const leaked = await pulumi.runtime.serializeFunction(() => leaky, { allowSecrets: true });
    expect(credentialsIn(leaked.text, creds)).toEqual(["applicationSecret"]);
    expect(credentialsIn(`x${creds.consumerKey}y${creds.applicationKey}`, creds)).toEqual(["applicationKey", "consumerKey"]);

    const marked = pulumi.secret("s3cr3t");
    const withSecret = { create: async () => ({ id: await marked.apply((v) => v), outs: {} }) };
    expect((await pulumi.runtime.serializeFunction(() => withSecret, { allowSecrets: true })).containsSecrets).toBe(true);
  });

  it("would catch the implementation captured by value (about 85 KB): it is over 10 times the bound", async () => {
    const provider = providers.HttpFarm;
    const byValue = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(Buffer.byteLength(byValue.text)).toBeGreaterThan(10 * MAX_PROVIDER_BYTES);
  });
});

/** A backend that accepts everything: only the registrations (and their `__provider`) matter here. */
class AcceptingBackend implements ProviderBackend {
  async configure(): Promise<void> {}
  async check(_urn: string, _olds: Props, news: Props): Promise<CheckResult> { return { inputs: news, failures: [] }; }
  async diff(): Promise<DiffResult> { return { changes: "none", replaces: [], deleteBeforeReplace: false }; }
  async create(urn: string, props: Props): Promise<CreateResult> { return { id: urn.split("::").pop()!, properties: props }; }
  async read(id: string, _urn: string, props: Props): Promise<ReadResult> { return { id, properties: props }; }
  async update(_id: string, _urn: string, _olds: Props, news: Props): Promise<{ properties: Props }> { return { properties: news }; }
  async delete(): Promise<void> {}
}

describe("what the SDK registers", () => {
  it("is the same text for every resource of a kind, equal to the text above and not a secret, with secret config set", async () => {
    const engine = new MiniEngine(new AcceptingBackend());
    await withRealEnv(ENV, () => runWithMocks(engine, () => {
      new HttpFarm("web", { serviceName: "loadbalancer-1", zone: "gra" });
      new HttpFarm("api", { serviceName: "loadbalancer-1", zone: "rbx", port: 8080 });
      new HttpFarmServer("web-1", { serviceName: "loadbalancer-1", farmId: 1, address: "192.0.2.1", status: "active" });
    }, { project: "proj", stack: "dev", config: STACK_CONFIG, secretKeys: SECRET_KEYS }));

    const registered = (type: string) => [...engine.state.values()].filter((r) => r.type === type).map((r) => r.inputs.__provider);
    const farms = registered(typeToken("HttpFarm"));
    expect(farms).toHaveLength(2);
    expect(farms[0]).toBe(serialized.HttpFarm.text);
    expect(farms[1]).toBe(farms[0]);
    expect(registered(typeToken("HttpFarmServer"))).toEqual([serialized.HttpFarmServer.text]);
    for (const r of engine.state.values()) expect(isSecret(r.inputs.__provider)).toBe(false);
  });
});

describe("the text rebuilt in a fresh process", () => {
  it("loads the implementation from the repository (cwd = repo root, no OVH_* set) and runs its check", async () => {
    const news = { serviceName: "", zone: "GRA", colour: "red" };
    const texts = Object.fromEntries(KINDS.map((kind) => [kind, serialized[kind].text]));
    const rebuilt = await rebuildAndCheck(texts, news, REPO_ROOT);
    for (const kind of KINDS) {
      const direct = await providers[kind].check!({}, news);
      expect(direct.failures!.length).toBeGreaterThan(0);
      expect({ kind, result: rebuilt[kind] }).toEqual({ kind, result: direct });
    }
    expect(rebuilt.HttpFarm).toMatchObject({ failures: expect.arrayContaining([
      { property: "zone", reason: '"GRA" is not a zone name (lower-case letters such as gra, or all)' },
    ]) });
  });
});

describe("where the host looks for the implementation (shim.ts implementationCandidates)", () => {
  it("puts the package specifier first when the registry lies in node_modules/pulumi-ovh-iplb/, else only its own path", () => {
    const installed = "/home/me/app/node_modules/pulumi-ovh-iplb/dist/provider/registry.js";
    expect(shim.implementationCandidates(installed)).toEqual(["pulumi-ovh-iplb/dist/provider/registry.js", installed]);
    const pnpm = "/home/me/app/node_modules/.pnpm/pulumi-ovh-iplb@0.1.0/node_modules/pulumi-ovh-iplb/dist/provider/registry.js";
    expect(shim.implementationCandidates(pnpm)).toEqual([shim.PACKAGE_REGISTRY, pnpm]);
    expect(shim.implementationCandidates("/src/pulumi-ovh-iplb/provider/registry.ts")).toEqual(["/src/pulumi-ovh-iplb/provider/registry.ts"]);
    expect(shim.implementationCandidates()).toEqual([path.join(REPO_ROOT, "provider", "registry.ts")]);
  });

  it("loads the project's installed package first, else the path it was serialized from, else names both", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-resolve-"));
    const install = (root: string, loadedFrom: string) => {
      const file = path.join(root, "node_modules", "pulumi-ovh-iplb", "dist", "provider", "registry.js");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `exports.providers = { HttpFarm: { check: async () => ({ inputs: { loadedFrom: ${JSON.stringify(loadedFrom)} }, failures: [] }) } };`);
      return file;
    };
    const project = path.join(tmp, "project");
    install(project, "project");
    const linked = install(path.join(tmp, "linked"), "serialized path");
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);

    const provider = shim.serializableProvider("HttpFarm", shim.implementationCandidates(linked));
    const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const checkFrom = async (cwd: string) => (await rebuildAndCheck({ HttpFarm: text }, {}, cwd)).HttpFarm;

    expect(await checkFrom(project)).toEqual({ inputs: { loadedFrom: "project" }, failures: [] });
    expect(await checkFrom(empty)).toEqual({ inputs: { loadedFrom: "serialized path" }, failures: [] });
    fs.rmSync(path.join(tmp, "linked"), { recursive: true });
    const missing = (await checkFrom(empty)) as { error: string };
    expect(missing.error).toMatch(/^pulumi-ovh-iplb: cannot load the provider implementation; is pulumi-ovh-iplb installed in this project\? \(/);
    expect(missing.error).toContain(`${shim.PACKAGE_REGISTRY}: Cannot find module`);
    expect(missing.error).toContain(`${linked}: Cannot find module`);
  });
});

/**
 * Runs policies on captured registrations the way `pulumi preview/up --policy-pack` does, without the CLI:
 *
 * - what the Go engine sends (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go): Analyze gets each
 *   resource's inputs, AnalyzeStack every resource's outputs with parent, dependencies and propertyDependencies, both
 *   marshalled with KeepUnknowns, KeepSecrets and SkipInternalKeys (so `__provider` never reaches a policy); Remediate
 *   the inputs with `__provider` (remediateResource below);
 * - what the CLI does with the pack's config (ReconcilePolicyPackConfig): schema defaults, then the given config
 *   (`"all"` and per-policy enforcement levels, properties);
 * - what @pulumi/policy's server builds from that (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun):
 *   deserializeProperties (secrets unwrapped), props wrapped in unknownCheckingProxy, the enforcement level
 *   (config, then policy, then the pack's "advisory"), and an UnknownValueError turned into an advisory
 *   "can't run policy ... during preview".
 * processPack.ts runs the real pack folder and server over gRPC; a test checks both agree.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type {
  EnforcementLevel, Policies, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { specialResourceSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { CapturedResource, CapturedStack } from "./capture";

// @internal parts of @pulumi/policy (their .d.ts exports nothing), the very functions its server uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties, serializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, any>;
  serializeProperties(props: unknown): Promise<Record<string, unknown>>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; UnknownValueError: new (...a: unknown[]) => Error };

export const PACK_NAME = "ovh-iplb";
export const PACK_VERSION = "0.1.0";

export interface Diagnostic {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn?: string;
}

/** `--policy-pack-config` file contents: per policy an enforcement level, or properties (with enforcementLevel). */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;
type Reconciled = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

/** Schema defaults, then "all", then each policy's entry (pkg/resource/analyzer ReconcilePolicyPackConfig). */
export function reconcileConfig(policies: Policies, given: PackConfig = {}): Reconciled {
  const result: Reconciled = {};
  const all = typeof given.all === "string" ? given.all : given.all?.enforcementLevel;
  for (const p of policies) {
    const defaults = Object.fromEntries(
      Object.entries(p.configSchema?.properties ?? {}).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    const entry = given[p.name];
    const own = typeof entry === "string" ? { enforcementLevel: entry } : entry ?? {};
    const level = own.enforcementLevel ?? all ?? p.enforcementLevel;
    result[p.name] = { ...defaults, ...own, ...(level ? { enforcementLevel: level } : {}) };
  }
  return result;
}

/** What the engine marshals: no `__` keys (SkipInternalKeys), resource references as their id. */
export function engineProps(v: any): any {
  if (Array.isArray(v)) return v.map(engineProps);
  if (!v || typeof v !== "object") return v;
  if (v[specialSigKey] === specialResourceSig) return v.id === "" ? unknownValue : v.id ?? v.urn;
  return Object.fromEntries(Object.keys(v).filter((k) => !k.startsWith("__")).map((k) => [k, engineProps(v[k])]));
}

/** The props a policy sees: deserialized by @pulumi/policy, behind its unknown-checking proxy. */
export function policyProps(wire: Record<string, unknown>): Record<string, any> {
  return proxy.unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(engineProps(wire)), false));
}

const levelOf = (p: { name: string; enforcementLevel?: EnforcementLevel }, config: Reconciled): EnforcementLevel =>
  config[p.name]?.enforcementLevel ?? p.enforcementLevel ?? "advisory";

const getConfigOf = (name: string, config: Reconciled) => <T extends object>(): T => {
  const { enforcementLevel: _level, ...props } = config[name] ?? {};
  return props as T;
};

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => { throw new NotApplicable(reason); };

/**
 * Runs one validation as the server does: violations at the policy's level, unknowns as an advisory, errors thrown.
 * `resourceUrn` is set for Analyze: the engine files every diagnostic of a resource's analysis under that resource.
 */
async function run(p: { name: string; description: string }, level: EnforcementLevel, out: Diagnostic[], fn: (report: (message: string, urn?: string) => void) => unknown, resourceUrn?: string) {
  const reported = level === "remediate" ? "mandatory" : level;
  const push = (d: Diagnostic, urn?: string) => out.push({ ...d, ...((resourceUrn ?? urn) ? { urn: resourceUrn ?? urn } : {}) });
  try {
    // server.js makeReportViolationFun: the message users see is the policy's description, then the violation.
    await fn((message, urn) => push({ policyName: p.name, enforcementLevel: reported, message: message ? `${p.description}\n${message}` : p.description }, urn));
  } catch (e) {
    if (e instanceof proxy.UnknownValueError) {
      const message = `can't run policy '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${(e as Error).message}`;
      push({ policyName: p.name, enforcementLevel: "advisory", message });
    } else if (!(e instanceof NotApplicable)) {
      throw e;
    }
  }
}

const isResourcePolicy = (p: Policies[number]): p is ResourceValidationPolicy => "validateResource" in p && !!p.validateResource;
const isStackPolicy = (p: Policies[number]): p is StackValidationPolicy => "validateStack" in p && !!p.validateStack;

/** Analyze(resource): every resource policy on one resource's inputs. */
export async function analyzeResource(policies: Policies, r: CapturedResource, given: PackConfig = {}): Promise<Diagnostic[]> {
  const config = reconcileConfig(policies, given);
  const out: Diagnostic[] = [];
  for (const p of policies.filter(isResourcePolicy)) {
    const level = levelOf(p, config);
    if (level === "disabled") continue;
    const props = policyProps(r.inputs);
    const args: ResourceValidationArgs = {
      type: r.type, props, urn: r.urn, name: r.name, opts: options(r), stackTags: new Map(),
      isType: () => false, asType: () => undefined, getConfig: getConfigOf(p.name, config), notApplicable,
    };
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!];
    for (const validate of validations) await run(p, level, out, (report) => validate(args, (m) => report(m)), r.urn);
  }
  return out;
}

function options(r: CapturedResource): PolicyResource["opts"] {
  return {
    protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, aliases: [], additionalSecretOutputs: r.options.additionalSecretOutputs,
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    ...(r.options.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.options.deleteBeforeReplace } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** The `resources` of validateStack: outputs as props, parents and dependencies as the resource objects. */
export function stackResources(stack: CapturedStack): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of stack.resources) {
    byUrn.set(r.urn, {
      type: r.type, props: policyProps(r.outputs), urn: r.urn, name: r.name, opts: options(r),
      dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined,
    } as PolicyResource);
  }
  const resolve = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
  for (const r of stack.resources) {
    const res = byUrn.get(r.urn)!;
    if (r.parent && byUrn.has(r.parent)) res.parent = byUrn.get(r.parent);
    res.dependencies = resolve(r.dependencies);
    for (const [key, urns] of Object.entries(r.propertyDependencies)) if (urns.length > 0) res.propertyDependencies[key] = resolve(urns);
  }
  return [...byUrn.values()];
}

/** AnalyzeStack: every stack policy once, on the whole stack. */
export async function analyzeStack(policies: Policies, stack: CapturedStack, given: PackConfig = {}): Promise<Diagnostic[]> {
  const config = reconcileConfig(policies, given);
  const out: Diagnostic[] = [];
  for (const p of policies.filter(isStackPolicy)) {
    const level = levelOf(p, config);
    if (level === "disabled") continue;
    const args: StackValidationArgs = { resources: stackResources(stack), getConfig: getConfigOf(p.name, config), stackTags: new Map(), notApplicable };
    await run(p, level, out, (report) => p.validateStack(args, report));
  }
  return out;
}

/** A whole `pulumi preview` or `up` with the pack: Analyze on every resource, then AnalyzeStack. */
export async function analyze(policies: Policies, stack: CapturedStack, given: PackConfig = {}): Promise<Diagnostic[]> {
  const perResource: Diagnostic[] = [];
  for (const r of stack.resources) perResource.push(...(await analyzeResource(policies, r, given)));
  return [...perResource, ...(await analyzeStack(policies, stack, given))];
}

export interface Remediation {
  policyName: string;
  /** The props the engine takes instead of the inputs, in wire form (secrets as {sig, value}). */
  properties: Record<string, unknown>;
}

/**
 * Remediate(resource), which the engine calls before Analyze, in preview and update: the policies at level
 * "remediate", in order, each on the props the one before returned (server.js makeRemediateRpcFun). The engine sends
 * the inputs with secrets and internal keys (`__provider` kept: analyzer_plugin.go Remediate, SkipInternalKeys false);
 * the server deserializes them keeping secrets (`Secret` objects under its proxies) and serializes each result back.
 */
export async function remediateResource(policies: Policies, r: CapturedResource, given: PackConfig = {}): Promise<Remediation[]> {
  const config = reconcileConfig(policies, given);
  let props: Record<string, any> = proxy.unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(r.inputs as never), true));
  const out: Remediation[] = [];
  for (const p of policies.filter((x): x is ResourceValidationPolicy => "remediateResource" in x && !!x.remediateResource)) {
    if (levelOf(p, config) !== "remediate") continue;
    const args = {
      type: r.type, props, urn: r.urn, name: r.name, opts: options(r), stackTags: new Map(),
      isType: () => false, asType: () => undefined, getConfig: getConfigOf(p.name, config), notApplicable,
    };
    const result = await p.remediateResource!(args);
    if (!result) continue;
    props = result;
    out.push({ policyName: p.name, properties: await serializeProperties(result) });
  }
  return out;
}

/** What a violation says beyond its policy's description (the server puts the description first, then a newline). */
export const detail = (d: Diagnostic): string => d.message.slice(d.message.indexOf("\n") + 1);

/** `policy-name resource-name` for each diagnostic, sorted: the compact form most tests assert on. */
export function summary(diagnostics: Diagnostic[], stack: CapturedStack): string[] {
  const names = new Map(stack.resources.map((r) => [r.urn, r.name]));
  return diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.urn ? names.get(d.urn) ?? d.urn : "-"}`).sort();
}

/** Names of the resources `policyName` reported (a stack violation without a URN counts as "-"), sorted. */
export function flagged(diagnostics: Diagnostic[], stack: CapturedStack, policyName: string): string[] {
  const names = new Map(stack.resources.map((r) => [r.urn, r.name]));
  return diagnostics.filter((d) => d.policyName === policyName).map((d) => (d.urn ? names.get(d.urn) ?? d.urn : "-")).sort();
}

/** A hand-built registration: a captured one with some inputs (and the same outputs) replaced. */
export function withInputs(r: CapturedResource, patch: Record<string, unknown>, name = r.name): CapturedResource {
  const urn = r.urn.replace(/::[^:]+$/, `::${name}`);
  return { ...r, urn, name, inputs: { ...r.inputs, ...patch }, outputs: { ...r.outputs, ...patch } };
}

/** A registration built by hand, for a resource type whose SDK class a test does not run (wire form inputs). */
export function handBuilt(type: string, name: string, inputs: Record<string, unknown>, project = "project", stack = "stack"): CapturedResource {
  return {
    urn: `urn:pulumi:${stack}::${project}::${type}::${name}`, type, name, custom: true,
    inputs, outputs: inputs, dependencies: [], propertyDependencies: {},
    options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [] },
  };
}

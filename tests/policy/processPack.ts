/**
 * The pack folder run the way `pulumi preview --policy-pack ./policy` runs it, minus the CLI: the CLI's
 * `pulumi-analyzer-policy` plugin resolves @pulumi/pulumi/cmd/run-policy-pack from the pack folder and runs it there
 * with `<engine address> .` (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer); that
 * compiles index.ts with ts-node (type-checked, the folder's tsconfig.json), constructs the PolicyPack, which serves
 * the Analyzer service and prints its port. This driver then speaks that service's gRPC, as the engine does.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import type { EnforcementLevel } from "@pulumi/policy";
import { REPO_ROOT } from "../helpers/programRunner";
import type { CapturedResource, CapturedStack } from "./capture";
import { Diagnostic, engineProps } from "./harness";

export const PACK_DIR = path.join(REPO_ROOT, "policy");

const LEVELS: Record<EnforcementLevel, analyzerproto.EnforcementLevel> = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};
const levelName = (l: analyzerproto.EnforcementLevel) => (Object.keys(LEVELS) as EnforcementLevel[]).find((k) => LEVELS[k] === l)!;

type Unary<Req, Res> = (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown;
const call = <Req, Res>(fn: Unary<Req, Res>, req: Req) =>
  new Promise<Res>((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));

function options(r: CapturedResource): analyzerproto.AnalyzerResourceOptions {
  const o = new analyzerproto.AnalyzerResourceOptions()
    .setProtect(r.options.protect).setIgnorechangesList(r.options.ignoreChanges)
    .setAdditionalsecretoutputsList(r.options.additionalSecretOutputs)
    .setCustomtimeouts(new analyzerproto.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) o.setParent(r.parent);
  return o;
}

function diagnostics(res: analyzerproto.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(), enforcementLevel: levelName(d.getEnforcementlevel()), message: d.getMessage(),
    ...(d.getUrn() ? { urn: d.getUrn() } : {}),
  }));
}

export class PolicyPackProcess {
  private constructor(private readonly child: ChildProcess, private readonly client: analyzerrpc.AnalyzerClient, readonly stderr: () => string) {}

  /** Starts the pack; resolves once it printed its port (the first compile takes a few seconds). */
  static start(timeoutMs = 60000): Promise<PolicyPackProcess> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { child.kill(); reject(new Error(`policy pack did not start in ${timeoutMs} ms:\n${stderr}`)); }, timeoutMs);
      child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`policy pack exited with ${code}:\n${stdout}${stderr}`)); });
      child.stdout!.on("data", (d) => {
        stdout += d;
        const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
        if (!port) return;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        resolve(new PolicyPackProcess(child, client, () => stderr));
      });
    });
  }

  info(): Promise<analyzerproto.AnalyzerInfo> {
    return call(this.client.getAnalyzerInfo.bind(this.client), new Empty());
  }

  /** Configure with the reconciled config (what the CLI sends after ReconcilePolicyPackConfig). */
  async configure(config: Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>): Promise<void> {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, ...props }] of Object.entries(config)) {
      req.getPolicyconfigMap().set(name, new analyzerproto.PolicyConfig()
        .setEnforcementlevel(LEVELS[enforcementLevel ?? "advisory"]).setProperties(Struct.fromJavaScript(props as never)));
    }
    await call(this.client.configure.bind(this.client), req);
  }

  async analyze(r: CapturedResource): Promise<Diagnostic[]> {
    const req = new analyzerproto.AnalyzeRequest().setUrn(r.urn).setType(r.type).setName(r.name)
      .setProperties(Struct.fromJavaScript(engineProps(r.inputs))).setOptions(options(r));
    // The engine files every diagnostic of a resource's analysis under that resource.
    return diagnostics(await call(this.client.analyze.bind(this.client), req)).map((d) => ({ ...d, urn: r.urn }));
  }

  async analyzeStack(stack: CapturedStack): Promise<Diagnostic[]> {
    const resources = stack.resources.map((r) => {
      const res = new analyzerproto.AnalyzerResource().setUrn(r.urn).setType(r.type).setName(r.name)
        .setProperties(Struct.fromJavaScript(engineProps(r.outputs))).setOptions(options(r))
        .setParent(r.parent ?? "").setDependenciesList(r.dependencies);
      for (const [key, urns] of Object.entries(r.propertyDependencies)) {
        // The engine leaves out inputs without dependencies (analyzer_plugin.go AnalyzeStack).
        if (urns.length > 0) res.getPropertydependenciesMap().set(key, new analyzerproto.AnalyzerPropertyDependencies().setUrnsList(urns));
      }
      return res;
    });
    return diagnostics(await call(this.client.analyzeStack.bind(this.client), new analyzerproto.AnalyzeStackRequest().setResourcesList(resources)));
  }

  /** Remediate: the inputs as the engine sends them (internal keys kept), the remediated props in wire form. */
  async remediate(r: CapturedResource): Promise<{ policyName: string; properties: Record<string, unknown> }[]> {
    const req = new analyzerproto.AnalyzeRequest().setUrn(r.urn).setType(r.type).setName(r.name)
      .setProperties(Struct.fromJavaScript(r.inputs as never)).setOptions(options(r));
    const res = await call<analyzerproto.AnalyzeRequest, analyzerproto.RemediateResponse>(this.client.remediate.bind(this.client), req);
    return res.getRemediationsList().map((x) => ({ policyName: x.getPolicyname(), properties: x.getProperties()?.toJavaScript() ?? {} }));
  }

  /** Analyze on every resource, then AnalyzeStack: one preview or update. */
  async analyzeAll(stack: CapturedStack): Promise<Diagnostic[]> {
    const perResource: Diagnostic[] = [];
    for (const r of stack.resources) perResource.push(...(await this.analyze(r)));
    return [...perResource, ...(await this.analyzeStack(stack))];
  }

  /** Stops the pack (the engine kills analyzer plugins the same way at the end of a run). */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => { this.child.once("exit", () => resolve()); this.child.kill(); });
  }
}

/**
 * One Pulumi stack driven through the real CLI, fully offline: a local file backend, PULUMI_HOME and the stack's config
 * file all in one temporary folder, so nothing is written into the repository or the user's home. Commands run
 * asynchronously, so that an emulator serving in this same (jest) process keeps answering while they run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type PolicyViolation, policyViolationsOf, type PreviewStep, type StepEvent, stepsOf, typeOf } from "./events";

export * from "./events";

export interface StackOptions {
  /** Folder with `pulumi`, the language host and the dynamic-provider launcher (scripts/pulumi-cli.sh). */
  bin: string;
  /** The project folder (its Pulumi.yaml). */
  projectDir: string;
  stack?: string;
  /** Namespaced config keys, e.g. {"ovh:endpoint": "...", "proj:webServers": ["127.0.0.1:8080"]} (see setConfig). */
  config?: Record<string, unknown>;
  /** Keys of `config` set with `--secret`. */
  secretKeys?: string[];
}

export interface CommandResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Resolve with the result instead of rejecting when the command fails. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Called with the child process once started (to kill it mid-way, with support/processTree.ts: the engine starts
   * its plugins in process groups of their own, so a group kill alone leaves them running).
   */
  started?: (pid: number) => void;
}

/** `pulumi preview --json`'s document, as far as the tests read it. */
export interface PreviewDocument {
  steps: StepEvent[];
  diagnostics?: { message: string; severity: string; urn?: string }[];
  changeSummary?: Record<string, number>;
}

export class CommandError extends Error {
  constructor(readonly result: CommandResult) {
    super(`pulumi ${result.args.join(" ")} exited with ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

export const SECRET_KEYS = ["ovh:applicationSecret", "ovh:consumerKey"];

/** Commands that read the stack's config: they get the config file kept in the temporary folder. */
const READS_CONFIG = new Set(["config", "up", "preview", "refresh", "destroy"]);

export class TestStack {
  readonly dir: string;
  readonly stack: string;
  readonly configFile: string;
  private events = 0;

  private constructor(readonly o: StackOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-engine-"));
    fs.mkdirSync(path.join(this.dir, "state"));
    fs.mkdirSync(path.join(this.dir, "home"));
    // Unique: `stack init` writes Pulumi.<stack>.yaml beside Pulumi.yaml (its secrets salt) before we move it away,
    // and suites share project folders.
    this.stack = o.stack ?? `t${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.configFile = path.join(this.dir, `Pulumi.${this.stack}.yaml`);
  }

  /** `stack init` (its config file moved into the temporary folder), then the config in one `config set-all`. */
  static async create(o: StackOptions): Promise<TestStack> {
    const s = new TestStack(o);
    await s.run(["stack", "init", s.stack]);
    const written = path.join(o.projectDir, `Pulumi.${s.stack}.yaml`);
    if (fs.existsSync(written)) fs.renameSync(written, s.configFile);
    await s.setConfig(o.config ?? {}, o.secretKeys ?? SECRET_KEYS);
    return s;
  }

  get env(): NodeJS.ProcessEnv {
    // Credentials reach the provider through the stack config only: OVH_* variables of the caller are not passed.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OVH_") && !k.startsWith("PULUMI_")));
    return {
      ...inherited,
      PATH: `${this.o.bin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "engine-tests",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      // Enables `--event-log` (the engine's events, one JSON per line), as the Automation API does.
      PULUMI_DEBUG_COMMANDS: "true",
      // The repository's `tsc --noEmit` type-checks every program; ts-node need not do it again on each run.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
  }

  /**
   * Sets config values: strings as they are (secret for `secretKeys`), anything else as structured YAML (an array or
   * object, what a key declared `type: array` in Pulumi.yaml needs; a JSON string there fails validation).
   */
  async setConfig(config: Record<string, unknown>, secretKeys: string[] = SECRET_KEYS): Promise<void> {
    const entries = Object.entries(config);
    const pairs = entries
      .filter(([, v]) => typeof v === "string")
      .flatMap(([k, v]) => [secretKeys.includes(k) ? "--secret" : "--plaintext", `${k}=${v as string}`]);
    if (pairs.length > 0) await this.run(["config", "set-all", ...pairs]);
    const structured = entries.filter(([, v]) => typeof v !== "string");
    if (structured.length === 0) return;
    const json = Object.fromEntries(structured.map(([k, v]) => [k, { value: JSON.stringify(v), objectValue: v, secret: false }]));
    await this.run(["config", "set-all", "--json", JSON.stringify(json)]);
  }

  /** Runs `pulumi <args>` for this stack; rejects with the whole output when it fails (unless allowFailure). */
  run(args: string[], opts: RunOptions = {}): Promise<CommandResult> {
    const stack = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", this.stack];
    const full = [...args, ...stack, "--non-interactive", ...(READS_CONFIG.has(args[0]) ? ["--config-file", this.configFile] : [])];
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.o.bin, "pulumi"), full, {
        cwd: this.o.projectDir, env: { ...this.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"], detached: opts.started !== undefined,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      if (child.pid !== undefined) opts.started?.(child.pid);
      child.on("close", (code, signal) => {
        const result = { args: full, code, signal, stdout, stderr };
        if (code === 0 || opts.allowFailure) resolve(result);
        else reject(new CommandError(result));
      });
    });
  }

  /** `pulumi up --yes` (with its preview unless told otherwise); returns the steps the update performed. */
  async up(args: string[] = [], opts: RunOptions = {}): Promise<{ result: CommandResult; steps: StepEvent[] }> {
    const log = path.join(this.dir, `events-${++this.events}.jsonl`);
    const result = await this.run(["up", "--yes", "--event-log", log, ...args], opts);
    return { result, steps: stepsOf(log) };
  }

  /** `pulumi preview --json`: the steps an `up` would perform, and the diagnostics. */
  async preview(args: string[] = []): Promise<PreviewDocument> {
    const { stdout } = await this.run(["preview", "--json", ...args]);
    const doc = JSON.parse(stdout) as Omit<PreviewDocument, "steps"> & { steps: PreviewStep[] };
    const steps = doc.steps.map((s) => ({ op: s.op, urn: s.urn, type: typeOf(s.urn), diffs: s.diffReasons, detailedDiff: s.detailedDiff }));
    return { ...doc, steps: steps.filter((s) => !s.type.startsWith("pulumi:providers:")) };
  }

  /** `pulumi preview` with an event log: the command's result and the policy violations it reported. */
  async previewPolicies(args: string[] = [], opts: RunOptions = {}): Promise<{ result: CommandResult; violations: PolicyViolation[] }> {
    const log = path.join(this.dir, `events-${++this.events}.jsonl`);
    const result = await this.run(["preview", "--event-log", log, ...args], opts);
    return { result, violations: policyViolationsOf(log) };
  }

  /** `pulumi up --yes` with an event log: the result, the steps and the policy violations. */
  async upPolicies(args: string[] = [], opts: RunOptions = {}): Promise<{ result: CommandResult; steps: StepEvent[]; violations: PolicyViolation[] }> {
    const log = path.join(this.dir, `events-${++this.events}.jsonl`);
    const result = await this.run(["up", "--yes", "--event-log", log, ...args], opts);
    return { result, steps: stepsOf(log), violations: policyViolationsOf(log) };
  }

  async refresh(args: string[] = [], opts: RunOptions = {}): Promise<{ result: CommandResult; steps: StepEvent[] }> {
    const log = path.join(this.dir, `events-${++this.events}.jsonl`);
    const result = await this.run(["refresh", "--yes", "--event-log", log, ...args], opts);
    return { result, steps: stepsOf(log) };
  }

  async destroy(args: string[] = [], opts: RunOptions = {}): Promise<{ result: CommandResult; steps: StepEvent[] }> {
    const log = path.join(this.dir, `events-${++this.events}.jsonl`);
    const result = await this.run(["destroy", "--yes", "--event-log", log, ...args], opts);
    return { result, steps: stepsOf(log) };
  }

  /** The local backend's checkpoint of this stack. */
  checkpointFile(project: string): string {
    return path.join(this.dir, "state", ".pulumi", "stacks", project, `${this.stack}.json`);
  }

  /**
   * What a user does when a killed command left the local backend unable to read the checkpoint ("failed to load
   * checkpoint: EOF"). The checkpoint itself cannot be torn: the file backend (gocloud's fileblob) writes it to a
   * temporary file and renames it. But it first rewrites the `<stack>.json.attrs` sidecar in place, so a SIGKILL there
   * leaves that file empty, and every later read of the stack fails on it. A missing sidecar reads as default
   * attributes, so removing a broken one is the repair. Returns whether it was needed.
   */
  repairCheckpointAfterKill(project: string): boolean {
    const attrs = `${this.checkpointFile(project)}.attrs`;
    try {
      JSON.parse(fs.readFileSync(attrs, "utf8"));
      return false;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      fs.rmSync(attrs);
      return true;
    }
  }

  /** `pulumi stack import` of a deployment (as `stack export` gives it). */
  async importState(state: unknown): Promise<void> {
    const file = path.join(this.dir, `import-${++this.events}.json`);
    fs.writeFileSync(file, JSON.stringify(state));
    await this.run(["stack", "import", "--file", file]);
  }

  /** `pulumi stack export`: the checkpoint's deployment (resources with inputs and outputs). */
  async exportState(): Promise<{ version: number; deployment: { resources?: StateResource[]; pending_operations?: unknown[] } }> {
    const { stdout } = await this.run(["stack", "export"]);
    return JSON.parse(stdout);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const { stdout } = await this.run(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(stdout);
  }

  /** Every file the CLI wrote (state, backups, history, logs): for "no secret on disk" checks. */
  files(): string[] {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    return walk(this.dir);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  external?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  pendingReplacement?: boolean;
  delete?: boolean;
}

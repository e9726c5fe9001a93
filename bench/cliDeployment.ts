/**
 * One stack's deployments through the real Pulumi CLI (scripts/pulumi-cli.sh), as a user's pipeline runs them:
 * `pulumi preview`, `pulumi up --yes` (which previews first, in a host process of its own) and `pulumi destroy --yes`,
 * on a local file backend in a temporary folder. Measures each command's wall time from spawn to exit and reads what
 * the emulator received meanwhile. Without an emulator the program deploys its no-op twin (bench/program: the same
 * graph of resources through a dynamic provider that answers at once), which measures the CLI, the language runtime,
 * the SDK and the engine for that graph.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { stepsOf, StateResource, TestStack } from "../tests/engine/support/stack";
import { REPO_ROOT } from "../tests/helpers/programRunner";
import type { EmulatorClient } from "./emulatorClient";
import { endedChildrenCpuMs, processCpuMs } from "./cpu";
import { benchConfig, RunRecord, SECRET_KEYS } from "./deployment";
import type { BenchProject } from "./project";
import type { StackSpec } from "./stacks";

/** The CLI's folder, or an error saying how to get it: the benchmark's referee is the real engine. */
export function cliBin(): string {
  const run = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const bin = run.status === 0 ? run.stdout.trim().split("\n").pop() : undefined;
  if (!bin) throw new Error("no Pulumi CLI: scripts/pulumi-cli.sh could neither find nor build it (it needs Go or a `pulumi` of the lockfile's version); `--engine mini` runs without it");
  return bin;
}

export class CliDeployment {
  private stack?: TestStack;
  private resources: StateResource[] = [];

  /** `env`: added to each command's environment (the CLI passes it on to the provider's host), e.g. its poll scale. */
  constructor(
    private readonly bin: string,
    private readonly project: BenchProject,
    private readonly emu: EmulatorClient | undefined,
    private readonly serviceName: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  private config(spec: StackSpec): Record<string, string> {
    return benchConfig(this.emu, this.serviceName, spec, true);
  }

  private async stackFor(spec: StackSpec): Promise<TestStack> {
    if (!this.stack) this.stack = await TestStack.create({ bin: this.bin, projectDir: this.project.dir, stack: "bench", config: this.config(spec), secretKeys: SECRET_KEYS });
    else await this.stack.setConfig(this.config(spec), SECRET_KEYS);
    return this.stack;
  }

  /** Runs one CLI command (its config already set), timed from spawn to exit. */
  private async timed(stack: TestStack, args: string[]): Promise<RunRecord> {
    await this.emu?.drain();
    const log = path.join(stack.dir, `bench-${Date.now()}.jsonl`);
    const cpu0 = { children: endedChildrenCpuMs(), api: processCpuMs(this.emu?.pid) };
    const startedAt = Date.now();
    const t0 = performance.now();
    await stack.run([...args, "--event-log", log], { env: this.env });
    const wallMs = performance.now() - t0;
    const children = endedChildrenCpuMs();
    const api = processCpuMs(this.emu?.pid);
    const steps: Record<string, number> = {};
    for (const s of stepsOf(log)) steps[s.op] = (steps[s.op] ?? 0) + 1;
    if (args[0] !== "preview") this.resources = (await stack.exportState()).deployment.resources ?? [];
    return {
      wallMs,
      hostStartMs: 0,
      busyMs: 0,
      providerPath: { registrationMs: 0, deletionMs: 0 },
      calls: [],
      // The CLI, its plugins and the program are children of the CLI, waited for: their CPU is in `program`.
      cpuMs: {
        engine: 0,
        program: children !== undefined && cpu0.children !== undefined ? children - cpu0.children : undefined,
        api: api !== undefined && cpu0.api !== undefined ? api - cpu0.api : undefined,
      },
      requests: (await this.emu?.drain()) ?? [],
      startedAt,
      steps,
    };
  }

  /** `pulumi preview` of the program for `spec` (a command of its own, as a pipeline's plan stage runs it). */
  async preview(spec: StackSpec): Promise<RunRecord> {
    return this.timed(await this.stackFor(spec), ["preview"]);
  }

  /** `pulumi up --yes`, its own preview included. */
  async up(spec: StackSpec): Promise<RunRecord> {
    return this.timed(await this.stackFor(spec), ["up", "--yes"]);
  }

  /** `pulumi destroy --yes`, its own preview included. */
  async destroy(): Promise<RunRecord> {
    if (!this.stack) throw new Error("destroy before any up");
    return this.timed(this.stack, ["destroy", "--yes"]);
  }

  /** A resource of the last state, by name. */
  resource(name: string): { outputs: Record<string, unknown> } {
    const found = this.customResources().find((r) => r.urn.endsWith(`::${name}`));
    if (!found) throw new Error(`no resource ${name} in the state`);
    return found;
  }

  /** The program's resources in the last state (the default provider and the stack left out). */
  customResources(): (StateResource & { inputs: Record<string, unknown>; outputs: Record<string, unknown>; dependencies?: string[]; parent?: string })[] {
    return this.resources
      .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
      .map((r) => ({ ...r, id: r.id ?? "", inputs: r.inputs ?? {}, outputs: r.outputs ?? {} }));
  }

  dispose(): void {
    this.stack?.dispose();
  }
}

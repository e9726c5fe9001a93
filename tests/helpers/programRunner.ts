/**
 * Two ways to run a Pulumi program against a MiniEngine:
 *
 * - `runWithMocks`: the program is a function in this (jest) process, under `pulumi.runtime.setMocks`.
 * - `runProgram`: a real program directory run by the Node language runtime (`@pulumi/pulumi/cmd/run`, ts-node)
 *   in its own process, talking gRPC to `startMonitorServer`; the closest thing to `pulumi up` without the CLI.
 *
 * Both wrap the program in the root Stack (runtime/stack.js runInPulumiStack, as cmd/run/run.js does), so stack
 * outputs arrive through RegisterResourceOutputs and resources get the Stack as parent.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { Props } from "./hostDriver";
import { isSecret, MiniEngine, plain, Step } from "./miniEngine";
import { LogEntry, noInvokeMocks, routeMonitorToEngine, startMonitorServer } from "./monitorServer";

export const REPO_ROOT = path.resolve(__dirname, "../..");

type ProgramFn = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface MockRunOptions {
    project?: string;
    stack?: string;
    /** Stack config with namespaced keys ("fixture:stateDir"); also what the engine passes to Configure. */
    config?: Record<string, string>;
    secretKeys?: string[];
    dryRun?: boolean;
    /** Answers invokes (`mocks.call`); by default every invoke fails. */
    call?: Mocks["call"];
}

/**
 * Runs `program` under setMocks with registrations routed to `engine`, then ends the run (deletes included).
 * Returns the stack outputs with secrets unwrapped (`engine.stackOutputs` keeps the wire form).
 * Rethrows the first engine error, else the program's own error.
 */
export async function runWithMocks(engine: MiniEngine, program: ProgramFn, opts: MockRunOptions = {}): Promise<Props> {
    const project = opts.project ?? "project";
    const stack = opts.stack ?? "stack";
    engine.beginRun({ dryRun: opts.dryRun, config: opts.config, secretKeys: opts.secretKeys });
    // setMocks -> setMockOptions -> resetOptions clears the previous run's monitor, rpcDone queue, stack resource,
    // feature flags and package refs (runtime/settings.js), so calling it once per run is enough.
    await pulumi.runtime.setMocks({ ...noInvokeMocks, ...(opts.call ? { call: opts.call } : {}) }, project, stack, !!opts.dryRun);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
    routeMonitorToEngine(monitor, engine, { project, stack, failRegistrations: false });
    // Config lives in the store, not in the monitor: replace it whole so nothing leaks from an earlier run.
    pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);

    let failure: unknown;
    // The program's own error is caught inside the stack's init: let it escape and the SDK also rejects promises it
    // keeps internally (the Stack's initialization data) that nobody awaits, which jest reports against the test.
    const guarded = async () => {
        try {
            return (await program()) ?? undefined;
        } catch (e) {
            failure = e;
            return undefined;
        }
    };
    await pulumi.runtime.runInPulumiStack(guarded).catch((e) => (failure ??= e));
    // Registrations are issued asynchronously; waitForRPCs (settings.js, @internal) drains the RPC queue.
    await (pulumi.runtime as any).waitForRPCs();
    if (failure !== undefined) {
        await engine.abortRun();
        throw engine.errors[0] ?? failure;
    }
    await engine.finishRun();
    return plain(engine.stackOutputs);
}

export interface ProgramRunOptions {
    /** Folder with index.ts (and usually Pulumi.yaml, tsconfig.json). */
    programDir: string;
    project: string;
    stack: string;
    /** Plain stack config keys, e.g. {"ovh:endpoint": "...", "proj:name": "x"}; passed as PULUMI_CONFIG. */
    config?: Record<string, string>;
    secretKeys?: string[];
    engine: MiniEngine;
    env?: NodeJS.ProcessEnv;
    dryRun?: boolean;
    /** Defaults to <programDir>/tsconfig.json if present, else the repo's tsconfig.json. */
    tsconfigPath?: string;
    timeoutMs?: number;
}

export interface ProgramRunResult {
    /** Stack outputs, secrets unwrapped; `secretOutputs` names the ones that were secret. */
    outputs: Props;
    secretOutputs: string[];
    steps: Step[];
    logs: LogEntry[];
    stdout: string;
    stderr: string;
    exitCode: number | null;
    /** Set when the harness killed the program: after a failed step (as the engine does) or on timeout. */
    stoppedFor?: StopReason;
}

export class ProgramRunError extends Error {
    constructor(message: string, readonly result: ProgramRunResult) {
        super(message);
        this.name = "ProgramRunError";
    }
}

type StopReason = "failed step" | "timeout";
interface Exited { exitCode: number | null; stdout: string; stderr: string; stoppedFor?: StopReason }

function runArgs(o: ProgramRunOptions, address: string): string[] {
    return [
        require.resolve("@pulumi/pulumi/cmd/run"),
        `--monitor=${address}`, `--engine=${address}`, `--project=${o.project}`, `--stack=${o.stack}`,
        ...(o.dryRun ? ["--dry-run"] : []),
        path.resolve(o.programDir),
    ];
}

/** The environment the nodejs language host gives the program (config through PULUMI_CONFIG, ts-node on). */
function runEnv(o: ProgramRunOptions): NodeJS.ProcessEnv {
    const local = path.join(path.resolve(o.programDir), "tsconfig.json");
    const tsconfig = o.tsconfigPath ?? (fs.existsSync(local) ? local : path.join(REPO_ROOT, "tsconfig.json"));
    return {
        ...process.env,
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_TSCONFIG_PATH: tsconfig,
        PULUMI_CONFIG: JSON.stringify(o.config ?? {}),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretKeys ?? []),
        ...o.env,
    };
}

/**
 * Runs the program to its end. Once a step has failed (`failed()`), the program is stopped after a short grace
 * period for its own error log: the Go engine cancels the language host the same way. Without this, 3.248 programs
 * whose stack outputs depend on the failed resource never exit (they spin at 100% CPU).
 */
function spawnRun(o: ProgramRunOptions, address: string, failed: () => boolean): Promise<Exited> {
    return new Promise((resolve, reject) => {
        // cwd = repo root, so `require` in the program and in serialized closures resolves from our node_modules.
        const child = spawn(process.execPath, runArgs(o, address), { cwd: REPO_ROOT, env: runEnv(o), stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        let stoppedFor: StopReason | undefined;
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const stop = (reason: StopReason) => { stoppedFor ??= reason; child.kill(); };
        const timer = setTimeout(() => stop("timeout"), o.timeoutMs ?? 60000);
        const watch = setInterval(() => {
            if (!failed()) return;
            clearInterval(watch);
            setTimeout(() => stop("failed step"), 1000).unref();
        }, 100);
        child.on("error", reject);
        child.on("close", (exitCode) => {
            clearTimeout(timer);
            clearInterval(watch);
            resolve({ exitCode, stdout, stderr, ...(stoppedFor ? { stoppedFor } : {}) });
        });
    });
}

function failureMessage(r: ProgramRunResult, errors: Error[]): string {
    const logged = r.logs.filter((l) => l.severity === "error").map((l) => l.message);
    return [
        r.stoppedFor ? `program stopped by the harness (${r.stoppedFor})`
            : `program ${r.exitCode === 0 ? "ran but the deployment failed" : `exited with code ${r.exitCode}`}`,
        ...errors.map((e) => `engine: ${e.message}`),
        ...logged.map((m) => `log: ${m}`),
        `stderr:\n${r.stderr}`,
    ].join("\n");
}

/**
 * Runs a program directory with `cmd/run` against `engine` (one deployment: `pulumi up`, or preview if dryRun).
 * Throws ProgramRunError (with the program's stderr and error logs) on a non-zero exit or any engine error.
 */
export async function runProgram(o: ProgramRunOptions): Promise<ProgramRunResult> {
    const { engine } = o;
    engine.beginRun({ dryRun: o.dryRun, config: o.config ?? {}, secretKeys: o.secretKeys ?? [] });
    const server = await startMonitorServer(engine, { project: o.project, stack: o.stack });
    try {
        const exited = await spawnRun(o, server.address, () => engine.errors.length > 0);
        // Usually already done through SignalAndWaitForShutdown; a failed program gets no deletes.
        if (exited.exitCode === 0) await engine.finishRun().catch(() => undefined);
        else await engine.abortRun();
        const wire = engine.stackOutputs;
        const result: ProgramRunResult = {
            outputs: plain(wire), secretOutputs: Object.keys(wire).filter((k) => isSecret(wire[k])),
            steps: engine.steps, logs: server.logs, ...exited,
        };
        if (exited.exitCode !== 0 || engine.errors.length > 0) throw new ProgramRunError(failureMessage(result, engine.errors), result);
        return result;
    } finally {
        await server.close();
    }
}

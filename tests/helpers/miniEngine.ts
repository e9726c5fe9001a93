/**
 * A small deployment engine: the step rules of the Go engine (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * step_executor.go and plugin/provider_plugin.go) over a pluggable `ProviderBackend` (the real host process or the
 * in-process twin from hostDriver.ts). State survives between runs, so a test can run a program twice and see
 * create -> update/replace/delete, and `refresh()`/`destroy()` work on the same state.
 *
 * Registrations come in wire form (what RegisterResource carries): secrets as {sig, value}, unknowns as
 * rpc.unknownValue, resource references as {sig, urn, id}. State keeps that form; the provider only ever sees
 * `plain()` values because the dynamic-provider host answers Configure with acceptSecrets=false.
 *
 * Not modelled: protect, ignoreChanges, replaceOnChanges, import, aliases, retainOnDelete, parallelism limits, and
 * replacing dependents first under deleteBeforeReplace.
 */
import { annotateSecrets, changedKeys, deleteAntichains, plain, secret } from "./engineRules";
import type {
  ProviderCall, RegisterResult, Registration, ResourceState, RunOptions, Step, StepOp,
} from "./engineRules";
import { CheckFailure, DiffResult, ProviderBackend, ProviderError, Props } from "./hostDriver";

export { annotateSecrets, changedKeys, deleteAntichains, deleteOrder, isSecret, plain, secret } from "./engineRules";
export type { ProviderCall, RegisterResult, Registration, ResourceState, RunOptions, Step, StepOp } from "./engineRules";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface Run { dryRun: boolean; registered: Set<string>; inflight: Set<Promise<unknown>>; finished: boolean }
interface Decision { changes: "none" | "some"; replaces: string[]; deleteBeforeReplace: boolean; detailedDiff: string[] }

const EMPTY: RegisterResult = { id: "", outputs: {} };

function checkError(reg: Registration, failures: CheckFailure[]): Error {
    const list = failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
    return new Error(`${reg.type} resource '${reg.name}' failed check: ${list}`);
}

function stepError(r: { type: string; name: string }, op: string, e: unknown): Error {
    const err = new Error(`${r.type} resource '${r.name}': ${op} failed: ${(e as Error)?.message ?? e}`);
    return Object.assign(err, { cause: e, id: (e as ProviderError)?.id });
}

// ---- the engine ----------------------------------------------------------------------------------------------

export class MiniEngine {
    readonly state = new Map<string, ResourceState>();
    /** Old halves of create-before-delete replacements; deleted after a successful run, else kept for the next. */
    pendingDeletes: ResourceState[] = [];
    steps: Step[] = [];
    calls: ProviderCall[] = [];
    errors: Error[] = [];
    stackOutputs: Props = {};
    config: Record<string, string>;
    secretKeys: string[];
    private run: Run = { dryRun: false, registered: new Set(), inflight: new Set(), finished: false };
    private configured?: Promise<void>;

    constructor(readonly backend: ProviderBackend, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}) {
        this.config = opts.config ?? {};
        this.secretKeys = opts.secretKeys ?? [];
    }

    /** Starts a deployment: fresh step/call/error logs; the backend is configured again before its first call. */
    beginRun(opts: RunOptions = {}): void {
        this.config = opts.config ?? this.config;
        this.secretKeys = opts.secretKeys ?? this.secretKeys;
        this.run = { dryRun: !!opts.dryRun, registered: new Set(), inflight: new Set(), finished: false };
        this.steps = [];
        this.calls = [];
        this.errors = [];
        this.stackOutputs = {};
        this.configured = undefined;
    }

    get dryRun(): boolean { return this.run.dryRun; }

    /** Applies one registration. Never rejects: a failure is recorded, halts the run and is rethrown by finishRun(). */
    register(reg: Registration): Promise<RegisterResult> {
        this.run.registered.add(reg.urn);
        return this.track(() => this.apply(this.run, reg));
    }

    /** ReadResource (`Resource.get`): a read step; the object is not managed, so it never enters state. */
    readResource(r: { urn: string; type: string; name: string; id: string; props: Props }): Promise<RegisterResult> {
        return this.track(async () => {
            this.step("read", r, { id: r.id });
            const res = await this.call("read", r.urn, r.id, () => this.backend.read(r.id, r.urn, plain(r.props)));
            return { id: res.id, outputs: annotateSecrets(res.properties, r.props) };
        });
    }

    /** RegisterResourceOutputs: the root Stack's outputs are the stack outputs. */
    registerOutputs(urn: string, outputs: Props): void {
        const existing = this.state.get(urn);
        if (existing && !this.run.dryRun) existing.outputs = outputs;
        if (urn.split("::")[2] === ROOT_STACK_TYPE) this.stackOutputs = outputs;
    }

    /** Ends a run: waits for registrations, then (only if nothing failed) deletes what was not registered. */
    async finishRun(): Promise<void> {
        const run = this.run;
        if (!run.finished) {
            await this.drain(run);
            if (this.errors.length === 0) await this.deleteUnregistered(run).catch((e) => this.fail(e));
            run.finished = true;
        }
        if (this.errors.length > 0) throw this.errors[0];
    }

    /** Ends a run whose program failed: like the engine, no deletes happen. */
    async abortRun(): Promise<void> {
        await this.drain(this.run);
        this.run.finished = true;
    }

    /** `pulumi refresh`: read every managed object; an empty id means it is gone and leaves state. */
    async refresh(opts: { dryRun?: boolean } = {}): Promise<Step[]> {
        this.beginRun({ dryRun: opts.dryRun });
        for (const r of [...this.state.values()].filter((s) => s.custom)) await this.refreshOne(r);
        this.run.finished = true;
        return this.steps;
    }

    /** `pulumi destroy`: delete everything (leftover replaced objects included), dependents first. */
    async destroy(): Promise<Step[]> {
        this.beginRun();
        await this.deleteUnregistered(this.run);
        this.run.finished = true;
        return this.steps;
    }

    // ---- registration steps ----

    private async apply(run: Run, reg: Registration): Promise<RegisterResult> {
        // The engine issues no new steps once one has failed.
        if (this.errors.length > 0) return { ...EMPTY, error: new Error(`${reg.name}: skipped after an earlier failure`) };
        const old = this.state.get(reg.urn);
        if (!reg.custom) return this.applyComponent(run, reg, old);
        const checked = await this.check(reg, old);
        if (!old) {
            this.step("create", reg);
            return this.result(await this.createObject(run, reg, checked));
        }
        const decision = await this.diff(old, checked);
        // An object that failed to initialize is updated even without changes (step_generator.go hasInitErrors).
        const initFailed = (old.initErrors ?? []).length > 0;
        if (decision.changes === "none" && !initFailed) return this.same(run, reg, old, checked);
        if (decision.replaces.length > 0) return this.replace(run, reg, old, checked, decision);
        return this.update(run, reg, old, checked, decision);
    }

    /** Components and the Stack have no provider: their state is their inputs, compared by the engine itself. */
    private applyComponent(run: Run, reg: Registration, old?: ResourceState): RegisterResult {
        const op = !old ? "create" : changedKeys(plain(old.inputs), plain(reg.inputs)).length > 0 ? "update" : "same";
        this.step(op, reg);
        if (!run.dryRun) this.state.set(reg.urn, this.toState(reg, reg.inputs, "", old?.outputs ?? {}));
        return EMPTY;
    }

    /** Check(olds = previous inputs, news); the engine re-marks secrets that came in (provider_plugin.go Check). */
    private async check(reg: Registration, old?: ResourceState): Promise<Props> {
        const olds = old ? plain(old.inputs) : {};
        const r = await this.call("check", reg.urn, old?.id, () => this.backend.check(reg.urn, olds, plain(reg.inputs)));
        if (r.failures.length > 0) throw checkError(reg, r.failures);
        return annotateSecrets(r.inputs, reg.inputs);
    }

    /**
     * Diff(olds = old OUTPUTS, news = checked inputs). DIFF_UNKNOWN (no diff(), or changes undefined) makes the
     * engine compare old and new inputs itself, `__provider` included, which can only yield an update
     * (step_generator.go diffResource). A replace needs DIFF_SOME plus replace keys.
     */
    private async diff(old: ResourceState, checked: Props): Promise<Decision> {
        const news = plain(checked);
        const r: DiffResult = await this.call("diff", old.urn, old.id,
            () => this.backend.diff(old.id, old.urn, plain(old.outputs), news));
        const detailedDiff = changedKeys(plain(old.inputs), news);
        if (r.changes !== "unknown") return { ...r, changes: r.changes, detailedDiff };
        const changes = detailedDiff.length > 0 ? "some" : "none";
        return { changes, replaces: [], deleteBeforeReplace: false, detailedDiff };
    }

    /** A same step keeps the old outputs and records the new inputs and dependencies. */
    private same(run: Run, reg: Registration, old: ResourceState, checked: Props): RegisterResult {
        this.step("same", reg, { id: old.id });
        if (!run.dryRun) this.state.set(reg.urn, { ...this.toState(reg, checked, old.id, {}), outputs: old.outputs });
        return { id: old.id, outputs: old.outputs };
    }

    private async update(run: Run, reg: Registration, old: ResourceState, checked: Props, d: Decision): Promise<RegisterResult> {
        this.step("update", reg, { detailedDiff: d.detailedDiff, id: old.id });
        // Without supportsPreview the engine does not call Update in preview; the new inputs stand in for outputs.
        if (run.dryRun) return { id: old.id, outputs: checked };
        try {
            const r = await this.call("update", reg.urn, old.id,
                () => this.backend.update(old.id, reg.urn, plain(old.outputs), plain(checked)));
            return this.result(this.commit(reg, checked, old.id, r.properties));
        } catch (e) {
            if (e instanceof ProviderError && e.id) this.commit(reg, checked, old.id, e.properties ?? {}, undefined, e);
            throw stepError(reg, "update", e);
        }
    }

    /** Create-before-delete unless the provider or the resource option asks for delete-before-replace. */
    private async replace(run: Run, reg: Registration, old: ResourceState, checked: Props, d: Decision): Promise<RegisterResult> {
        const deleteFirst = d.deleteBeforeReplace || !!reg.deleteBeforeReplace;
        const step = this.step("replace", reg, { detailedDiff: d.detailedDiff, replaces: d.replaces, oldId: old.id });
        if (deleteFirst && !run.dryRun) {
            await this.deleteObject(old);
            this.state.delete(reg.urn);
        }
        const created = await this.createObject(run, reg, checked, deleteFirst ? undefined : old);
        if (step) step.id = created.id;
        return this.result(created);
    }

    /** Create (or the create half of a replace). A partial failure (ErrorResourceInitFailed) still lands in state. */
    private async createObject(run: Run, reg: Registration, checked: Props, replaced?: ResourceState): Promise<ResourceState> {
        // Preview: no Create call; the id is unknown and the checked inputs stand in for the outputs.
        if (run.dryRun) return this.toState(reg, checked, "", checked);
        try {
            const r = await this.call("create", reg.urn, undefined, () => this.backend.create(reg.urn, plain(checked)));
            return this.commit(reg, checked, r.id, r.properties, replaced);
        } catch (e) {
            if (e instanceof ProviderError && e.id) this.commit(reg, checked, e.id, e.properties ?? {}, replaced, e);
            throw stepError(reg, "create", e);
        }
    }

    private commit(reg: Registration, checked: Props, id: string, props: Props, replaced?: ResourceState, initFailure?: ProviderError): ResourceState {
        const s = this.toState(reg, checked, id, props);
        if (initFailure) s.initErrors = [initFailure.message, ...initFailure.reasons];
        this.state.set(reg.urn, s);
        if (replaced) this.pendingDeletes.push(replaced);
        return s;
    }

    private toState(reg: Registration, inputs: Props, id: string, props: Props): ResourceState {
        const outputs = annotateSecrets(props, inputs, reg.additionalSecretOutputs);
        return {
            urn: reg.urn, type: reg.type, name: reg.name, custom: reg.custom, id, inputs, outputs,
            dependencies: [...new Set(reg.dependencies ?? [])], parent: reg.parent || undefined,
            providerText: plain(inputs).__provider,
        };
    }

    // ---- deletes and refresh ----

    private async deleteUnregistered(run: Run): Promise<void> {
        const gone = [...this.state.values()].filter((r) => !run.registered.has(r.urn));
        const replaced = new Set(this.pendingDeletes);
        for (const chain of deleteAntichains([...gone, ...this.pendingDeletes])) {
            await Promise.all(chain.map((r) => this.deleteOne(r, replaced.has(r))));
        }
    }

    /** Replaced objects get no step of their own: their "replace" step covers them. */
    private async deleteOne(r: ResourceState, replaced: boolean): Promise<void> {
        if (!replaced) this.step("delete", r, { id: r.id });
        if (this.run.dryRun) return;
        await this.deleteObject(r);
        if (replaced) this.pendingDeletes = this.pendingDeletes.filter((p) => p !== r);
        else this.state.delete(r.urn);
    }

    private async deleteObject(r: ResourceState): Promise<void> {
        if (!r.custom) return;
        try {
            await this.call("delete", r.urn, r.id, () => this.backend.delete(r.id, r.urn, plain(r.outputs)));
        } catch (e) {
            throw stepError(r, "delete", e);
        }
    }

    /** Read(id, old outputs, old inputs); read() may return new inputs (3.216+ providers), else the old ones stay. */
    private async refreshOne(r: ResourceState): Promise<void> {
        const res = await this.call("read", r.urn, r.id,
            () => this.backend.read(r.id, r.urn, plain(r.outputs), plain(r.inputs))).catch((e) => {
            throw stepError(r, "read", e);
        });
        if (!res.id) {
            // In refresh, "delete" means the object is gone: it leaves state without a provider delete.
            this.step("delete", r, { id: r.id });
            if (!this.run.dryRun) this.state.delete(r.urn);
            return;
        }
        this.step("read", r, { id: res.id, detailedDiff: changedKeys(plain(r.outputs), res.properties) });
        if (this.run.dryRun) return;
        const inputs = res.inputs ? annotateSecrets(res.inputs, r.inputs) : r.inputs;
        this.state.set(r.urn, { ...r, id: res.id, inputs, outputs: annotateSecrets(res.properties, r.outputs) });
    }

    // ---- plumbing ----

    /** Logs a step (the root Stack is left out: it is bookkeeping, not a resource anyone asserts on). */
    private step(op: StepOp, r: { urn: string; type: string; name: string }, extra: Partial<Step> = {}): Step | undefined {
        if (r.type === ROOT_STACK_TYPE) return undefined;
        const step: Step = { op, urn: r.urn, type: r.type, name: r.name, ...extra };
        this.steps.push(step);
        return step;
    }

    private result(s: ResourceState): RegisterResult {
        return { id: s.id, outputs: s.outputs };
    }

    /** Every provider call goes through here: Configure first (once per run), then the call, logged in order. */
    private async call<T>(method: keyof ProviderBackend, urn: string, id: string | undefined, fn: () => Promise<T>): Promise<T> {
        this.configured ??= this.backend.configure(this.configArgs());
        await this.configured;
        this.calls.push({ method, urn, ...(id ? { id } : {}) });
        return fn();
    }

    /** Configure gets the whole stack config with namespaces (target.go GetPackageConfig), secrets marked. */
    private configArgs(): Props {
        return Object.fromEntries(Object.entries(this.config)
            .map(([k, v]) => [k, this.secretKeys.includes(k) ? secret(v) : v]));
    }

    private track(fn: () => Promise<RegisterResult>): Promise<RegisterResult> {
        const p = fn().catch((e) => ({ ...EMPTY, error: this.fail(e) }));
        this.run.inflight.add(p);
        return p;
    }

    private fail(e: unknown): Error {
        const err = e instanceof Error ? e : new Error(String(e));
        this.errors.push(err);
        return err;
    }

    private async drain(run: Run): Promise<void> {
        for (let n = -1; n !== run.inflight.size;) {
            n = run.inflight.size;
            await Promise.all(run.inflight);
        }
    }
}

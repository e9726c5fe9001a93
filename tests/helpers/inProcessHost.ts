/**
 * The in-process twin of the dynamic-provider host (hostDriver.ts explains both backends): providers rebuilt in this
 * process the way the host's `getProvider()` does, for speed.
 */
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import {
    fromStruct, ProviderError, toStruct, UNKNOWN, type CheckResult, type CreateResult, type DiffChanges, type DiffResult, type Props, type ProviderBackend,
    type ReadResult,
} from "./hostDriver";

const requireFromString: (code: string) => any = require("require-from-string");
// The host's own Config class (get/require, un-namespaced keys read as `<project>:key`).
const { Config: DynamicConfig } = require("@pulumi/pulumi/cmd/dynamic-provider/config");

/** JSON through a protobuf Struct, as on the wire: `undefined` is rejected, exactly as the real host would fail. */
const wire = (v: Props | undefined): Props => fromStruct(toStruct(v ?? {}));

function asProviderError(e: any): ProviderError {
    const message = String(e?.message ?? e);
    return e?.id ? new ProviderError(message, e.id, wire(e.properties), e.reasons ?? []) : new ProviderError(message);
}

/**
 * Same semantics as the host, without a process: one provider per distinct `__provider` text, rebuilt with
 * `require-from-string(text).handler()` and configured once with the config held at that moment (getProvider()).
 * The rebuilt closure runs in Node's outer realm, outside jest's sandbox (shared note, section 2).
 */
export class InProcessHost implements ProviderBackend {
    private config: Record<string, unknown> = {};
    private readonly cache = new Map<string, any>();

    constructor(private readonly project = "project") {}

    async configure(config: Record<string, unknown>): Promise<void> {
        // Like the host's configure(): every top-level value through rpc.unwrapRpcSecret, `__provider` skipped.
        const entries = Object.entries(wire(config)).filter(([k]) => k !== "__provider");
        this.config = Object.fromEntries(entries.map(([k, v]) => [k, unwrapRpcSecret(v)]));
    }

    private async provider(props: Props): Promise<any> {
        const text = props.__provider as string;
        let provider = this.cache.get(text);
        if (!provider) {
            provider = requireFromString(text).handler();
            this.cache.set(text, provider);
            if (provider.configure) await provider.configure({ config: new DynamicConfig(this.config, this.project) });
        }
        return provider;
    }

    private async guard<T>(fn: () => Promise<T>): Promise<T> {
        try { return await fn(); } catch (e) { throw asProviderError(e); }
    }

    check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
        return this.guard(async () => {
            const p = await this.provider(news.__provider === UNKNOWN ? olds : news);
            const result = p.check ? await p.check(wire(olds), wire(news)) : { inputs: news };
            const inputs = { ...(result.inputs ?? news), __provider: news.__provider };
            return { inputs: wire(inputs), failures: result.failures ?? [] };
        });
    }

    diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult> {
        return this.guard(async () => {
            const p = await this.provider(news.__provider === UNKNOWN ? olds : news);
            if (!p.diff) return { changes: "unknown", replaces: [], deleteBeforeReplace: false, diffs: [] };
            const r = await p.diff(id, wire(olds), wire(news));
            const changes: DiffChanges = r.changes === true ? "some" : r.changes === false ? "none" : "unknown";
            return { changes, replaces: r.replaces ?? [], deleteBeforeReplace: !!r.deleteBeforeReplace, diffs: [] };
        });
    }

    create(urn: string, props: Props): Promise<CreateResult> {
        return this.guard(async () => {
            const r = await (await this.provider(props)).create(wire(props));
            return { id: r.id, properties: wire({ ...r.outs, __provider: props.__provider }) };
        });
    }

    read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult> {
        return this.guard(async () => {
            const p = await this.provider(props);
            if (!p.read) return { id, properties: wire(props) };
            const r = await p.read(id, wire(props));
            const withProvider = (v: Props) => wire({ ...v, __provider: props.__provider });
            return { id: r.id, properties: withProvider(r.props), inputs: r.inputs && withProvider(r.inputs) };
        });
    }

    update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        return this.guard(async () => {
            const p = await this.provider(news);
            // Without update() the host keeps only {__provider}: every output is lost (shared note, gotcha 3).
            const r = p.update ? (await p.update(id, wire(olds), wire(news))) ?? {} : {};
            return { properties: wire({ ...r.outs, __provider: news.__provider }) };
        });
    }

    delete(id: string, urn: string, props: Props): Promise<void> {
        return this.guard(async () => {
            const p = await this.provider(props);
            if (p.delete) await p.delete(id, wire(props));
        });
    }
}

/**
 * Two ways to reach the dynamic-provider host contract, behind one `ProviderBackend` interface:
 *
 * - `startHost()` spawns the real `@pulumi/pulumi/cmd/dynamic-provider` (what the engine runs as the
 *   `pulumi-resource-pulumi-nodejs` plugin) and drives it over gRPC with the stubs the SDK ships.
 * - `InProcessHost` rebuilds providers in this process the way that host's `getProvider()` does, for speed.
 *
 * Every rule below mirrors node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js (3.248.0); see the shared note
 * pulumi-dynamic-providers.md, section 1. Both backends take and return plain JSON (secrets already stripped): the
 * host answers Configure with acceptSecrets=false, so the engine never sends it secret markers.
 */
import { spawn, ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

export type Props = Record<string, any>;
export interface CheckFailure { property: string; reason: string }
export interface CheckResult { inputs: Props; failures: CheckFailure[] }
export type DiffChanges = "none" | "some" | "unknown";
export interface DiffResult { changes: DiffChanges; replaces: string[]; deleteBeforeReplace: boolean; diffs?: string[] }
export interface CreateResult { id: string; properties: Props }
export interface ReadResult { id: string; properties: Props; inputs?: Props }

/** The host contract, in the host's own terms (RPC names, argument order, `__provider` inside every bag). */
export interface ProviderBackend {
    configure(config: Record<string, unknown>): Promise<void>;
    check(urn: string, olds: Props, news: Props): Promise<CheckResult>;
    diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult>;
    create(urn: string, props: Props): Promise<CreateResult>;
    read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult>;
    update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
    delete(id: string, urn: string, props: Props): Promise<void>;
}

/**
 * A failed provider call. `id`/`properties` are set when create/update threw an error carrying `id`: the host then
 * packs an ErrorResourceInitFailed detail ("the object exists but did not initialize", grpcResponseFromError).
 */
export class ProviderError extends Error {
    constructor(message: string, readonly id?: string, readonly properties?: Props, readonly reasons: string[] = []) {
        super(message);
        this.name = "ProviderError";
    }
}

/** rpc.unknownValue: what an input that depends on an unknown output looks like during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const INIT_FAILED = "pulumirpc.ErrorResourceInitFailed";
const DIFF_CHANGES: Record<number, DiffChanges> = {
    [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
    [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
    [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
};

export const toStruct = (v: Props): Struct => Struct.fromJavaScript(v as any);
export const fromStruct = (s: Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});

/** Reads the ErrorResourceInitFailed detail the host puts in the `grpc-status-details-bin` trailer. */
function fromServiceError(err: grpc.ServiceError): ProviderError {
    const message = err.details || err.message;
    const raw = err.metadata?.get("grpc-status-details-bin")[0];
    if (!raw) return new ProviderError(message);
    const details = statusproto.Status.deserializeBinary(raw as Buffer).getDetailsList() as Any[];
    const packed = details.find((d) => d.getTypeName() === INIT_FAILED);
    const detail = packed?.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, INIT_FAILED);
    if (!detail) return new ProviderError(message);
    return new ProviderError(message, detail.getId(), fromStruct(detail.getProperties()), detail.getReasonsList());
}

export interface HostOptions {
    /** Working directory of the host: `require()` inside rebuilt providers resolves from here. */
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** PULUMI_NODEJS_PROJECT of the host: un-namespaced `config.get(key)` reads `<project>:key`. */
    project?: string;
}

/** The real host process, driven over gRPC. */
export class HostDriver implements ProviderBackend {
    private stdoutText = "";
    private stderrText = "";
    private client!: provrpc.ResourceProviderClient;

    private constructor(private readonly child: ChildProcess) {
        child.stdout!.on("data", (d) => (this.stdoutText += d));
        child.stderr!.on("data", (d) => (this.stderrText += d));
    }

    /** Starts `node cmd/dynamic-provider <engine>`; the host prints only its port on the first stdout line. */
    static async start(opts: HostOptions = {}): Promise<HostDriver> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
        // The engine address is required on the command line but never used by the host (main() only checks it).
        const child = spawn(process.execPath, [entry, "127.0.0.1:0"], {
            cwd: opts.cwd ?? process.cwd(),
            env: { ...process.env, PULUMI_NODEJS_PROJECT: opts.project ?? "project", ...opts.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const host = new HostDriver(child);
        const port = await host.waitForPort().catch((e) => {
            child.kill();
            throw e;
        });
        host.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return host;
    }

    get stdout(): string { return this.stdoutText; }
    get stderr(): string { return this.stderrText; }
    /** Everything the host printed: grep it for secrets. */
    get output(): string { return this.stdoutText + this.stderrText; }

    private waitForPort(): Promise<number> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`host did not start:\n${this.stderrText}`)), 20000);
            const onExit = (code: number | null) => {
                clearTimeout(timer);
                reject(new Error(`host exited (${code}) before printing its port:\n${this.stderrText}`));
            };
            this.child.once("exit", onExit);
            this.child.stdout!.on("data", () => {
                const lines = this.stdoutText.split("\n");
                if (lines.length < 2) return;
                clearTimeout(timer);
                this.child.off("exit", onExit);
                resolve(Number(lines[0].trim()));
            });
        });
    }

    private unary<Res>(method: string, req: unknown): Promise<Res> {
        return new Promise((resolve, reject) => {
            (this.client as any)[method](req, (err: grpc.ServiceError | null, res: Res) =>
                err ? reject(fromServiceError(err)) : resolve(res));
        });
    }

    async configure(config: Record<string, unknown>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(config));
        await this.unary("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn).setOlds(toStruct(olds)).setNews(toStruct(news));
        const res = await this.unary<provproto.CheckResponse>("check", req);
        const failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
        return { inputs: fromStruct(res.getInputs()), failures };
    }

    async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult> {
        const req = new provproto.DiffRequest();
        req.setId(id).setUrn(urn).setOlds(toStruct(olds)).setNews(toStruct(news));
        const res = await this.unary<provproto.DiffResponse>("diff", req);
        return {
            changes: DIFF_CHANGES[res.getChanges()],
            replaces: res.getReplacesList(),
            deleteBeforeReplace: res.getDeletebeforereplace(),
            diffs: res.getDiffsList(),
        };
    }

    async create(urn: string, props: Props): Promise<CreateResult> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn).setProperties(toStruct(props));
        const res = await this.unary<provproto.CreateResponse>("create", req);
        return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    }

    async read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult> {
        const req = new provproto.ReadRequest();
        req.setId(id).setUrn(urn).setProperties(toStruct(props));
        if (inputs) req.setInputs(toStruct(inputs));
        const res = await this.unary<provproto.ReadResponse>("read", req);
        const resInputs = res.getInputs();
        return { id: res.getId(), properties: fromStruct(res.getProperties()), inputs: resInputs && fromStruct(resInputs) };
    }

    async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const req = new provproto.UpdateRequest();
        req.setId(id).setUrn(urn).setOlds(toStruct(olds)).setNews(toStruct(news));
        const res = await this.unary<provproto.UpdateResponse>("update", req);
        return { properties: fromStruct(res.getProperties()) };
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id).setUrn(urn).setProperties(toStruct(props));
        await this.unary("delete", req);
    }

    /** Closes the channel and kills the host (the engine does the same when a deployment ends). */
    async close(): Promise<void> {
        this.client?.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill();
        await exited;
    }
}

export const startHost = (opts: HostOptions = {}): Promise<HostDriver> => HostDriver.start(opts);

export { InProcessHost } from "./inProcessHost";

/**
 * The engine side of a program run: the ResourceMonitor and Engine services a `cmd/run` process talks to, plus the
 * glue that points the SDK's own MockMonitor (node_modules/@pulumi/pulumi/runtime/mocks.js) at a MiniEngine.
 *
 * MockMonitor's registerResource only hands `mocks.newResource` {type, name, inputs, provider, custom, id}: no
 * parent, no dependencies. `routeMonitorToEngine` therefore replaces registerResource, readResource and
 * registerResourceOutputs on the instance and keeps the rest (invoke, registerPackage, getRegisteredResources).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { MiniEngine, Registration, RegisterResult, ROOT_STACK_TYPE } from "./miniEngine";

export interface RouteOptions {
    project: string;
    stack: string;
    /**
     * true: a failed registration answers the RPC with an error, as the engine does (the program then fails).
     * false (setMocks): it answers an empty state instead, because under jest 30 the rejected Outputs nobody awaits
     * would surface as failures of whatever test runs at that moment; the engine still records the error.
     */
    failRegistrations: boolean;
}

type Callback = (err: any, res?: any) => void;

/**
 * resource.NewURN in the Go SDK: the type is qualified by the parent's qualified type, except under the root Stack.
 * (MockMonitor.newUrn prefixes even the Stack type, which the real engine never does.)
 */
export function newUrn(project: string, stack: string, parent: string, type: string, name: string): string {
    const parentType = parent ? parent.split("::")[2] : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function registrationFrom(req: resproto.RegisterResourceRequest, urn: string): Registration {
    const dependencies = new Set(req.getDependenciesList());
    req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => dependencies.add(u)));
    return {
        urn, type: req.getType(), name: req.getName(), custom: req.getCustom(), parent: req.getParent(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        dependencies: [...dependencies],
        deleteBeforeReplace: req.getDeletebeforereplace(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    };
}

/** Points a MockMonitor instance at the engine; returns the same instance. */
export function routeMonitorToEngine(monitor: MockMonitor, engine: MiniEngine, opts: RouteOptions): MockMonitor {
    const answer = (urn: string, r: RegisterResult & { error?: Error }, cb: Callback, build: () => unknown) => {
        if (r.error && opts.failRegistrations) return cb(r.error);
        monitor.resources.set(urn, { urn, id: r.id || null, state: r.outputs });
        cb(null, build());
    };
    monitor.registerResource = async (req: resproto.RegisterResourceRequest, cb: Callback) => {
        const urn = newUrn(opts.project, opts.stack, req.getParent(), req.getType(), req.getName());
        const r = await engine.register(registrationFrom(req, urn));
        answer(urn, r, cb, () => new resproto.RegisterResourceResponse()
            .setUrn(urn).setId(r.id).setObject(Struct.fromJavaScript(r.outputs)));
    };
    monitor.readResource = async (req: resproto.ReadResourceRequest, cb: Callback) => {
        const urn = newUrn(opts.project, opts.stack, req.getParent(), req.getType(), req.getName());
        const props = req.getProperties()?.toJavaScript() ?? {};
        const r = await engine.readResource({ urn, type: req.getType(), name: req.getName(), id: req.getId(), props });
        answer(urn, r, cb, () => new resproto.ReadResourceResponse()
            .setUrn(urn).setProperties(Struct.fromJavaScript(r.outputs)));
    };
    monitor.registerResourceOutputs = (req: resproto.RegisterResourceOutputsRequest, cb: Callback) => {
        const outputs = req.getOutputs()?.toJavaScript() ?? {};
        engine.registerOutputs(req.getUrn(), outputs);
        const known = monitor.resources.get(req.getUrn());
        if (known) known.state = outputs;
        cb(null, new Empty());
    };
    return monitor;
}

/** Under the harness, invokes have no provider to go to (the dynamic-provider host answers "unknown function" too). */
export const noInvokeMocks: Mocks = {
    newResource: () => { throw new Error("unreachable: registrations are routed to the MiniEngine"); },
    call: (args) => { throw new Error(`invoke ${args.token} is not supported by the harness`); },
};

export type LogSeverity = "debug" | "info" | "warning" | "error";
export interface LogEntry { severity: LogSeverity; message: string; urn: string }

export interface MonitorServer {
    /** host:port serving both ResourceMonitor and Engine (pass it as --monitor and --engine). */
    address: string;
    logs: LogEntry[];
    close(): Promise<void>;
}

// Mirrors the feature set setMocks() turns on (runtime/mocks.js) minus outputValues (MockMonitor says no, so inputs
// arrive resolved) and the callback-based ones (transforms, hooks), which need a callbacks server we do not run.
const FEATURES = new Set(["secrets", "resourceReferences", "deletedWith", "replaceWith", "aliasSpecs", "parameterization"]);
const SEVERITY: Record<number, LogSeverity> = {
    [engproto.LogSeverity.DEBUG]: "debug", [engproto.LogSeverity.INFO]: "info",
    [engproto.LogSeverity.WARNING]: "warning", [engproto.LogSeverity.ERROR]: "error",
};

function monitorService(monitor: MockMonitor, engine: MiniEngine): grpc.UntypedServiceImplementation {
    const forward = (method: keyof MockMonitor) => (call: any, cb: Callback) => (monitor as any)[method](call.request, cb);
    return {
        supportsFeature: (call: any, cb: Callback) =>
            cb(null, new resproto.SupportsFeatureResponse().setHassupport(FEATURES.has(call.request.getId()))),
        registerResource: forward("registerResource"),
        readResource: forward("readResource"),
        registerResourceOutputs: forward("registerResourceOutputs"),
        invoke: forward("invoke"),
        registerPackage: forward("registerPackage"),
        // The SDK sends this from `beforeExit` once the program succeeded; the engine answers after its deletes.
        signalAndWaitForShutdown: (_call: any, cb: Callback) =>
            engine.finishRun().catch(() => undefined).then(() => cb(null, new Empty())),
    };
}

function engineService(logs: LogEntry[]): grpc.UntypedServiceImplementation {
    let rootUrn = "";
    return {
        log: (call: any, cb: Callback) => {
            const req = call.request as engproto.LogRequest;
            logs.push({ severity: SEVERITY[req.getSeverity()], message: req.getMessage(), urn: req.getUrn() });
            cb(null, new Empty());
        },
        getRootResource: (_call: any, cb: Callback) => cb(null, new engproto.GetRootResourceResponse().setUrn(rootUrn)),
        setRootResource: (call: any, cb: Callback) => {
            rootUrn = call.request.getUrn();
            cb(null, new engproto.SetRootResourceResponse());
        },
    };
}

/** Starts the services on 127.0.0.1 (port 0); registrations go to `engine` with URNs for `project`/`stack`. */
export async function startMonitorServer(engine: MiniEngine, opts: { project: string; stack: string }): Promise<MonitorServer> {
    const monitor = routeMonitorToEngine(new MockMonitor(noInvokeMocks), engine, { ...opts, failRegistrations: true });
    const logs: LogEntry[] = [];
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, monitorService(monitor, engine));
    server.addService(engrpc.EngineService, engineService(logs));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    return {
        address: `127.0.0.1:${port}`,
        logs,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}

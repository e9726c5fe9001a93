/**
 * Runs a real Pulumi program (a function using the SDK classes) under `runWithMocks` + a MiniEngine, and records
 * every RegisterResource request with the engine's answer: what the Pulumi engine would keep for policies.
 *
 * routeMonitorToEngine (tests/helpers/monitorServer.ts) folds `propertyDependencies` into one dependency list, and
 * stack policies need them per input (a server's `farmId` -> its farm). So the program wrapper below wraps the mock
 * monitor's (already routed) registerResource before the program registers anything, and reads the request itself.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { CheckResult, CreateResult, DiffResult, ProviderBackend, Props, ReadResult } from "../helpers/hostDriver";
import { MiniEngine, ROOT_STACK_TYPE } from "../helpers/miniEngine";
import { MockRunOptions, runWithMocks } from "../helpers/programRunner";

/** One registration, in wire form (secrets as {sig, value}, unknowns as the unknown sentinel, `__provider` kept). */
export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  /** What the program sent (RegisterResourceRequest.object): the inputs. */
  inputs: Props;
  /** What the engine answered: during preview the checked inputs, after an update the provider's outputs. */
  outputs: Props;
  /** Every URN the resource depends on (dependsOn and all property dependencies), as the SDK sends them. */
  dependencies: string[];
  /** Per input: the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  options: { protect: boolean; ignoreChanges: string[]; deleteBeforeReplace?: boolean; additionalSecretOutputs: string[] };
}

export interface CapturedStack {
  dryRun: boolean;
  resources: CapturedResource[];
}

const typeOfUrn = (urn: string) => urn.split("::")[2].split("$").pop()!;
const ID_OUTPUT: Record<string, string> = {
  Farm: "farmId", FarmServer: "serverId", FreeCertificate: "sslId", SslCertificate: "sslId", Frontend: "frontendId", Route: "routeId", RouteRule: "ruleId",
};
/** Ids of objects under another: `serviceName/<parent>/<id>`. */
const PARENT_INPUT: Record<string, string> = { FarmServer: "farmId", RouteRule: "routeId" };
/**
 * Outputs the real providers always report, which programs read (the quickstart exports serverState); a route's rules
 * as the API lists them when the route is created, before any rule (rules are objects of their own).
 */
const ALWAYS: Record<string, Props> = { FarmServer: { serverState: [] }, Route: { rules: [] } };

/**
 * A provider backend that accepts everything: check returns the inputs, create echoes them as outputs plus a fresh
 * numeric id output (farmId, serverId, sslId, frontendId, routeId, ruleId) in an id of the real providers' form, and an empty serverState, as the
 * real providers report every field. What it does not model:
 * API defaults filled into outputs (a generated server cookie, a default probe); tests that need those run the real
 * provider on the emulator instead.
 */
export function acceptAllBackend(): ProviderBackend {
  let next = 0;
  return {
    configure: async () => undefined,
    check: async (_urn, _olds, news): Promise<CheckResult> => ({ inputs: news, failures: [] }),
    diff: async (): Promise<DiffResult> => ({ changes: "unknown", replaces: [], deleteBeforeReplace: false }),
    create: async (urn, props): Promise<CreateResult> => {
      next += 1;
      const kind = Object.keys(ID_OUTPUT).find((k) => typeOfUrn(urn).endsWith(k));
      if (!kind) return { id: String(next), properties: props };
      // Ids as the real providers make them: the SDK reads farmId, serverId, sslId... back from the id.
      const parent = PARENT_INPUT[kind];
      const id = parent ? `${props.serviceName}/${props[parent]}/${next}` : `${props.serviceName}/${next}`;
      return { id, properties: { ...props, ...ALWAYS[kind], [ID_OUTPUT[kind]]: next } };
    },
    read: async (id, _urn, props): Promise<ReadResult> => ({ id, properties: props }),
    update: async (_id, _urn, _olds, news) => ({ properties: news }),
    delete: async () => undefined,
  };
}

function captured(req: resproto.RegisterResourceRequest, res: resproto.RegisterResourceResponse): CapturedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
  return {
    urn: res.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    ...(req.getParent() ? { parent: req.getParent() } : {}),
    inputs: req.getObject()?.toJavaScript() ?? {},
    outputs: res.getObject()?.toJavaScript() ?? {},
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    options: {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    },
  };
}

type Callback = (err: unknown, res?: resproto.RegisterResourceResponse) => void;

/** Wraps the current mock monitor's registerResource so that every answered registration lands in `into`. */
function recordRegistrations(into: CapturedResource[]): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: resproto.RegisterResourceRequest, cb: Callback): unknown };
  const routed = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    routed(req, (err, res) => {
      if (!err && res && req.getType() !== ROOT_STACK_TYPE) into.push(captured(req, res));
      cb(err, res);
    });
}

export interface CaptureOptions extends MockRunOptions {
  /** Defaults to acceptAllBackend(); the in-process host on the emulator gives real outputs. */
  backend?: ProviderBackend;
  /** Reuse an engine (and its state) to capture a second run, e.g. a preview after an update. */
  engine?: MiniEngine;
}

/**
 * Runs `program` as one deployment (`pulumi up`, or `pulumi preview` with dryRun) and returns its registrations.
 * The root Stack is left out: whether its registration is answered before the program starts is a matter of timing,
 * and no policy looks at it (the engine's AnalyzeStack does include it).
 */
export async function captureStack(program: () => unknown, opts: CaptureOptions = {}): Promise<CapturedStack> {
  const engine = opts.engine ?? new MiniEngine(opts.backend ?? acceptAllBackend());
  const resources: CapturedResource[] = [];
  await runWithMocks(engine, () => {
    recordRegistrations(resources);
    return program() as Record<string, unknown> | void;
  }, opts);
  return { dryRun: !!opts.dryRun, resources };
}

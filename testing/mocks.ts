/**
 * The fast layer of a user's tests: a program run under `pulumi.runtime.setMocks`, with no emulator, no CLI and no
 * API call. `IplbMocks` answers the registrations of this package's resources as the provider would shape them:
 *
 * - ids in the provider's format (`serviceName/farmId`, `serviceName/farmId/serverId`, `serviceName/routeId/ruleId`,
 *   numbered 1, 2, 3 ... in registration order), so `farm.farmId`, `server.serverId` and every id a resource takes
 *   from another resolve as they do after a deployment;
 * - each resource's real `check()` (the provider's validation, pure, the one `pulumi preview` runs): its failures
 *   are recorded (`failures()`, with the messages preview would print);
 * - outputs = the inputs as check() returns them: what the API would compute (a server's `serverState`, the farm's
 *   defaults) is absent, since nothing here asks the API;
 * - `__provider` (the serialized provider that dynamic resources register, shared note pulumi-dynamic-providers.md
 *   section 2) left out of what it records and returns.
 *
 * Set them with `setIplbMocks` rather than with your own copy of `@pulumi/pulumi`: the mocks must be set on the copy
 * this package's classes register with (the same one unless npm installed two).
 */
import * as pulumi from "@pulumi/pulumi";
import { providers, type ProviderKind } from "../provider/registry";

type Props = Record<string, unknown>;
type MockResourceArgs = pulumi.runtime.MockResourceArgs;
type MockResult = pulumi.runtime.MockResourceResult;

/** A check() failure: the input and why (`balance: "fastest" is not one of first, leastconn, ...`). */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** One registration the mocks answered. */
export interface MockedResource {
  /** `HttpFarm`, `HttpFarmServer` ... for this package's resources; the type token's last part otherwise. */
  kind: string;
  /** The type token, `pulumi-nodejs:dynamic/iplb:HttpFarm`. */
  type: string;
  name: string;
  /** The id the mocks gave (`""` for a component). */
  id: string;
  /** The inputs, resolved, without `__provider`; as check() returned them for this package's resources. */
  inputs: Props;
  /** What check() refused (`[]` when it passed, or for other resources). */
  failures: CheckFailure[];
}

export interface IplbMocksOptions {
  /** Run the provider's check() on each of this package's resources (default true). */
  check?: boolean;
  /** Answers function calls (invokes); by default a call fails naming its token. */
  call?: (args: pulumi.runtime.MockCallArgs) => pulumi.runtime.MockCallResult | Promise<pulumi.runtime.MockCallResult>;
  /** Answers the registrations of other packages' resources; by default id `<name>-id`, outputs = inputs. */
  otherResource?: (args: MockResourceArgs) => MockResult | Promise<MockResult>;
}

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/iplb:";
/** Kinds whose id carries their parent's id: `serviceName/<parent>/<own>`. */
const CHILD_OF: Partial<Record<ProviderKind, string>> = {
  HttpFarmServer: "farmId", TcpFarmServer: "farmId", UdpFarmServer: "farmId", HttpRouteRule: "routeId", TcpRouteRule: "routeId",
};

const isKind = (kind: string): kind is ProviderKind => Object.prototype.hasOwnProperty.call(providers, kind);

export class IplbMocks implements pulumi.runtime.Mocks {
  /** Every registration answered, in order. */
  readonly resources: MockedResource[] = [];
  private nextId = 1;

  constructor(private readonly options: IplbMocksOptions = {}) {}

  async newResource(args: MockResourceArgs): Promise<MockResult> {
    const { __provider: _shim, ...given } = (args.inputs ?? {}) as Props;
    const kind = args.type.startsWith(DYNAMIC_PREFIX) ? args.type.slice(DYNAMIC_PREFIX.length) : args.type.split(":").pop() ?? args.type;
    if (!args.type.startsWith(DYNAMIC_PREFIX) || !isKind(kind)) {
      const other = args.custom === false ? { id: undefined, state: {} } : await this.other(args, given);
      this.resources.push({ kind, type: args.type, name: args.name, id: other.id ?? "", inputs: given, failures: [] });
      return other;
    }
    const check = this.options.check === false ? undefined : providers[kind].check;
    const checked = check ? await check({}, given) : { inputs: given, failures: [] };
    const inputs = (checked.inputs ?? given) as Props;
    const id = args.id || this.idFor(kind, inputs);
    this.resources.push({ kind, type: args.type, name: args.name, id, inputs, failures: (checked.failures ?? []) as CheckFailure[] });
    return { id, state: inputs };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult | Promise<pulumi.runtime.MockCallResult> {
    if (this.options.call) return this.options.call(args);
    throw new Error(`no mock answers the function ${args.token}: pass setIplbMocks({ call })`);
  }

  /** The registration named `name` (the first, if several resources share it across types). */
  named(name: string): MockedResource | undefined {
    return this.resources.find((r) => r.name === name);
  }

  /** Registrations of one kind (`HttpFarmServer`), in order. */
  ofKind(kind: string): MockedResource[] {
    return this.resources.filter((r) => r.kind === kind);
  }

  /** Every check() failure as `name: property: reason`, in registration order; `[]` when every input is valid. */
  failures(): string[] {
    return this.resources.flatMap((r) => r.failures.map((f) => `${r.name}: ${f.property}: ${f.reason}`));
  }

  private idFor(kind: ProviderKind, inputs: Props): string {
    const own = this.nextId++;
    const parent = CHILD_OF[kind];
    return parent ? `${String(inputs.serviceName)}/${String(inputs[parent])}/${own}` : `${String(inputs.serviceName)}/${own}`;
  }

  private async other(args: MockResourceArgs, inputs: Props): Promise<MockResult> {
    return this.options.otherResource ? this.options.otherResource(args) : { id: `${args.name}-id`, state: inputs };
  }
}

export interface SetIplbMocksOptions extends IplbMocksOptions {
  /** Default `project`: the namespace of unqualified `config` keys, what `new pulumi.Config()` reads. */
  project?: string;
  /** Default `stack`. */
  stack?: string;
  /** Run as a preview (default false): outputs not known before a deployment stay unknown, and `valueOf` waits forever. */
  preview?: boolean;
  /** Stack config: `serviceName` (the project's namespace) or `ns:key`; objects as JSON strings (`requireObject`). */
  config?: Record<string, string>;
  /** Keys of `config` that are secret (a program reading them gets secret outputs). */
  secretKeys?: string[];
}

/** Sets `IplbMocks` as the Pulumi runtime's mocks (and the stack config), then returns them for assertions. */
export async function setIplbMocks(options: SetIplbMocksOptions = {}): Promise<IplbMocks> {
  const mocks = new IplbMocks(options);
  const project = options.project ?? "project";
  await pulumi.runtime.setMocks(mocks, project, options.stack ?? "stack", options.preview ?? false);
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
  const config = Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [qualify(k), v]));
  pulumi.runtime.setAllConfig(config, (options.secretKeys ?? []).map(qualify));
  return mocks;
}

/** The value of an output of a mocked run (not a preview): what a test asserts on. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

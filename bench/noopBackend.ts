/**
 * The engine's twin of the provider that does nothing: the same program (same SDK classes, same inputs, same
 * dependencies, same `Refresh` batch) applied by the same mini engine, but every provider call is answered at once in
 * this process, with no host and no API. A run against it costs what the Node language runtime (ts-node), the
 * program, the SDK and the engine cost for this stack and scenario; the benchmark subtracts it from the real run.
 */
import type { CheckResult, CreateResult, DiffResult, ProviderBackend, Props, ReadResult } from "../tests/helpers/hostDriver";
import { changedKeys } from "../tests/helpers/miniEngine";

/** Outputs a real create would add: the ids the program's other resources take. */
function created(id: number, props: Props): Props {
  return { ...props, farmId: props.farmId ?? id, serverId: id };
}

export class NoopBackend implements ProviderBackend {
  private next = 1;

  async configure(): Promise<void> {}

  async check(_urn: string, _olds: Props, news: Props): Promise<CheckResult> {
    return { inputs: news, failures: [] };
  }

  /** Changed inputs update in place: the twin never replaces (the benchmark's scenarios replace nothing). */
  async diff(_id: string, _urn: string, olds: Props, news: Props): Promise<DiffResult> {
    const changed = changedKeys(olds, news).filter((k) => k in news && k !== "__provider" && k !== "changeToken");
    return { changes: changed.length > 0 ? "some" : "none", replaces: [], deleteBeforeReplace: false };
  }

  async create(_urn: string, props: Props): Promise<CreateResult> {
    const id = this.next++;
    return { id: String(id), properties: created(id, props) };
  }

  async read(id: string, _urn: string, props: Props): Promise<ReadResult> {
    return { id, properties: props };
  }

  async update(_id: string, _urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    return { properties: { ...olds, ...news } };
  }

  async delete(): Promise<void> {}
}

/**
 * One lifecycle for every IPLB object family, so farms, servers and frontends go live the same way:
 *   check  -> the family's pure validation (no API call)
 *   diff   -> GET the live object (read ahead with its siblings: api/readAhead.ts); compare the desired inputs with it
 *             (drift shows in preview; gone = replace)
 *   create -> POST (or adopt an existing object by id), then wait until its zones are live
 *   read   -> GET; a 404 returns an empty id so `pulumi refresh` drops it
 *   update -> GET, PUT only the changed fields (null clears), then wait until live
 *   delete -> DELETE (a 404 counts as done), then wait until live
 * Settings come from `configure()` or the host's environment on every call; nothing here is captured at module scope.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as clientModule from "../api/client";
import * as errors from "../api/errors";
import { diffReader } from "../api/readAhead";
import * as configModule from "../config";
import { engineDiff } from "../changes/engineDiff";
import * as refresh from "../changes/refresh";
import type { CheckFailure, DiffResult } from "../models/fields";

export type Props = Record<string, unknown>;

/** What differs between object families; each function is pure or makes exactly the API calls its name says. */
export interface Family {
  /** Class name, for messages: `HttpFarm`. */
  name: string;
  check(news: Props): { inputs: Props; failures: CheckFailure[] };
  serviceName(props: Props): string;
  /** GET the object named by a resource id, as outputs; undefined when the API answers 404. */
  read(api: clientModule.ApiClient, id: string, props: Props): Promise<Props | undefined>;
  diff(desired: Props, live: Props | undefined): DiffResult;
  /**
   * POST (or take over `adopt*Id`), returning the resource id and the object as outputs. `settleMs`: how long to
   * watch for the object after an ambiguous POST failure before posting again (createOnce.ts).
   */
  create(api: clientModule.ApiClient, inputs: Props, settleMs: number): Promise<{ id: string; outs: Props }>;
  /** The PUT body for the changed fields; empty when nothing is to be sent. */
  updateBody(desired: Props, live: Props): Props;
  put(api: clientModule.ApiClient, id: string, body: Props): Promise<void>;
  remove(api: clientModule.ApiClient, id: string): Promise<void>;
  /** Zones (or `all`) a change to this object touches. */
  zones(outs: Props): string[];
}

/**
 * The PUT body that takes over an existing object (`adoptFarmId`, `adoptServerId`). Only fields that update in place
 * may differ: adopting an object whose zone or address differs would make the next diff replace it, deleting the very
 * object the user meant to keep, so that fails here with what differs.
 */
export function adoptionBody(family: Pick<Family, "name" | "diff" | "updateBody">, field: string, id: number, inputs: Props, live: Props): Props {
  const { replaces } = family.diff(inputs, live);
  if (replaces.length > 0) {
    const what = replaces.map((f) => `${f} is ${JSON.stringify(live[f])}, not ${JSON.stringify(inputs[f])}`).join("; ");
    throw new errors.IplbError(`${family.name} ${field}: object ${id} cannot be adopted as declared, because ${what}, which cannot change in place`);
  }
  return family.updateBody(inputs, live);
}

/** `this` of a provider method: the host's configure() stores the stack config here. */
export interface ProviderThis {
  stackConfig?: { get(key: string): string | undefined };
}

export interface Session {
  api: clientModule.ApiClient;
  config: configModule.ClientConfig;
  flush: refresh.FlushOptions;
  key: (serviceName: string) => string;
}

export function session(self: ProviderThis): Session {
  const config = configModule.resolveConfig(configModule.lookupFrom(self.stackConfig, process.env));
  const endpoint = config.endpoint.kind === "preset" ? config.endpoint.name : `${config.endpoint.host}:${config.endpoint.port}`;
  return {
    api: clientModule.createClient(config),
    config,
    flush: { ...refresh.DEFAULT_FLUSH, poll: { timeoutMs: config.taskTimeoutMs } },
    key: (serviceName) => `${endpoint}|${serviceName}`,
  };
}

/**
 * The object was created (or updated) but a later step failed: the dynamic-provider host reports the error with this
 * id and these properties (ErrorResourceInitFailed), so the engine keeps the object in the state instead of orphaning
 * it, and the next `up` updates it even without changes (which makes it live).
 */
export class ResourceInitError extends Error {
  constructor(message: string, readonly id: string, readonly properties: Props, readonly reasons: string[]) {
    super(message);
    this.name = "ResourceInitError";
  }
}

/**
 * Members of a `Refresh` batch carry `deferredTo` (the batch's name): their writes are not applied one by one; the
 * batch applies them all (see refreshBatch.ts). They output a fresh `changeToken` whenever they wrote something, which
 * is how the batch's commit learns that it has work to do.
 */
export const DEFERRED_TO = "deferredTo";

export function deferred(props: Props): boolean {
  return typeof props[DEFERRED_TO] === "string" && props[DEFERRED_TO] !== "";
}

/**
 * Outputs that only mean something once the change is live: a server's `serverState` (the health of each instance
 * running it). Objects that have them are read again after the refresh; for the others (farms, frontends) the API
 * answers what was written, so a read would only add a round trip before their dependents can start.
 */
const LIVE_ONLY_OUTPUTS = ["serverState"];

function changesWhenLive(outs: Props): boolean {
  return LIVE_ONLY_OUTPUTS.some((k) => k in outs);
}

/**
 * A fresh token for a member's write. `force` marks writes that need a refresh although `pendingChanges` does not list
 * them (routing a failover IP): the batch's commit refreshes every zone when such a token changed.
 */
export function newChangeToken(force = false): string {
  return `${force ? FORCE_PREFIX : ""}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export const FORCE_PREFIX = "force:";

/**
 * Runs a write, then makes its zones live (or, for a batch member, leaves them to the batch). A failed write releases
 * the batch without applying anything.
 */
async function writeThenApply<T>(s: Session, props: Props, serviceName: string, write: () => Promise<T>, zones: (result: T) => string[]): Promise<T> {
  const op = refresh.begin(s.key(serviceName), serviceName);
  let result: T;
  try {
    result = await write();
  } catch (e) {
    op.end();
    throw e;
  }
  if (deferred(props)) op.end();
  else await op.apply(s.api, zones(result), s.flush);
  return result;
}

/** A family validates its own fields; `deferredTo` belongs to the lifecycle. */
export function checkWithBatch(check: (news: Props) => { inputs: Props; failures: CheckFailure[] }, news: Props): { inputs: Props; failures: CheckFailure[] } {
  const { [DEFERRED_TO]: batch, ...own } = news;
  const { inputs, failures } = check(own);
  if (batch === undefined) return { inputs, failures };
  const bad = typeof batch !== "string" || batch === "";
  return {
    inputs: { ...inputs, [DEFERRED_TO]: batch },
    failures: bad ? [...failures, { property: DEFERRED_TO, reason: `${JSON.stringify(batch)} is not the name of a Refresh batch` }] : failures,
  };
}

/**
 * Every provider's `configure`: keeps the stack config, from which each method reads the credentials when it runs
 * (never captured in the serialized provider, never in the state).
 */
export async function configure(this: ProviderThis, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  this.stackConfig = req.config;
}

/**
 * The program's inputs as of the last create or update, kept in the outputs (`declaredInputs`) so that `diff` can
 * tell drift (the live object is no longer what the program declared) from a change of the program. The outputs
 * themselves cannot tell: `pulumi refresh` overwrites them with the live object. States written before this key
 * existed fall back to the outputs.
 */
export const DECLARED_INPUTS = "declaredInputs";

function declaration(inputs: Props): Props {
  const { __provider: _shim, [DECLARED_INPUTS]: _previous, ...declared } = inputs;
  return { [DECLARED_INPUTS]: declared };
}

function declaredIn(outs: Props): Props {
  const declared = outs[DECLARED_INPUTS];
  return declared !== null && typeof declared === "object" ? (declared as Props) : outs;
}

export function makeProvider(family: Family): pulumi.dynamic.ResourceProvider {
  return {
    configure,

    async check(_olds: Props, news: Props) {
      return checkWithBatch(family.check, news);
    },

    async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
      const s = session(this);
      // The engine asks for diffs one at a time: the read-ahead keeps that from being one round trip per resource.
      const live = await family.read(diffReader(s.api, this.stackConfig, s.key(family.serviceName(olds))), id, olds);
      const result = family.diff(news, live);
      // A batch member is replaced delete-first: the old object's deletion is then written before the batch's commit,
      // which applies it with the creation. Created first, the old object would be deleted at the end of the run, after
      // the commit, and stay pending when the batch's start is not replaced too (a server moved to another farm: its
      // `farmId` is an Output, so the batch's fingerprint cannot see it change). Nothing is live before the refresh, so
      // deleting first costs no downtime here.
      const deleteBeforeReplace = deferred(news) && result.replaces.length > 0;
      const drift = live ? family.diff(declaredIn(olds), live) : undefined;
      return engineDiff({ desired: result, drift, what: `${family.name} ${id}`, deleteBeforeReplace });
    },

    async create(this: ProviderThis, inputs: Props) {
      const s = session(this);
      const serviceName = family.serviceName(inputs);
      let created: { id: string; outs: Props } | undefined;
      try {
        // Set as soon as the object exists, so that a failure while making it live still reports it (below).
        const write = async () => (created = await family.create(s.api, inputs, s.config.requestTimeoutMs));
        created = await writeThenApply(s, inputs, serviceName, write, (r) => family.zones(r.outs));
      } catch (e) {
        if (!created) throw e;
        throw new ResourceInitError(
          `${family.name} ${created.id} was created but is not live yet: ${(e as Error).message}. The next \`pulumi up\` will apply it.`,
          created.id,
          { ...inputs, ...created.outs, ...declaration(inputs) },
          [(e as Error).message],
        );
      }
      if (deferred(inputs)) return { id: created.id, outs: { ...inputs, ...created.outs, ...declaration(inputs), changeToken: newChangeToken() } };
      const fresh = changesWhenLive(created.outs) ? ((await family.read(s.api, created.id, created.outs)) ?? created.outs) : created.outs;
      return { id: created.id, outs: { ...inputs, ...fresh, ...declaration(inputs) } };
    },

    async read(this: ProviderThis, id: string, props: Props) {
      const s = session(this);
      const live = await family.read(s.api, id, props);
      if (!live) return { id: "", props: {} };
      return { id, props: { ...props, ...live } };
    },

    async update(this: ProviderThis, id: string, olds: Props, news: Props) {
      const s = session(this);
      const live = await family.read(s.api, id, olds);
      if (!live) {
        throw new errors.IplbError(`${family.name} ${id} was deleted outside Pulumi during this update; run \`pulumi up\` again to re-create it`);
      }
      const body = family.updateBody(news, live);
      const wrote = Object.keys(body).length > 0;
      let written = false;
      try {
        await writeThenApply(s, news, family.serviceName(news), async () => {
          if (wrote) await family.put(s.api, id, body);
          written = true;
        }, () => [...family.zones(live), ...family.zones({ ...live, ...body })]); // a moved object (frontend zone) touches both zones
      } catch (e) {
        if (!written) throw e;
        // Written but not live: without init errors the next diff would compare with the staged (already written)
        // object, find nothing to do, and the change would never go live. With them, the next `up` updates again.
        throw new ResourceInitError(
          `${family.name} ${id} was updated but is not live yet: ${(e as Error).message}. The next \`pulumi up\` will apply it.`,
          id,
          { ...news, ...live, ...body, ...declaration(news) },
          [(e as Error).message],
        );
      }
      if (deferred(news)) {
        return { outs: { ...news, ...live, ...body, ...declaration(news), changeToken: wrote ? newChangeToken() : olds.changeToken ?? newChangeToken() } };
      }
      const sent = { ...live, ...body };
      const fresh = changesWhenLive(live) ? ((await family.read(s.api, id, live)) ?? sent) : sent;
      return { outs: { ...news, ...fresh, ...declaration(news) } };
    },

    async delete(this: ProviderThis, id: string, props: Props) {
      const s = session(this);
      await writeThenApply(s, props, family.serviceName(props), async () => {
        await family.remove(s.api, id).catch((e: unknown) => {
          if (!errors.isNotFound(e)) throw e;
        });
      }, () => family.zones(props));
    },
  };
}

/**
 * One lifecycle for every IPLB object family, so farms, servers and frontends go live the same way:
 *   check  -> the family's pure validation (no API call)
 *   diff   -> GET the live object (read ahead with its siblings: api/readAhead.ts); compare the desired inputs with it
 *             (drift shows in preview; gone = replace)
 *   create -> POST (or adopt an existing object by id), then wait until its zones are live
 *   read   -> GET; a 404 returns an empty id so `pulumi refresh` drops it
 *   update -> GET, PUT only the changed fields (null clears), then wait until live
 *   delete -> DELETE (a 404 counts as done), then wait until live
 * Going live is changes/goLive.ts's; a `Refresh` batch member leaves it to its batch (changes/batch.ts).
 * Settings come from `configure()` or the host's environment on every call (session.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as clientModule from "../api/client";
import * as errors from "../api/errors";
import { diffReader } from "../api/readAhead";
import * as batch from "../changes/batch";
import { engineDiff } from "../changes/engineDiff";
import { writeThenGoLive } from "../changes/goLive";
import type { DiffResult } from "../models/fields";
import type { Checked, ObjectInputs, Props } from "../models/model";
import { configure, type ProviderThis, ResourceInitError, type Session, session } from "./session";

/** What the lifecycle needs of a family; each function is pure or makes exactly the API calls its name says. */
export interface Family<I extends ObjectInputs, O extends object> {
  /** Class name, for messages: `HttpFarm`. */
  name: string;
  check(news: Props): Checked<I>;
  /** GET the object named by a resource id, as outputs; undefined when the API answers 404. */
  read(api: clientModule.ApiClient, id: string, props: Props): Promise<O | undefined>;
  diff(desired: I, live: O | undefined): DiffResult;
  /**
   * POST (or take over `adopt*Id`), returning the resource id and the object as outputs. `settleMs`: how long to
   * watch for the object after an ambiguous POST failure before posting again (changes/adoptOrCreate.ts).
   */
  create(api: clientModule.ApiClient, inputs: I, settleMs: number): Promise<{ id: string; outs: O }>;
  /** The PUT body for the changed fields; empty when nothing is to be sent. */
  updateBody(desired: I, live: O): Props;
  put(api: clientModule.ApiClient, id: string, body: Props): Promise<void>;
  remove(api: clientModule.ApiClient, id: string): Promise<void>;
  /** Zones (or `all`) a change to this object touches. */
  zones(outs: O): string[];
}

/**
 * Outputs that only mean something once the change is live: a server's `serverState` (the health of each instance
 * running it). Objects that have them are read again after the refresh; for the others (farms, frontends) the API
 * answers what was written, so a read would only add a round trip before their dependents can start.
 */
const LIVE_ONLY_OUTPUTS = ["serverState"];

function changesWhenLive(outs: object): boolean {
  return LIVE_ONLY_OUTPUTS.some((k) => k in outs);
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

function declaredIn<I>(outs: Props): I {
  const declared = outs[DECLARED_INPUTS];
  return (declared !== null && typeof declared === "object" ? declared : outs) as I;
}

/** A batch member's outputs carry a fresh change token when it wrote (changes/batch.ts). */
function withToken(inputs: Props, wrote: boolean, previous?: unknown): Props {
  if (!batch.isMember(inputs)) return {};
  return { changeToken: wrote || previous === undefined ? batch.changeToken() : previous };
}

/** Written but not live: the engine keeps the object and the next `up` updates it again, which makes it live. */
function notLive(family: { name: string }, verb: string, id: string, properties: Props, e: unknown): ResourceInitError {
  const message = errors.messageOf(e);
  return new ResourceInitError(`${family.name} ${id} was ${verb} but is not live yet: ${message}. The next \`pulumi up\` will apply it.`, id, properties, [message]);
}

/** The engine passes what check() returned: the inputs are the family's from here on. */
const typed = <I>(props: Props) => props as unknown as I;

async function diff<I extends ObjectInputs, O extends object>(family: Family<I, O>, self: ProviderThis, id: string, olds: Props, news: Props) {
  const s = session(self);
  // The engine asks for diffs one at a time: the read-ahead keeps that from being one round trip per resource.
  const live = await family.read(diffReader(s.api, self.stackConfig, s.key(typed<I>(olds).serviceName)), id, olds);
  const result = family.diff(typed(news), live);
  // A batch member is replaced delete-first: the old object's deletion is then written before the batch's commit,
  // which makes it live with the creation. Created first, the old object would be deleted at the end of the run,
  // after the commit, and stay pending when the batch's start is not replaced too (a server moved to another farm:
  // its `farmId` is an Output, so the batch's fingerprint cannot see it change). Nothing is live before the
  // refresh, so deleting first costs no downtime here.
  const deleteBeforeReplace = batch.isMember(news) && result.replaces.length > 0;
  const drift = live ? family.diff(declaredIn<I>(olds), live) : undefined;
  return engineDiff({ desired: result, drift, what: `${family.name} ${id}`, deleteBeforeReplace });
}

async function create<I extends ObjectInputs, O extends object>(family: Family<I, O>, s: Session, inputs: Props) {
  let created: { id: string; outs: O } | undefined;
  try {
    // Set as soon as the object exists, so that a failure while making it live still reports it (below).
    const write = async () => (created = await family.create(s.api, typed(inputs), s.config.requestTimeoutMs));
    created = await writeThenGoLive(s, inputs, typed<I>(inputs).serviceName, write, (r) => family.zones(r.outs));
  } catch (e) {
    if (!created) throw e;
    throw notLive(family, "created", created.id, { ...inputs, ...created.outs, ...declaration(inputs) }, e);
  }
  const { id, outs } = created;
  const fresh = !batch.isMember(inputs) && changesWhenLive(outs) ? ((await family.read(s.api, id, outs as Props)) ?? outs) : outs;
  return { id, outs: { ...inputs, ...fresh, ...declaration(inputs), ...withToken(inputs, true) } };
}

async function update<I extends ObjectInputs, O extends object>(family: Family<I, O>, s: Session, id: string, olds: Props, news: Props) {
  const live = await family.read(s.api, id, olds);
  if (!live) {
    throw new errors.IplbError(`${family.name} ${id} was deleted outside Pulumi during this update; run \`pulumi up\` again to re-create it`);
  }
  const body = family.updateBody(typed(news), live);
  const wrote = Object.keys(body).length > 0;
  const sent = { ...live, ...body } as O;
  let written = false;
  try {
    await writeThenGoLive(s, news, typed<I>(news).serviceName, async () => {
      if (wrote) await family.put(s.api, id, body);
      written = true;
    }, () => [...family.zones(live), ...family.zones(sent)]); // a moved object (frontend zone) touches both zones
  } catch (e) {
    if (!written) throw e;
    // Without the init error the next diff would compare with the staged (already written) object, find nothing
    // to do, and the change would never go live.
    throw notLive(family, "updated", id, { ...news, ...sent, ...declaration(news) }, e);
  }
  const fresh = !batch.isMember(news) && changesWhenLive(live) ? ((await family.read(s.api, id, live as Props)) ?? sent) : sent;
  return { outs: { ...news, ...fresh, ...declaration(news), ...withToken(news, wrote, olds.changeToken) } };
}

export function makeProvider<I extends ObjectInputs, O extends object>(family: Family<I, O>): pulumi.dynamic.ResourceProvider {
  return {
    configure,
    check: async (_olds: Props, news: Props) => batch.checkMember(family.check, news),
    async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
      return diff(family, this, id, olds, news);
    },
    async create(this: ProviderThis, inputs: Props) {
      return create(family, session(this), inputs);
    },
    async read(this: ProviderThis, id: string, props: Props) {
      const live = await family.read(session(this).api, id, props);
      return live ? { id, props: { ...props, ...live } } : { id: "", props: {} };
    },
    async update(this: ProviderThis, id: string, olds: Props, news: Props) {
      return update(family, session(this), id, olds, news);
    },
    async delete(this: ProviderThis, id: string, props: Props) {
      const s = session(this);
      // Gone already counts as deleted.
      await writeThenGoLive(s, props, typed<I>(props).serviceName, () => errors.unlessGone(family.remove(s.api, id)), () => family.zones(typed<O>(props)));
    },
  };
}

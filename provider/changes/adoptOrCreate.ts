/**
 * POST a new object without ever sending it twice blindly, and without making a twin of one an earlier, interrupted
 * deployment already made.
 *
 * 1. We list the collection before the POST. If the family has a natural key (NATURAL_KEYS) and exactly one listed
 *    object has our key and is exactly what the program declares (the family's diff finds nothing to change), we take
 *    it over instead of posting: it is what a POST of an earlier deployment left when that deployment was interrupted
 *    (the provider process killed, the network cut) after OVH had made the object but before its id reached the state.
 *    The engine then creates the resource again; without this, every such interruption would leave a duplicate.
 * 2. The client retries a POST only on 429 (not processed). After any other ambiguous failure (5xx, network, timeout)
 *    the object may exist, or may still be created by a request the API is slow to process: we watch the collection
 *    for a while (`settleMs`) for a new object matching what we sent: found, it is ours; none, the POST is sent again.
 *
 * Every object this host process creates or takes over is claimed (on `globalThis`, shared by every serialized
 * provider in the process, as the write windows are in changes/writeWindow.ts) and never taken over again: two resources
 * of one deployment must not share an object. The engine starts one host process per deployment. For the same reason
 * nothing is taken over while another create of this process with the same key is posting: the object we see may be
 * the one its POST just made, before its answer (and its claim) came back.
 */
import type { ApiClient, Query } from "../api/client";
import * as errors from "../api/errors";
import { NATURAL_KEYS, type NaturalKeyFamily } from "../models/naturalKeys";
import { processShared } from "../processShared";

export { NATURAL_KEYS, type NaturalKey, type NaturalKeyFamily } from "../models/naturalKeys";

export interface CreateOnce<T> {
  collection: string;
  /** List filter narrowing the search (e.g. `{address}` for servers). */
  query?: Query;
  /** The listing, when the caller started it beside its own reads (`listCollection`); else listed here first. */
  listed?: Promise<number[]>;
  body: Record<string, unknown>;
  /** Reads one object of the collection by id. */
  get(id: number): Promise<T>;
  /** True when `object` is the one our POST would have made. */
  matches(object: T): boolean;
  /** The family's natural key; without it (and `declares`) nothing is taken over before the POST. */
  naturalKey?: NaturalKeyFamily;
  /** True when `object` is exactly what the program declares: the family's diff against it finds no change. */
  declares?(object: T): boolean;
}

function ambiguous(e: unknown): boolean {
  return errors.isRetryable(e) && !errors.isRateLimited(e);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Objects created or taken over by this process, as `collection#id`. The collection path names the service, and
 * OVH service names are unique, so the endpoint is left out.
 */
const claims = () => processShared("CreateClaims", () => new Set<string>());
const claimKey = (collection: string, id: number) => `${collection}#${id}`;
const isClaimed = (collection: string, id: number): boolean => claims().has(claimKey(collection, id));
export function claim(collection: string, id: number): void {
  claims().add(claimKey(collection, id));
}

/** Creates of this process between their first POST and their end, counted per collection and natural key. */
const posting = () => processShared("CreatesPosting", () => new Map<string, number>());

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function postingKey(spec: CreateOnce<unknown>): string {
  const fields = spec.naturalKey ? NATURAL_KEYS[spec.naturalKey].fields : [];
  return `${spec.collection}|${JSON.stringify(fields.map((f) => spec.body[f] ?? null))}`;
}

async function whilePosting<T>(key: string, post: () => Promise<T>): Promise<T> {
  posting().set(key, (posting().get(key) ?? 0) + 1);
  try {
    return await post();
  } finally {
    const left = (posting().get(key) ?? 1) - 1;
    if (left > 0) posting().set(key, left);
    else posting().delete(key);
  }
}

/** False when the body leaves out a field the family's key requires: then nothing is taken over. */
function keyed(family: NaturalKeyFamily, body: Record<string, unknown>): boolean {
  return NATURAL_KEYS[family].requires.every((f) => body[f] !== undefined && body[f] !== null);
}

/**
 * The one object among `candidates` (unclaimed, fetched from the collection) that a create may take over: same
 * natural key as `body`, and exactly what the program declares. Undefined when there is none, or more than one (then
 * nothing tells which is whose). Pure, so the rule is unit-tested on its own.
 */
export function pickTwin<T>(family: NaturalKeyFamily, body: Record<string, unknown>, candidates: T[], declares: (object: T) => boolean): T | undefined {
  if (!keyed(family, body)) return undefined;
  const key = NATURAL_KEYS[family];
  const twins = candidates.filter((c) => key.fields.every((f) => same((c as Record<string, unknown>)[f], body[f])) && declares(c));
  return twins.length === 1 ? twins[0] : undefined;
}

/**
 * GETs of one create's recovery in flight at once: a collection of 300 farms in one zone would otherwise be 300 GETs
 * at the same moment, for every create of a deployment (a 429 storm on the real API).
 */
export const MAX_RECOVERY_READS = 8;

/** `fn` over `items`, at most `limit` at a time, results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Step 1: the twin an interrupted deployment left, claimed; undefined when there is none to take. */
async function takeOverTwin<T>(api: ApiClient, spec: CreateOnce<T>, listed: number[]): Promise<T | undefined> {
  const { naturalKey, declares } = spec;
  // No GET at all when the family has no key or the body lacks what it requires.
  if (!naturalKey || !declares || !keyed(naturalKey, spec.body)) return undefined;
  const ids = listed.filter((id) => !isClaimed(spec.collection, id));
  const fetched = await mapLimited(ids, MAX_RECOVERY_READS, (id) => errors.unlessGone(spec.get(id))); // undefined: deleted since
  const idOf = (o: T) => (o as Record<string, unknown>)[NATURAL_KEYS[naturalKey].idField] as number;
  // Checked again after the awaits, and claimed in the same synchronous step: another create may have claimed since, or
  // be posting an object with our key whose answer has not come back yet.
  if (posting().has(postingKey(spec))) return undefined;
  const unclaimed = fetched.filter((o): o is Awaited<T> => o !== undefined && !isClaimed(spec.collection, idOf(o)));
  const twin = pickTwin(naturalKey, spec.body, unclaimed, (o) => spec.matches(o) && declares(o));
  if (twin) claim(spec.collection, idOf(twin));
  return twin;
}

/** Step 2: a new, unclaimed object of the collection that matches what we sent, watched for up to `settleMs`. */
async function findCreated<T>(api: ApiClient, spec: CreateOnce<T>, before: Set<number>, settleMs: number): Promise<T | undefined> {
  const deadline = Date.now() + settleMs;
  const seen = new Set(before);
  for (;;) {
    const fresh = (await api.get<number[]>(spec.collection, spec.query)).filter((id) => !seen.has(id));
    for (const id of fresh) {
      seen.add(id);
      const object = await spec.get(id);
      if (!isClaimed(spec.collection, id) && spec.matches(object)) {
        claim(spec.collection, id);
        return object;
      }
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
}

/** The listing step 1 starts from, for a caller that starts it beside its own reads (one latency instead of two). */
export function listCollection(api: ApiClient, collection: string, query?: Query): Promise<number[]> {
  const listing = api.get<number[]>(collection, query);
  listing.catch(() => undefined); // the caller may fail on its own read first: then nobody awaits this one
  return listing;
}

export async function createOnce<T>(api: ApiClient, spec: CreateOnce<T>, settleMs: number, attempts = 3): Promise<T> {
  const listed = await (spec.listed ?? api.get<number[]>(spec.collection, spec.query));
  const twin = await takeOverTwin(api, spec, listed);
  if (twin) return twin;
  return whilePosting(postingKey(spec), () => postOnce(api, spec, new Set(listed), settleMs, attempts));
}

async function postOnce<T>(api: ApiClient, spec: CreateOnce<T>, before: Set<number>, settleMs: number, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await api.post<T>(spec.collection, spec.body);
      const id = spec.naturalKey && (created as Record<string, unknown>)?.[NATURAL_KEYS[spec.naturalKey].idField];
      if (typeof id === "number") claim(spec.collection, id);
      return created;
    } catch (e) {
      if (!ambiguous(e)) throw e;
      const created = await findCreated(api, spec, before, settleMs);
      if (created) return created;
      if (attempt >= attempts) throw e;
    }
  }
}

/** What `adoptOrCreate` needs of a family, bound to one create's inputs. */
export interface Creation<A, O> {
  /** Class name and the input naming an object to take over, for messages: `HttpFarm`, `adoptFarmId`. */
  name: string;
  adoptField: string;
  /** That input's value: the id of the object to take over, if any. */
  adoptId: unknown;
  collection: string;
  query: Query;
  naturalKey: NaturalKeyFamily;
  /** The inputs (named in messages) and the POST body they make. */
  inputs: object;
  body: Record<string, unknown>;
  /** The listing, when the caller started it beside its own reads. */
  listed?: Promise<number[]>;
  /** GET one object of the collection. */
  get(id: number): Promise<A>;
  /** The API's object as the resource's outputs. */
  outputs(object: A): O;
  /** The inputs against an object's outputs (the family's diff). */
  diff(outs: O): { changes: boolean; replaces: string[] };
  /** The PUT body that makes an object's outputs what the inputs declare. */
  updateBody(outs: O): Record<string, unknown>;
  put(id: number, body: Record<string, unknown>): Promise<void>;
  /** "there is no HTTP farm 12 on loadbalancer-x": why `adoptId` cannot be taken over when it is gone. */
  missing(id: number): string;
}

/**
 * The one recipe for a create: take over the object `adoptId` names (a PUT of what differs), or POST once (above),
 * taking over a twin an interrupted deployment left. Returns the object's id in its collection and its outputs.
 */
export async function adoptOrCreate<A, O>(api: ApiClient, c: Creation<A, O>, settleMs: number): Promise<{ objectId: number; outs: O }> {
  if (c.adoptId !== undefined && c.adoptId !== null) {
    const adopt = c.adoptId as number;
    const object = await errors.unlessGone(c.get(adopt));
    if (object === undefined) throw new errors.IplbError(`${c.name} ${c.adoptField}: ${c.missing(adopt)}`);
    const live = c.outputs(object);
    const body = adoptionBody(c, adopt, live);
    claim(c.collection, adopt); // never also taken over as another resource's twin
    if (Object.keys(body).length > 0) await c.put(adopt, body);
    return { objectId: adopt, outs: { ...live, ...body } };
  }
  const created = await createOnce<A>(api, {
    collection: c.collection,
    query: c.query,
    listed: c.listed,
    body: c.body,
    get: c.get,
    matches: (o) => carries(o as Record<string, unknown>, c.body),
    naturalKey: c.naturalKey,
    declares: (o) => !c.diff(c.outputs(o)).changes,
  }, settleMs);
  const objectId = (created as Record<string, unknown>)[NATURAL_KEYS[c.naturalKey].idField] as number;
  return { objectId, outs: c.outputs(created) };
}

/**
 * The PUT body that takes over an existing object. Only fields that update in place may differ: adopting an object
 * whose zone or address differs would make the next diff replace it, deleting the very object the user meant to keep,
 * so that fails here with what differs.
 */
function adoptionBody<O>(c: Creation<unknown, O>, id: number, live: O): Record<string, unknown> {
  const { replaces } = c.diff(live);
  if (replaces.length > 0) {
    const what = replaces.map((f) => `${f} is ${JSON.stringify((live as Record<string, unknown>)[f])}, not ${JSON.stringify((c.inputs as Record<string, unknown>)[f])}`).join("; ");
    throw new errors.IplbError(`${c.name} ${c.adoptField}: object ${id} cannot be adopted as declared, because ${what}, which cannot change in place`);
  }
  return c.updateBody(live);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * True when every field of `sent` has the same value in `object`, null and absent alike. Nested objects (the probe)
 * are compared the same way, key by key: the API answers with its own key order and with every field of the model.
 */
export function carries(object: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  return Object.entries(sent).every(([k, v]) =>
    isObject(v) && isObject(object[k])
      ? carries(object[k] as Record<string, unknown>, v)
      : JSON.stringify(object[k] ?? null) === JSON.stringify(v ?? null),
  );
}

/**
 * Diff reads answered from one parallel read of their collections.
 *
 * The real engine calls Diff one resource at a time, on its main loop (../shared/pulumi-cli.md): a Diff that GETs its
 * object puts one API round trip per resource in series, and `pulumi up` pays it twice (its preview runs in a host of
 * its own). 1000 servers at 50 ms of latency: 50 s per command. So, within one configuration of the provider, once
 * more than DIRECT_READS items of the same kind were asked for (servers, in any farm of the service), the kind is read
 * ahead: the first diff that asks for an item of a collection (a farm's servers) lists that collection and reads
 * every item not read yet side by side, at most MAX_IN_FLIGHT at a time; each diff then waits for its own item only
 * (started at once when it is still queued). A stack that manages a few objects of a kind reads them one by one, as
 * before; a large one reads each object once, plus one listing per collection it touches. Collections the stack
 * never asks about (another stack's farms on a shared load balancer) are never read.
 *
 * Drift is never hidden:
 * - what is read ahead belongs to one configuration: the dynamic-provider host configures a provider once per process,
 *   and runs one process per command (a preview, an update, a refresh), so it was read during this command, after the
 *   last one's writes;
 * - an item read ahead answers one read at most, then is forgotten: a second diff of the same object (the engine's
 *   replace fan-out) or the update's own GET before its PUT goes to the API;
 * - an item the listing did not have, or whose read failed other than with a 404, is read directly.
 */
import type { ApiClient, Query } from "./client";
import * as errors from "./errors";
import { processShared } from "../processShared";

/** Read-ahead GETs in flight at once, per host process. */
export const MAX_IN_FLIGHT = 32;
/** Items of a kind read one by one before the rest is read ahead. */
export const DIRECT_READS = 3;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Item {
  /** Starts the GET now if it is still queued; the outcome either way. */
  take(): Promise<Outcome>;
}

/** What one configuration knows of one kind of item. */
interface Kind {
  /** Items read directly (never read again by a read-ahead). */
  direct: Set<string>;
  /** Collection -> its items' reads, by path (a rejected promise when the listing failed). */
  collections: Map<string, Promise<Map<string, Item>>>;
}

/** Item paths end with a numeric id: `/ipLoadbalancing/lb/http/farm/12/server/34`. */
const ITEM = /^(.*)\/(\d+)$/;

/** An item's collection, and its kind: the collection with every id as `*` (`/ipLoadbalancing/lb/http/farm/*\/server`). */
export function kindOf(itemPath: string): { collection: string; kind: string } | undefined {
  const m = ITEM.exec(itemPath);
  if (!m) return undefined;
  return { collection: m[1], kind: m[1].replace(/\/\d+(?=\/|$)/g, "/*") };
}

/** FIFO of GETs with at most MAX_IN_FLIGHT running; taking a queued GET starts it at once (a diff is waiting). */
class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  schedule(get: () => Promise<unknown>): Item {
    let started: Promise<Outcome> | undefined;
    const start = (): Promise<Outcome> =>
      (started ??= (async () => {
        this.running++;
        try {
          return { ok: true as const, value: await get() };
        } catch (error) {
          return { ok: false as const, error };
        } finally {
          this.running--;
          this.next();
        }
      })());
    this.queue.push(() => void start()); // a no-op when it was taken first
    this.next();
    return { take: start };
  }

  private next(): void {
    while (this.running < MAX_IN_FLIGHT && this.queue.length > 0) this.queue.shift()!();
  }
}

const limiter = () => processShared("ReadAheadLimiter", () => new Limiter());
/** Kinds by configuration (the object the host's configure() gave): a new command starts with none. */
const configurations = () => processShared("ReadAheadKinds", () => new WeakMap<object, Map<string, Kind>>());

/** Lists a collection, then queues a GET of each item not in `skip`; resolves once the listing is in. */
async function readAhead(api: ApiClient, collection: string, skip: Set<string>): Promise<Map<string, Item>> {
  const ids = await api.get<number[]>(collection);
  const items = new Map<string, Item>();
  for (const path of ids.map((id) => `${collection}/${id}`)) if (!skip.has(path)) items.set(path, limiter().schedule(() => api.get(path)));
  return items;
}

async function fromReadAhead(api: ApiClient, configuration: object, key: string, path: string): Promise<unknown> {
  const where = kindOf(path);
  if (!where) return api.get(path);
  const kinds = configurations().get(configuration) ?? new Map<string, Kind>();
  configurations().set(configuration, kinds);
  const kindKey = `${key}|${where.kind}`;
  const kind = kinds.get(kindKey) ?? { direct: new Set<string>(), collections: new Map() };
  kinds.set(kindKey, kind);
  if (kind.direct.size < DIRECT_READS) {
    kind.direct.add(path);
    return api.get(path);
  }
  let reading = kind.collections.get(where.collection);
  if (!reading) {
    reading = readAhead(api, where.collection, new Set(kind.direct));
    kind.collections.set(where.collection, reading);
  }
  const items = await reading.catch(() => undefined);
  const item = items?.get(path);
  if (!item) return api.get(path);
  items!.delete(path); // answers one read only
  const outcome = await item.take();
  if (outcome.ok) return outcome.value;
  if (errors.isNotFound(outcome.error)) throw outcome.error;
  return api.get(path);
}

/**
 * The client a diff reads with: GETs of an item (a path ending with an id, no query) come from the read-ahead of
 * its kind, in `configuration` (what the host's configure() gave the provider; without one, every read is direct);
 * everything else goes to `api`. `key` names the API endpoint.
 */
export function diffReader(api: ApiClient, configuration: object | undefined, key: string): ApiClient {
  if (!configuration) return api;
  return {
    ...api,
    get: <T>(path: string, query?: Query) => (query ? api.get<T>(path, query) : (fromReadAhead(api, configuration, key, path) as Promise<T>)),
  };
}

/**
 * POST a new object without ever sending it twice blindly. The client retries a POST only on 429 (not processed);
 * after any other ambiguous failure (5xx, network, timeout) the object may exist, or may still be created by a request
 * the API is slow to process. We list the collection before the POST; after such a failure we watch it for a while
 * (`settleMs`) for a new object matching what we sent: found, it is ours; none, the POST is sent once more.
 */
import type { ApiClient, Query } from "../api/client";
import * as errors from "../api/errors";

export interface CreateOnce<T> {
  collection: string;
  /** List filter narrowing the search (e.g. `{address}` for servers). */
  query?: Query;
  body: Record<string, unknown>;
  /** Reads one object of the collection by id. */
  get(id: number): Promise<T>;
  /** True when `object` is the one our POST would have made. */
  matches(object: T): boolean;
}

function ambiguous(e: unknown): boolean {
  return errors.isRetryable(e) && (e as errors.OvhApiError).status !== 429;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A new object of the collection that matches what we sent, watched for up to `settleMs`. */
async function findCreated<T>(api: ApiClient, spec: CreateOnce<T>, before: Set<number>, settleMs: number): Promise<T | undefined> {
  const deadline = Date.now() + settleMs;
  const seen = new Set(before);
  for (;;) {
    const fresh = (await api.get<number[]>(spec.collection, spec.query)).filter((id) => !seen.has(id));
    for (const id of fresh) {
      seen.add(id);
      const object = await spec.get(id);
      if (spec.matches(object)) return object;
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
}

export async function createOnce<T>(api: ApiClient, spec: CreateOnce<T>, settleMs: number, attempts = 3): Promise<T> {
  const before = new Set(await api.get<number[]>(spec.collection, spec.query));
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<T>(spec.collection, spec.body);
    } catch (e) {
      if (!ambiguous(e)) throw e;
      const created = await findCreated(api, spec, before, settleMs);
      if (created) return created;
      if (attempt >= attempts) throw e;
    }
  }
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

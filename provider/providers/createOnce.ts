/**
 * POST a new object without ever sending it twice blindly. The client retries a POST only on 429 (not processed);
 * after any other ambiguous failure (5xx, network, timeout) the object may exist. We list the collection before the
 * POST, and after such a failure look for a new object matching what we sent: found, it is ours; not found, the POST
 * is sent once more.
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

export async function createOnce<T>(api: ApiClient, spec: CreateOnce<T>, attempts = 3): Promise<T> {
  const before = new Set(await api.get<number[]>(spec.collection, spec.query));
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<T>(spec.collection, spec.body);
    } catch (e) {
      if (!ambiguous(e) || attempt >= attempts) throw e;
      const fresh = (await api.get<number[]>(spec.collection, spec.query)).filter((id) => !before.has(id));
      for (const id of fresh) {
        const object = await spec.get(id);
        if (spec.matches(object)) return object;
      }
    }
  }
}

/** True when every field of `sent` has the same value in `object` (nested objects compared as JSON). */
export function carries(object: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  return Object.entries(sent).every(([k, v]) => JSON.stringify(object[k] ?? null) === JSON.stringify(v ?? null));
}

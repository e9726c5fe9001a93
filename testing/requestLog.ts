/**
 * Queries on the emulator's request log (`emulator.requests`: every API request in the order it arrived, with its
 * method, path, query, body and status). A position in the log (`mark()`) lets a test look at what one step sent:
 * `writes(before)` after an `up` is exactly the writes that `up` made. Requests of the emulator's own control surface
 * (`/_emulator/...`) are never logged.
 */
import { isRefresh, isWrite, type RequestLogEntry } from "../emulator";

export type { RequestLogEntry };

/** The log's entries from position `since` (default 0: all of them), in order. */
export function requestsSince(log: readonly RequestLogEntry[], since = 0): RequestLogEntry[] {
  return log.slice(since);
}

/** POST, PUT and DELETE requests from `since`, refused ones included (check `status`). */
export function writesSince(log: readonly RequestLogEntry[], since = 0): RequestLogEntry[] {
  return log.slice(since).filter(isWrite);
}

/** `POST /ipLoadbalancing/{serviceName}/refresh` requests from `since`, refused ones (409) included. */
export function refreshesSince(log: readonly RequestLogEntry[], since = 0): RequestLogEntry[] {
  return log.slice(since).filter(isRefresh);
}

/**
 * Entries as `METHOD path` lines (`PUT /ipLoadbalancing/lb-1/http/farm/12/server/13`), the form a test compares
 * with a list; the `ovh` client's clock sync (`GET /auth/time`, once per client) is left out.
 */
export function callsOf(entries: readonly RequestLogEntry[]): string[] {
  return entries.filter((e) => e.path !== "/auth/time").map((e) => `${e.method} ${e.path}`);
}

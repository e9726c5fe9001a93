/**
 * The write window of one dynamic-provider host process: the writes the engine runs side by side on one service (the
 * servers of a farm, independent farms, the deletions at the end of an `up`) go live together, with one refresh per
 * zone (makeLive.ts) instead of one per write.
 *
 * Each write (a create, update or delete of a resource) begins on its service, writes, then joins the window with the
 * zones it touched and waits until they are live. The window closes once every write that began has joined (or was
 * released) and nothing new began for `quietMs`; closing it makes the joined zones live (makeLive.ts), and every
 * joined write then returns, or fails with the same error.
 *
 * The benchmark's naive provider (`refreshEachWrite`, config.ts) skips the window: each write refreshes alone.
 *
 * The windows live on `globalThis`: each serialized provider (farms, servers, ...) carries its own copy of this
 * module, but they all run in one host process and must share the windows.
 */
import type { ApiClient } from "../api/client";
import * as config from "../config";
import { processShared } from "../processShared";
import { makeLive } from "./makeLive";
import type * as tasks from "./tasks";

export interface WindowOptions {
  /** How long nothing new must begin before the window closes. */
  quietMs: number;
  /** Upper bound on how long a joined write waits for others still writing. */
  maxWaitMs: number;
  poll: tasks.PollOptions;
  /**
   * Each write refreshes its own zones, forced, after the refreshes before it, and shares nothing: the naive provider
   * of the benchmark. Unset: the host's `OVH_IPLB_REFRESH_EACH_WRITE` (config.ts `refreshEachWrite`).
   */
  refreshEachWrite?: boolean;
}

export const DEFAULT_WINDOW: Omit<WindowOptions, "poll"> = { quietMs: 150, maxWaitMs: 5000 };

interface Waiter {
  zones: string[];
  /** Refresh `zones` even when pendingChanges lists nothing there (see Write.goLive). */
  force: boolean;
  resolve(): void;
  reject(e: unknown): void;
}

interface Window {
  active: number;
  joined: number;
  waiters: Waiter[];
  firstJoin: number;
  /** When the last write began: the quiet time counts from there (a join says nothing of writes to come). */
  lastBegin: number;
  timer?: NodeJS.Timeout;
  running: Promise<void>;
  api?: ApiClient;
  options?: WindowOptions;
}

const windows = () => processShared("WriteWindows", () => new Map<string, Window>());

function windowFor(key: string): Window {
  let q = windows().get(key);
  if (!q) {
    q = { active: 0, joined: 0, waiters: [], firstJoin: 0, lastBegin: 0, running: Promise.resolve() };
    windows().set(key, q);
  }
  return q;
}

/** One write on a service; `goLive` or `release` must be called exactly once. */
export interface Write {
  /**
   * Waits until `zones` (zone names or `all`) are live. `force` refreshes them even when `pendingChanges` lists nothing
   * there: routing a failover IP to the service is not a staged change, yet only a refresh makes the load balancer use
   * it (OVH guide "Routing an Additional IP").
   */
  goLive(api: ApiClient, zones: string[], options: WindowOptions, force?: boolean): Promise<void>;
  /** The write has nothing to make live (it failed, or a `Refresh` batch will): stop holding the window for it. */
  release(): void;
}

/** `key` identifies the API and the service (e.g. `endpoint|serviceName`); `serviceName` is what the API calls it. */
export function beginWrite(key: string, serviceName: string): Write {
  const q = windowFor(key);
  q.active++;
  q.lastBegin = Date.now();
  let settled = false;
  const settle = () => {
    if (settled) return false;
    settled = true;
    return true;
  };
  return {
    goLive: (api, zones, options, force = false) =>
      new Promise<void>((resolve, reject) => {
        if (!settle()) return resolve();
        if (options.refreshEachWrite ?? config.refreshEachWrite()) return alone(q, api, serviceName, zones, options).then(resolve, reject);
        q.joined++;
        q.api = api;
        q.options = options;
        if (q.waiters.length === 0) q.firstJoin = Date.now();
        q.waiters.push({ zones, force, resolve, reject });
        schedule(q, serviceName);
      }),
    release: () => {
      if (!settle()) return;
      q.active--;
      schedule(q, serviceName);
    },
  };
}

/**
 * The naive provider's write: it leaves the window (so the others need not wait for it) and refreshes its zones even
 * when another refresh already applied its change, after whatever this service is making live already (a refresh of
 * a zone that is running refuses another, so they would queue on the API anyway).
 */
function alone(q: Window, api: ApiClient, serviceName: string, zones: string[], options: WindowOptions): Promise<void> {
  q.active--;
  schedule(q, serviceName);
  const mine = q.running.then(() => makeLive(api, serviceName, zones, options.poll, zones));
  q.running = mine.catch(() => undefined);
  return mine;
}

/**
 * Closes once every write that began has joined and none began for `quietMs` (counted from the last begin, so a
 * write that took longer than that closes it as it joins), or once the first joined `maxWaitMs` ago.
 */
function schedule(q: Window, serviceName: string): void {
  if (q.waiters.length === 0 || !q.options) return;
  if (q.timer) clearTimeout(q.timer);
  q.timer = undefined;
  const opts = q.options;
  const now = Date.now();
  const allJoined = q.joined >= q.active;
  const quietFor = now - q.lastBegin;
  const waited = now - q.firstJoin;
  if ((allJoined && quietFor >= opts.quietMs) || waited >= opts.maxWaitMs) return closeWindow(q, serviceName);
  const delay = allJoined ? opts.quietMs - quietFor : Math.min(opts.quietMs * 4, opts.maxWaitMs - waited);
  q.timer = setTimeout(() => {
    q.timer = undefined;
    schedule(q, serviceName);
  }, delay);
}

function closeWindow(q: Window, serviceName: string): void {
  const joined = q.waiters;
  const api = q.api as ApiClient;
  const options = q.options as WindowOptions;
  q.waiters = [];
  q.active -= joined.length;
  q.joined -= joined.length;
  const zones = [...new Set(joined.flatMap((w) => w.zones))];
  const forced = [...new Set(joined.filter((w) => w.force).flatMap((w) => w.zones))];
  q.running = q.running.then(() =>
    makeLive(api, serviceName, zones, options.poll, forced).then(
      () => joined.forEach((w) => w.resolve()),
      (e) => joined.forEach((w) => w.reject(e)),
    ),
  );
}


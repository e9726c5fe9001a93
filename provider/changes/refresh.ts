/**
 * Making staged changes live (ovh-iplb-api.md section 10), with as few refreshes as possible: every refresh
 * re-balances connections and drops sticky sessions.
 *
 * Each write operation (create, update, delete) of a resource begins an operation on its service, writes, then joins
 * the service's next batch with the zones it touched and waits until they are live. A batch flushes once every
 * operation that began has joined (or ended) and nothing new began for `quietMs`, so the operations the engine runs
 * side by side (the servers of a farm, independent farms, the deletions at the end of an `up`) share one refresh per
 * zone. Flushing a batch: read the refreshes running and `pendingChanges` side by side, wait for refreshes already
 * running on those zones (then read `pendingChanges` again), post one refresh per zone that has pending changes (one
 * refresh without a zone when every zone of the service has some), and poll the tasks, failing at the first one that
 * ends in `error`.
 *
 * The queues live on `globalThis`: each serialized provider (farms, servers, ...) carries its own copy of this module,
 * but they all run in one dynamic-provider host process and must share the batches.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import { processShared } from "../processShared";
import * as paths from "../api/paths";
import type { PendingChanges, Task } from "../api/wire";
import * as tasks from "./tasks";

export interface FlushOptions {
  /** How long nothing new must begin before a batch flushes. */
  quietMs: number;
  /** Upper bound on how long a joined operation waits for others still writing. */
  maxWaitMs: number;
  poll: tasks.PollOptions;
}

export const DEFAULT_FLUSH: Omit<FlushOptions, "poll"> = { quietMs: 150, maxWaitMs: 5000 };

interface Waiter {
  zones: string[];
  /** Refresh `zones` even when pendingChanges lists nothing there (see Operation.apply). */
  force: boolean;
  resolve(): void;
  reject(e: unknown): void;
}

interface Queue {
  active: number;
  joined: number;
  waiters: Waiter[];
  firstJoin: number;
  /** When the last operation began: the quiet window counts from there (a join says nothing of operations to come). */
  lastBegin: number;
  timer?: NodeJS.Timeout;
  running: Promise<void>;
  api?: ApiClient;
  options?: FlushOptions;
}

const queues = () => processShared("RefreshQueues", () => new Map<string, Queue>());

function queueFor(key: string): Queue {
  let q = queues().get(key);
  if (!q) {
    q = { active: 0, joined: 0, waiters: [], firstJoin: 0, lastBegin: 0, running: Promise.resolve() };
    queues().set(key, q);
  }
  return q;
}

/** One write operation on a service; `apply` or `end` must be called exactly once. */
export interface Operation {
  /**
   * Waits until `zones` (zone names or `all`) are live. `force` refreshes them even when `pendingChanges` lists nothing
   * there: routing a failover IP to the service is not a staged change, yet only a refresh makes the load balancer use
   * it (OVH guide "Routing an Additional IP").
   */
  apply(api: ApiClient, zones: string[], options: FlushOptions, force?: boolean): Promise<void>;
  /** The operation wrote nothing to apply (or failed): stop holding the batch for it. */
  end(): void;
}

/** `key` identifies the API and the service (e.g. `endpoint|serviceName`); `serviceName` is what the API calls it. */
export function begin(key: string, serviceName: string): Operation {
  const q = queueFor(key);
  q.active++;
  q.lastBegin = Date.now();
  let settled = false;
  const settle = () => {
    if (settled) return false;
    settled = true;
    return true;
  };
  return {
    apply: (api, zones, options, force = false) =>
      new Promise<void>((resolve, reject) => {
        if (!settle()) return resolve();
        q.joined++;
        q.api = api;
        q.options = options;
        if (q.waiters.length === 0) q.firstJoin = Date.now();
        q.waiters.push({ zones, force, resolve, reject });
        schedule(q, serviceName);
      }),
    end: () => {
      if (!settle()) return;
      q.active--;
      schedule(q, serviceName);
    },
  };
}

/**
 * Flushes once every operation that began has joined and none began for `quietMs` (counted from the last begin, so an
 * operation whose write took longer than that flushes as it joins), or once the first joined `maxWaitMs` ago.
 */
function schedule(q: Queue, serviceName: string): void {
  if (q.waiters.length === 0 || !q.options) return;
  if (q.timer) clearTimeout(q.timer);
  q.timer = undefined;
  const opts = q.options;
  const now = Date.now();
  const allJoined = q.joined >= q.active;
  const quietFor = now - q.lastBegin;
  const waited = now - q.firstJoin;
  if ((allJoined && quietFor >= opts.quietMs) || waited >= opts.maxWaitMs) return flush(q, serviceName);
  const delay = allJoined ? opts.quietMs - quietFor : Math.min(opts.quietMs * 4, opts.maxWaitMs - waited);
  q.timer = setTimeout(() => {
    q.timer = undefined;
    schedule(q, serviceName);
  }, delay);
}

function flush(q: Queue, serviceName: string): void {
  const batch = q.waiters;
  const api = q.api as ApiClient;
  const options = q.options as FlushOptions;
  q.waiters = [];
  q.active -= batch.length;
  q.joined -= batch.length;
  const zones = [...new Set(batch.flatMap((w) => w.zones))];
  const forced = [...new Set(batch.filter((w) => w.force).flatMap((w) => w.zones))];
  q.running = q.running.then(() =>
    makeLive(api, serviceName, zones, options.poll, forced).then(
      () => batch.forEach((w) => w.resolve()),
      (e) => batch.forEach((w) => w.reject(e)),
    ),
  );
}

/**
 * Applies every pending change of `zones` (names, or `all` for every zone of the service) and resolves once they
 * run. Posts nothing when nothing is pending, except in the `forced` zones, which are refreshed anyway.
 *
 * What it needs to know is read side by side: the refreshes running, the pending changes and (when more than one
 * zone may be refreshed) the service's zones. Only when a refresh is running on one of our zones do we wait for it and
 * read the pending changes again, since it may have applied ours.
 */
export async function makeLive(api: ApiClient, serviceName: string, zones: string[], poll: tasks.PollOptions, forced: string[] = []): Promise<void> {
  const requested = [...zones, ...forced];
  const severalZones = requested.includes("all") || new Set(requested).size > 1;
  const [serviceZones, running, firstPending] = await Promise.all([
    severalZones ? api.get<string[]>(paths.zones(serviceName)) : Promise.resolve<string[]>([]),
    runningRefreshes(api, serviceName),
    api.get<PendingChanges[]>(paths.pendingChanges(serviceName)),
  ]);
  const expand = (list: string[]) => list.flatMap((z) => (z === "all" ? serviceZones : [z]));
  const wanted = new Set(expand(requested));
  let pending = firstPending;
  const blocking = onZones(running, wanted);
  if (blocking.length > 0) {
    await waitFor(api, serviceName, blocking, poll);
    pending = await api.get<PendingChanges[]>(paths.pendingChanges(serviceName));
  }
  const withChanges = pending.filter((p) => p.number > 0 && wanted.has(p.zone)).map((p) => p.zone);
  const toApply = [...new Set([...withChanges, ...expand(forced)])];
  if (toApply.length === 0) return;
  // Several zones come only from a request for several zones (or `all`), so `serviceZones` is known then.
  const bodies = toApply.length > 1 && serviceZones.every((z) => toApply.includes(z)) ? [undefined] : toApply.map((zone) => ({ zone }));
  const started = await Promise.all(bodies.map((body) => postRefresh(api, serviceName, body, new Set(body ? [body.zone] : serviceZones), poll)));
  await Promise.all(started.map((task) => tasks.waitForIplbTask(api, serviceName, task.id, poll)));
}

/** Refresh tasks still `todo` or `doing`, on any zone. */
async function runningRefreshes(api: ApiClient, serviceName: string): Promise<Task[]> {
  const ids = (
    await Promise.all(
      ["todo", "doing"].map((status) => api.get<number[]>(paths.tasks(serviceName), { action: "refreshIplb", status })),
    )
  ).flat();
  const found = await Promise.all([...new Set(ids)].map((id) => api.get<Task>(paths.task(serviceName, id))));
  return found.filter((t) => tasks.iplbTaskState(t) === "running");
}

const onZones = (list: Task[], zones: Set<string>) => list.filter((t) => (t.zones ?? []).some((z) => zones.has(z)));

/** Someone else's refresh (another stack, the console) must end before ours can start; its failure is not ours. */
async function waitFor(api: ApiClient, serviceName: string, running: Task[], poll: tasks.PollOptions): Promise<void> {
  for (const task of running) {
    await tasks.waitForIplbTask(api, serviceName, task.id, poll).catch((e) => {
      if ((e as Error).name !== "TaskFailedError") throw e;
    });
  }
}

/**
 * POST refresh, safely: a 409 means a refresh started meanwhile (wait for it, then try again); after an ambiguous
 * failure (5xx, network) the refresh may have been created, so look for it before posting again. `zones`: the zones
 * the refresh covers.
 */
async function postRefresh(api: ApiClient, serviceName: string, body: { zone: string } | undefined, zones: Set<string>, poll: tasks.PollOptions): Promise<Task> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<Task>(paths.refresh(serviceName), body);
    } catch (e) {
      if (attempt >= 5) throw e;
      const conflict = (e as errors.OvhApiError).status === 409;
      if (!conflict && !errors.isRetryable(e)) throw e;
      const running = onZones(await runningRefreshes(api, serviceName), zones);
      if (running.length > 0 && !conflict) return running[0];
      for (const task of running) await tasks.waitForIplbTask(api, serviceName, task.id, poll).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

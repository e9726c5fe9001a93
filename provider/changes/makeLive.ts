/**
 * Making staged changes live: the only code that posts OVH's `POST /ipLoadbalancing/{serviceName}/refresh`
 * (ovh-iplb-api.md section 10). Every refresh re-balances connections and drops sticky sessions, so this posts one per
 * zone that has pending changes, and none when nothing is pending.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { PendingChanges, Task } from "../api/wire";
import { ALL_ZONES, touchedZones, zonesToRefresh } from "../models/zones";
import * as tasks from "./tasks";

/**
 * Applies every pending change of `zones` (names, or `all` for every zone of the service) and resolves once they
 * run. Posts nothing when nothing is pending, except in the `forced` zones, which are refreshed anyway.
 *
 * What it needs to know is read side by side: the refreshes running, the pending changes and (when more than one
 * zone may be refreshed) the service's zones. Only when a refresh is running on one of our zones do we wait for it and
 * read the pending changes again, since it may have applied ours.
 */
export async function makeLive(api: ApiClient, serviceName: string, zones: string[], options: tasks.PollOptions, forced: string[] = []): Promise<void> {
  // One budget for the whole operation: waiting for someone else's refreshes, posting ours, waiting for it.
  const poll = { ...options, deadline: Math.min(options.deadline ?? Infinity, Date.now() + options.timeoutMs) };
  const requested = [...zones, ...forced];
  const severalZones = requested.includes(ALL_ZONES) || new Set(requested).size > 1;
  const [serviceZones, running, firstPending] = await Promise.all([
    severalZones ? api.get<string[]>(paths.zones(serviceName)) : Promise.resolve<string[]>([]),
    runningRefreshes(api, serviceName),
    api.get<PendingChanges[]>(paths.pendingChanges(serviceName)),
  ]);
  const expand = (list: string[]) => list.flatMap((z) => touchedZones(z, serviceZones));
  const wanted = new Set(expand(requested));
  let pending = firstPending;
  const blocking = onZones(running, wanted);
  if (blocking.length > 0) {
    await waitFor(api, serviceName, blocking, poll);
    pending = await api.get<PendingChanges[]>(paths.pendingChanges(serviceName));
  }
  const withChanges = zonesToRefresh([...wanted], pending);
  const toApply = [...new Set([...withChanges, ...expand(forced)])];
  if (toApply.length === 0) return;
  // Several zones come only from a request for several zones (or `all`), so `serviceZones` is known then.
  const bodies = toApply.length > 1 && serviceZones.every((z) => toApply.includes(z)) ? [undefined] : toApply.map((zone) => ({ zone }));
  const started = await Promise.all(bodies.map((body) => postRefresh(api, serviceName, body, new Set(body ? [body.zone] : serviceZones), poll)));
  await Promise.all(started.map((task) => tasks.waitForIplbTask(api, serviceName, task.id, poll)));
}

/** Refresh tasks still `todo`, `doing` or `blocked`, on any zone. */
async function runningRefreshes(api: ApiClient, serviceName: string): Promise<Task[]> {
  const ids = (
    await Promise.all(
      ["todo", "doing", "blocked"].map((status) => api.get<number[]>(paths.tasks(serviceName), { action: "refreshIplb", status })),
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
      if (!errors.isTaskFailed(e)) throw e;
    });
  }
}

/**
 * POST refresh, safely: a 409 means a refresh started meanwhile (wait for it, then try again); after an ambiguous
 * failure (5xx, network) the refresh may have been created, so look for it before posting again. `zones`: the zones
 * the refresh covers. Every wait here shares makeLive's budget: a refresh that keeps a zone busy ends it with a timeout
 * naming that refresh, never a bare 409 after several timeouts.
 */
async function postRefresh(api: ApiClient, serviceName: string, body: { zone: string } | undefined, zones: Set<string>, poll: tasks.PollOptions): Promise<Task> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<Task>(paths.refresh(serviceName), body);
    } catch (e) {
      if (attempt >= 5) throw e;
      const conflict = errors.isApiError(e, 409);
      if (!conflict && !errors.isRetryable(e)) throw e;
      const running = onZones(await runningRefreshes(api, serviceName), zones);
      if (running.length > 0 && !conflict) return running[0];
      await waitFor(api, serviceName, running, poll);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

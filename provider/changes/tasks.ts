/**
 * Waiting for OVH tasks: IPLB tasks (refresh, free-certificate orders) and `/ip` tasks (move, park). Polls with
 * backoff, fails at the first poll that shows a failure state, and gives up after a timeout with an error that says
 * the task may still finish on OVH's side.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { IpTask, Task } from "../api/wire";

export interface PollOptions {
  timeoutMs: number;
  /**
   * When every wait of one operation must end (ms since the epoch): several waits share one `timeoutMs` in total
   * (makeLive: someone else's refresh, then ours). Unset: each wait has `timeoutMs` of its own.
   */
  deadline?: number;
  /** Shortest wait between polls (default 100 ms). */
  minIntervalMs?: number;
  /** Longest wait between polls (default 3000 ms). */
  maxIntervalMs?: number;
}

/**
 * The wait before the next poll: an eighth of the time the task has run so far, within the bounds. A task is then
 * seen done at most an eighth of its duration late: about 20 polls for a 3 s refresh and 40 for a 30 s one. (Waits
 * growing by half each time, as before, saw a 3 s refresh done up to 0.6 s late, in 8 polls.)
 */
export function nextPollDelay(elapsedMs: number, options: Pick<PollOptions, "minIntervalMs" | "maxIntervalMs">): number {
  const min = options.minIntervalMs ?? 100;
  const max = Math.max(min, options.maxIntervalMs ?? 3000);
  return Math.min(max, Math.max(min, Math.round(elapsedMs / 8)));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `read` until `state` says the task ended; returns the final task or throws the error `fail` builds. */
async function poll<T>(
  read: () => Promise<T>,
  state: (task: T) => "running" | "done" | "failed",
  fail: (task: T) => Error,
  timeout: (task: T) => Error,
  options: PollOptions,
): Promise<T> {
  const started = Date.now();
  const deadline = Math.min(started + options.timeoutMs, options.deadline ?? Infinity);
  for (;;) {
    const task = await read();
    const s = state(task);
    if (s === "done") return task;
    if (s === "failed") throw fail(task);
    const interval = nextPollDelay(Date.now() - started, options);
    if (Date.now() + interval > deadline) throw timeout(task);
    await sleep(interval);
  }
}

/**
 * IPLB task states (`ipLoadbalancing.TaskStatusEnum`): `done` succeeds; `error` and `cancelled` fail; `todo`, `doing`
 * and `blocked` (OVH holds the task; it resumes) are still running, as terraform-provider-ovh waits for them too.
 */
export function iplbTaskState(task: Task): "running" | "done" | "failed" {
  if (task.status === "done") return "done";
  if (task.status === "todo" || task.status === "doing" || task.status === "blocked") return "running";
  return "failed";
}

export function waitForIplbTask(api: ApiClient, serviceName: string, taskId: number, options: PollOptions): Promise<Task> {
  return poll(
    () => api.get<Task>(paths.task(serviceName, taskId)),
    iplbTaskState,
    (t) => new errors.TaskFailedError({ taskId: t.id, action: t.action, status: t.status, zones: t.zones ?? [], serviceName }),
    (t) => new errors.TaskTimeoutError({ taskId: t.id, action: t.action, serviceName, lastStatus: t.status, timeoutMs: options.timeoutMs }),
    options,
  );
}

/** `/ip` task states (ovh-iplb-api.md 7.1): `done` succeeds; `cancelled`, `customerError`, `ovhError` fail. */
export function ipTaskState(task: IpTask): "running" | "done" | "failed" {
  if (task.status === "done") return "done";
  if (task.status === "init" || task.status === "todo" || task.status === "doing") return "running";
  return "failed";
}

export function waitForIpTask(api: ApiClient, ipBlock: string, taskId: number, options: PollOptions): Promise<IpTask> {
  return poll(
    () => api.get<IpTask>(paths.ipTask(ipBlock, taskId)),
    ipTaskState,
    (t) => new errors.TaskFailedError({ taskId: t.taskId, action: t.function, status: t.status, zones: [], serviceName: ipBlock, comment: t.comment }),
    (t) => new errors.TaskTimeoutError({ taskId: t.taskId, action: t.function, serviceName: ipBlock, lastStatus: t.status, timeoutMs: options.timeoutMs }),
    options,
  );
}

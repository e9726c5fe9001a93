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
  /** First wait between polls; grows by half each time up to `maxIntervalMs`. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
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
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.minIntervalMs ?? 100;
  for (;;) {
    const task = await read();
    const s = state(task);
    if (s === "done") return task;
    if (s === "failed") throw fail(task);
    if (Date.now() + interval > deadline) throw timeout(task);
    await sleep(interval);
    interval = Math.min(options.maxIntervalMs ?? 3000, Math.round(interval * 1.5));
  }
}

/** IPLB task states (`ipLoadbalancing.TaskStatusEnum`): `done` succeeds; `error`, `cancelled` and `blocked` fail. */
export function iplbTaskState(task: Task): "running" | "done" | "failed" {
  if (task.status === "done") return "done";
  if (task.status === "todo" || task.status === "doing") return "running";
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

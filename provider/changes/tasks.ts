/**
 * Waiting for OVH tasks: IPLB tasks (refresh, free-certificate orders) and `/ip` tasks (move, park). Polls with
 * backoff, fails at the first poll that shows a failure state, and gives up after a timeout with an error that says
 * the task may still finish on OVH's side.
 */
import type { ApiClient } from "../api/client";
import { POLL_DEFAULTS, pollTimeScale } from "../config";
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
  /** Shortest wait between polls, and the first (default 250 ms, config.ts POLL_DEFAULTS). */
  minIntervalMs?: number;
  /** Longest wait between polls (default 10 s). */
  maxIntervalMs?: number;
}

type Bounds = Pick<PollOptions, "minIntervalMs" | "maxIntervalMs">;

/**
 * The wait before the next poll: as long as the task has run so far (the polls' times double), within the bounds.
 * Calls per task then grow with the logarithm of its duration, then by one per `maxIntervalMs`: 9 GETs for a 30 s
 * refresh (config.ts has the table), where an eighth of the time elapsed made 30. OVH's tasks take tens of seconds,
 * and every GET counts against the API's rate limit, shared with every other call of the deployment.
 */
export function nextPollDelay(elapsedMs: number, options: Bounds): number {
  const min = options.minIntervalMs ?? POLL_DEFAULTS.minIntervalMs;
  const max = Math.max(min, options.maxIntervalMs ?? POLL_DEFAULTS.maxIntervalMs);
  return Math.min(max, Math.max(min, Math.round(elapsedMs)));
}

/** How many polls see a task of `durationMs` done, the first `nextPollDelay(0)` after it was posted (reads taking no time). */
export function pollsUntil(durationMs: number, options: Bounds = {}): number {
  let t = 0;
  let polls = 0;
  do {
    t += nextPollDelay(t, options);
    polls++;
  } while (t < durationMs);
  return polls;
}

/** The bounds of one wait: the defaults scaled by `OVH_IPLB_POLL_TIME_SCALE` (config.ts) unless given. */
function boundsOf(options: Bounds): Bounds {
  const scale = pollTimeScale();
  return {
    minIntervalMs: options.minIntervalMs ?? POLL_DEFAULTS.minIntervalMs * scale,
    maxIntervalMs: options.maxIntervalMs ?? POLL_DEFAULTS.maxIntervalMs * scale,
  };
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
  const bounds = boundsOf(options);
  for (;;) {
    // Wait first: a task just posted, or just listed as running, is not done at once. The last poll is at the deadline.
    await sleep(Math.max(0, Math.min(nextPollDelay(Date.now() - started, bounds), deadline - Date.now())));
    const task = await read();
    const s = state(task);
    if (s === "done") return task;
    if (s === "failed") throw fail(task);
    if (Date.now() >= deadline) throw timeout(task);
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

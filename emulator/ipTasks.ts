/**
 * The life of an `ip.IpTask` (ovh-iplb-api.md 7.1): created `todo`, `doing` shortly after, then `done` (the effect is
 * applied at that moment), `ovhError` with a comment (`Faults.ipTaskOutcome = "error"`, nothing applied), or stuck in
 * `doing` (`"never"`). `lastUpdate` follows every transition. IPLB tasks (handlers/tasks.ts) keep the same schedule
 * (`scheduleTask`).
 */
import type { TaskOutcome } from "./faults";
import type { Runtime } from "./runtime";
import { IpRecord, IpTask, isoNow, withoutPayload } from "./store";
import { scheduleTask } from "./timeline";

export const IP_TASK_FUNCTIONS = ["arinBlockReassign", "changeRipeOrg", "checkAndReleaseIp", "genericMoveFloatingIp", "supernetByoipFailoverPartitioning"] as const;
export const IP_TASK_STATUSES = ["cancelled", "customerError", "doing", "done", "init", "ovhError", "todo"] as const;

export function isRunning(task: IpTask): boolean {
  return task.status === "init" || task.status === "todo" || task.status === "doing";
}

/** The task as the API serves it. */
export const publicIpTask = (task: IpTask): Omit<IpTask, "payload"> => withoutPayload(task);

export interface IpTaskSpec {
  function: (typeof IP_TASK_FUNCTIONS)[number];
  destination: string | null;
  durationMs: number;
  /** Read when the task starts (timeline.ts, `scheduleTask`). */
  outcome: () => TaskOutcome;
  /** Applied when the task ends in `done`. */
  finish: () => void;
  /** The `comment` of a task that fails (`ovhError`). */
  failure: string;
}

export function runIpTask(rt: Runtime, record: IpRecord, spec: IpTaskSpec): IpTask {
  const now = isoNow();
  const task: IpTask = {
    taskId: rt.store.nextId(),
    function: spec.function,
    status: "todo",
    startDate: now,
    doneDate: null,
    lastUpdate: now,
    comment: null,
    destination: spec.destination === null ? null : { serviceName: spec.destination },
  };
  rt.store.addIpTask(record, task);
  scheduleTask(rt.timeline, spec.durationMs, spec.outcome, {
    doing: () => rt.store.updateTask(task, { status: "doing", lastUpdate: isoNow() }),
    end: (outcome) => {
      const end = isoNow();
      if (outcome === "done") spec.finish();
      const result: Partial<IpTask> = outcome === "done" ? { status: "done" } : { status: "ovhError", comment: spec.failure };
      rt.store.updateTask(task, { ...result, doneDate: end, lastUpdate: end });
    },
  });
  return task;
}

/**
 * The life of an `ip.IpTask` (ovh-iplb-api.md 7.1): created `todo`, `doing` shortly after, then `done` (the effect is
 * applied at that moment), `ovhError` with a comment (`Faults.ipTaskOutcome = "error"`, nothing applied), or stuck in
 * `doing` (`"never"`). `lastUpdate` follows every transition. The same timeline drives IPLB tasks (handlers/tasks.ts).
 */
import type { TaskOutcome } from "./faults";
import type { Runtime } from "./runtime";
import { IpRecord, IpTask, isoNow } from "./store";

export const IP_TASK_FUNCTIONS = ["arinBlockReassign", "changeRipeOrg", "checkAndReleaseIp", "genericMoveFloatingIp", "supernetByoipFailoverPartitioning"] as const;
export const IP_TASK_STATUSES = ["cancelled", "customerError", "doing", "done", "init", "ovhError", "todo"] as const;

export function isRunning(task: IpTask): boolean {
  return task.status === "init" || task.status === "todo" || task.status === "doing";
}

export function publicIpTask(task: IpTask): Omit<IpTask, "payload"> {
  const { payload, ...rest } = task;
  void payload;
  return rest;
}

export interface IpTaskSpec {
  function: (typeof IP_TASK_FUNCTIONS)[number];
  destination: string | null;
  durationMs: number;
  outcome: TaskOutcome;
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
  rt.timeline.after(Math.min(50, spec.durationMs / 5), () => {
    task.status = "doing";
    task.lastUpdate = isoNow();
    rt.store.changed();
  });
  if (spec.outcome === "never") return task;
  rt.timeline.after(spec.durationMs, () => {
    const end = isoNow();
    if (spec.outcome === "done") {
      spec.finish();
      task.status = "done";
    } else {
      task.status = "ovhError";
      task.comment = spec.failure;
    }
    task.doneDate = end;
    task.lastUpdate = end;
    rt.store.changed();
  });
  return task;
}

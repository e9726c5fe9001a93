/**
 * `POST .../refresh` and the task views. A refresh task goes todo -> doing -> done over `refreshSeconds`; the
 * configuration it applies is the staged one captured when it starts `doing`, so writes made during a refresh stay
 * pending for the next one.
 *
 * A second refresh on a zone whose refresh is still `todo`/`doing` answers 409 Client::Conflict (the reference lists
 * 409 for "another task already in progress"; terraform waits for running refresh tasks before posting, which is
 * consistent with the API refusing overlap). Refreshes of different zones run side by side.
 */
import { badRequest, conflict } from "../errors";
import type { TaskOutcome } from "../faults";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { Config, IplbTask, isoNow, ServiceState, withoutPayload } from "../store";
import { scheduleTask } from "../timeline";
import { Ctx, filterIds, idIn, serviceOf } from "./common";

/** The task as the API serves it. */
export const publicTask = (task: IplbTask): Omit<IplbTask, "payload"> => withoutPayload(task);

/**
 * Creates an IPLB task and drives it through todo -> doing -> its outcome (read when it starts: timeline.ts,
 * `scheduleTask`); `start` runs when it starts, `finish` when the outcome lets it end in `done`, and may still fail
 * it by answering false (a certificate order whose names do not validate then: handlers/ssl.ts).
 */
export function runIplbTask(
  rt: Runtime,
  svc: ServiceState,
  action: string,
  zones: string[],
  durationMs: number,
  outcome: () => TaskOutcome,
  hooks: { start?: () => void; finish?: () => boolean | void } = {},
  payload?: Record<string, unknown>,
): IplbTask {
  const task: IplbTask = { id: rt.store.nextId(), action, status: "todo", progress: 0, zones, creationDate: isoNow(), doneDate: null, payload };
  rt.store.addTask(svc, task);
  scheduleTask(rt.timeline, durationMs, outcome, {
    doing: () => {
      rt.store.updateTask(task, { status: "doing", progress: 10 });
      hooks.start?.();
    },
    blocked: () => rt.store.updateTask(task, { status: "blocked" }),
    end: (outcome) => {
      // A `blocked` task unblocks and completes (`never` has no end).
      const applied = outcome !== "error" && hooks.finish?.() !== false;
      rt.store.updateTask(task, { status: applied ? "done" : "error", progress: applied ? 100 : task.progress, doneDate: isoNow() });
    },
  });
  return task;
}

function refreshZones(ctx: Ctx, svc: ServiceState): string[] {
  const body = (ctx.body ?? {}) as { zone?: unknown };
  const zones = ctx.state.store.serviceZones(svc);
  if (body.zone === undefined || body.zone === null || body.zone === "all") return zones;
  if (typeof body.zone !== "string" || !zones.includes(body.zone)) {
    throw badRequest(`[zone] Given data (${String(body.zone)}) is not a zone of this load balancer (${zones.join(", ")})`);
  }
  return [body.zone];
}

function refresh(ctx: Ctx) {
  const rt = ctx.state;
  const svc = serviceOf(ctx);
  const zones = refreshZones(ctx, svc);
  const busy = Object.values(svc.tasks).find(
    (t) => t.action === "refreshIplb" && ["todo", "doing", "blocked"].includes(t.status) && t.zones.some((z) => zones.includes(z)),
  );
  if (busy) throw conflict(`A refresh is already in progress on zone ${busy.zones.filter((z) => zones.includes(z)).join(", ")} (task ${busy.id})`);
  const captured: Record<string, { config: Config; changes: number }> = {};
  const task = runIplbTask(rt, svc, "refreshIplb", zones, rt.options.refreshMs, () => rt.faults.refreshOutcome, {
    start: () => {
      for (const z of zones) captured[z] = { config: rt.store.configForZone(svc, z), changes: svc.pending[z] ?? 0 };
    },
    finish: () => {
      for (const z of zones) rt.store.applyZone(svc, z, captured[z].config, captured[z].changes);
      rt.health.sync();
      rt.dataPlane?.sync();
    },
  });
  return publicTask(task);
}

export function register(router: Router<Runtime>): void {
  router
    .add("POST", "/ipLoadbalancing/{serviceName}/refresh", refresh)
    .add("GET", "/ipLoadbalancing/{serviceName}/task", (ctx) =>
      filterIds(Object.entries(serviceOf(ctx).tasks), ctx.query, {
        action: { field: (t) => t.action, op: "=" },
        status: { field: (t) => t.status, op: "=" },
        "creationDate.from": { field: (t) => t.creationDate, op: ">=" },
        "creationDate.to": { field: (t) => t.creationDate, op: "<" },
        "doneDate.from": { field: (t) => t.doneDate, op: ">=" },
        "doneDate.to": { field: (t) => t.doneDate, op: "<" },
      }),
    )
    .add("GET", "/ipLoadbalancing/{serviceName}/task/{id}", (ctx) => publicTask(idIn(serviceOf(ctx).tasks, ctx, "id").item));
}

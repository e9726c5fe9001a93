/**
 * Tasks that were still `todo` or `doing` when the emulator stopped (with `--state-file`) cannot keep their timers
 * across a restart. At start-up they finish the way they would have: a refresh applies its zones, a free-certificate
 * order delivers its certificate when every name resolves to the load balancer and ends in `error` otherwise (ssl.ts,
 * `deliverOrder`; faults are not saved), an IP move or park routes the IP. A stuck task
 * would block every later refresh (409) or IP task of its object.
 */
import { deliverOrder } from "./handlers/ssl";
import type { Runtime } from "./runtime";
import { isoNow } from "./store";

export function resumeInterruptedTasks(rt: Runtime): void {
  const now = isoNow();
  for (const svc of Object.values(rt.store.data.services)) {
    for (const task of Object.values(svc.tasks)) {
      if (task.status !== "todo" && task.status !== "doing" && task.status !== "blocked") continue;
      let applied = true;
      if (task.action === "refreshIplb") {
        for (const zone of task.zones) rt.store.applyZone(svc, zone, rt.store.configForZone(svc, zone), svc.pending[zone] ?? 0);
      } else if (task.action === "orderFreeCertificate") {
        applied = deliverOrder(rt, svc, (task.payload?.fqdn as string[] | undefined) ?? []);
      }
      rt.store.updateTask(task, { status: applied ? "done" : "error", progress: applied ? 100 : task.progress, doneDate: now });
    }
  }
  for (const record of Object.values(rt.store.data.ips)) {
    for (const task of Object.values(record.tasks)) {
      if (task.status !== "init" && task.status !== "todo" && task.status !== "doing") continue;
      rt.store.routeIp(record, task.destination?.serviceName ?? null);
      rt.store.updateTask(task, { status: "done", doneDate: now, lastUpdate: now });
    }
  }
}

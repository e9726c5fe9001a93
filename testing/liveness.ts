/**
 * Is the load balancer live, that is running what the API shows? Read from the emulator's state (no API call, so
 * nothing is added to the request log): pending changes per zone (what `GET .../pendingChanges` answers) and tasks
 * not yet ended (refreshes, certificate orders, `/ip` moves and parks).
 */
import type { Emulator } from "../emulator";
import { waitFor, type WaitOptions } from "./wait";

/** Staged changes a refresh has not applied yet in one zone (the API's `ipLoadbalancing.PendingChanges`). */
export interface PendingChange {
  zone: string;
  /** How many writes are waiting (each write counts once per zone it touches). */
  number: number;
}

/** A task that has not ended: `iplb` tasks of the service (refreshes, certificate orders), `ip` tasks of the account. */
export interface RunningTask {
  kind: "iplb" | "ip";
  id: number;
  /** `refreshIplb`, `orderFreeCertificate`, ... (iplb); `genericMoveFloatingIp`, `parkFloatingIp` (ip). */
  action: string;
  /** `todo`, `doing` or `blocked` (iplb); `init`, `todo` or `doing` (ip). */
  status: string;
  /** The zones an iplb task works on; the block of an ip task. */
  zones?: string[];
  ip?: string;
}

const RUNNING_IPLB = ["todo", "doing", "blocked"];
const RUNNING_IP = ["init", "todo", "doing"];

function serviceOf(emu: Emulator, serviceName: string) {
  const svc = emu.store.service(serviceName);
  if (!svc) throw new Error(`the emulator has no load balancer named ${serviceName}`);
  return svc;
}

/** Pending changes per zone, `[]` when every zone runs what the API shows; `zone` keeps that zone's entry only. */
export function pendingChanges(emu: Emulator, zone?: string, serviceName = emu.serviceName): PendingChange[] {
  const all = emu.store.pendingChanges(serviceOf(emu, serviceName));
  return zone === undefined ? all : all.filter((p) => p.zone === zone);
}

/** Tasks that have not ended, iplb tasks first, each by id. */
export function runningTasks(emu: Emulator, serviceName = emu.serviceName): RunningTask[] {
  const iplb = Object.values(serviceOf(emu, serviceName).tasks)
    .filter((t) => RUNNING_IPLB.includes(t.status))
    .map((t): RunningTask => ({ kind: "iplb", id: t.id, action: t.action, status: t.status, zones: [...t.zones] }));
  const ip = Object.entries(emu.store.data.ips).flatMap(([block, record]) =>
    Object.values(record.tasks)
      .filter((t) => RUNNING_IP.includes(t.status))
      .map((t): RunningTask => ({ kind: "ip", id: t.taskId, action: t.function, status: t.status, ip: block })));
  return [...iplb.sort((a, b) => a.id - b.id), ...ip.sort((a, b) => a.id - b.id)];
}

/** One line on what keeps the service from being live, for error messages (no credential is ever in it). */
export function notLiveReport(emu: Emulator, serviceName = emu.serviceName): string {
  const pending = pendingChanges(emu, undefined, serviceName);
  const running = runningTasks(emu, serviceName);
  const parts = [
    ...pending.map((p) => `${p.number} pending change(s) in ${p.zone}`),
    ...running.map((t) => `${t.kind} task ${t.id} ${t.action} ${t.status}`),
  ];
  if (pending.length > 0 && !running.some((t) => t.action === "refreshIplb")) {
    parts.push("no refresh is running, so nothing will make the pending changes live (did an `up` fail?)");
  }
  return parts.join("; ") || "live";
}

/**
 * Resolves once no change is pending and no task is running (then, with the data plane on, once the listeners of
 * the last refresh listen); rejects after `timeoutMs` (default 60 s) naming what is still pending or running.
 */
export async function waitUntilLive(emu: Emulator, options: WaitOptions = {}, serviceName = emu.serviceName): Promise<void> {
  const live = () => pendingChanges(emu, undefined, serviceName).length === 0 && runningTasks(emu, serviceName).length === 0;
  await waitFor(live, { ...options, what: `${serviceName} to be live` }, () => notLiveReport(emu, serviceName));
  await emu.dataPlane?.settled();
}

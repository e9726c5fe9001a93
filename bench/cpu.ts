/**
 * CPU time of the processes a run involves, read from /proc (Linux): where the run's time went when the machine's
 * cores are busy. Elsewhere every reading is undefined and the report leaves the column empty.
 */
import * as fs from "fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; it ends at the last ')'.
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** User + system CPU of a live process, in ms. */
export function processCpuMs(pid: number | undefined): number | undefined {
  const f = pid === undefined ? undefined : statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : undefined;
}

/** User + system CPU of this process's children that have ended (and were waited for), in ms. */
export function endedChildrenCpuMs(): number | undefined {
  const f = statFields("self");
  return f ? (Number(f[13]) + Number(f[14])) * TICK_MS : undefined;
}

/** User + system CPU of this process, in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface CpuUse {
  /** The program run by the language runtime (ended during the run). */
  program?: number;
  /** This process: the mini engine, its gRPC server and clients. */
  engine: number;
  /** The dynamic-provider host. */
  host?: number;
  /** The emulator's process. */
  api?: number;
}

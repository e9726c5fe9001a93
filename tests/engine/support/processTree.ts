/**
 * A process and everything it started, read from /proc (Linux, as CI). Killing the CLI's process group is not enough
 * to stop a whole `pulumi up`: the engine starts each plugin (the language host, the dynamic-provider host) in a
 * process group of its own, so those outlive a group kill as orphans, still running.
 */
import * as fs from "fs";

/** Every process's id, as /proc lists them now. */
const pids = (): number[] => fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);

/**
 * The fields of /proc/<pid>/stat after "pid (comm)": [state, ppid, ...] (comm may hold spaces and parentheses), or
 * undefined once the process is gone.
 */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** `pid` and its descendants, as they are now. */
export function processTree(pid: number): number[] {
  const parents = new Map(pids().map((p) => [p, Number(statOf(p)?.[1])]));
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...[...parents].filter(([, parent]) => parent === tree[i]).map(([p]) => p));
  return tree;
}

/** SIGKILL of `pid` and everything it started; returns the processes killed. */
export function killTree(pid: number): number[] {
  const tree = processTree(pid);
  for (const p of tree) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return tree;
}

/** Whether `pid` still exists as a process (not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  const state = statOf(pid)?.[0];
  return state !== undefined && state !== "Z";
}

/** The live processes whose environment has `text` (a folder of one test's own, e.g. its PULUMI_HOME). */
export function processesWithEnv(text: string): number[] {
  return pids().filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(text) && alive(pid);
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

/**
 * A process and everything it started, read from /proc (Linux, as CI). Killing the CLI's process group is not enough
 * to stop a whole `pulumi up`: the engine starts each plugin (the language host, the dynamic-provider host) in a
 * process group of its own, so those outlive a group kill as orphans, still running.
 */
import * as fs from "fs";

/** The parent of `pid`, or undefined once it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** `pid` and its descendants, as they are now. */
export function processTree(pid: number): number[] {
  const all = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => parentOf(p) === tree[i]));
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
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** The live processes whose environment has `text` (a folder of one test's own, e.g. its PULUMI_HOME). */
export function processesWithEnv(text: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, "utf8").includes(text) && alive(Number(name))) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

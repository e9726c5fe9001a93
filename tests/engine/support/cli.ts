/**
 * The real Pulumi CLI for the engine tests: found (never built) through `scripts/pulumi-cli.sh --check`, which `.ci/run`
 * calls without `--check` first. On a contributor's machine without it the engine suites are skipped with one line
 * saying why; under `CI=true` a missing CLI fails the run instead.
 */
import { spawnSync } from "child_process";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface CliLookup {
  /** The folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  bin?: string;
  /** Why there is none. */
  reason?: string;
}

let lookup: CliLookup | undefined;
let skipNoted = false;

export function findCli(): CliLookup {
  if (lookup) return lookup;
  const script = path.join(REPO_ROOT, "scripts", "pulumi-cli.sh");
  const run = spawnSync("bash", [script, "--check"], { encoding: "utf8" });
  const bin = run.status === 0 ? run.stdout.trim().split("\n").pop() : undefined;
  lookup = bin ? { bin } : { reason: run.stderr.trim() || `scripts/pulumi-cli.sh --check exited with ${run.status}` };
  return lookup;
}

/** `describe` when the CLI is there, else `describe.skip` with one line saying why (a failure under CI=true). */
export function describeWithCli(name: string, body: (bin: string) => void): void {
  const { bin, reason } = findCli();
  if (bin) {
    describe(name, () => body(bin));
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has the Pulumi CLI", () => {
        throw new Error(`CI=true and no Pulumi CLI: ${reason}. .ci/run runs scripts/pulumi-cli.sh before the tests.`);
      });
    });
    return;
  }
  // One line per test file, however many suites it has.
  if (!skipNoted) console.log(`skipping the real-engine tests of this file: ${reason}`);
  skipNoted = true;
  describe.skip(name, () => body(""));
}

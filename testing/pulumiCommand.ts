/**
 * Which `pulumi` runs a test stack: one the caller made (`PulumiCommand.install`, `PulumiCommand.get`), the one in a
 * given folder, or the one on PATH. The Automation API runs `<root>/bin/pulumi` for a root and puts that folder first
 * on the CLI's PATH, which is how the CLI finds the language host and the dynamic-provider plugin beside it.
 */
import * as fs from "fs";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export interface CliOptions {
  /**
   * The folder that holds `pulumi` and its plugins (`pulumi-language-nodejs`, `pulumi-resource-pulumi-nodejs`), as
   * the Pulumi installer lays them out (`~/.pulumi/bin`). Default: the `pulumi` on PATH.
   */
  cliDir?: string;
  /** A CLI of your own (e.g. `await PulumiCommand.install({ version })`); wins over `cliDir`. */
  pulumiCommand?: PulumiCommand;
}

const INSTALL_HINT = "install it (https://www.pulumi.com/docs/iac/download-install/) and put it on PATH, or pass cliDir";

/** The root whose `bin/` is `cliDir`: its parent when it is named `bin`, else a link made in `scratchDir`. */
function rootOf(cliDir: string, scratchDir: string): string {
  const dir = path.resolve(cliDir);
  if (path.basename(dir) === "bin") return path.dirname(dir);
  const root = path.join(scratchDir, "cli");
  fs.mkdirSync(root, { recursive: true });
  fs.symlinkSync(dir, path.join(root, "bin"), "dir");
  return root;
}

/** The CLI to run, checked by `pulumi version`; an error says where it was looked for and what to do. */
export async function resolvePulumiCommand(options: CliOptions, scratchDir: string): Promise<PulumiCommand> {
  if (options.pulumiCommand) return options.pulumiCommand;
  const where = options.cliDir ? `in ${options.cliDir}` : "on PATH";
  if (options.cliDir && !fs.existsSync(path.join(options.cliDir, "pulumi"))) {
    throw new Error(`no pulumi CLI ${where}: ${INSTALL_HINT}`);
  }
  try {
    return await PulumiCommand.get(options.cliDir ? { root: rootOf(options.cliDir, scratchDir) } : {});
  } catch (e) {
    // A CommandError's message is the whole CommandResult; its stderr ends with the cause (`spawn pulumi ENOENT`).
    const stderr = (e as { commandResult?: { stderr?: string } }).commandResult?.stderr;
    const why = (stderr || String((e as Error).message ?? e)).trim().split("\n").pop();
    throw new Error(`the pulumi CLI ${where} could not run (${why}): ${INSTALL_HINT}`);
  }
}

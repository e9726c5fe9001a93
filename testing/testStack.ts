/**
 * A throw-away Pulumi stack for a test, driven by the Automation API (`LocalWorkspace`) and the real `pulumi` CLI:
 * a local file backend and its own PULUMI_HOME in a temporary folder (no login, nothing written to `~/.pulumi`), a
 * random passphrase for its secrets, a unique stack name, and the given config set. `dispose()` destroys what the
 * stack deployed, removes the stack (and its `Pulumi.<stack>.yaml` in the project folder) and the temporary folder.
 *
 * The project folder itself is used as it is (the program runs from there, with its node_modules and tsconfig); the
 * only file written there is `Pulumi.<stack>.yaml`, which the CLI keeps beside `Pulumi.yaml`. Stack names are unique,
 * so test files deploying the same project side by side do not share it. Errors from the CLI are scrubbed of the
 * config's credentials (`pulumi config set-all` takes values on its command line, which a CLI error repeats).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type ConfigMap, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { type CliOptions, resolvePulumiCommand } from "./pulumiCommand";
import { scrubbed } from "./secrets";
import { hiddenValues } from "./stackConfig";

export interface TestStackOptions extends CliOptions {
  /** The project folder: its `Pulumi.yaml` and program (`__dirname` for a test beside its stack). */
  workDir: string;
  /** The stack config: keys of the `ovh` and `ovh-iplb` namespaces, and the program's own (`serviceName`, ...). */
  config?: ConfigMap;
  /** Default: `iplb-test-` and 8 random hex digits. */
  stackName?: string;
  /**
   * PULUMI_HOME of the CLI (its plugins, credentials, workspace settings). Default: a folder in the temporary one, so
   * nothing of yours is read or changed. A program that also uses plugin-based providers (`@pulumi/random`) needs
   * them installed there: pass your own (`~/.pulumi`) instead.
   */
  pulumiHome?: string;
  /** More environment for the CLI, the program and the provider, e.g. `{ PULUMI_NODEJS_TRANSPILE_ONLY: "true" }`. */
  envVars?: Record<string, string>;
}

export interface DisposeOptions {
  /** Run `pulumi destroy` first (default true); false leaves the emulator's objects where they are. */
  destroy?: boolean;
}

/** A stack made by `createTestStack`. Use `stack` as the Automation API's `Stack` (`up`, `preview`, `refresh`, ...). */
export interface TestStack {
  readonly stack: Stack;
  readonly stackName: string;
  /** The temporary folder: the state backend (`state/`) and, unless given, PULUMI_HOME (`home/`). */
  readonly dir: string;
  /** Destroys (unless told not to), removes the stack and its config file, deletes `dir`; a second call does nothing. */
  dispose(options?: DisposeOptions): Promise<void>;
}

export async function createTestStack(options: TestStackOptions): Promise<TestStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-stack-"));
  const stackName = options.stackName ?? `iplb-test-${randomBytes(4).toString("hex")}`;
  const hidden = hiddenValues(options.config ?? {});
  const removeFiles = () => {
    fs.rmSync(path.join(options.workDir, `Pulumi.${stackName}.yaml`), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let stack: Stack | undefined;
  try {
    stack = await LocalWorkspace.createStack({ stackName, workDir: options.workDir }, await workspaceOptions(options, dir));
    await stack.setAllConfig(options.config ?? {});
    return handle(stack, stackName, dir, hidden, removeFiles);
  } catch (e) {
    await stack?.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
    removeFiles();
    throw scrubbed(`creating the test stack ${stackName} in ${options.workDir}`, e, hidden);
  }
}

async function workspaceOptions(options: TestStackOptions, dir: string) {
  const state = path.join(dir, "state");
  const home = options.pulumiHome ?? path.join(dir, "home");
  fs.mkdirSync(state);
  fs.mkdirSync(home, { recursive: true });
  return {
    pulumiCommand: await resolvePulumiCommand(options, dir),
    pulumiHome: home,
    envVars: {
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      ...options.envVars,
    },
  };
}

function handle(stack: Stack, stackName: string, dir: string, hidden: string[], removeFiles: () => void): TestStack {
  let disposed = false;
  return {
    stack,
    stackName,
    dir,
    async dispose(options: DisposeOptions = {}) {
      if (disposed) return;
      disposed = true;
      let failure: Error | undefined;
      if (options.destroy !== false) {
        await stack.destroy().catch((e: unknown) => (failure = scrubbed(`pulumi destroy of the test stack ${stackName}`, e, hidden)));
      }
      await stack.workspace.removeStack(stackName, { force: true }).catch((e: unknown) => {
        failure ??= scrubbed(`pulumi stack rm of the test stack ${stackName}`, e, hidden);
      });
      removeFiles();
      if (failure) throw failure;
    },
  };
}

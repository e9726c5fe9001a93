/**
 * pulumi-ovh-iplb/testing, the throw-away stack (testing/testStack.ts, testing/pulumiCommand.ts), driven through the
 * Automation API against a stand-in `pulumi` (a script that records its arguments and environment and answers as the
 * CLI does), so this runs in the unit project: which folders the CLI is given (backend, PULUMI_HOME, all temporary),
 * the config set, what `dispose()` runs and removes, what a failure leaves (nothing) and says (no credential).
 * Not proven here: the real CLI's own behaviour; examples/integration-test and examples/traffic-test deploy, change
 * and destroy with it (engine project).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createTestStack, type IplbTestEnvironment } from "../../testing";
import { startRefereed } from "./support";

/** The stand-in CLI: `version`, `stack init|rm`, `config set-all`, `destroy`, `stack history`; logs each call. */
const FAKE_CLI = `#!/usr/bin/env node
const fs = require("fs"), path = require("path");
const args = process.argv.slice(2);
const env = Object.fromEntries(["PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK", "EXTRA"].map((k) => [k, process.env[k]]));
fs.appendFileSync(path.join(__dirname, "calls.jsonl"), JSON.stringify({ args, env, cwd: process.cwd() }) + "\\n");
const stack = args[args.indexOf("--stack") + 1] || args[2];
if (args[0] === "version") console.log("v3.248.0");
else if (args[0] === "stack" && args[1] === "init") fs.writeFileSync(path.join(process.cwd(), "Pulumi." + args[2] + ".yaml"), "encryptionsalt: x\\n");
else if (args[0] === "stack" && args[1] === "rm") fs.rmSync(path.join(process.cwd(), "Pulumi." + stack + ".yaml"), { force: true });
else if (args[0] === "stack" && args[1] === "history") console.log("[]");
else if (args[0] === "config" && process.env.FAIL_CONFIG) { console.error("error: could not set config"); process.exit(1); }
else if (args[0] === "destroy" && process.env.FAIL_DESTROY) { console.error("error: destroy failed"); process.exit(1); }
`;

/** The kit's temporary folders that exist now. */
const stackDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("iplb-stack-"));

interface Call {
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
}

describe("createTestStack (with a stand-in pulumi CLI)", () => {
  let env: IplbTestEnvironment;
  let scratch: string;
  let cliDir: string;
  let project: string;
  const calls = (): Call[] => fs.readFileSync(path.join(cliDir, "calls.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Call);
  const verbs = () => calls().map((c) => c.args.slice(0, c.args[0] === "stack" || c.args[0] === "config" ? 2 : 1).join(" "));

  beforeAll(async () => (env = await startRefereed()));
  afterAll(() => env?.close());
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kit-test-"));
    cliDir = path.join(scratch, "pulumi-3.248.0"); // not named bin: the kit links it as <root>/bin
    project = path.join(scratch, "project");
    fs.mkdirSync(cliDir);
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(cliDir, "pulumi"), FAKE_CLI, { mode: 0o755 });
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: kit-test\nruntime: nodejs\n");
  });
  afterEach(() => {
    delete process.env.FAIL_CONFIG;
    delete process.env.FAIL_DESTROY;
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("runs the CLI in the project with a file backend, PULUMI_HOME and a passphrase of its own, and sets the config", async () => {
    const test = await createTestStack({ workDir: project, cliDir, config: env.stackConfig({ serviceNameKey: "serviceName" }), envVars: { EXTRA: "1" } });
    expect(test.stackName).toMatch(/^iplb-test-[0-9a-f]{8}$/);
    expect(fs.existsSync(path.join(project, `Pulumi.${test.stackName}.yaml`))).toBe(true);
    const init = calls().find((c) => c.args[0] === "stack" && c.args[1] === "init")!;
    expect(init.cwd).toBe(project);
    expect(init.env).toEqual({
      PULUMI_BACKEND_URL: `file://${path.join(test.dir, "state")}`,
      PULUMI_HOME: path.join(test.dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: expect.stringMatching(/^[0-9a-f]{32}$/),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      EXTRA: "1",
    });
    expect(test.dir.startsWith(os.tmpdir())).toBe(true);
    const set = calls().find((c) => c.args[0] === "config")!.args;
    expect(set).toEqual(expect.arrayContaining(["--secret", `ovh:consumerKey=${env.emulator.consumerKey}`, "--plaintext", `ovh:endpoint=${env.url}`, `serviceName=${env.serviceName}`]));
    await test.dispose();
  });

  it("dispose() destroys, removes the stack and its config file, deletes the temporary folder; a second call does nothing", async () => {
    const test = await createTestStack({ workDir: project, cliDir, stackName: "mine" });
    await test.dispose();
    expect(verbs()).toEqual(["version", "stack init", "config set-all", "destroy", "stack history", "stack rm"]);
    expect(calls().find((c) => c.args[0] === "stack" && c.args[1] === "rm")!.args).toEqual(expect.arrayContaining(["mine", "--force"]));
    expect(fs.readdirSync(project)).toEqual(["Pulumi.yaml"]);
    expect(fs.existsSync(test.dir)).toBe(false);
    await test.dispose();
    expect(verbs().length).toBe(6);
  });

  it("dispose({ destroy: false }) only removes", async () => {
    const test = await createTestStack({ workDir: project, cliDir });
    await test.dispose({ destroy: false });
    expect(verbs()).toEqual(["version", "stack init", "config set-all", "stack rm"]);
  });

  it("a failed config leaves nothing behind, and its error shows no credential", async () => {
    process.env.FAIL_CONFIG = "1";
    const before = new Set(stackDirs());
    const failure = (await createTestStack({ workDir: project, cliDir, stackName: "mine", config: env.stackConfig() }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toMatch(/^creating the test stack mine in .*: .*could not set config/s);
    for (const secret of [env.emulator.applicationKey, env.emulator.applicationSecret, env.emulator.consumerKey]) {
      expect(`${failure.message}\n${failure.stack}`).not.toContain(secret);
    }
    expect(failure.message).toContain("ovh:consumerKey=[secret]"); // the CLI's command line, as the Automation API reports it
    expect(verbs().slice(-1)).toEqual(["stack rm"]);
    expect(fs.readdirSync(project)).toEqual(["Pulumi.yaml"]);
    expect(stackDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it("a failed destroy still removes the stack and the files, then reports the destroy", async () => {
    const test = await createTestStack({ workDir: project, cliDir, stackName: "mine" });
    process.env.FAIL_DESTROY = "1";
    await expect(test.dispose()).rejects.toThrow(/^pulumi destroy of the test stack mine: .*destroy failed/s);
    expect(verbs().slice(-2)).toEqual(["destroy", "stack rm"]);
    expect(fs.readdirSync(project)).toEqual(["Pulumi.yaml"]);
    expect(fs.existsSync(test.dir)).toBe(false);
  });

  it("says where it looked when there is no CLI", async () => {
    const empty = path.join(scratch, "empty");
    fs.mkdirSync(empty);
    const before = new Set(stackDirs());
    const failure = (await createTestStack({ workDir: project, cliDir: empty, stackName: "mine" }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toBe(
      `creating the test stack mine in ${project}: no pulumi CLI in ${empty}: install it ` +
        "(https://www.pulumi.com/docs/iac/download-install/) and put it on PATH, or pass cliDir",
    );
    expect(stackDirs().filter((d) => !before.has(d))).toEqual([]);
    expect(fs.readdirSync(project)).toEqual(["Pulumi.yaml"]);
  });

  it("env.createStack merges the environment's config under the program's, and env.close() disposes the stack first", async () => {
    const own = await startRefereed();
    const test = await own.createStack({ workDir: project, cliDir, serviceNameKey: "lb", config: { "ovh-iplb:caFile": { value: "/mine.pem" }, extra: { value: "x" } } });
    const set = calls().find((c) => c.args[0] === "config")!.args;
    expect(set).toEqual(expect.arrayContaining([`lb=${own.serviceName}`, "ovh-iplb:caFile=/mine.pem", "extra=x", `ovh:endpoint=${own.url}`]));
    await own.close();
    expect(verbs().slice(-3)).toEqual(["destroy", "stack history", "stack rm"]);
    expect(fs.existsSync(test.dir)).toBe(false);
    await test.dispose();
    expect(verbs().slice(-1)).toEqual(["stack rm"]);
  });

  it("says so when the pulumi on PATH cannot run", async () => {
    const path0 = process.env.PATH;
    process.env.PATH = path.join(scratch, "empty-path");
    try {
      await expect(createTestStack({ workDir: project, stackName: "mine" })).rejects.toThrow(
        `creating the test stack mine in ${project}: the pulumi CLI on PATH could not run (spawn pulumi ENOENT): install it`,
      );
    } finally {
      process.env.PATH = path0;
    }
  });
});

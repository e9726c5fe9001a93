/**
 * The README's "A first program", run as a stranger runs it: a project made of what the README says (Pulumi.yaml's
 * three keys from its prose, its tsconfig.json and index.ts verbatim), the package installed as `npm install` of its
 * `npm pack` lays it out, the emulator started by the README's command (the way it gives for a script), then the
 * README's shell lines with a fresh HOME, under the real CLI. What the README promises must hold: `pulumi up` succeeds
 * (type-checked, as Pulumi's TypeScript runner does it), the status command says both servers are OK, and requests
 * through frontend port 80 reach one server, then the other. The only edits to the README's lines: file paths and the
 * local backend in a temporary folder, and `--yes` for a `pulumi up` that has no terminal to ask.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { getJson } from "../../cli/traffic";
import { get } from "../helpers/dataPlane";
import { eventually } from "../helpers/emulator";
import { installPackage, REPO } from "../package/support/installedPackage";
import { describeWithCli } from "./support/cli";

const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const SECTION = README.slice(README.indexOf("## A first program"), README.indexOf("## Configuration and credentials"));
const BLOCKS = [...SECTION.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)].map(([, lang, body]) => ({ lang, body }));
const block = (lang: string, containing = "") => {
  const found = BLOCKS.find((b) => b.lang === lang && b.body.includes(containing));
  if (!found) throw new Error(`README.md's "A first program" has no ${lang} block with ${JSON.stringify(containing)}`);
  return found.body;
};
/** The README's Pulumi.yaml, from its prose: `name: ...`, `runtime: {...}` and `main: ...`. */
const PULUMI_YAML = [...SECTION.matchAll(/`((?:name|runtime|main): [^`]+)`/g)].map(([, line]) => line).join("\n") + "\n";

describeWithCli("the README's first program, as a user runs it", (bin) => {
  let dir: string;
  let project: string;
  const emuJson = () => path.join(dir, "emu.json");
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  /** A README line as this test runs it: its files in `dir`, `npx ovh-iplb-emulator` as the README says a script runs it. */
  const localize = (line: string) =>
    line
      .replaceAll("/tmp/emu.json", emuJson())
      .replace(/^npx ovh-iplb-emulator/, "exec node_modules/.bin/ovh-iplb-emulator")
      // `--local` is the login user's ~/.pulumi (Pulumi reads the home from the user database, not $HOME).
      .replace("pulumi login --local", `pulumi login file://${path.join(dir, "state")}`);
  const background = (line: string) => {
    const child = spawn("bash", ["-c", localize(line).replace(/&\s*$/, "").replace(/^(?!exec )/, "exec ")], { cwd: project, env, stdio: ["ignore", "ignore", "pipe"] });
    children.push(child);
    return child;
  };
  const sh = (script: string) => spawnSync("bash", ["-c", `set -euo pipefail\n${script}`], { cwd: project, env, encoding: "utf8" });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-readme-"));
    project = path.join(dir, "my-lb");
    fs.mkdirSync(project);
    fs.mkdirSync(path.join(dir, "home"));
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), PULUMI_YAML);
    fs.writeFileSync(path.join(project, "tsconfig.json"), block("json", "compilerOptions"));
    fs.writeFileSync(path.join(project, "index.ts"), block("ts", "pulumi-ovh-iplb"));
    installPackage(project);
    // Everything else a user's `npm install` would have put there (typescript, @types/node...), but ts-node: a user's
    // project has none, so Pulumi runs the program with its vendored ts-node, whose defaults the README's tsconfig
    // must survive. Pulumi starts the program from @pulumi/pulumi's real path and looks for typescript and ts-node from
    // there: a copy in the project, not a link into this repository (whose node_modules has ts-node).
    const modules = path.join(project, "node_modules");
    fs.rmSync(path.join(modules, "@pulumi"));
    fs.mkdirSync(path.join(modules, "@pulumi"));
    for (const entry of fs.readdirSync(path.join(REPO, "node_modules", "@pulumi"))) {
      const from = path.join(REPO, "node_modules", "@pulumi", entry);
      if (entry === "pulumi") fs.cpSync(from, path.join(modules, "@pulumi", entry), { recursive: true });
      else fs.symlinkSync(from, path.join(modules, "@pulumi", entry));
    }
    for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
      if (entry.startsWith(".") || entry === "ts-node" || fs.existsSync(path.join(modules, entry))) continue;
      fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
    }
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OVH_") && !k.startsWith("PULUMI_")));
    env = {
      ...inherited,
      HOME: path.join(dir, "home"),
      PULUMI_HOME: path.join(dir, "home", ".pulumi"),
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
  }, 180_000);

  afterAll(async () => {
    // A failed run leaves nothing behind: the stack's objects live in the emulator, which dies with it.
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has the project the README describes", () => {
    expect(PULUMI_YAML).toBe("name: my-lb\nruntime: {name: nodejs, options: {typescript: true}}\nmain: index.ts\n");
  });

  it("deploys to the emulator with the README's lines: both servers OK, requests through port 80 reach one, then the other", async () => {
    const emulator = background(block("sh", "ovh-iplb-emulator"));
    let emulatorErr = "";
    emulator.stderr!.on("data", (c: Buffer) => (emulatorErr += c.toString()));
    const firstLine = () => (fs.existsSync(emuJson()) ? fs.readFileSync(emuJson(), "utf8").split("\n")[0] : "");
    const info = JSON.parse(await eventually(firstLine, 60_000, "the emulator's JSON line")) as { caFile: string; dataPlane: { url: string } };

    const lines = block("sh", "pulumi config set").split("\n").filter((l) => l.trim() !== "");
    const [backends, ...rest] = lines;
    expect(backends).toMatch(/^node -e .*&\s*$/);
    background(backends);
    const passphrase = rest.find((l) => l.startsWith("export PULUMI_CONFIG_PASSPHRASE="))!;
    const deploy = rest.slice(0, rest.findIndex((l) => /^pulumi up\b/.test(l)) + 1).map(localize).join("\n").replace(/^pulumi up\b/m, "pulumi up --yes");
    const up = sh(deploy);
    expect(up.status === 0 ? up.stdout : up.stdout + up.stderr).toContain("5 created");

    const statusLine = rest.find((l) => l.startsWith("npx ovh-iplb status"))!;
    const status = sh(localize(statusLine));
    expect(status.stdout).toContain("Servers: 2 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN");
    expect(status.status).toBe(0);

    // The README's curl: frontend port 80 of gra on 10000 + 80, unless a busy machine had that port taken.
    const curl = rest.find((l) => l.startsWith("curl "))!;
    expect(curl).toContain("http://127.0.0.1:10080/");
    const table = (await getJson({ url: info.dataPlane.url, caFile: info.caFile })) as { ports: Record<string, { port: number; requested: number }> };
    expect(table.ports["gra:80"].requested).toBe(10080);
    const answers = [(await get(table.ports["gra:80"].port)).body, (await get(table.ports["gra:80"].port)).body];
    expect(answers.sort()).toEqual(["127.0.0.11\n", "127.0.0.12\n"]);

    const destroyed = sh(`${passphrase}\npulumi destroy --yes --stack dev`);
    expect(destroyed.status === 0 ? destroyed.stdout : destroyed.stdout + destroyed.stderr).toContain("5 deleted");
    const exited = new Promise((resolve) => emulator.on("exit", resolve));
    emulator.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(emulatorErr).toContain("SIGTERM, closing");
  });
});

/**
 * The package as users install it: compiled to dist/, laid out as `npm pack` would (package.json "files" and "bin"),
 * in a project's node_modules. Proves what the source-tree tests cannot: the `pulumi-ovh-iplb`,
 * `pulumi-ovh-iplb/emulator` and `pulumi-ovh-iplb/testing` entry points (the last one's types too, as a user's
 * TypeScript resolves them through package.json "exports"), the emulator's certificates found from dist/, the
 * `ovh-iplb-emulator` bin, and a serialized provider that loads the installed implementation by package name.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installPackage, PACKAGE_JSON as pkgJson, REPO } from "./support/installedPackage";

let project: string;
let installed: string;

/** Runs a script in a child process whose cwd is the user's project; returns its stdout. */
function inProject(script: string): string {
  return execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8", env: { ...process.env, NODE_EXTRA_CA_CERTS: "" } });
}

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-user-project-"));
  installed = installPackage(project);
}, 120000);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe("the installed package", () => {
  it("exports the SDK classes from its main entry point", () => {
    const names = JSON.parse(inProject(`console.log(JSON.stringify(Object.keys(require("pulumi-ovh-iplb"))))`)) as string[];
    expect(names).toEqual(expect.arrayContaining(["HttpFarm", "TcpFarm", "UdpFarm", "HttpFarmServer", "TcpFarmServer", "UdpFarmServer", "Refresh"]));
  });

  it("exports the compiled policies from `pulumi-ovh-iplb/policy`, for a user's own policy pack", () => {
    const names = JSON.parse(inProject(`console.log(JSON.stringify(require("pulumi-ovh-iplb/policy").policies.map((p) => p.name)))`)) as string[];
    expect(names).toEqual(expect.arrayContaining(["iplb-farm-health-probe", "iplb-farm-min-servers", "iplb-backend-tls"]));
  });

  it("starts the emulator from `pulumi-ovh-iplb/emulator`, with its loopback certificate shipped in the package", () => {
    const out = JSON.parse(inProject(`
      require("pulumi-ovh-iplb/emulator").startEmulator().then(async (emu) => {
        console.log(JSON.stringify({ url: emu.url, caFile: emu.caFile }));
        await emu.close();
      });`)) as { url: string; caFile: string };
    expect(out.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/1\.0$/);
    expect(out.caFile.startsWith(installed)).toBe(true);
    expect(fs.existsSync(out.caFile)).toBe(true);
  });

  it("starts an emulator from `pulumi-ovh-iplb/testing`: its stack config, a client that reads the service, its health", () => {
    const out = JSON.parse(inProject(`
      require("pulumi-ovh-iplb/testing").startTestEnvironment({ refreshSeconds: 0.1 }).then(async (env) => {
        const service = await env.ovhClient().requestPromised("GET", "/ipLoadbalancing/" + env.serviceName);
        const config = env.stackConfig({ serviceNameKey: "serviceName" });
        const health = await env.health();
        console.log(JSON.stringify({ keys: Object.keys(config), caFile: env.caFile, service: service.serviceName, name: env.serviceName, pending: env.pendingChanges(), health }));
        await env.close();
      });`)) as { keys: string[]; caFile: string; service: string; name: string; pending: unknown[]; health: unknown[] };
    expect(out.keys).toEqual(["ovh:endpoint", "ovh-iplb:caFile", "ovh:applicationKey", "ovh:applicationSecret", "ovh:consumerKey", "serviceName"]);
    expect(out.caFile.startsWith(installed)).toBe(true);
    expect([out.service, out.pending, out.health]).toEqual([out.name, [], []]);
  });

  it("types `pulumi-ovh-iplb/testing` for a user's TypeScript, through package.json \"exports\" (node16) and \"typesVersions\" (node10)", () => {
    fs.symlinkSync(path.join(REPO, "node_modules", "@types"), path.join(project, "node_modules", "@types"));
    fs.writeFileSync(path.join(project, "check.ts"), [
      `import { startTestEnvironment, setIplbMocks, type FarmHealth, type IplbTestEnvironment } from "pulumi-ovh-iplb/testing";`,
      `import { HttpFarm } from "pulumi-ovh-iplb";`,
      `import type { EmulatorOptions } from "pulumi-ovh-iplb/emulator";`,
      `export const options: EmulatorOptions = { refreshSeconds: 1 };`,
      `export const farmClass: typeof HttpFarm = HttpFarm;`,
      `export async function check(): Promise<number> {`,
      `  const env: IplbTestEnvironment = await startTestEnvironment({ refreshSeconds: 0.1, dataPlane: true });`,
      `  const farms: FarmHealth[] = await env.health();`,
      `  // @ts-expect-error a zone is a string: the types are the kit's, not any`,
      `  env.pendingChanges(1);`,
      `  const mocks = await setIplbMocks({ config: { serviceName: "lb" } });`,
      `  return farms.length + env.stackConfig({ serviceNameKey: "serviceName" }).serviceName.value.length + mocks.failures().length;`,
      `}`,
    ].join("\n"));
    // node16 reads "exports"; node10 (TypeScript's default for CommonJS projects, e.g. `pulumi new`'s) reads "typesVersions".
    for (const [module, moduleResolution] of [["node16", "node16"], ["commonjs", "node10"]]) {
      const tsconfig = { compilerOptions: { target: "ES2020", module, moduleResolution, strict: true, skipLibCheck: true, types: ["node"], noEmit: true }, files: ["check.ts"] };
      fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
      const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], { cwd: project, encoding: "utf8" });
      expect([moduleResolution, tsc.stdout + tsc.stderr]).toEqual([moduleResolution, ""]);
      expect(tsc.status).toBe(0);
    }
  }, 60000);

  it("runs the `ovh-iplb-emulator` bin from the compiled code, printing one JSON line", async () => {
    const bin = path.join(installed, pkgJson.bin["ovh-iplb-emulator"]);
    const child = spawn(process.execPath, [bin, "--refresh-seconds", "0.1"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code} before printing`)));
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(Object.keys(JSON.parse(line))).toEqual(["url", "host", "port", "basePath", "caFile", "applicationKey", "applicationSecret", "consumerKey", "serviceName"]);
    expect(await exited).toBe(0);
  });

  it("serializes a provider that loads the installed implementation by package name", () => {
    const result = JSON.parse(inProject(`
      const pulumi = require("@pulumi/pulumi");
      const shim = require("pulumi-ovh-iplb/dist/provider/shim.js");
      const provider = shim.providerFor("HttpFarm");
      pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then(async ({ text }) => {
        const rebuilt = require("require-from-string")(text).handler();
        const checked = await rebuilt.check({}, { serviceName: "lb", zone: "gra", balance: "fastest" });
        console.log(JSON.stringify({ text, failures: checked.failures }));
      });`)) as { text: string; failures: { property: string }[] };
    const candidates = /var __candidates = (\[.*?\]);/.exec(result.text)?.[1];
    expect(JSON.parse(candidates ?? "[]")[0]).toBe("pulumi-ovh-iplb/dist/provider/registry.js");
    expect(result.failures.map((f) => f.property)).toEqual(["balance"]);
  });
});

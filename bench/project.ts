/**
 * The benchmark deploys a user's project, not this repository's sources: a temporary folder holding bench/program and
 * `node_modules/pulumi-ovh-iplb` compiled from this checkout (laid out as tests/package/installed.test.ts lays it out),
 * next to the package's dependencies. So the program imports the compiled SDK, and the dynamic-provider host (whose
 * working directory is the project) loads the compiled implementation by package name, as after `npm install`.
 * In the repository itself, ts-node would compile provider/ inside every new host and sdk/ in every program run:
 * seconds of start-up that an installed package never pays.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../tests/helpers/programRunner";

const PROGRAM_SOURCES = path.join(__dirname, "program");

export interface BenchProject {
  dir: string;
  language: ProgramLanguage;
  remove(): void;
}

/** The program's imports, from the repository's layout to the installed one. */
export function installedImports(source: string): string {
  return source.replace(/from "\.\.\/\.\.\/sdk"/g, 'from "pulumi-ovh-iplb"').replace(/from "\.\.\/stacks"/g, 'from "./stacks"');
}

export type ProgramLanguage = "ts" | "js";

export function createProject(language: ProgramLanguage): BenchProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-bench-project-"));
  const installed = path.join(dir, "node_modules", "pulumi-ovh-iplb");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(REPO_ROOT, "tsconfig.build.json"), "--outDir", path.join(installed, "dist")], { cwd: REPO_ROOT, stdio: "inherit" });
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(installed, "package.json"));
  fs.cpSync(path.join(REPO_ROOT, "emulator", "certs"), path.join(installed, "emulator", "certs"), { recursive: true });
  // The package's dependencies, as npm would have installed them beside it; ts-node and typescript for the program.
  for (const dep of ["@pulumi", "ovh", "require-from-string", "ts-node", "typescript"]) {
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dep), path.join(dir, "node_modules", dep));
  }
  const yaml = fs.readFileSync(path.join(PROGRAM_SOURCES, "Pulumi.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), language === "ts" ? yaml : yaml.replace("typescript: true", "typescript: false").replace("main: index.ts", "main: index.js"));
  const index = installedImports(fs.readFileSync(path.join(PROGRAM_SOURCES, "index.ts"), "utf8"));
  const stacks = fs.readFileSync(path.join(__dirname, "stacks.ts"), "utf8");
  if (language === "ts") {
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    fs.writeFileSync(path.join(dir, "stacks.ts"), stacks);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PROGRAM_SOURCES, "tsconfig.json"), "utf8")) as { files: string[] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, files: ["index.ts", "stacks.ts"] }, null, 2));
  } else {
    const js = (source: string) => ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
    fs.writeFileSync(path.join(dir, "index.js"), js(index));
    fs.writeFileSync(path.join(dir, "stacks.js"), js(stacks));
  }
  return { dir, language, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

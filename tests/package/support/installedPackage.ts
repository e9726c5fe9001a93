/**
 * The package as `npm install` of its `npm pack` lays it out in a user's project: compiled to dist/, the package.json
 * "files", its dependencies beside it, its bins linked in node_modules/.bin. Compiling takes a minute: one call per suite.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "../../..");
export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { files: string[]; bin: Record<string, string> };

/** The package's own dependencies, as npm would have installed them beside it. */
const DEPENDENCIES = ["@pulumi", "ovh", "require-from-string"];

/** Installs the package into `project`/node_modules. Returns the installed package's folder. */
export function installPackage(project: string): string {
  const modules = path.join(project, "node_modules");
  const installed = path.join(modules, "pulumi-ovh-iplb");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(REPO, "tsconfig.build.json"), "--outDir", path.join(installed, "dist")], { cwd: REPO });
  for (const entry of ["package.json", ...PACKAGE_JSON.files.filter((f) => f !== "dist")]) {
    const from = path.join(REPO, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(installed, entry), { recursive: true });
  }
  for (const dep of DEPENDENCIES) {
    fs.symlinkSync(path.join(REPO, "node_modules", dep), path.join(modules, dep));
  }
  fs.mkdirSync(path.join(modules, ".bin"), { recursive: true });
  for (const [name, file] of Object.entries(PACKAGE_JSON.bin)) {
    fs.symlinkSync(path.join("..", "pulumi-ovh-iplb", file), path.join(modules, ".bin", name));
  }
  return installed;
}

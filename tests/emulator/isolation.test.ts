/**
 * The emulator never imports provider or SDK code: the official schema is the referee between them, so a bug in our
 * provider's models cannot hide behind the same bug in the emulator.
 */
import * as fs from "fs";
import * as path from "path";

const EMULATOR = path.resolve(__dirname, "../../emulator");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
}

describe("emulator isolation", () => {
  const files = sources(EMULATOR);

  it("finds the emulator's sources (so the check below cannot pass on an empty list)", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(imports)).toContain("./store");
  });

  it.each(files.map((f) => [path.relative(EMULATOR, f), f]))("%s imports nothing from provider/ or sdk/", (_name, file) => {
    const outside = imports(file)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => path.resolve(path.dirname(file), spec))
      .filter((target) => !target.startsWith(EMULATOR + path.sep) && target !== EMULATOR);
    expect(outside).toEqual([]);
  });
});

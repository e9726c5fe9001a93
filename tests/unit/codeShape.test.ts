/**
 * The code's shape, kept: no file over 300 lines, and no function over 60 lines in the shipped code, so that every
 * module can be read in one sitting (ARCHITECTURE.md). Functions are found with the TypeScript parser: declarations,
 * methods, accessors, constructors, arrow functions and function expressions; a function's length runs from its first
 * line to its last, nested functions included (a nested function also counts on its own).
 *
 * Test files are held to the file rule only: a `describe` callback is a list of cases, not a function to read whole.
 * An exception names its file (or `file#function`) and says why; one that no longer matches fails the test, so the
 * list only ever shrinks.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;
/** Code that ships or runs in a user's process: both rules. */
const SHIPPED = ["provider", "reads", "sdk", "cli", "emulator", "policy/policies", "testing"];
/** Code that only we run: the file rule. */
const OURS = ["tests", "bench", "scripts"];

const EXCEPTIONS: Readonly<Record<string, string>> = {
  // The test engine (layer C): one class whose methods are the Go engine's step rules over one run's state; its
  // vocabulary and pure rules already live in engineRules.ts, and splitting the class would scatter the rules.
  "tests/helpers/miniEngine.ts": "one class mirroring pkg/resource/deploy step generation",
};

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return ["node_modules", "dist", "fixtures"].includes(entry.name) ? [] : sources(rel);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** The name a reader would search for: the declaration's, else the variable or property holding the function. */
function functionName(node: ts.SignatureDeclaration, file: ts.SourceFile): string {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) return parent.name.getText(file);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return `<anonymous>@${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

function longFunctions(rel: string, text: string): string[] {
  const file = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2020, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.end).line;
      if (last - first + 1 > MAX_FUNCTION_LINES) found.push(`${rel}#${functionName(node, file)} (line ${first + 1}): ${last - first + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function violations(): string[] {
  const found: string[] = [];
  for (const [dirs, functions] of [[SHIPPED, true], [OURS, false]] as const) {
    for (const rel of dirs.flatMap(sources)) {
      const text = fs.readFileSync(path.join(ROOT, rel), "utf8");
      const lines = lineCount(text);
      if (lines > MAX_FILE_LINES) found.push(`${rel}: ${lines} lines`);
      if (functions) found.push(...longFunctions(rel, text));
    }
  }
  return found;
}

const excepted = (violation: string) => Object.keys(EXCEPTIONS).find((key) => violation.startsWith(`${key}:`) || violation.startsWith(`${key} (`));

describe("the code's shape", () => {
  const found = violations();

  it(`has no file over ${MAX_FILE_LINES} lines and no shipped function over ${MAX_FUNCTION_LINES}, exceptions aside`, () => {
    expect(found.filter((v) => !excepted(v))).toEqual([]);
  });

  it("has no exception left that no longer applies", () => {
    const used = new Set(found.map(excepted));
    expect(Object.keys(EXCEPTIONS).filter((key) => !used.has(key))).toEqual([]);
  });

  it("finds a long function and a long file when there is one (the scanner itself)", () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
    expect(longFunctions("x.ts", `export const f = () => {\n${body}\n};\n`)).toEqual(["x.ts#f (line 1): 62 lines"]);
    expect(longFunctions("x.ts", `export function g() {\n${body.split("\n").slice(2).join("\n")}\n}\n`)).toEqual([]);
    expect(lineCount("a\nb\n")).toBe(2);
  });
});

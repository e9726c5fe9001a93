/**
 * The documentation kept honest: what a user reads must match what the code has. It fails when a page links to a file
 * or heading that is not there, cites a file of ours that does not exist, or leaves out an option, flag, seeded value,
 * policy, class or function that the code has: a new option documented nowhere fails here, not in a user's hands.
 * The README stays short (issue 17: read in five minutes) and opens with the two set-up commands.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { seed } from "../../emulator/seed";
import { defaultFaults } from "../../emulator/faults";
import { PROFILES } from "../../emulator/profiles";
import { ruleGroups } from "../../provider/accessRules";
import * as sdk from "../../sdk";

const ROOT = path.join(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const DOCS = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
const EXAMPLE_READMES = fs.readdirSync(path.join(ROOT, "examples")).map((d) => `examples/${d}/README.md`).filter((f) => fs.existsSync(path.join(ROOT, f)));
const PAGES = ["README.md", "ARCHITECTURE.md", ...DOCS, ...EXAMPLE_READMES];

/** Markdown without its fenced code blocks (a `#` there is a shell comment, a `[x](y)` there is code). */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
const anchorsOf = (md: string) => new Set(prose(md).split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ""))));

/** Names declared by an interface of a source file (its own properties, not inherited ones). */
function interfaceProperties(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`no interface ${name} in ${file}`);
  return found.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
}

describe("the README", () => {
  const readme = read("README.md");

  it("opens with the two set-up commands and stays short", () => {
    const lines = readme.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "# pulumi-ovh-iplb",
      "",
      "```sh",
      expect.stringMatching(/^npm ci && npm run quickstart +# /),
      expect.stringMatching(/^npm ci && npm test +# /),
      "```",
    ]);
    expect(lines.length).toBeLessThanOrEqual(220);
  });

  it("links every page of docs/ and every example", () => {
    for (const page of [...DOCS, ...EXAMPLE_READMES]) expect([page, readme.includes(`](${page})`)]).toEqual([page, true]);
  });
});

describe("links and citations", () => {
  it.each(PAGES)("%s: every relative link leads to a file, and every anchor to a heading there", (page) => {
    const broken: string[] = [];
    for (const [, target] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split("#");
      const resolved = file ? path.join(path.dirname(page), file) : page;
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) broken.push(`${target} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });

  /** Cited in backquotes but not ours: the official provider's token map, a package path of the Pulumi repository. */
  const NOT_OURS = new Set(["provider/resources.go", "sdk/nodejs/cmd/pulumi-language-nodejs/v3"]);

  it.each(PAGES)("%s: every file of ours it cites exists", (page) => {
    const cited = [...read(page).matchAll(/`((?:tests|examples|provider|emulator|sdk|cli|policy|testing|bench|scripts|reads|tools)\/[\w./-]+)`/g)].map((m) => m[1]);
    const missing = cited.filter((rel) => !NOT_OURS.has(rel) && !rel.includes("*") && !fs.existsSync(path.join(ROOT, rel)));
    expect(missing).toEqual([]);
  });
});

describe("docs/emulator.md documents everything the emulator has", () => {
  const page = read("docs/emulator.md");
  const named = (name: string) => page.includes(`\`${name}\``);

  it.each([
    ["emulator/runtime.ts", "EmulatorOptions"],
    ["emulator/faults.ts", "Faults"],
    ["emulator/dataplane/options.ts", "DataPlaneOptions"],
    ["emulator/seed.ts", "VrackSeed"],
    ["emulator/server.ts", "Emulator"],
    ["emulator/server.ts", "DataPlaneHandle"],
  ])("every field of %s %s", (file, name) => {
    expect(interfaceProperties(file, name).filter((p) => !named(p) && !page.includes(`\`${p}(`))).toEqual([]);
  });

  it("every flag of ovh-iplb-emulator", () => {
    const cli = read("emulator/cli.ts");
    const options = /options: \{([\s\S]*?)\n    \},/.exec(cli)?.[1] ?? "";
    const flags = [...options.matchAll(/^\s+"?([\w-]+)"?: \{ type/gm)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.filter((f) => !page.includes(`--${f}`))).toEqual([]);
  });

  it("every seeded value: services, addresses, NAT blocks, failover IPs, and the defaults of faults and profiles", () => {
    const state = seed();
    const values = [
      ...Object.keys(state.services),
      ...Object.values(state.services).flatMap((s) => [s.info.ipv4, ...s.natIp.flatMap((n) => n.ip), ...(s.info.zone as string[])]),
      ...Object.keys(state.ips),
      ...Object.values(state.ips).map((ip) => (ip.data.routedTo as { serviceName: string | null }).serviceName),
    ];
    expect(values.filter((v) => typeof v === "string" && !page.includes(v))).toEqual([]);
    expect(Object.keys(defaultFaults()).filter((k) => !named(k))).toEqual([]);
    expect(Object.keys(PROFILES).filter((k) => !named(k))).toEqual([]);
  });
});

describe("the other reference pages", () => {
  it("docs/policies.md names every policy of the pack", () => {
    const names = new Set<string>();
    for (const file of fs.readdirSync(path.join(ROOT, "policy/policies"))) {
      for (const m of read(`policy/policies/${file}`).matchAll(/name: "(iplb-[a-z0-9-]+)"/g)) names.add(m[1]);
    }
    expect(names.size).toBeGreaterThan(15);
    const page = read("docs/policies.md");
    expect([...names].filter((n) => !page.includes(`\`${n}\``))).toEqual([]);
  });

  it("docs/resources.md names every class of the SDK, and docs/functions.md, health.md or resources.md every function", () => {
    const exported = Object.entries(sdk).filter(([, v]) => typeof v === "function");
    const classes = exported.filter(([name, v]) => /^[A-Z]/.test(name) && (v as { prototype?: unknown }).prototype !== undefined).map(([n]) => n);
    // `getXOutput` is the Output form of `getX`, which functions.md and health.md describe once for all.
    const functions = exported.filter(([name]) => /^get[A-Z]/.test(name)).map(([n]) => n.replace(/Output$/, ""));
    expect(classes.length).toBeGreaterThan(15);
    const resources = read("docs/resources.md");
    const both = resources + read("docs/functions.md") + read("docs/health.md");
    expect(classes.filter((c) => !resources.includes(`\`${c}\``) && !resources.includes(`\`${c}.`))).toEqual([]);
    expect(functions.filter((f) => !both.includes(`\`${f}(`) && !both.includes(`\`${f}\``))).toEqual([]);
  });

  it("docs/configuration.md lists every access rule the package needs", () => {
    const page = read("docs/configuration.md");
    const rules = ruleGroups("{svc}").flatMap((g) => g.rules.map((r) => `${r.method} ${decodeURIComponent(r.path)}`));
    expect(rules.filter((r) => !page.includes(`\`${r}\``))).toEqual([]);
  });
});

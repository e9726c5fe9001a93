/**
 * The documentation kept honest: what a user reads must match what the code has (issue 17). It fails when a page links
 * to a file or heading that is not there, cites a file of ours that does not exist, leaves out an option, flag,
 * default, seeded value, policy, class, argument, output, function or access rule that the code has, or gives a
 * default or an enforcement level the code does not: a new option documented nowhere fails here, not in a user's
 * hands. Names are read from the code itself (the TypeScript parser and checker, the modules' own tables), never
 * copied into this test. The README stays short (read in five minutes) and opens with the two set-up commands.
 *
 * Not proven here: that the prose around a name says the right thing about it, or that a cited test proves the claim
 * next to it; those are for review.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { DEFAULT_REFRESH_SECONDS } from "../../emulator/cli";
import { DEFAULT_BASE_PORT } from "../../emulator/dataplane/options";
import { defaultFaults } from "../../emulator/faults";
import { DEFAULT_MAX_NETWORKS, DEFAULT_MIN_NAT_IPS } from "../../emulator/models/vrack";
import { PROFILES } from "../../emulator/profiles";
import { instancesOf, resolveOptions } from "../../emulator/runtime";
import { seed } from "../../emulator/seed";
import { ruleGroups } from "../../provider/accessRules";
import { SETTINGS } from "../../provider/config";
import { policies } from "../../policy/policies";
import { checkCases } from "../badInput/corpus";
import * as reference from "../badInput/referenceCases";
import { familyCases } from "../badInput/familyCases";
import { unsafeCases } from "../badInput/unsafeCases";
import { vrackCases } from "../badInput/vrackCases";

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
/** A flag named on its own: `--data-plane` is not found inside `--data-plane-port`. */
const hasFlag = (text: string, flag: string) => new RegExp(`${flag.replace(/[-]/g, "\\-")}(?![\\w-])`).test(text);
/** The cells of the table row whose first cell is `name` (backquoted), without backquotes; undefined when none. */
function row(text: string, name: string): string[] | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`| \`${name}\``));
  return line?.split(" | ").map((c) => c.replace(/^\| |\|$/g, "").replace(/`/g, "").trim());
}
/** The text of the `## ` section (down to the next `## `) whose heading contains `needle`. */
function section(md: string, needle: string): string {
  const found = md.split(/^(?=## )/m).find((s) => s.split("\n")[0].includes(needle));
  if (!found) throw new Error(`no section whose heading has ${needle}`);
  return found;
}

/** Names declared by an interface of a source file (its own members, not inherited ones). */
function interfaceProperties(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`no interface ${name} in ${file}`);
  return found.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
}

/** The flags a CLI gives `parseArgs` (`{ options: { port: {...}, help: { short: "h" } } }`): `--port`, `--help`, `-h`. */
function parseArgsFlags(file: string): string[] {
  const flags: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.expression.getText() === "parseArgs" && ts.isObjectLiteralExpression(node.arguments[0])) {
      const options = node.arguments[0].properties.find((p) => p.name?.getText() === "options");
      if (options && ts.isPropertyAssignment(options) && ts.isObjectLiteralExpression(options.initializer)) {
        for (const option of options.initializer.properties) {
          if (!ts.isPropertyAssignment(option)) continue;
          flags.push(`--${option.name.getText().replace(/"/g, "")}`);
          const short = ts.isObjectLiteralExpression(option.initializer) && option.initializer.properties.find((p) => p.name?.getText() === "short");
          if (short && ts.isPropertyAssignment(short)) flags.push(`-${short.initializer.getText().replace(/"/g, "")}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true));
  return flags;
}

/** A cited path exists; one with `*` (`tests/emulator/dataPlane*.test.ts`) matches at least one file of its folder. */
function citedExists(rel: string): boolean {
  if (!rel.includes("*")) return fs.existsSync(path.join(ROOT, rel));
  const dir = rel.slice(0, rel.indexOf("*")).replace(/\/[^/]*$/, "");
  const pattern = new RegExp(`^${rel.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}`);
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" }).some((f) => pattern.test(`${dir}/${f}`));
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

  it("says how to install it and links every page of docs/, every example, ARCHITECTURE.md and bench/README.md", () => {
    expect(readme).toContain("npm install pulumi-ovh-iplb");
    const pages = [...DOCS, ...EXAMPLE_READMES, "ARCHITECTURE.md", "bench/README.md"];
    expect(pages.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
  });

  it("names every setting and every access rule a consumer key needs", () => {
    const settings = Object.values(SETTINGS).flatMap((s) => [s.key, s.env]);
    expect(settings.filter((s) => !readme.includes(`\`${s}\``))).toEqual([]);
    const svc = "/ipLoadbalancing/{svc}";
    const rules = ruleGroups("{svc}").flatMap((g) => g.rules.map((r) => `${r.method} ${decodeURIComponent(r.path).replace(svc, "{svc}")}`));
    expect(rules.filter((r) => !readme.includes(`\`${r}\``))).toEqual([]);
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

  /** Cited but not ours: the official provider's token map, a package path of the Pulumi repository. */
  const NOT_OURS = new Set(["provider/resources.go", "sdk/nodejs/cmd/pulumi-language-nodejs/v3"]);
  const CITED = /(?<![\w./@-])((?:tests|examples|provider|emulator|sdk|cli|policy|testing|bench|scripts|reads|tools|docs)\/[\w.*/-]*[\w*/])/g;

  it.each(PAGES)("%s: every file or folder of ours it cites exists, in prose and in code alike", (page) => {
    const cited = [...read(page).matchAll(CITED)].map((m) => m[1].replace(/\.$/, ""));
    expect(cited.filter((rel) => !NOT_OURS.has(rel) && !citedExists(rel))).toEqual([]);
  });
});

describe("docs/emulator.md documents everything the emulator has", () => {
  const page = read("docs/emulator.md");
  const named = (name: string) => page.includes(`\`${name}\``) || page.includes(`\`${name}(`);

  it.each([
    ["emulator/runtime.ts", "EmulatorOptions"],
    ["emulator/auth.ts", "Credentials"],
    ["emulator/accessRules.ts", "ScopedConsumerKey"],
    ["emulator/accessRules.ts", "AccessRule"],
    ["emulator/seed.ts", "VrackSeed"],
    ["emulator/faults.ts", "Faults"],
    ["emulator/dataplane/options.ts", "DataPlaneOptions"],
    ["emulator/server.ts", "EmulatorInfo"],
    ["emulator/server.ts", "DataPlaneInfo"],
    ["emulator/server.ts", "Emulator"],
    ["emulator/server.ts", "DataPlaneHandle"],
    ["emulator/requestLog.ts", "RequestLogEntry"],
    ["emulator/dataplane/control.ts", "DataPlaneServer"],
    ["emulator/dataplane/listeners.ts", "PortEntry"],
  ])("every field of %s %s", (file, name) => {
    expect(interfaceProperties(file, name).filter((p) => !named(p))).toEqual([]);
  });

  it("the defaults the code resolves, for every option, fault, profile and vRack field", () => {
    const resolved = resolveOptions({});
    const expected: Record<string, number> = {
      port: resolved.port, refreshSeconds: resolved.refreshMs / 1000, ipTaskSeconds: resolved.ipTaskMs / 1000,
      certificateSeconds: resolved.certificateMs / 1000, probeMsPerSecond: resolved.probeMsPerSecond,
      probeTimeoutMs: resolved.probeTimeoutMs, maxClockSkewSeconds: resolved.maxClockSkewSeconds, randomSeed: resolved.randomSeed,
    };
    const options = section(page, "Reference");
    for (const [option, value] of Object.entries(expected)) expect([option, row(options, option)?.[2].split(" ")[0]]).toEqual([option, String(value)]);
    const shown = (v: unknown): string =>
      Array.isArray(v) ? `[${v.map(shown).join(", ")}]` : typeof v === "object" && v !== null
        ? `{ ${Object.entries(v).map(([k, x]) => `${k}: ${shown(x)}`).join(", ")} }` : String(v);
    for (const [fault, value] of Object.entries(defaultFaults())) expect([fault, row(page, fault)?.[1]]).toEqual([fault, shown(value)]);
    for (const [name, p] of Object.entries(PROFILES)) {
      expect(row(page, name)?.slice(1, 4)).toEqual([`${p.refreshSeconds} s`, `${p.ipTaskSeconds} s`, `${p.certificateSeconds} s`]);
    }
    expect(row(page, "basePort")?.[2]).toBe(String(DEFAULT_BASE_PORT));
    expect(row(page, "--refresh-seconds S")?.[2]).toMatch(new RegExp(`^${DEFAULT_REFRESH_SECONDS}\\b`));
    expect([row(page, "minNatIps")?.[2], row(page, "maxNetworks")?.[2]]).toEqual([String(DEFAULT_MIN_NAT_IPS), String(DEFAULT_MAX_NETWORKS)]);
  });

  it("every flag of ovh-iplb-emulator, each in the flags table", () => {
    const flags = parseArgsFlags("emulator/cli.ts");
    expect(flags.length).toBeGreaterThan(10);
    const table = section(page, "Reference").split("### `npx ovh-iplb-emulator` flags")[1] ?? "";
    expect(flags.filter((f) => !table.split("\n").some((l) => l.startsWith("| `") && hasFlag(l.split(" | ")[0], f)))).toEqual([]);
  });

  it("every seeded value: services, addresses, zones, instances, NAT blocks, tasks, failover IPs, first id", () => {
    const state = seed();
    const services = Object.values(state.services);
    const values = [
      ...Object.keys(state.services),
      ...services.flatMap((s) => [s.info.ipv4, s.info.offer, s.info.state, ...(s.info.zone as string[])]),
      ...services.flatMap((s) => (s.info.orderableZone as { name: string; planCode: string }[]).flatMap((z) => [z.name, z.planCode])),
      ...services.flatMap((s) => [...s.natIp.flatMap((n) => n.ip), ...Object.values(s.tasks).map((t) => t.action)]),
      ...Object.keys(state.ips),
      ...Object.values(state.ips).map((ip) => (ip.data.routedTo as { serviceName: string | null }).serviceName),
      ...instancesOf(["gra", "rbx"], "gra").concat(instancesOf(["gra", "rbx"], "rbx")).map(String),
      String(state.nextId),
    ];
    expect(values.filter((v) => typeof v === "string" && !page.includes(v))).toEqual([]);
  });
});

describe("the counts the pages give", () => {
  it("docs/bad-input.md: the cases of the corpus, table by table", () => {
    const page = read("docs/bad-input.md");
    const refusedByCheck = checkCases.length + unsafeCases.length + familyCases.length + vrackCases.length;
    const { componentCases, missingReferenceCases, refusedReferenceCases } = reference;
    const total = refusedByCheck + componentCases.length + missingReferenceCases.length + refusedReferenceCases.length;
    expect(page).toContain(`of ${total} invalid stack inputs`);
    expect(page).toContain(`**${refusedByCheck} that \`check()\` refuses.**`);
    expect(page).toContain(`**${componentCases.length} \`LoadBalancer\` configurations`);
    expect(page).toContain(`**${missingReferenceCases.length} references to objects that do not exist.**`);
    expect(page).toContain(`**${refusedReferenceCases.length} frontends whose`);
  });

  it("the README: the policies of the pack", () => expect(read("README.md")).toContain(`(${policies.length} policies)`));
});

describe("docs/policies.md", () => {
  const page = read("docs/policies.md");

  it.each(policies.map((p) => [p.name, p]))("%s: its row gives its enforcement level and every config property", (name, policy) => {
    const cells = row(page, name);
    expect(cells?.[1]).toBe(policy.enforcementLevel);
    const properties = Object.keys(policy.configSchema?.properties ?? {});
    expect(properties.filter((p) => !cells?.[3].includes(p))).toEqual([]);
  });
});

describe("docs/resources.md, functions.md and health.md: every class, argument, output and function of the SDK", () => {
  const program = ts.createProgram([path.join(ROOT, "sdk/index.ts")], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const sdk = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, "sdk/index.ts"))!)!;
  const exported = checker.getExportsOfModule(sdk).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));
  const resources = read("docs/resources.md");
  const functionPages = ["docs/functions.md", "docs/health.md", "docs/resources.md"].map(read).join("\n");
  const mentioned = (text: string, name: string) => text.includes(`\`${name}\``) || new RegExp(`\\b${name}\\??:`).test(text);
  /** A public, non-method property declared in sdk/ (not Pulumi's own `urn`, `id`...). */
  const isOutput = (p: ts.Symbol) => p.valueDeclaration !== undefined && ts.isPropertyDeclaration(p.valueDeclaration) &&
    p.valueDeclaration.getSourceFile().fileName.includes("/sdk/") &&
    !(ts.getCombinedModifierFlags(p.valueDeclaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
  // `changeToken` is every batch member's, documented once in the `Refresh` section.
  const INTERNAL = new Set(["changeToken"]);

  const classes = exported.filter((s) => s.flags & ts.SymbolFlags.Class);

  it.each(classes.map((c) => [c.name, c]))("%s: a section of its own, with every argument and output", (name, symbol) => {
    const text = section(resources, `\`${name}\``);
    const ctor = checker.getSignaturesOfType(checker.getTypeOfSymbol(symbol), ts.SignatureKind.Construct)[0];
    const args = ctor.parameters[1] ? checker.getTypeOfSymbol(ctor.parameters[1]).getNonNullableType().getProperties().map((p) => p.name) : [];
    const outputs = checker.getDeclaredTypeOfSymbol(symbol).getProperties().filter(isOutput).map((p) => p.name).filter((n) => !INTERNAL.has(n));
    expect([...new Set([...args, ...outputs])].filter((n) => !mentioned(text, n))).toEqual([]);
  });

  it("the Refresh section explains changeToken", () => expect(section(resources, "`Refresh`")).toContain("`changeToken`"));

  it("every function and each of its arguments (getXOutput is the Output form of getX, described once)", () => {
    const functions = exported.filter((s) => s.flags & ts.SymbolFlags.Function && /^get[A-Z]/.test(s.name) && !s.name.endsWith("Output"));
    expect(Math.min(classes.length - 15, functions.length - 10)).toBeGreaterThan(0); // the checker found the SDK
    const spans = [...functionPages.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
    const missing = functions.flatMap((f) => {
      if (!spans.some((s) => s === f.name || s.startsWith(`${f.name}(`))) return [f.name];
      const param = checker.getSignaturesOfType(checker.getTypeOfSymbol(f), ts.SignatureKind.Call)[0].parameters[0];
      const args = param && param.name === "args" ? checker.getTypeOfSymbol(param).getProperties().map((p) => p.name) : [];
      return args.filter((a) => !spans.some((s) => s === a || (s.includes(`${f.name}(`) && new RegExp(`\\b${a}\\b`).test(s)))).map((a) => `${f.name}: ${a}`);
    });
    expect(missing).toEqual([]);
  });
});

describe("configuration, the status command and the access rules", () => {
  it("docs/configuration.md names every setting, every access rule and every flag of `ovh-iplb access-rules`", () => {
    const page = read("docs/configuration.md");
    const settings = Object.values(SETTINGS).flatMap((s) => [s.key, s.env]);
    const rules = ruleGroups("{svc}").flatMap((g) => g.rules.map((r) => `${r.method} ${decodeURIComponent(r.path)}`));
    const flags = parseArgsFlags("cli/accessRules.ts").filter((f) => f !== "-h" && f !== "--help");
    expect([...settings, ...rules].filter((s) => !page.includes(`\`${s}\``))).toEqual([]);
    expect(flags.filter((f) => !hasFlag(page, f))).toEqual([]);
  });

  it("docs/health.md names every flag of `ovh-iplb status`", () => {
    const flags = parseArgsFlags("cli/main.ts").filter((f) => f !== "-h" && f !== "--help");
    expect(flags.length).toBeGreaterThan(8);
    expect(flags.filter((f) => !hasFlag(read("docs/health.md"), f))).toEqual([]);
  });
});

/**
 * The example programs through the whole pack, as `pulumi preview --policy-pack ./policy` and `pulumi up` would run
 * it: examples/quickstart is clean (preview and update), examples/bad-stack trips every mandatory policy under its
 * policy-config.json. The programs are the files themselves (programs.ts exampleProgram), captured under mocks with
 * the MiniEngine. What this does not prove: the Go engine's own calls; harness.ts mirrors them (analyzer_plugin.go,
 * server.js), and processPack.test.ts runs the real pack folder and server.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policy/policies";
import { startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import { captureStack } from "./capture";
import { analyze, summary } from "./harness";
import { BAD_STACK_VIOLATIONS, badStackConfig, exampleProgram, SERVICE } from "./programs";

const quickstart = { project: "iplb-quickstart", config: { "iplb-quickstart:serviceName": SERVICE } };
const badStack = { project: "iplb-bad-stack", config: { "iplb-bad-stack:serviceName": SERVICE } };

describe("examples/quickstart", () => {
  it.each([true, false])("passes every policy of the pack (dryRun %s)", async (dryRun) => {
    const stack = await captureStack(exampleProgram("quickstart"), { ...quickstart, dryRun });
    expect(stack.resources.map((r) => r.name).sort()).toEqual(["cache", "cache-1", "cache-2", "web", "web-1", "web-2", "web-3"]);
    expect(await analyze(policies, stack)).toEqual([]);
  });

  it("passes once deployed by the real provider on the emulator, and in the next preview (the API's outputs)", async () => {
    const emu = await startTestEmulator();
    try {
      const engine = new MiniEngine(new InProcessHost(quickstart.project));
      const config = { ...emulatorSettings(emu), "iplb-quickstart:serviceName": emu.serviceName };
      const up = await captureStack(exampleProgram("quickstart"), { ...quickstart, config, engine });
      // Real outputs: what OVH reports, e.g. every server's state per load-balancer instance.
      expect(up.resources.find((r) => r.name === "web-1")!.outputs.serverState).toEqual(expect.any(Array));
      expect(await analyze(policies, up)).toEqual([]);
      const preview = await captureStack(exampleProgram("quickstart"), { ...quickstart, config, engine, dryRun: true });
      expect(engine.steps.map((s) => s.op)).toEqual(Array(7).fill("same"));
      expect(await analyze(policies, preview)).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});

describe("examples/bad-stack", () => {
  const expected = BAD_STACK_VIOLATIONS;

  it.each([true, false])("trips each policy once, on the resource its comment names (dryRun %s)", async (dryRun) => {
    const stack = await captureStack(exampleProgram("bad-stack"), { ...badStack, dryRun });
    expect(summary(await analyze(policies, stack, badStackConfig), stack)).toEqual(expected);
  });

  it("trips every mandatory policy of the pack", () => {
    const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name).sort();
    const tripped = [...new Set(expected.filter((e) => e.startsWith("mandatory")).map((e) => e.split(" ")[1]))].sort();
    expect(tripped).toEqual(mandatory);
  });

  it("names each tripped policy in a comment of its index.ts", () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, "examples/bad-stack/index.ts"), "utf8");
    expect(policies.map((p) => p.name).filter((name) => !source.includes(name))).toEqual([]);
  });
});

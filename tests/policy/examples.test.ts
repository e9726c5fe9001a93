/**
 * The example programs through the whole pack, as `pulumi preview --policy-pack ./policy` and `pulumi up` would run
 * it: examples/quickstart and examples/routes are clean (preview and update), examples/bad-stack trips every mandatory
 * policy under its policy-config.json. The programs are the files themselves (programs.ts exampleProgram), captured
 * under mocks with the MiniEngine. What this does not prove: the Go engine's own calls; harness.ts mirrors them (analyzer_plugin.go,
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
import { analyze, summary, withInputs } from "./harness";
import { BAD_STACK_VIOLATIONS, badStackConfig, exampleProgram, SERVICE } from "./programs";

const quickstart = { project: "iplb-quickstart", config: { "iplb-quickstart:serviceName": SERVICE } };
const badStack = { project: "iplb-bad-stack", config: { "iplb-bad-stack:serviceName": SERVICE } };

describe("examples/quickstart", () => {
  it.each([true, false])("passes every policy of the pack (dryRun %s)", async (dryRun) => {
    const stack = await captureStack(exampleProgram("quickstart"), { ...quickstart, dryRun });
    expect(stack.resources.map((r) => r.name).sort()).toEqual(["cache", "cache-1", "cache-2", "cache-frontend", "web", "web-1", "web-2", "web-3", "web-frontend"]);
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
      expect(engine.steps.map((s) => s.op)).toEqual(Array(9).fill("same"));
      expect(await analyze(policies, preview)).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});

describe("examples/routes", () => {
  const certs = path.join(REPO_ROOT, "tests/fixtures/certs");
  const routes = {
    project: "iplb-routes",
    config: {
      "iplb-routes:serviceName": SERVICE,
      "iplb-routes:webServers": JSON.stringify(["10.0.0.1:8080", "10.0.0.2:8080"]),
      "iplb-routes:apiServers": JSON.stringify(["10.0.1.1:9000", "10.0.1.2:9000"]),
      "iplb-routes:certificateFile": path.join(certs, "www.pem"),
      "iplb-routes:keyFile": path.join(certs, "www.key"),
      "iplb-routes:chainFile": path.join(certs, "ca.pem"),
    },
  };

  it.each([true, false])("passes every policy of the pack (dryRun %s)", async (dryRun) => {
    const stack = await captureStack(exampleProgram("routes"), { ...routes, dryRun });
    expect(await analyze(policies, stack)).toEqual([]);
  });

  it("is judged on its relations: a frontend moved to another zone, or routes stripped of their rules, are flagged", async () => {
    const stack = await captureStack(exampleProgram("routes"), { ...routes, dryRun: true });
    const moved = stack.resources.map((r) => (r.name === "https" ? withInputs(r, { zone: "rbx" }) : r));
    expect(summary(await analyze(policies, { ...stack, resources: moved }), stack)).toEqual([
      "mandatory iplb-route-targets api-by-host",
      "mandatory iplb-route-targets api-by-path",
    ]);
    const ruleless = stack.resources.filter((r) => r.name !== "api-host" && r.name !== "api-path");
    expect(summary(await analyze(policies, { ...stack, resources: ruleless }), stack)).toEqual(["advisory iplb-frontend-default-farm-used https"]);
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

  // Those it does not trip (iplb-certificate-expiring, iplb-certificate-key-secret) are named where it says why not.
  it("names every policy of the pack in a comment of its index.ts", () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, "examples/bad-stack/index.ts"), "utf8");
    expect(policies.map((p) => p.name).filter((name) => !source.includes(name))).toEqual([]);
  });
});

/**
 * The policy pack as users run it: `pulumi preview --policy-pack policy` and `pulumi up --policy-pack policy` on
 * examples/bad-stack with its policy-config.json, with the real CLI (which starts the pack through the language host)
 * against the emulator. Every mandatory violation is reported, the advisory ones are printed, both commands fail, and
 * nothing is written to the API.
 */
import * as path from "path";
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { REPO_ROOT } from "../helpers/programRunner";
import { BAD_STACK_VIOLATIONS } from "../policy/programs";
import { emulatorSettings } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { TestStack } from "./support/stack";

const BAD_STACK = path.join(REPO_ROOT, "examples", "bad-stack");
const PACK = ["--policy-pack", path.join(REPO_ROOT, "policy"), "--policy-pack-config", path.join(BAD_STACK, "policy-config.json")];

describeWithCli("the policy pack on examples/bad-stack", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    stack = await TestStack.create({ bin, projectDir: BAD_STACK, config: { ...emulatorSettings(emu), "iplb-bad-stack:serviceName": emu.serviceName } });
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("preview reports every violation, mandatory and advisory, fails, and writes nothing", async () => {
    const from = emu.requests.length;
    const { result, violations } = await stack.previewPolicies(PACK, { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(violations).toEqual(BAD_STACK_VIOLATIONS);
    expect(result.stdout).toContain("mandatory");
    expect(result.stdout).toContain("advisory");
    expect(emu.requests.slice(from).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("up stops on the mandatory violations (in its preview) and writes nothing", async () => {
    const from = emu.requests.length;
    const { result, violations } = await stack.upPolicies(PACK, { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(violations).toEqual(BAD_STACK_VIOLATIONS);
    // Nothing was created: the state holds no resource of ours.
    const resources = (await stack.exportState()).deployment.resources ?? [];
    expect(resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))).toEqual([]);
    expect(emu.requests.slice(from).filter((r) => r.method !== "GET")).toEqual([]);
  });
});

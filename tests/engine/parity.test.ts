/**
 * Parity of the test engine (tests/helpers/miniEngine.ts, which the fast suites use) with the real one: the same
 * scenarios of the e2e program, each on its own emulator, through both. The operations (create / update / replace /
 * delete per resource) and the API writes must be the same; so must the refreshes per zone where the README promises a
 * number (with a `Refresh` batch: one per touched zone). Operation by operation, how many refreshes the writes of one
 * zone share depends on timing in either engine, so only the batch runs compare refreshes.
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { Desired, E2E_PROGRAM, E2E_PROJECT, FIRST, refreshedZones, SECOND, writeKinds } from "../helpers/desiredState";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runProgram } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { nameOf, SECRET_KEYS, StepEvent, TestStack } from "./support/stack";

interface Outcome { ops: string[]; writes: string[]; zones: string[] }

const DYNAMIC = "pulumi-nodejs:dynamic/";
const config = (emu: Emulator, desired: Desired) => ({
  ...emulatorSettings(emu), [`${E2E_PROJECT}:serviceName`]: emu.serviceName, [`${E2E_PROJECT}:desired`]: JSON.stringify(desired),
});

/** `op name` of each resource of ours that changed; the real engine's replacement halves folded into its `replace`. */
function realOps(steps: StepEvent[]): string[] {
  return steps
    .filter((s) => s.type.startsWith(DYNAMIC) && s.op !== "same" && s.op !== "create-replacement" && s.op !== "delete-replaced")
    .map((s) => `${s.op} ${nameOf(s.urn)}`)
    .sort();
}

const SCENARIOS: { name: string; runs: Desired[] }[] = [
  { name: "operation by operation", runs: [FIRST, SECOND, SECOND] },
  { name: "with a Refresh batch", runs: [FIRST, SECOND, SECOND].map((d) => ({ ...d, batch: true })) },
];

describeWithCli("the test engine against the real one", (bin) => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the same operations and writes${scenario.runs[0].batch ? ", and refreshes per zone" : ""}, run after run`, async () => {
      const real: Outcome[] = [];
      const mini: Outcome[] = [];

      const emu = await startTestEmulator({ refreshSeconds: 0.1, zones: ["gra", "rbx", "sbg"] });
      const stack = await TestStack.create({ bin, projectDir: E2E_PROGRAM, config: config(emu, scenario.runs[0]) });
      try {
        for (const desired of scenario.runs) {
          await stack.setConfig({ [`${E2E_PROJECT}:desired`]: JSON.stringify(desired) });
          const from = emu.requests.length;
          const { steps } = await stack.up();
          const requests = emu.requests.slice(from);
          real.push({ ops: realOps(steps), writes: writeKinds(requests), zones: refreshedZones(requests) });
        }
      } finally {
        stack.dispose();
        await emu.close();
      }

      const emu2 = await startTestEmulator({ refreshSeconds: 0.1, zones: ["gra", "rbx", "sbg"] });
      const host: HostDriver = await startHost({ cwd: REPO_ROOT, project: E2E_PROJECT });
      try {
        const engine = new MiniEngine(host, { secretKeys: SECRET_KEYS });
        for (const desired of scenario.runs) {
          const from = emu2.requests.length;
          const result = await runProgram({
            programDir: E2E_PROGRAM, project: E2E_PROJECT, stack: "parity", config: config(emu2, desired), secretKeys: SECRET_KEYS, engine,
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
          });
          const requests = emu2.requests.slice(from);
          const ops = result.steps.filter((s) => s.type.startsWith(DYNAMIC) && s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
          mini.push({ ops, writes: writeKinds(requests), zones: refreshedZones(requests) });
        }
      } finally {
        await host.close();
        await emu2.close();
      }

      const compared = (o: Outcome[]) => o.map((r) => (scenario.runs[0].batch ? r : { ops: r.ops, writes: r.writes }));
      expect(compared(mini)).toEqual(compared(real));
    });
  }
});

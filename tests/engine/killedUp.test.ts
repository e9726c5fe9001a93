/**
 * A `pulumi up` killed in the middle (SIGKILL of the CLI and every process it started, as a cancelled CI job; the
 * plugins run in process groups of their own, so a group kill would leave them running), then what Pulumi
 * documents for a stack left with pending operations: `pulumi cancel` (the file backend's lock), `pulumi stack export`,
 * the pending operations removed, `pulumi stack import` (and, when the kill cut the local backend's write of the
 * checkpoint's `.attrs` sidecar short, that broken sidecar removed first). The next `up` converges: what the killed
 * run created without recording it is taken over (changes/adoptOrCreate.ts adopts by natural key), so nothing is
 * duplicated and nothing orphaned.
 */
import * as fs from "fs";
import type { Emulator } from "../../emulator";
import { eventually, startTestEmulator } from "../helpers/emulator";
import { E2E_PROJECT, expectLiveEquals, FIRST, writes } from "../helpers/desiredState";
import { allAnswered, duplicates, emulatorObjects, objectPosts } from "../faults/support";
import { describeWithCli } from "./support/cli";
import { killTree, processesWithEnv } from "./support/processTree";
import { changedSteps, TestStack } from "./support/stack";
import { e2eStack } from "./support/e2e";

describeWithCli("a killed pulumi up", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    stack = await e2eStack(bin, emu, FIRST);
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("SIGKILL mid-way, cancel, pending operations cleared by export and import, then up: converged, no duplicate, no orphan", async () => {
    let pid: number | undefined;
    let tree: number[] = [];
    // Killed as the fifth object POST arrives: farms exist, some servers are being created, none recorded yet.
    const stop = emu.onRequest((log) => {
      if (pid === undefined || objectPosts(log).length < 5) return;
      stop();
      tree = killTree(pid);
    });
    const killed = await stack.up([], { allowFailure: true, started: (p) => (pid = p) });
    stop();
    expect(killed.result.signal).toBe("SIGKILL");
    // The CLI, the language host, the program and the dynamic-provider host: all gone, none left running as an orphan
    // (every one of them has the stack's PULUMI_HOME, in its own folder, in its environment).
    expect(tree.length).toBeGreaterThanOrEqual(3);
    await eventually(() => processesWithEnv(stack.dir).length === 0, 30_000, `every process of the killed run to be gone (${tree.join(", ")})`);
    await allAnswered(emu);

    // The kill may land while the local backend rewrites the checkpoint's `.attrs` sidecar (in place, unlike the
    // checkpoint): every read of the stack then fails with "EOF" until that file is removed.
    stack.repairCheckpointAfterKill(E2E_PROJECT);
    await stack.run(["cancel", "--yes"], { allowFailure: true });
    const state = await stack.exportState();
    await stack.importState({ ...state, deployment: { ...state.deployment, pending_operations: [] } });

    await stack.up();
    expectLiveEquals(emu, FIRST);
    expect(duplicates(emu)).toEqual([]);
    // No orphan: every object of the load balancer is in the state.
    const ids = new Set(((await stack.exportState()).deployment.resources ?? []).map((r) => r.id).filter(Boolean));
    const inState = [...emulatorObjects(emu).keys()].filter((key) => [...ids].some((id) => id!.endsWith(`/${key.split(":")[1]}`)));
    expect(inState.length).toBe(emulatorObjects(emu).size);

    const from = emu.requests.length;
    const { steps } = await stack.up();
    expect(changedSteps(steps)).toEqual([]);
    expect(writes(emu.requests.slice(from))).toEqual([]);
  });

  // The kill above lands on the sidecar's write only now and then; this makes that case happen every time.
  it("a checkpoint whose .attrs sidecar a kill left empty: export fails with EOF, the repair docs/going-live.md gives makes it readable", async () => {
    const attrs = stack.checkpointFile(E2E_PROJECT) + ".attrs";
    fs.writeFileSync(attrs, "");
    const broken = await stack.run(["stack", "export"], { allowFailure: true });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain("failed to load checkpoint: EOF");

    expect(stack.repairCheckpointAfterKill(E2E_PROJECT)).toBe(true);
    expect((await stack.exportState()).deployment.resources?.length).toBeGreaterThan(0);
    expect(stack.repairCheckpointAfterKill(E2E_PROJECT)).toBe(false);
  });
});

/**
 * `pulumi refresh` and `pulumi destroy` with the real CLI. Refresh reads every object back: drift is recorded, an
 * object deleted outside Pulumi leaves the state, and the next preview still tells the truth (the provider judges
 * drift against what the program declared, not against the refreshed outputs). Both commands sign with the
 * credentials stored in the state at the last `up` (../shared/pulumi-cli.md): after a rotation they fail with an
 * error that says what to do, and work again after one `up`. Destroy leaves nothing behind and nothing pending.
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { Desired, expectLiveEquals, FIRST, writes } from "../helpers/desiredState";
import { outOfBand, pendingChanges } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { changedSteps, nameOf, plannedSteps, TestStack } from "./support/stack";
import { e2eStack } from "./support/e2e";

/** The emulator's path of a server, from its display name. */
function serverPath(emu: Emulator, name: string): string {
  const svc = emu.store.service(emu.serviceName)!;
  const server = Object.values(svc.staged.servers).find((s) => s.data.displayName === name)!;
  return `/ipLoadbalancing/${emu.serviceName}/${svc.staged.farms[server.farmId].type}/farm/${server.farmId}/server/${server.data.serverId}`;
}

describeWithCli("pulumi refresh and pulumi destroy", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  const desired: Desired = FIRST;
  const stateOf = async (name: string) => (await stack.exportState()).deployment.resources?.find((r) => r.custom && nameOf(r.urn) === name);

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    stack = await e2eStack(bin, emu, desired);
    await stack.up();
    expectLiveEquals(emu, desired);
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("refresh reads every object back: drift lands in the state, a server deleted outside Pulumi leaves it; the next preview and up restore both", async () => {
    const client = outOfBand(emu);
    await client.requestPromised("PUT", serverPath(emu, "web-2"), { weight: 9 });
    await client.requestPromised("DELETE", serverPath(emu, "api-1"));
    const from = emu.requests.length;
    await stack.refresh();
    const reads = emu.requests.slice(from).filter((r) => r.method === "GET" && /\/(farm|server)\/\d+$/.test(r.path)).map((r) => r.path);
    // Each of the three farms and seven servers was read (api-1 answering 404).
    expect(new Set(reads).size).toBe(10);
    expect(writes(emu.requests.slice(from))).toEqual([]);
    expect((await stateOf("web-2"))?.outputs?.weight).toBe(9);
    expect(await stateOf("api-1")).toBeUndefined();

    const preview = await stack.preview();
    expect(plannedSteps(preview.steps)).toEqual(["create api-1", "update web-2"]);
    const { steps } = await stack.up();
    expect(changedSteps(steps)).toEqual(["create api-1", "update web-2"]);
    expectLiveEquals(emu, desired);
  });

  it("after a credential rotation, refresh fails saying what to do (without any key); one `up` then makes refresh work", async () => {
    const oldKey = emu.consumerKey;
    const newKey = emu.rotateConsumerKey();
    await stack.setConfig({ "ovh:consumerKey": newKey });

    const failed = await stack.refresh([], { allowFailure: true });
    expect(failed.result.code).not.toBe(0);
    const output = failed.result.stdout + failed.result.stderr;
    expect(output).toContain("If you rotated them: `pulumi refresh` and `pulumi destroy` use the credentials stored at the last `pulumi up`");
    for (const secret of [oldKey, newKey, emu.applicationSecret]) expect(output).not.toContain(secret);

    const from = emu.requests.length;
    const { steps } = await stack.up();
    expect(changedSteps(steps)).toEqual([]);
    expect(writes(emu.requests.slice(from))).toEqual([]);
    await stack.refresh();
    expectLiveEquals(emu, desired);
  });

  it("destroy deletes everything, live when it returns, nothing pending, an empty state", async () => {
    const { steps } = await stack.destroy();
    expect(changedSteps(steps).every((s) => s.startsWith("delete "))).toBe(true);
    const svc = emu.store.service(emu.serviceName)!;
    expect([Object.keys(svc.staged.farms), Object.keys(svc.staged.servers)]).toEqual([[], []]);
    for (const zone of ["gra", "rbx"]) expect([Object.keys(emu.running(zone).farms), Object.keys(emu.running(zone).servers)]).toEqual([[], []]);
    expect(pendingChanges(emu)).toEqual([]);
    expect((await stack.exportState()).deployment.resources ?? []).toEqual([]);
  });
});

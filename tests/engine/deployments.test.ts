/**
 * The real engine as referee: the e2e program (farms and servers in two zones) deployed with `pulumi up`, changed and
 * left unchanged, with a standalone `pulumi preview --json` before each `up`. After each `up` the emulator's running
 * configuration equals the program with nothing pending; each preview lists exactly the steps its `up` performed and
 * writes nothing; an unchanged `up` writes nothing and refreshes nothing.
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import {
  Desired, E2E_PROJECT, expectLiveEquals, FIRST, refreshedZones, refreshes, SECOND, writeKinds, writes,
} from "../helpers/desiredState";
import { describeWithCli } from "./support/cli";
import { changedSteps, nameOf, plannedSteps, TestStack } from "./support/stack";
import { e2eStack } from "./support/e2e";
import { outOfBand } from "../provider/support";

const DESIRED = `${E2E_PROJECT}:desired`;

/** A server's id in the emulator, from its display name. */
function serverOf(emu: Emulator, name: string): { path: string } {
  const svc = emu.store.service(emu.serviceName)!;
  const server = Object.values(svc.staged.servers).find((s) => s.data.displayName === name)!;
  const farm = svc.staged.farms[server.farmId];
  return { path: `/ipLoadbalancing/${emu.serviceName}/${farm.type}/farm/${server.farmId}/server/${server.data.serverId}` };
}

interface Deployed {
  /** What `preview --json` said of each resource that changes: its fields (`diffReasons`), by name. */
  fields: Record<string, string[]>;
  /** The preview's diagnostics (the provider's drift notes among them). */
  notes: string[];
  /** The preview's steps, and the update's as planned (plannedSteps): equal when the preview told the truth. */
  preview: string[];
  planned: string[];
  previewWrites: number;
  steps: string[];
  requests: Emulator["requests"];
}

async function deploy(emu: Emulator, stack: TestStack, desired: Desired, upArgs: string[] = []): Promise<Deployed> {
  await stack.setConfig({ [DESIRED]: JSON.stringify(desired) });
  const before = emu.requests.length;
  const doc = await stack.preview();
  const preview = plannedSteps(doc.steps);
  const fields = Object.fromEntries(doc.steps.filter((st) => st.op !== "same").map((st) => [nameOf(st.urn), [...(st.diffs ?? [])].sort()]));
  const notes = (doc.diagnostics ?? []).map((n) => n.message);
  const previewWrites = writes(emu.requests.slice(before)).length;
  const from = emu.requests.length;
  const { steps } = await stack.up(upArgs);
  return { fields, notes, preview, planned: plannedSteps(steps), previewWrites, steps: changedSteps(steps), requests: emu.requests.slice(from) };
}

/**
 * Each suite runs under the engine's default `--parallel` (8 workers on 2 cores) and under 1 and 64: the refresh
 * sharing must hold whether the operations of one zone overlap or not.
 */
const PARALLEL: (number | undefined)[] = [undefined, 1, 64];
const parallelArgs = (n: number | undefined) => (n === undefined ? [] : ["--parallel", String(n)]);
const underParallel = (n: number | undefined) => (n === undefined ? "default --parallel" : `--parallel ${n}`);

for (const parallel of PARALLEL) {
  describeWithCli(`pulumi up, operation by operation (${underParallel(parallel)})`, (bin) => {
    let emu: Emulator;
    let stack: TestStack;
    beforeAll(async () => {
      emu = await startTestEmulator({ refreshSeconds: 0.1 });
      stack = await e2eStack(bin, emu);
    });
    afterAll(async () => {
      stack?.dispose();
      await emu?.close();
    });

    it("creates every farm and server, live in both zones when `up` returns, as its preview said", async () => {
      const d = await deploy(emu, stack, FIRST, parallelArgs(parallel));
      expect(d.steps).toHaveLength(10);
      expect(d.steps.every((s) => s.startsWith("create "))).toBe(true);
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toBe(0);
      expectLiveEquals(emu, FIRST);
      expect(writeKinds(d.requests)).toEqual([...Array(3).fill("POST farm"), ...Array(7).fill("POST server")]);
    });

    it("applies a weight change, a cleared field, removals and a replacement, live when `up` returns, as previewed", async () => {
      const d = await deploy(emu, stack, SECOND, parallelArgs(parallel));
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toBe(0);
      expect(d.steps.filter((s) => s.startsWith("update "))).toEqual(["update web", "update web-1"]);
      // The preview names what each update changes (the engine's diff of the inputs: the provider answers "unknown").
      expect(d.fields.web).toEqual(["stickiness"]);
      expect(d.fields["web-1"]).toEqual(["weight"]);
      expect(d.steps.filter((s) => s.startsWith("delete ")).sort()).toEqual(["delete cache", "delete cache-1", "delete cache-2", "delete web-3"]);
      expect(d.steps.filter((s) => s.includes("api-2"))).toEqual(["create-replacement api-2", "delete-replaced api-2", "replace api-2"]);
      expectLiveEquals(emu, SECOND);
      expect(writeKinds(d.requests)).toEqual(["DELETE farm", "DELETE server", "DELETE server", "DELETE server", "DELETE server", "POST server", "PUT farm", "PUT server"]);
    });

    it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
      const d = await deploy(emu, stack, SECOND, parallelArgs(parallel));
      expect(d.preview).toEqual([]);
      expect(d.steps).toEqual([]);
      expect(writes(d.requests)).toEqual([]);
      expect(refreshes(d.requests)).toEqual([]);
      expectLiveEquals(emu, SECOND);
    });

    it("drift made through the API previews an update of that server, with a note naming the field; the up sets it back", async () => {
      const { path } = serverOf(emu, "web-2");
      await outOfBand(emu).requestPromised("PUT", path, { weight: 9 });
      await outOfBand(emu).requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/refresh`, { zone: "gra" });
      const d = await deploy(emu, stack, SECOND, parallelArgs(parallel));
      expect(d.preview).toEqual(["update web-2"]);
      expect(d.notes.join("\n")).toMatch(/HttpFarmServer \S+ was changed outside Pulumi \(weight\)/);
      expect(d.steps).toEqual(["update web-2"]);
      expect(writeKinds(d.requests)).toEqual(["PUT server"]);
      expect(refreshedZones(d.requests)).toEqual(["gra"]);
      expectLiveEquals(emu, SECOND);
    });

    it("adopts a farm made outside Pulumi: no POST, one PUT of what differs, live when `up` returns, as previewed", async () => {
      const made = (await outOfBand(emu).requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/http/farm`, {
        zone: "rbx", port: 8081, displayName: "legacy", balance: "source",
      })) as { farmId: number };
      const adopted: Desired = {
        farms: [...SECOND.farms, { name: "legacy", type: "http", zone: "rbx", port: 8081, stickiness: "cookie", servers: [], adoptFarmId: made.farmId }],
      };
      const d = await deploy(emu, stack, adopted, parallelArgs(parallel));
      expect(d.preview).toEqual(["create legacy"]);
      expect(d.steps).toEqual(["create legacy"]);
      expect(writeKinds(d.requests)).toEqual(["PUT farm"]);
      expect(refreshedZones(d.requests)).toEqual(["rbx"]);
      expectLiveEquals(emu, adopted);
      // Given back to the console: the farm leaves the program, and Pulumi deletes what it adopted.
      const back = await deploy(emu, stack, SECOND, parallelArgs(parallel));
      expect(back.steps).toEqual(["delete legacy"]);
      expectLiveEquals(emu, SECOND);
    });

    it("a farm's stickiness alone previews one farm update, not a replacement of its servers, and the up does just that", async () => {
      const changed: Desired = { farms: SECOND.farms.map((f) => (f.name === "web" ? { ...f, stickiness: "sourceIp" } : f)) };
      const d = await deploy(emu, stack, changed, parallelArgs(parallel));
      expect(d.preview).toEqual(["update web"]);
      expect(d.steps).toEqual(["update web"]);
      expect(writeKinds(d.requests)).toEqual(["PUT farm"]);
      expect(refreshedZones(d.requests)).toEqual(["gra"]);
      expectLiveEquals(emu, changed);
    });
  });

  describeWithCli(`pulumi up with a Refresh batch (${underParallel(parallel)})`, (bin) => {
    let emu: Emulator;
    let stack: TestStack;
    // Three zones, so a change in gra and rbx is two per-zone refreshes, not the single all-zones refresh the provider
    // sends when every zone of the service has pending changes.
    beforeAll(async () => {
      emu = await startTestEmulator({ refreshSeconds: 0.1, zones: ["gra", "rbx", "sbg"] });
      stack = await e2eStack(bin, emu);
    });
    afterAll(async () => {
      stack?.dispose();
      await emu?.close();
    });
    const batched = (desired: Desired): Desired => ({ ...desired, batch: true });

    it("create: exactly one refresh per touched zone", async () => {
      const d = await deploy(emu, stack, batched(FIRST), parallelArgs(parallel));
      expect(d.preview).toEqual(d.planned);
      expectLiveEquals(emu, FIRST);
      expect(refreshedZones(d.requests)).toEqual(["gra", "rbx"]);
    });

    it("changes and removals together: one refresh per touched zone, removals live when `up` returns", async () => {
      const d = await deploy(emu, stack, batched(SECOND), parallelArgs(parallel));
      expect(d.preview).toEqual(d.planned);
      expectLiveEquals(emu, SECOND);
      expect(refreshedZones(d.requests)).toEqual(["gra", "rbx"]);
    });

    it("unchanged: no write, no refresh", async () => {
      const d = await deploy(emu, stack, batched(SECOND), parallelArgs(parallel));
      expect(d.preview).toEqual([]);
      expect(writes(d.requests)).toEqual([]);
      expectLiveEquals(emu, SECOND);
    });
  });
}

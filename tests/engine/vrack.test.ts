/**
 * `VrackNetwork` under the real engine (tests/fixtures/programs/vrack), on an emulator whose load balancer is attached
 * to a vRack, operation by operation and in one `Refresh` batch:
 * - created live when `up` returns, as previewed, each farm on its network: two farms that name the network in their
 *   `vrackNetworkId`, and a console-made farm that another network attaches through its `farmId` list;
 * - changed in place (natIp, vlan, displayName) and a name cleared (removed -> null), each field named;
 * - replaced (another subnet): the engine creates the new network, moves the farms to it, and deletes the old one
 *   last, when no farm uses it any more (the API refuses to delete a network in use). In a batch too, where every
 *   other member is replaced delete-first: the VrackNetwork provider asks for create-first (its diff), without which
 *   the batch's `up` failed here with the API's refusal;
 * - a console-made network taken over (`adoptVrackNetworkId`): no POST of a network;
 * - drift made through the API previewed as the update that sets it back, the fields named;
 * - unchanged: nothing previewed, written or refreshed; destroy: nothing of the stack left, nothing pending.
 * A network's own writes are not staged (emulator/handlers/vrack.ts): an `up` that writes only networks refreshes
 * nothing. With a batch, an `up` that writes staged objects makes one refresh of the zones it touched (both zones of
 * the service: one refresh without a zone, `all`).
 * Not proven here: that OVH accepts two networks of one vRack side by side during a replacement when their subnets
 * overlap (the program moves to a disjoint block), nor any traffic (the emulator routes none).
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { pending, refreshedZones, writes } from "../helpers/desiredState";
import { applyPendingOutOfBand, emulatorSettings, outOfBand } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy, type Deployment } from "./support/deploy";
import { nameOf, stepsOf, TestStack } from "./support/stack";
import * as fs from "fs";
import * as path from "path";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "vrack");
const PROJECT = "iplb-vrack";
const ZONES = ["gra", "rbx"];
/** The steps of the program's own resources: the batch (`batch`) and its markers (`batch-start`, `batch-commit`) are its protocol. */
const own = (steps: string[]) => steps.filter((s) => !/ batch(-\w+)?$/.test(s)).sort();
/** `[method, path, body]` of each write, in a stable order (by path, then method). */
const bodies = (d: Deployment) =>
  writes(d.requests).map((r) => [r.method, r.path, r.body]).sort((a, b) => `${String(a[1])} ${String(a[0])}`.localeCompare(`${String(b[1])} ${String(b[0])}`));
/** `METHOD path` of each write but refreshes, ids as `{id}`, sorted. */
const calls = (d: Deployment) =>
  writes(d.requests).filter((r) => !r.path.endsWith("/refresh")).map((r) => `${r.method} ${r.path.replace(/\/ipLoadbalancing\/[^/]+/, "").replace(/\/\d+/g, "/{id}")}`).sort();

/** The engine's steps of the stack's last command, in the order it started them (`op name`), from its event log. */
function lastSteps(stack: TestStack): string[] {
  const logs = fs.readdirSync(stack.dir).filter((f) => /^events-\d+\.jsonl$/.test(f));
  const last = logs.sort((a, b) => Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, ""))).pop()!;
  return stepsOf(path.join(stack.dir, last)).filter((s) => s.op !== "same").map((s) => `${s.op} ${nameOf(s.urn)}`);
}

/** The networks, the running farms on them (by display name) and the running servers, with their addresses. */
function live(emu: Emulator): string[] {
  const networks = emu.store.service(emu.serviceName)!.vrack!.networks;
  const name = (id: unknown) => (id === null || id === undefined ? "no network" : `on ${String(networks[String(id)]?.displayName ?? `network ${String(id)}`)}`);
  const farms = ZONES.flatMap((zone) => Object.entries(emu.running(zone).farms).map(([id, f]) => ({ id, zone, ...f })));
  const farmName = (id: number) => farms.find((f) => f.id === String(id))?.data.displayName;
  return [
    ...Object.values(networks).map((n) => `network ${String(n.displayName ?? "-")} ${String(n.subnet)} nat ${String(n.natIp)} vlan ${String(n.vlan)}`),
    ...farms.map((f) => `${f.type} farm ${String(f.data.displayName)} (${f.zone}) ${name(f.data.vrackNetworkId)}`),
    ...ZONES.flatMap((zone) => Object.values(emu.running(zone).servers)).map((s) => `${s.type} server ${String(s.data.displayName)} ${String(s.data.address)} in ${String(farmName(s.farmId))}`),
  ].sort();
}

const HOME = "network home 10.9.0.0/16 nat 10.9.255.0/27 vlan 0";
const FIRST = [
  HOME, "network backends 10.10.0.0/16 nat 10.10.255.0/27 vlan 10", "network legacy 192.168.0.0/24 nat 192.168.0.224/27 vlan 0",
  "http farm web (gra) on backends", "tcp farm db (rbx) on backends", "http farm console (gra) on legacy",
  "http server web-1 10.10.0.11 in web", "tcp server db-1 10.10.0.21 in db",
].sort();
const SECOND = [
  HOME, "network backends-2 10.10.0.0/16 nat 10.10.254.0/27 vlan 20", "network - 192.168.0.0/24 nat 192.168.0.224/27 vlan 0",
  "http farm web (gra) on backends-2", "tcp farm db (rbx) on backends-2", "http farm console (gra) on network LEGACY",
  "http server web-1 10.10.0.11 in web", "tcp server db-1 10.10.0.21 in db",
];
const THIRD = [
  HOME, "network backends-2 10.20.0.0/16 nat 10.20.254.0/27 vlan 20", "network - 192.168.0.0/24 nat 192.168.0.224/27 vlan 0",
  "http farm web (gra) on backends-2", "tcp farm db (rbx) on backends-2", "http farm console (gra) on network LEGACY",
  "http server web-1 10.20.0.11 in web", "tcp server db-1 10.20.0.21 in db",
];
const FOURTH = [...THIRD, "network spare 172.16.0.0/16 nat 172.16.255.0/27 vlan 0", "tcp farm cache (gra) on spare"];

for (const batch of [false, true]) {
  describeWithCli(`VrackNetwork and the farms on it (${batch ? "one Refresh batch" : "operation by operation"})`, (bin) => {
    let emu: Emulator;
    let stack: TestStack;
    let legacyId: number;
    const networks = () => emu.store.service(emu.serviceName)!.vrack!.networks;
    const netPath = (id?: number) => `/ipLoadbalancing/${emu.serviceName}/vrack/network${id === undefined ? "" : `/${id}`}`;
    const networkNamed = (displayName: string | null) => Number(Object.entries(networks()).find(([, n]) => (n.displayName ?? null) === displayName)![0]);
    /** The expected states, with the id of the network left without a name (`legacy`) filled in. */
    const expected = (lines: string[]) => lines.map((l) => l.replace("LEGACY", String(legacyId))).sort();
    /**
     * The deployment, and what must hold after every `up` of this suite: as previewed, nothing written by the preview,
     * all live. `zones`: what a batch refreshes (one refresh per touched zone; `all` when both are). An `up` that
     * touches no staged object refreshes nothing, batch or not.
     */
    const deployed = async (config: Record<string, string>, zones: string[]): Promise<Deployment> => {
      const d = await deploy(stack, emu, config);
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toEqual([]);
      expect(pending(emu)).toEqual([]);
      if (batch || zones.length === 0) expect(refreshedZones(d.requests)).toEqual(zones);
      return d;
    };

    beforeAll(async () => {
      emu = await startTestEmulator({ refreshSeconds: 0.1, vrack: { name: "pn-12345" } });
      // Made in the console before the stack: a network and a farm on it, live; the stack's `legacy` network attaches the farm.
      const client = outOfBand(emu);
      const home = (await client.requestPromised("POST", netPath(), { subnet: "10.9.0.0/16", natIp: "10.9.255.0/27", displayName: "home" })) as { vrackNetworkId: number };
      const consoleFarm = (await client.requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/http/farm`, {
        zone: "gra", port: 8080, displayName: "console", vrackNetworkId: home.vrackNetworkId,
      })) as { farmId: number };
      await applyPendingOutOfBand(emu, client);
      stack = await TestStack.create({
        bin, projectDir: PROGRAM,
        config: {
          ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName, [`${PROJECT}:batch`]: String(batch),
          [`${PROJECT}:consoleFarmId`]: String(consoleFarm.farmId),
        },
      });
    });
    afterAll(async () => {
      stack?.dispose();
      await emu?.close();
    });

    it("creates the networks and the farms on them: live when `up` returns, as previewed", async () => {
      const d = await deployed({ [`${PROJECT}:stage`]: "first" }, ["all"]);
      expect(own(d.steps)).toEqual(["create backends", "create db", "create db-1", "create legacy", "create web", "create web-1"]);
      expect(calls(d)).toEqual([
        "POST /http/farm", "POST /http/farm/{id}/server", "POST /tcp/farm", "POST /tcp/farm/{id}/server",
        "POST /vrack/network", "POST /vrack/network", "POST /vrack/network/{id}/updateFarmId",
      ].sort());
      legacyId = networkNamed("legacy");
      expect(live(emu)).toEqual(FIRST);
      expect((await stack.outputs()).backendsId).toBe(networkNamed("backends"));
    });

    it("changes natIp, vlan and displayName in place and clears a name, as previewed, each field named, refreshing nothing", async () => {
      const d = await deployed({ [`${PROJECT}:stage`]: "second" }, []);
      expect(own(d.steps)).toEqual(["update backends", "update legacy"]);
      expect(d.fields).toMatchObject({ backends: ["displayName", "natIp", "vlan"], legacy: ["displayName"] });
      const id = networkNamed("backends-2");
      expect(bodies(d)).toEqual([
        ["PUT", netPath(id), { natIp: "10.10.254.0/27", vlan: 20, displayName: "backends-2" }],
        ["PUT", netPath(legacyId), { displayName: null }],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))));
      expect(networks()[legacyId].displayName).toBeNull();
      expect(live(emu)).toEqual(expected(SECOND));
    });

    it("replaces the network on another subnet: the new one first, the farms moved to it, the old one deleted last", async () => {
      const old = networkNamed("backends-2");
      const d = await deployed({ [`${PROJECT}:stage`]: "third" }, ["all"]);
      expect(own(d.preview)).toEqual(["replace backends", "replace db-1", "replace web-1", "update db", "update web"]);
      expect(own(d.steps)).toEqual([
        "create-replacement backends", "create-replacement db-1", "create-replacement web-1", "delete-replaced backends", "delete-replaced db-1",
        "delete-replaced web-1", "replace backends", "replace db-1", "replace web-1", "update db", "update web",
      ]);
      // The engine's order (create before delete, the provider's answer in a batch too): the new network, then the farms
      // that name it, the old one at the end of the run.
      const started = lastSteps(stack);
      const at = (step: string) => started.indexOf(step);
      expect(at("create-replacement backends")).toBeGreaterThanOrEqual(0);
      expect(at("create-replacement backends")).toBeLessThan(Math.min(at("update web"), at("update db")));
      expect(at("delete-replaced backends")).toBeGreaterThan(Math.max(at("update web"), at("update db")));
      const made = networkNamed("backends-2");
      expect(made).not.toBe(old);
      expect((await stack.outputs()).backendsId).toBe(made);
      // The API refuses to delete a network that farms use: the DELETE comes after both farms' PUTs, and succeeds.
      const order = writes(d.requests).filter((r) => !r.path.endsWith("/refresh") && !r.path.includes("/server")).map((r) => `${r.method} ${r.path}`);
      const farmPuts = order.filter((c) => /^PUT .*\/(http|tcp)\/farm\/\d+$/.test(c));
      expect(order[0]).toBe(`POST ${netPath()}`);
      expect(farmPuts).toHaveLength(2);
      expect(order.slice(-1)).toEqual([`DELETE ${netPath(old)}`]);
      expect(d.requests.filter((r) => r.method === "DELETE" && r.path === netPath(old)).map((r) => r.status)).toEqual([200]);
      for (const r of writes(d.requests).filter((w) => farmPuts.includes(`${w.method} ${w.path}`))) expect(r.body).toEqual({ vrackNetworkId: made });
      expect(networks()[old]).toBeUndefined();
      expect(live(emu)).toEqual(expected(THIRD));
    });

    it("takes a console-made network over with adoptVrackNetworkId, without posting a network", async () => {
      const made = (await outOfBand(emu).requestPromised("POST", netPath(), { subnet: "172.16.0.0/16", natIp: "172.16.255.0/27", displayName: "made in the console" })) as {
        vrackNetworkId: number;
      };
      const d = await deployed({ [`${PROJECT}:stage`]: "fourth", [`${PROJECT}:adoptVrackNetworkId`]: String(made.vrackNetworkId) }, ["gra"]);
      expect(own(d.steps)).toEqual(["create cache", "create spare"]);
      // Taken over: its name put, nothing posted but the farm on it.
      expect(writes(d.requests).filter((r) => r.path.includes("/vrack/")).map((r) => [r.method, r.path, r.body])).toEqual([
        ["PUT", netPath(made.vrackNetworkId), { displayName: "spare" }],
      ]);
      expect(calls(d)).toEqual(["POST /tcp/farm", "PUT /vrack/network/{id}"]);
      expect(networkNamed("spare")).toBe(made.vrackNetworkId);
      expect(live(emu)).toEqual(expected(FOURTH));
    });

    it("drift made through the API: previewed as the update that sets it back, the fields named", async () => {
      const id = networkNamed("backends-2");
      await outOfBand(emu).requestPromised("PUT", netPath(id), { vlan: 99, displayName: "renamed in the console" });
      const d = await deployed({}, []);
      expect(own(d.preview)).toEqual(["update backends"]);
      expect(d.notes.join("\n")).toMatch(new RegExp(`VrackNetwork ${emu.serviceName}/${id} was changed outside Pulumi \\(vlan, displayName\\)`));
      expect(writes(d.requests).map((r) => [r.method, r.path, r.body])).toEqual([["PUT", netPath(id), { vlan: 20, displayName: "backends-2" }]]);
      expect(live(emu)).toEqual(expected(FOURTH));
    });

    it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
      const d = await deployed({}, []);
      expect(d.preview).toEqual([]);
      expect(d.steps).toEqual([]);
      expect(writes(d.requests)).toEqual([]);
    });

    it("destroy: no network or farm of the stack left, the console's farm detached, nothing pending", async () => {
      const from = emu.requests.length;
      await stack.destroy();
      expect(live(emu)).toEqual([HOME, "http farm console (gra) no network"].sort());
      expect(pending(emu)).toEqual([]);
      // The batch's start, deleted last, makes every deletion and the console farm's detachment live at once.
      if (batch) expect(refreshedZones(emu.requests.slice(from))).toEqual(["all"]);
    });
  });
}

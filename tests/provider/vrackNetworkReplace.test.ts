/**
 * Replacing a VrackNetwork that farms use, in a `Refresh` batch, method by method as the engine calls them: the
 * provider asks for create-first (every other batch member is replaced delete-first, lifecycle.ts), because the API
 * refuses to delete a network in use and the farms can move only to a network that exists. The engine's own order
 * (new network, farms updated, old network deleted at the end) is proven in tests/engine/vrack.test.ts; this file
 * proves the diff's answer and why delete-first cannot work.
 */
import type { Emulator } from "../helpers/emulator";
import { applyPendingOutOfBand, configured, failureOf, farmId, mark, pendingChanges, Props, Provider, refreshesSince, withEmulator, writesSince } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
/** The input that makes a resource a member of the batch `lb` (sdk/refresh.ts `joinBatch`). */
const MEMBER = { deferredTo: "lb" };
let emu: Emulator;
let svc: string;
let networks: Provider;
let farms: Provider;

const netPath = (id: string) => `/ipLoadbalancing/${svc}/vrack/network/${farmId(id)}`;
const network = (over: Props = {}): Props => ({ serviceName: svc, subnet: "10.10.0.0/16", natIp: "10.10.255.0/27", __provider: PROVIDER_TEXT, ...MEMBER, ...over });

describe("VrackNetwork replaced in a Refresh batch", () => {
  const started = withEmulator({ refreshSeconds: 0.05, vrack: { name: "pn-12345" } }, async (s) => {
    ({ emu, svc } = s);
    networks = await configured("VrackNetwork", emu);
    farms = await configured("HttpFarm", emu);
  });

  it("asks for create-first on a new subnet, where another batch member is replaced delete-first", async () => {
    const { id, outs } = await networks.create(network());
    const farmInputs = { serviceName: svc, zone: "gra", port: 80, vrackNetworkId: farmId(id), __provider: PROVIDER_TEXT, ...MEMBER };
    const farm = await farms.create(farmInputs);
    expect(await networks.diff(id, outs, network({ subnet: "10.20.0.0/16", natIp: "10.20.255.0/27" }))).toEqual({
      changes: true, replaces: ["subnet"], deleteBeforeReplace: false,
    });
    expect(await farms.diff(farm.id, farm.outs, { ...farmInputs, zone: "rbx" })).toEqual({ changes: true, replaces: ["zone"], deleteBeforeReplace: true });
  });

  it("cannot be deleted first: the API refuses while the farms use it", async () => {
    const { id, outs } = await networks.create(network({ subnet: "10.30.0.0/16", natIp: "10.30.255.0/27" }));
    const farm = await farms.create({ serviceName: svc, zone: "gra", port: 81, vrackNetworkId: farmId(id), __provider: PROVIDER_TEXT, ...MEMBER });
    const error = await failureOf(networks.delete(id, outs));
    expect(error.message).toContain(`VrackNetwork ${id} is used by http farm ${farmId(farm.id)}`);
    expect(emu.store.service(svc)!.vrack!.networks[farmId(id)]).toBeDefined();
  });

  it("created first: the farm moves to the new network, then the old one is deleted, adding no pending change and no refresh", async () => {
    const old = await networks.create(network({ subnet: "10.40.0.0/16", natIp: "10.40.255.0/27" }));
    const farmInputs = { serviceName: svc, zone: "gra", port: 82, vrackNetworkId: farmId(old.id), __provider: PROVIDER_TEXT, ...MEMBER };
    const farm = await farms.create(farmInputs);
    await applyPendingOutOfBand(emu, started().client);
    const from = mark(emu);
    const made = await networks.create(network({ subnet: "10.50.0.0/16", natIp: "10.50.255.0/27" }));
    await farms.update(farm.id, farm.outs, { ...farmInputs, vrackNetworkId: farmId(made.id) });
    const beforeDelete = pendingChanges(emu);
    await networks.delete(old.id, old.outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", `/ipLoadbalancing/${svc}/vrack/network`, { subnet: "10.50.0.0/16", natIp: "10.50.255.0/27", vlan: 0 }],
      ["PUT", `/ipLoadbalancing/${svc}/http/farm/${farmId(farm.id)}`, { vrackNetworkId: farmId(made.id) }],
      ["DELETE", netPath(old.id), undefined],
    ]);
    // Members leave going live to their batch; the network's deletion stages nothing for it to apply.
    expect(refreshesSince(emu, from)).toEqual([]);
    expect(pendingChanges(emu)).toEqual(beforeDelete);
    expect(emu.store.service(svc)!.staged.farms[farmId(farm.id)].data.vrackNetworkId).toBe(farmId(made.id));
  });
});

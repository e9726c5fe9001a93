// vRack private networks of a load balancer (schema `ipLoadbalancing.VrackNetwork.VrackNetwork` and its POST body; OVH
// guide "Configuring the vRack on the load balancer", ovh/docs pages/cloud/load_balancer/vrack_and_loadbalancer).
//
// Semantics of the inputs:
// - `serviceName` and `subnet` replace: the subnet is read-only once posted (schema), so another subnet is another
//   network. `natIp`, `vlan` (absent: 0, "0 if the private network is not in a VLAN") and `displayName` ("" is none)
//   are updated in place; absent or null clears them.
// - `subnet` and `natIp` are IPv4 blocks written as their network address (a.b.c.d/n: "10.0.0.5/16" would be stored as
//   another block than the program says, and diff forever). The subnet is a private block (RFC 1918: the vRack is a
//   private network), natIp lies inside it ("The natIp range must of course be contained in your subnet", guide). How
//   many addresses natIp needs is the API's `networkCreationRules.minNatIps`: check() makes no call, so a refusal
//   is explained with it afterwards (`refusalProblem`).
// - `farmId`: the farms the network has, set with `POST .../updateFarmId` after the create or update, compared as a set
//   (order and repeats never diff). Absent: not managed (farms that name the network in their own `vrackNetworkId`
//   stay as they are); [] detaches every farm. A farm of the same stack should not be listed here and name the network
//   in its `vrackNetworkId` too: then two resources manage one link.
// - `adoptVrackNetworkId` takes over an existing network on create; it never diffs.
// - Zones: a network belongs to the service, not to a zone, and its own writes are not staged (the emulator's
//   handlers/vrack.ts gives the sources); updateFarmId changes farms, which are staged in their zones. So every change
//   goes live as IpLoadBalancingSettings' does: `all`, which refreshes only the zones that have pending changes.
import type { Query } from "../api/client";
import { IplbError } from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import * as fields from "./fields";
import { networkOf, normalizeBlock } from "./ipBlocks";
import { ipv4ToNumber } from "./ipv4";
import type { Checked, ObjectModel } from "./model";
import { parseResourceId } from "./resourceId";

type Obj = Readonly<Record<string, unknown>>;

export const VLAN_MAX = 4094;
/** RFC 1918: the blocks a vRack subnet is taken from. */
export const PRIVATE_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Inputs of a VrackNetwork resource, as check() returns them. */
export type VrackNetworkInputs = {
  serviceName: string;
  subnet: string;
  natIp: string;
  vlan?: number | null;
  displayName?: string | null;
  farmId?: number[];
  adoptVrackNetworkId?: number | null;
  __provider?: string;
};

/** Outputs: the network as the API reports it; `farmId` the ids of the farms using it, ascending. */
export type VrackNetworkOutputs = Omit<VrackNetworkInputs, "adoptVrackNetworkId" | "__provider" | "farmId"> & {
  vrackNetworkId: number;
  vlan: number;
  displayName: string | null;
  farmId: number[];
};

export type VrackNetworkKey = { serviceName: string; vrackNetworkId: number };

/** A valid block (a.b.c.d/n, network address) as its first address and size. */
function rangeOf(block: string): { first: number; size: number } {
  const [address, bits] = block.split("/");
  return { first: ipv4ToNumber(address) ?? 0, size: 2 ** (32 - Number(bits)) };
}

function within(inner: string, outer: string): boolean {
  const [i, o] = [rangeOf(inner), rangeOf(outer)];
  return i.first >= o.first && i.first + i.size <= o.first + o.size;
}

/** An IPv4 block with its prefix, written as its network address (also the subnet filter of getVrackNetworks). */
export const block: fields.Checker = (property, value) => {
  if (typeof value !== "string" || !value.includes("/") || normalizeBlock(value) === undefined) {
    return [fields.failure(property, `${fields.formatValue(value)} is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16)`)];
  }
  const network = networkOf(value);
  return network === value ? [] : [fields.failure(property, `${fields.formatValue(value)} is not a network address; the block is "${network}"`)];
};

const privateBlock: fields.Checker = (property, value) => {
  const bad = block(property, value);
  if (bad.length > 0 || PRIVATE_BLOCKS.some((p) => within(value as string, p))) return bad;
  return [fields.failure(property, `${fields.formatValue(value)} is not a private block (allowed: inside ${PRIVATE_BLOCKS.join(", ")})`)];
};

const farmIds: fields.Checker = (property, value) => {
  if (!Array.isArray(value)) return [fields.failure(property, `${fields.formatValue(value)} is not a list of farm ids (the farmId of HttpFarm, TcpFarm or UdpFarm resources)`)];
  return value.flatMap((id) =>
    fields.containsUnknown(id) || (typeof id === "number" && Number.isSafeInteger(id) && id >= 1)
      ? []
      : [fields.failure(property, `${fields.formatValue(id)} is not a farm id (an integer, 1 or more: the farmId of an HttpFarm, TcpFarm or UdpFarm)`)],
  );
};

const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName, required: true },
  subnet: { check: privateBlock, required: true },
  natIp: { check: block, required: true },
  vlan: { check: fields.intRange(0, VLAN_MAX), nullable: true },
  displayName: { check: fields.text, nullable: true },
  farmId: { check: farmIds },
  adoptVrackNetworkId: { check: fields.intRange(1), nullable: true },
};

/** Validates the inputs; every failure is reported, none is thrown, no API call. */
export function checkVrackNetwork(news: Record<string, unknown>): Checked<VrackNetworkInputs> {
  const failures = fields.checkFields(news, RULES, { passThrough: ["__provider"] });
  const { subnet, natIp } = news;
  const bothFine = !failures.some((f) => f.property === "subnet" || f.property === "natIp") && !fields.containsUnknown([subnet, natIp]);
  if (bothFine && typeof subnet === "string" && typeof natIp === "string" && !within(natIp, subnet)) {
    failures.push(fields.failure("natIp", `${fields.formatValue(natIp)} is not inside the subnet "${subnet}" (natIp is a block of the subnet reserved for the load balancer)`));
  }
  return { inputs: { ...news } as VrackNetworkInputs, failures };
}

/** The farms as compared: each id once, ascending; none when absent. */
export function farmSet(value: unknown): number[] {
  return Array.isArray(value) ? [...new Set(value as number[])].sort((a, b) => a - b) : [];
}

/** The fields the network's own PUT and POST carry. */
const NETWORK_TABLE: fields.FieldTable = {
  serviceName: { change: "replace" },
  subnet: { change: "replace" },
  natIp: { change: "update" },
  vlan: { change: "update", effective: (v) => v ?? 0 },
  displayName: { change: "update", effective: fields.emptyAsNull },
  adoptVrackNetworkId: { change: "ignore" },
};

/** Every field a diff compares: the network's, and its farms (set by updateFarmId, only when declared). */
const TABLE: fields.FieldTable = { ...NETWORK_TABLE, farmId: { change: "update", unmanagedWhenAbsent: true, effective: farmSet } };

/** Desired inputs against the network as the API reports it now, or undefined when it is gone (replace re-creates it). */
export function diffVrackNetwork(desired: Obj, live: Obj | undefined): fields.DiffResult {
  if (live === undefined) return fields.goneDiff("vrackNetworkId");
  return fields.diffFields(TABLE, desired, live);
}

/** POST body: subnet, natIp, vlan (0 when absent, so a twin left by an interrupted `up` is recognised), displayName. */
export function vrackNetworkCreateBody(inputs: Obj): Record<string, unknown> {
  const body = fields.createBody(NETWORK_TABLE, ["subnet", "natIp", "displayName"], inputs);
  if (body.displayName === "") delete body.displayName;
  return { ...body, vlan: inputs.vlan ?? 0 };
}

/** PUT body: only the changed fields of the network; null clears (a cleared vlan is sent as 0, not in a VLAN). */
export function vrackNetworkUpdateBody(desired: Obj, live: Obj): Record<string, unknown> {
  const body = fields.updateBody(NETWORK_TABLE, desired, live);
  if (body.vlan === null) body.vlan = 0;
  return body;
}

/** The updateFarmId body when the program declares farms that differ from the live ones; undefined otherwise. */
export function farmIdBody(desired: Obj, live: Obj): wire.VrackNetworkFarmIds | undefined {
  if (desired.farmId === undefined || fields.deepEqual(farmSet(desired.farmId), farmSet(live.farmId))) return undefined;
  return { farmId: farmSet(desired.farmId) };
}

/** The network as outputs: every field present, farms as their ids. */
export function vrackNetworkOutputs(serviceName: string, network: wire.VrackNetwork): VrackNetworkOutputs {
  return {
    vrackNetworkId: network.vrackNetworkId,
    serviceName,
    subnet: network.subnet,
    natIp: network.natIp,
    vlan: network.vlan ?? 0,
    displayName: network.displayName ?? null,
    farmId: farmSet((network.farmId ?? []).map((f) => f.id)),
  };
}

/**
 * Why the API refused (400) a write leaving the network as `after`, from what only the API knows: the load balancer is
 * not attached to a vRack, natIp holds fewer than `minNatIps` addresses, or (a create) no network is left.
 */
export function refusalProblem(serviceName: string, after: Obj, status: wire.VrackInformation, rules?: wire.VrackNetworkCreationRules): string | undefined {
  if (status.state !== "active") {
    return `serviceName: ${serviceName} is not attached to a vRack (vrack/status: ${status.state}); attach it first (POST /vrack/{vRack name}/ipLoadbalancing)`;
  }
  if (!rules) return undefined;
  const natIp = after.natIp;
  const size = typeof natIp === "string" && block("natIp", natIp).length === 0 ? rangeOf(natIp).size : undefined;
  if (size !== undefined && size < rules.minNatIps) {
    return `natIp: "${String(natIp)}" holds ${size} addresses; ${serviceName} needs at least ${rules.minNatIps} (networkCreationRules.minNatIps of vRack ${rules.vrackName})`;
  }
  if (after.vrackNetworkId === undefined && rules.remainingNetworks === 0) {
    return `serviceName: ${serviceName} can describe no more vRack network (networkCreationRules.remainingNetworks is 0); delete one first`;
  }
  return undefined;
}

export function vrackNetworkResourceId(serviceName: string, vrackNetworkId: number): string {
  return `${serviceName}/${vrackNetworkId}`;
}

/** Parses `serviceName/vrackNetworkId` (terraform's import id); throws an IplbError naming the format otherwise. */
export function parseVrackNetworkId(id: string): VrackNetworkKey {
  const ids = parseResourceId(id, 1);
  if (!ids) throw new IplbError(`invalid VrackNetwork id ${JSON.stringify(id)}: expected <serviceName>/<vrackNetworkId>, e.g. loadbalancer-abc/7`);
  return { serviceName: ids.serviceName, vrackNetworkId: ids.numbers[0] };
}

/** The family, with the verbs every object model has (model.ts). */
export function vrackNetworkModel(): ObjectModel<VrackNetworkInputs, VrackNetworkOutputs, wire.VrackNetwork, VrackNetworkKey> {
  return {
    name: "VrackNetwork",
    check: checkVrackNetwork,
    diff: diffVrackNetwork,
    toCreate: vrackNetworkCreateBody,
    toUpdate: vrackNetworkUpdateBody,
    fromApi: vrackNetworkOutputs,
    id: (key) => vrackNetworkResourceId(key.serviceName, key.vrackNetworkId),
    parseId: parseVrackNetworkId,
    collection: (inputs) => paths.vrackNetworks(inputs.serviceName),
    path: (key) => paths.vrackNetwork(key.serviceName, key.vrackNetworkId),
    keyFor: (inputs, vrackNetworkId) => ({ serviceName: inputs.serviceName, vrackNetworkId }),
    describe: (key) => `vRack network ${key.vrackNetworkId} on ${key.serviceName}`,
    adoptField: "adoptVrackNetworkId",
    // A network an interrupted deployment described (same subnet and VLAN, nothing to change) is taken over.
    naturalKey: "vrackNetwork",
    // The list filters by subnet and VLAN: a recovery reads only the networks that could be ours.
    listQuery: (inputs): Query => ({ subnet: inputs.subnet, vlan: inputs.vlan ?? 0 }),
    zones: () => ["all"],
  };
}

/**
 * vRack models (`ipLoadbalancing.VrackNetwork.VrackNetwork`, `ipLoadbalancing.VrackNetworkCreationRules`) and the
 * checks of a network beyond its field types. Sources: the schema's
 * descriptions, and OVH's guide "Configuring the vRack on the load balancer" (ovh/docs
 * pages/cloud/load_balancer/vrack_and_loadbalancer/guide.en-gb.md).
 *
 * - `subnet` is read-only in the model but taken by the POST (createOnly), so a PUT may only repeat it.
 * - `farmId` is computed on every read, never stored: the farms whose `vrackNetworkId` is the network, as
 *   `DefinedFarm {id, type}`. The POST takes it as a list of farm ids (integers), which handlers/vrack.ts reads itself.
 * - `vlan` absent is 0 ("0 if the private network is not in a VLAN"); 0..4094 are the 802.1Q ids.
 * - `subnet` must be a private block: the guide calls the vRack "a dedicated private network", and every example it and
 *   terraform-provider-ovh give is in RFC 1918 space (ASSUMED: OVH publishes no list of refused blocks).
 * - `natIp` "must of course be contained in your subnet" (guide) and hold at least `minNatIps` addresses ("Ip Block
 *   given on Load Balancer vRack network must contain at least this number of IP", schema).
 */
import { invalidField } from "../errors";
import type { ModelSpec } from "../validate";
import type { ModelTable } from "./spec";

export const VLAN_MAX = 4094;

/**
 * ASSUMED: OVH does not publish its `minNatIps`. terraform-provider-ovh's acceptance test creates a /27 natIp on the
 * real API, so the value is at most 32; the emulator takes that bound, the strictest the evidence allows.
 */
export const DEFAULT_MIN_NAT_IPS = 32;
/** ASSUMED: OVH does not publish how many networks a load balancer may describe (`remainingNetworks` counts down). */
export const DEFAULT_MAX_NETWORKS = 10;

export const VRACK_NETWORK_MODEL: ModelTable = {
  schemaModel: "ipLoadbalancing.VrackNetwork.VrackNetwork",
  spec: {
    displayName: { type: "string", nullable: true },
    farmId: { type: "object[]", readOnly: true, fields: { id: { type: "integer" }, type: { type: "string" } } },
    natIp: { type: "ipBlock", required: true },
    subnet: { type: "ipBlock", readOnly: true, required: true },
    vlan: { type: "integer", min: 0, max: VLAN_MAX },
    vrackNetworkId: { type: "integer", readOnly: true },
  },
  createOnly: ["subnet", "farmId"],
  defaults: { vlan: 0 },
};

/** Computed on every read, never stored. */
export const VRACK_NETWORK_COMPUTED = ["farmId"] as const;

/** `GET .../vrack/networkCreationRules`. */
export const VRACK_RULES_SCHEMA_MODEL = "ipLoadbalancing.VrackNetworkCreationRules";
export const VRACK_RULES_SPEC: ModelSpec = {
  minNatIps: { type: "integer" },
  remainingNetworks: { type: "integer" },
  vrackName: { type: "string" },
};

/** List filters of `GET .../vrack/network` (subnet is an ipBlock, checked by the handler). */
export const VRACK_NETWORK_FILTERS = { vlan: "integer" } as const;

/** RFC 1918. */
export const PRIVATE_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

interface Range {
  first: number;
  size: number;
}

/** An ipBlock (a bare address is a /32) as its first address and size; the value is valid (validate.ts checked it). */
export function rangeOf(block: string): Range {
  const [address, bits = "32"] = block.split("/");
  const value = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  return { first: Math.floor(value / size) * size, size };
}

const inside = (inner: Range, outer: Range) => inner.first >= outer.first && inner.first + inner.size <= outer.first + outer.size;

/** The network as it would be after the write: private subnet, natIp inside it and large enough. */
export function checkNetwork(network: Record<string, unknown>, minNatIps: number): void {
  const subnet = rangeOf(network.subnet as string);
  if (!PRIVATE_BLOCKS.some((block) => inside(subnet, rangeOf(block)))) {
    throw invalidField("subnet", network.subnet, `is not a private block (inside ${PRIVATE_BLOCKS.join(", ")})`);
  }
  const nat = rangeOf(network.natIp as string);
  if (!inside(nat, subnet)) throw invalidField("natIp", network.natIp, `is not inside the subnet ${String(network.subnet)}`);
  if (nat.size < minNatIps) {
    throw invalidField("natIp", network.natIp, `holds ${nat.size} addresses; this Load Balancer needs at least ${minNatIps} (networkCreationRules minNatIps)`);
  }
}

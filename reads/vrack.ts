/**
 * `getVrackNetwork`: one network by id; `getVrackNetworks`: the private networks described on the vRack a load balancer is attached to
 * (`GET /ipLoadbalancing/{serviceName}/vrack/network`, filtered by subnet and VLAN, then each network). Runs in the
 * caller's process (a program: sdk/programSettings.ts gives the client). A load balancer outside any vRack is refused
 * by the API itself (400).
 */
import type { ApiClient, Query } from "../provider/api/client";
import * as errors from "../provider/api/errors";
import * as paths from "../provider/api/paths";
import type * as wire from "../provider/api/wire";
import * as fields from "../provider/models/fields";
import * as vrack from "../provider/models/vrackNetwork";
import { checkArgs, SERVICE_NAME } from "./args";

export interface GetVrackNetworksArgs {
  serviceName: string;
  /** Only the network of this subnet (`10.0.0.0/16`). */
  subnet?: string;
  /** Only the networks of this VLAN (0: not in a VLAN). */
  vlan?: number;
}

export interface GetVrackNetworksResult {
  serviceName: string;
  /** The filters, when given. */
  subnet?: string;
  vlan?: number;
  /** Every field of each network (`farmId`: the farms using it, `{id, type}`), sorted by id. */
  networks: wire.VrackNetwork[];
}

export async function getVrackNetworks(api: ApiClient, args: GetVrackNetworksArgs): Promise<GetVrackNetworksResult> {
  checkArgs("getVrackNetworks", { ...args }, {
    serviceName: SERVICE_NAME,
    subnet: { check: vrack.block },
    vlan: { check: fields.intRange(0, vrack.VLAN_MAX) },
  });
  const filters: Pick<GetVrackNetworksArgs, "subnet" | "vlan"> = {
    ...(args.subnet !== undefined ? { subnet: args.subnet } : {}),
    ...(args.vlan !== undefined ? { vlan: args.vlan } : {}),
  };
  const ids = await api.get<number[]>(paths.vrackNetworks(args.serviceName), filters as Query);
  // A network deleted between the list and its GET is simply not there any more.
  const read = (id: number) => errors.unlessGone(api.get<wire.VrackNetwork>(paths.vrackNetwork(args.serviceName, id)));
  const found = (await Promise.all(ids.map(read))).filter((n): n is wire.VrackNetwork => n !== undefined);
  return { serviceName: args.serviceName, ...filters, networks: found.sort((a, b) => a.vrackNetworkId - b.vrackNetworkId) };
}

export interface GetVrackNetworkArgs {
  serviceName: string;
  vrackNetworkId: number;
}

/** One network, every field (as the official `getVrackNetwork`); a network the service does not have is named in the error. */
export async function getVrackNetwork(api: ApiClient, args: GetVrackNetworkArgs): Promise<wire.VrackNetwork & { serviceName: string }> {
  checkArgs("getVrackNetwork", { ...args }, { serviceName: SERVICE_NAME, vrackNetworkId: { check: fields.intRange(1), required: true } });
  const found = await errors.unlessGone(api.get<wire.VrackNetwork>(paths.vrackNetwork(args.serviceName, args.vrackNetworkId)));
  if (!found) throw new errors.IplbError(`getVrackNetwork: ${args.serviceName} has no vRack network ${args.vrackNetworkId} (getVrackNetworks lists them)`);
  return { serviceName: args.serviceName, ...found };
}

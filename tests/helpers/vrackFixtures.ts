/**
 * What the fidelity test needs to judge the vRack answers: on an emulator attached to a vRack, a network, a farm on it
 * (so `farmId` lists a DefinedFarm), updateFarmId, then every vRack GET. Each answer is kept by schema operation
 * (`GET /ipLoadbalancing/{serviceName}/vrack/network`); a failing step is recorded, not thrown.
 */
import type { OvhClient } from "ovh";
import { Emulator, svcPath } from "./emulator";

const S = "/ipLoadbalancing/{serviceName}/vrack";

/** Every in-scope vRack operation that answers a body, and the concrete path it is called on (`{id}`: the network). */
export const VRACK_PATHS: Readonly<Record<string, string>> = {
  [`GET ${S}/network`]: "/vrack/network",
  [`POST ${S}/network`]: "/vrack/network",
  [`GET ${S}/network/{vrackNetworkId}`]: "/vrack/network/{id}",
  [`POST ${S}/network/{vrackNetworkId}/updateFarmId`]: "/vrack/network/{id}/updateFarmId",
  [`GET ${S}/networkCreationRules`]: "/vrack/networkCreationRules",
  [`GET ${S}/status`]: "/vrack/status",
};

export interface VrackFixtures {
  answers: Record<string, unknown>;
  failures: Record<string, string>;
}

export async function createVrackFixtures(emu: Emulator, client: OvhClient): Promise<VrackFixtures> {
  const fx: VrackFixtures = { answers: {}, failures: {} };
  let id: number | undefined;
  const send = async (key: string, body?: object) => {
    const [method] = key.split(" ");
    const path = svcPath(emu, VRACK_PATHS[key].replace("{id}", String(id)));
    try {
      fx.answers[key] = await client.requestPromised(method, path, body);
    } catch (e) {
      fx.failures[key] = JSON.stringify(e);
    }
  };
  await send(`POST ${S}/network`, { subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", vlan: 42, displayName: "backends" });
  id = (fx.answers[`POST ${S}/network`] as { vrackNetworkId?: number } | undefined)?.vrackNetworkId;
  const farm = (await client.requestPromised("POST", svcPath(emu, "/http/farm"), { zone: "gra", port: 80, vrackNetworkId: id })) as { farmId: number };
  await send(`POST ${S}/network/{vrackNetworkId}/updateFarmId`, { farmId: [farm.farmId] });
  for (const key of Object.keys(VRACK_PATHS).filter((k) => k.startsWith("GET "))) await send(key);
  return fx;
}

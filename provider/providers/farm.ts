/**
 * HTTP, TCP and UDP farms.
 *   create -> POST /ipLoadbalancing/{serviceName}/{type}/farm (or GET + PUT to adopt `adoptFarmId`), then refresh;
 *             a farm of the same zone and displayName, exactly as declared, that an interrupted deployment left is
 *             taken over instead of posting (createOnce.ts)
 *   read   -> GET  .../{type}/farm/{farmId}
 *   update -> PUT  .../{type}/farm/{farmId} with the changed fields, then refresh
 *   delete -> DELETE .../{type}/farm/{farmId}, then refresh
 * Resource id: `serviceName/farmId`.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, FarmType } from "../api/wire";
import * as model from "../models/farm";
import * as createOnceModule from "./createOnce";
import * as lifecycle from "./lifecycle";

type Props = lifecycle.Props;

const CLASS_NAMES: Record<FarmType, string> = { http: "HttpFarm", tcp: "TcpFarm", udp: "UdpFarm" };

async function getFarm(api: ApiClient, type: FarmType, serviceName: string, farmId: number): Promise<Props | undefined> {
  try {
    const farm = await api.get<Backend>(paths.farm(serviceName, type, farmId));
    return model.farmOutputs(type, serviceName, farm);
  } catch (e) {
    if (errors.isNotFound(e)) return undefined;
    throw e;
  }
}

export function farmFamily(type: FarmType): lifecycle.Family {
  const name = CLASS_NAMES[type];
  const family: lifecycle.Family = {
    name,
    check: (news) => model.checkFarm(type, news),
    serviceName: (props) => props.serviceName as string,
    read: (api, id) => {
      const { serviceName, farmId } = model.parseFarmResourceId(id);
      return getFarm(api, type, serviceName, farmId);
    },
    diff: (desired, live) => model.diffFarm(type, desired, live),
    async create(api, inputs, settleMs) {
      const serviceName = inputs.serviceName as string;
      const adopt = inputs.adoptFarmId as number | undefined;
      if (adopt !== undefined && adopt !== null) {
        const live = await getFarm(api, type, serviceName, adopt);
        if (!live) throw new errors.IplbError(`${name} adoptFarmId: there is no ${type} farm ${adopt} on ${serviceName}`);
        const body = lifecycle.adoptionBody(family, "adoptFarmId", adopt, inputs, live);
        createOnceModule.claim(paths.farms(serviceName, type), adopt); // never also taken over as another resource's twin
        if (Object.keys(body).length > 0) await api.put(paths.farm(serviceName, type, adopt), body);
        return { id: model.farmResourceId(serviceName, adopt), outs: { ...live, ...body } };
      }
      const body = model.farmCreateBody(type, inputs) as Props;
      const farm = await createOnceModule.createOnce<Backend>(api, {
        collection: paths.farms(serviceName, type),
        query: { zone: inputs.zone as string },
        body,
        get: (id) => api.get<Backend>(paths.farm(serviceName, type, id)),
        matches: (f) => createOnceModule.carries(f as unknown as Props, body),
        // A farm an interrupted deployment made (same zone and displayName, nothing to change) is taken over.
        naturalKey: "farm",
        declares: (f) => !model.diffFarm(type, inputs, model.farmOutputs(type, serviceName, f)).changes,
      }, settleMs);
      return { id: model.farmResourceId(serviceName, farm.farmId), outs: model.farmOutputs(type, serviceName, farm) };
    },
    updateBody: (desired, live) => model.farmUpdateBody(type, desired, live) as Props,
    put: (api, id, body) => {
      const { serviceName, farmId } = model.parseFarmResourceId(id);
      return api.put(paths.farm(serviceName, type, farmId), body);
    },
    remove: (api, id) => {
      const { serviceName, farmId } = model.parseFarmResourceId(id);
      return api.delete(paths.farm(serviceName, type, farmId));
    },
    zones: (outs) => [outs.zone as string],
  };
  return family;
}

export const httpFarmProvider = lifecycle.makeProvider(farmFamily("http"));
export const tcpFarmProvider = lifecycle.makeProvider(farmFamily("tcp"));
export const udpFarmProvider = lifecycle.makeProvider(farmFamily("udp"));

/**
 * What servers need beyond their model: the zone of their farm, which the API's server object lacks and which says
 * what a change to the server must make live.
 *   create -> GET the farm (its zone, and that it is a farm of this type) beside the listing of its servers
 *   read   -> the zone from the state when known, else GET the farm
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, FarmType } from "../api/wire";
import * as model from "../models/farmServer";
import type { ObjectHooks } from "./objects";

async function farmZone(api: ApiClient, type: FarmType, serviceName: string, farmId: number): Promise<string | undefined> {
  const farm = await errors.unlessGone(api.get<Backend>(paths.farm(serviceName, type, farmId)));
  return farm?.zone;
}

export function serverHooks(type: FarmType): ObjectHooks<model.FarmServerInputs, model.FarmServerOutputs, model.FarmServerKey> {
  const name = model.SERVER_CLASS_NAMES[type];
  return {
    async beforeCreate(api, { serviceName, farmId }) {
      const zone = await farmZone(api, type, serviceName, farmId);
      if (zone === undefined) throw new errors.IplbError(`${name} farmId: there is no ${type.toUpperCase()} farm ${farmId} on ${serviceName}`);
      return { zone };
    },
    async complete(api, { serviceName, farmId }, known) {
      if (typeof known.zone === "string") return { zone: known.zone };
      return { zone: (await farmZone(api, type, serviceName, farmId)) ?? null };
    },
  };
}

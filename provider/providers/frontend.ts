/**
 * What frontends need beyond their model: when the API refuses a write with 400, the farms
 * (GET .../{http,tcp,udp}/farm/{defaultFarmId}) and the certificate (GET .../ssl/{defaultSslId}) are read to say which
 * field is wrong and why; that costs nothing on success.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, FarmType } from "../api/wire";
import { FARM_TYPES } from "../models/farm";
import * as model from "../models/frontend";
import type { ObjectHooks } from "./objects";

/** The farm with this id, whatever its protocol (farm ids are unique per service). */
async function findFarm(api: ApiClient, serviceName: string, farmId: number): Promise<model.FoundFarm | undefined> {
  for (const type of FARM_TYPES) {
    const farm = await errors.unlessGone(api.get<Backend>(paths.farm(serviceName, type, farmId)));
    if (farm) return { type, zone: farm.zone };
  }
  return undefined;
}

export function frontendHooks(type: FarmType): ObjectHooks<model.FrontendInputs, model.FrontendOutputs, model.FrontendKey> {
  return {
    /** Which reference of the frontend (as it would be after the write) the API refused, or undefined if none looks wrong. */
    async explainRefusal(api, serviceName, frontend) {
      const farmId = frontend.defaultFarmId;
      if (typeof farmId === "number") {
        const problem = model.defaultFarmProblem(type, serviceName, frontend.zone as string, farmId, await findFarm(api, serviceName, farmId));
        if (problem) return problem;
      }
      const sslId = frontend.defaultSslId;
      if (typeof sslId === "number" && !(await errors.unlessGone(api.get(paths.ssl(serviceName, sslId))))) {
        return `defaultSslId: there is no certificate ${sslId} on ${serviceName}`;
      }
      return undefined;
    },
  };
}

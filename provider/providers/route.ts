/**
 * What routes need beyond their model: the zone of their frontend, which the API's route lacks and which says what a
 * change to the route must make live, and the farm a `farm` action targets, checked like a frontend's defaultFarmId.
 *   create -> GET the frontend (its zone, and that it is a frontend of this protocol) and the target farm beside the
 *             listing; a wrong one fails before anything is written
 *   read   -> GET the frontend the state names (its zone may have changed since)
 *   a 400  -> the same reads say which reference is wrong
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, FrontendUdp, Route, RouteType } from "../api/wire";
import { FARM_TYPES } from "../models/farm";
import type { FoundFarm } from "../models/frontend";
import type { Props } from "../models/model";
import * as model from "../models/route";
import type { ObjectHooks } from "./objects";

async function frontendZone(api: ApiClient, type: RouteType, serviceName: string, frontendId: number): Promise<string | undefined> {
  const frontend = await errors.unlessGone(api.get<FrontendUdp>(paths.frontend(serviceName, type, frontendId)));
  return frontend?.zone;
}

/** The farm with this id, whatever its protocol (farm ids are unique per service); its own protocol first. */
async function findFarm(api: ApiClient, type: RouteType, serviceName: string, farmId: number): Promise<FoundFarm | undefined> {
  for (const t of [type, ...FARM_TYPES.filter((f) => f !== type)]) {
    const farm = await errors.unlessGone(api.get<Backend>(paths.farm(serviceName, t, farmId)));
    if (farm) return { type: t, zone: farm.zone };
  }
  return undefined;
}

/** The zone of the route's frontend (`all` without one), or a problem naming the field when the frontend is missing. */
async function zoneOf(api: ApiClient, type: RouteType, serviceName: string, route: Props): Promise<{ zone?: string; problem?: string }> {
  if (typeof route.frontendId !== "number") return { zone: "all" };
  const zone = await frontendZone(api, type, serviceName, route.frontendId);
  if (zone === undefined) return { problem: `frontendId: there is no ${type.toUpperCase()} frontend ${route.frontendId} on ${serviceName}` };
  return { zone };
}

/**
 * The zone a route runs in (its frontend's, `all` without one, null when its frontend is gone), read from the API;
 * undefined when the route is gone. Its rules go live there too (providers/routeRule.ts).
 */
export async function routeZone(api: ApiClient, type: RouteType, serviceName: string, routeId: number): Promise<string | null | undefined> {
  const route = await errors.unlessGone(api.get<Route>(paths.route(serviceName, type, routeId)));
  if (route === undefined) return undefined;
  return (await zoneOf(api, type, serviceName, route as unknown as Props)).zone ?? null;
}

/** What is wrong with the route's references (its frontend, its action's farm), or undefined. */
async function referenceProblem(api: ApiClient, type: RouteType, serviceName: string, route: Props): Promise<{ zone?: string; problem?: string }> {
  const where = await zoneOf(api, type, serviceName, route);
  if (where.problem) return where;
  const action = model.effectiveAction(type, route.action);
  const farmId = action?.type === "farm" ? Number(action.target) : NaN;
  if (!Number.isSafeInteger(farmId)) return where;
  const frontendZone = typeof route.frontendId === "number" ? (where.zone as string) : null;
  const problem = model.targetFarmProblem(type, serviceName, frontendZone, farmId, await findFarm(api, type, serviceName, farmId));
  return { ...where, problem };
}

export function routeHooks(type: RouteType): ObjectHooks<model.RouteInputs, model.RouteOutputs, model.RouteKey> {
  const name = model.ROUTE_CLASS_NAMES[type];
  return {
    async beforeCreate(api, inputs) {
      const { zone, problem } = await referenceProblem(api, type, inputs.serviceName, inputs);
      if (problem) throw new errors.IplbError(`${name} ${problem}`);
      return { zone, zoneFrontendId: inputs.frontendId ?? null };
    },
    async complete(api, { serviceName }, known) {
      const frontendId = typeof known.frontendId === "number" ? known.frontendId : null;
      if (frontendId === null) return { zone: "all", zoneFrontendId: null };
      return { zone: (await frontendZone(api, type, serviceName, frontendId)) ?? null, zoneFrontendId: frontendId };
    },
    async explainRefusal(api, serviceName, route) {
      return (await referenceProblem(api, type, serviceName, route)).problem;
    },
  };
}

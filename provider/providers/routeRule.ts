/**
 * What route rules need beyond their model: their route id and zone, which the API's rule lacks. A rule lives with its
 * route: its changes go live where the route runs (the route's frontend's zone, `all` without one), read with the
 * route's own lookup (providers/route.ts `routeZone`).
 *   create -> GET the route (and its frontend) beside the listing of its rules; no such route fails before any write
 *   read   -> the same reads every time (the route may have moved to a frontend of another zone since)
 */
import * as errors from "../api/errors";
import type { RouteType } from "../api/wire";
import * as model from "../models/routeRule";
import type { ObjectHooks } from "./objects";
import { routeZone } from "./route";

export function routeRuleHooks(type: RouteType): ObjectHooks<model.RouteRuleInputs, model.RouteRuleOutputs, model.RouteRuleKey> {
  const name = model.ROUTE_RULE_CLASS_NAMES[type];
  return {
    async beforeCreate(api, { serviceName, routeId }) {
      const zone = await routeZone(api, type, serviceName, routeId);
      if (zone === undefined) throw new errors.IplbError(`${name} routeId: there is no ${type.toUpperCase()} route ${routeId} on ${serviceName}`);
      return { routeId, zone };
    },
    async complete(api, { serviceName, routeId }) {
      return { routeId, zone: (await routeZone(api, type, serviceName, routeId)) ?? null };
    },
  };
}

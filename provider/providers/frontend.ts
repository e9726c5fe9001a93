/**
 * HTTP, TCP and UDP frontends.
 *   create -> POST /ipLoadbalancing/{serviceName}/{type}/frontend (or GET + PUT to adopt `adoptFrontendId`), then
 *             refresh the frontend's zone (`all`: every zone); a frontend of the same zone and port, exactly as
 *             declared, that an interrupted deployment left is taken over instead (createOnce.ts)
 *   read   -> GET  .../{type}/frontend/{frontendId}
 *   update -> PUT  .../{type}/frontend/{frontendId} with the changed fields, then refresh (old and new zone)
 *   delete -> DELETE .../{type}/frontend/{frontendId}, then refresh
 * When the API refuses a write with 400, the farms (GET .../{http,tcp,udp}/farm/{defaultFarmId}) and the certificate
 * (GET .../ssl/{defaultSslId}) are read to say which field is wrong and why; that costs nothing on success.
 * Resource id: `serviceName/frontendId`.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, FarmType, FrontendUdp } from "../api/wire";
import * as model from "../models/frontend";
import * as createOnceModule from "./createOnce";
import * as lifecycle from "./lifecycle";

type Props = lifecycle.Props;

const CLASS_NAMES: Record<FarmType, string> = { http: "HttpFrontend", tcp: "TcpFrontend", udp: "UdpFrontend" };
const TYPES: readonly FarmType[] = ["http", "tcp", "udp"];

async function getFrontend(api: ApiClient, type: FarmType, serviceName: string, frontendId: number): Promise<Props | undefined> {
  const frontend = await errors.unlessGone(api.get<FrontendUdp>(paths.frontend(serviceName, type, frontendId)));
  return frontend && model.frontendOutputs(type, serviceName, frontend);
}

/** The farm with this id, whatever its protocol (farm ids are unique per service). */
async function findFarm(api: ApiClient, serviceName: string, farmId: number): Promise<model.FoundFarm | undefined> {
  for (const type of TYPES) {
    const farm = await errors.unlessGone(api.get<Backend>(paths.farm(serviceName, type, farmId)));
    if (farm) return { type, zone: farm.zone };
  }
  return undefined;
}

/** Which reference of `frontend` (as it would be after the write) the API refused, or undefined if none looks wrong. */
async function diagnose(api: ApiClient, type: FarmType, serviceName: string, frontend: Props): Promise<string | undefined> {
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
}

/**
 * Runs a write; a 400 becomes an error naming the field and the reason when `after()` (the frontend as the write
 * would leave it) shows one, with the API's own message kept at the end.
 */
async function explained<T>(api: ApiClient, name: string, type: FarmType, serviceName: string, after: () => Promise<Props>, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const refused = e as { name?: string; status?: number } | undefined;
    if (refused?.name !== "OvhApiError" || refused.status !== 400) throw e;
    // A failed diagnosis must not hide the API's refusal.
    const problem = await after().then((frontend) => diagnose(api, type, serviceName, frontend)).catch(() => undefined);
    if (!problem) throw e;
    throw new errors.IplbError(`${name} ${problem} (${(e as Error).message})`, { cause: e });
  }
}

export function frontendFamily(type: FarmType): lifecycle.Family {
  const name = CLASS_NAMES[type];
  const put = (api: ApiClient, serviceName: string, frontendId: number, body: Props) =>
    explained(api, name, type, serviceName, async () => ({ ...(await getFrontend(api, type, serviceName, frontendId)), ...body }),
      () => api.put(paths.frontend(serviceName, type, frontendId), body));

  const family: lifecycle.Family = {
    name,
    check: (news) => model.checkFrontend(type, news),
    serviceName: (props) => props.serviceName as string,
    read: (api, id) => {
      const { serviceName, frontendId } = model.parseFrontendResourceId(id);
      return getFrontend(api, type, serviceName, frontendId);
    },
    diff: (desired, live) => model.diffFrontend(type, desired, live),
    async create(api, inputs, settleMs) {
      const serviceName = inputs.serviceName as string;
      const adopt = inputs.adoptFrontendId as number | undefined | null;
      if (adopt !== undefined && adopt !== null) {
        const live = await getFrontend(api, type, serviceName, adopt);
        if (!live) throw new errors.IplbError(`${name} adoptFrontendId: there is no ${type.toUpperCase()} frontend ${adopt} on ${serviceName}`);
        const body = lifecycle.adoptionBody(family, "adoptFrontendId", adopt, inputs, live);
        createOnceModule.claim(paths.frontends(serviceName, type), adopt); // never also taken over as a twin
        if (Object.keys(body).length > 0) await put(api, serviceName, adopt, body);
        return { id: model.frontendResourceId(serviceName, adopt), outs: { ...live, ...body } };
      }
      const body = model.frontendCreateBody(type, inputs) as Props;
      const frontend = await explained(api, name, type, serviceName, async () => body, () =>
        createOnceModule.createOnce<FrontendUdp>(api, {
          collection: paths.frontends(serviceName, type),
          query: { zone: inputs.zone as string },
          body,
          get: (id) => api.get<FrontendUdp>(paths.frontend(serviceName, type, id)),
          matches: (f) => createOnceModule.carries(f as unknown as Props, body),
          // A frontend an interrupted deployment made (same zone and port, nothing to change) is taken over.
          naturalKey: "frontend",
          declares: (f) => !model.diffFrontend(type, inputs, model.frontendOutputs(type, serviceName, f)).changes,
        }, settleMs));
      return { id: model.frontendResourceId(serviceName, frontend.frontendId), outs: model.frontendOutputs(type, serviceName, frontend) };
    },
    updateBody: (desired, live) => model.frontendUpdateBody(type, desired, live) as Props,
    put: (api, id, body) => {
      const { serviceName, frontendId } = model.parseFrontendResourceId(id);
      return put(api, serviceName, frontendId, body);
    },
    remove: (api, id) => {
      const { serviceName, frontendId } = model.parseFrontendResourceId(id);
      return api.delete(paths.frontend(serviceName, type, frontendId));
    },
    // A frontend in `all` runs in every zone; the refresh planner expands it to the service's zones.
    zones: (outs) => [outs.zone as string],
  };
  return family;
}

export const httpFrontendProvider = lifecycle.makeProvider(frontendFamily("http"));
export const tcpFrontendProvider = lifecycle.makeProvider(frontendFamily("tcp"));
export const udpFrontendProvider = lifecycle.makeProvider(frontendFamily("udp"));

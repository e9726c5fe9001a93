/**
 * Servers of HTTP, TCP and UDP farms.
 *   create -> GET the farm (its zone, and that it is a farm of this type) and list the farm's servers of that address
 *             side by side, POST .../{type}/farm/{farmId}/server
 *             (or GET + PUT to adopt `adoptServerId`), then refresh the farm's zone; a server of the same address
 *             and port, exactly as declared, that an interrupted deployment left is taken over instead (createOnce.ts)
 *   read   -> GET .../server/{serverId} (serverState included)
 *   update -> PUT the changed fields, then refresh
 *   delete -> DELETE, then refresh
 * Resource id: `serviceName/farmId/serverId`. The farm's zone is kept in the outputs as `zone`.
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { Backend, BackendServer, FarmType } from "../api/wire";
import * as model from "../models/farmServer";
import * as createOnceModule from "./createOnce";
import * as lifecycle from "./lifecycle";

type Props = lifecycle.Props;

const CLASS_NAMES: Record<FarmType, string> = { http: "HttpFarmServer", tcp: "TcpFarmServer", udp: "UdpFarmServer" };

/** The zone of the server's farm: from the state when known, else from the API. */
async function farmZone(api: ApiClient, type: FarmType, serviceName: string, farmId: number, known: unknown): Promise<string | undefined> {
  if (typeof known === "string") return known;
  const farm = await errors.unlessGone(api.get<Backend>(paths.farm(serviceName, type, farmId)));
  return farm?.zone;
}

export function farmServerFamily(type: FarmType): lifecycle.Family {
  const name = CLASS_NAMES[type];
  const label = type.toUpperCase();
  const outputs = (serviceName: string, server: BackendServer, zone: string | undefined): Props => ({
    ...model.farmServerOutputs(type, serviceName, server),
    zone: zone ?? null,
  });
  const family: lifecycle.Family = {
    name,
    check: (news) => model.checkFarmServer(type, news),
    serviceName: (props) => props.serviceName as string,
    async read(api, id, props) {
      const { serviceName, farmId, serverId } = model.parseFarmServerResourceId(id);
      const server = await errors.unlessGone(api.get<BackendServer>(paths.server(serviceName, type, farmId, serverId)));
      if (!server) return undefined;
      return outputs(serviceName, server, await farmZone(api, type, serviceName, farmId, props.zone));
    },
    diff: (desired, live) => model.diffFarmServer(type, desired, live),
    async create(api, inputs, settleMs) {
      const serviceName = inputs.serviceName as string;
      const farmId = inputs.farmId as number;
      const adopt = inputs.adoptServerId as number | undefined;
      const adopting = adopt !== undefined && adopt !== null;
      const collection = paths.servers(serviceName, type, farmId);
      const query = { address: inputs.address as string };
      // The farm's zone and the listing createOnce starts from, side by side.
      const listed = adopting ? undefined : createOnceModule.listCollection(api, collection, query);
      const zone = await farmZone(api, type, serviceName, farmId, undefined);
      if (zone === undefined) throw new errors.IplbError(`${name} farmId: there is no ${label} farm ${farmId} on ${serviceName}`);
      if (adopting) {
        const server = await errors.unlessGone(api.get<BackendServer>(paths.server(serviceName, type, farmId, adopt)));
        if (!server) throw new errors.IplbError(`${name} adoptServerId: there is no server ${adopt} in ${label} farm ${farmId} on ${serviceName}`);
        const live = outputs(serviceName, server, zone);
        const body = lifecycle.adoptionBody(family, "adoptServerId", adopt, inputs, live);
        createOnceModule.claim(paths.servers(serviceName, type, farmId), adopt); // never also taken over as a twin
        if (Object.keys(body).length > 0) await api.put(paths.server(serviceName, type, farmId, adopt), body);
        return { id: model.farmServerResourceId(serviceName, farmId, adopt), outs: { ...live, ...body } };
      }
      const body = model.farmServerCreateBody(type, inputs) as Props;
      const server = await createOnceModule.createOnce<BackendServer>(api, {
        collection,
        query,
        listed,
        body,
        get: (id) => api.get<BackendServer>(paths.server(serviceName, type, farmId, id)),
        matches: (s) => createOnceModule.carries(s as unknown as Props, body),
        // A server an interrupted deployment made (same address and port, nothing to change) is taken over.
        naturalKey: "server",
        declares: (s) => !model.diffFarmServer(type, inputs, outputs(serviceName, s, zone)).changes,
      }, settleMs);
      return { id: model.farmServerResourceId(serviceName, farmId, server.serverId), outs: outputs(serviceName, server, zone) };
    },
    updateBody: (desired, live) => model.farmServerUpdateBody(type, desired, live) as Props,
    put: (api, id, body) => {
      const { serviceName, farmId, serverId } = model.parseFarmServerResourceId(id);
      return api.put(paths.server(serviceName, type, farmId, serverId), body);
    },
    remove: (api, id) => {
      const { serviceName, farmId, serverId } = model.parseFarmServerResourceId(id);
      return api.delete(paths.server(serviceName, type, farmId, serverId));
    },
    zones: (outs) => (typeof outs.zone === "string" ? [outs.zone] : ["all"]),
  };
  return family;
}

export const httpFarmServerProvider = lifecycle.makeProvider(farmServerFamily("http"));
export const tcpFarmServerProvider = lifecycle.makeProvider(farmServerFamily("tcp"));
export const udpFarmServerProvider = lifecycle.makeProvider(farmServerFamily("udp"));

/**
 * Which servers of a running farm may take traffic, from the API's fields and the probes' verdict:
 * - `status: "inactive"` takes nothing, sticky clients included (the probes report it `MAINT`, probes.ts).
 * - A server the farm's probe marked `DOWN` (the emulator's health state, the `serverState` the API reports for the
 *   zone's instances) takes nothing until its probe marks it up again. Without a probe a server is always up
 *   (HAProxy does not check it), as on OVH where the probe flag is per server.
 * - An address outside 127.0.0.0/8 is never contacted: such a server takes nothing (as if down).
 * - `weight` 0 ("0 if not used in load balancing", schema) takes no new client, but still serves a client that a
 *   cookie or the sourceIp table sends to it (HAProxy's rule for weight 0; sticky routing is stickiness.ts').
 * - `backup` servers take new clients only when no active (non-backup) server can: then the first of them by id,
 *   as HAProxy does without `option allbackups` (OVH's configuration is not published; ASSUMED).
 * - The port is the server's, else the farm's ("Inherited from farm if null"), else the frontend's port the client
 *   came in on ("Inherited from frontend if null").
 */
import type { Candidate } from "./balance";
import type { Config, Model } from "../store";

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface ServerRef extends Candidate {
  farmId: number;
  address: string;
  port: number;
  backup: boolean;
  /** Takes traffic at all (active, loopback, not marked down): sticky clients go only to such servers. */
  up: boolean;
  /** What the server model says (cookie value, ssl...). */
  data: Model;
}

const integer = (value: unknown): number | undefined => (typeof value === "number" && Number.isInteger(value) ? value : undefined);

/** The servers of the running farm `farmId`, by id; `isDown` is the probes' verdict for the zone. */
export function farmServers(config: Config, farmId: number, frontendPort: number, isDown: (serverId: number) => boolean): ServerRef[] {
  const farm = config.farms[farmId];
  if (!farm) return [];
  return Object.entries(config.servers)
    .filter(([, s]) => s.farmId === farmId)
    .map(([id, s]): ServerRef => {
      const serverId = Number(id);
      const address = String(s.data.address);
      return {
        id: serverId,
        farmId,
        address,
        port: integer(s.data.port) ?? integer(farm.data.port) ?? frontendPort,
        weight: integer(s.data.weight) ?? 1,
        backup: s.data.backup === true,
        up: s.data.status === "active" && LOOPBACK.test(address) && !isDown(serverId),
        data: s.data,
      };
    })
    .sort((a, b) => a.id - b.id);
}

/** The servers new clients may be balanced to: active ones, else the first backup (see above). */
export function newTrafficCandidates(servers: readonly ServerRef[]): ServerRef[] {
  const able = servers.filter((s) => s.up && s.weight > 0);
  const active = able.filter((s) => !s.backup);
  if (active.length > 0) return active;
  const backup = able.find((s) => s.backup);
  return backup ? [backup] : [];
}

/**
 * The account's IP blocks (`/ip`, ovh-iplb-api.md 7) and the IPLB's view of them (`GET .../failover`). The `/failover`
 * list is derived from the blocks' `routedTo`, so it always agrees with `/ip/{ip}` once a move or park task is done.
 *
 * Behaviour the reference leaves open, decided here:
 * - `{ip}` arrives URL-decoded (`203.0.113.7%2F32`). A bare address names its `/32` block: terraform issue #1099 reports
 *   that single IPs work without a mask while larger blocks need it. Unknown blocks answer 404 `This service does not
 *   exist` (the real API's answer for a block that is not on the account, ovh/ovhcloud-cli PR #257); malformed ones 400.
 * - Destinations (`GET .../move`): the account's IPLBs and dedicated servers, minus the one the IP is routed to; other
 *   families are empty lists. `POST .../move` to anything else (the current service included) is a 400, as terraform
 *   compares `routedTo` first and never asks for a no-op move. `nexthop` is accepted and ignored (IPLBs list none).
 * - One task at a time per block: a move or park while another is `todo`/`doing` answers 409 (the reference lists 409
 *   for "another task already in progress"). Parking a parked IP is a 400.
 * - Move and park are both `genericMoveFloatingIp` tasks (park has `destination: null`) [infer, reference 7.1].
 */
import { badRequest, conflict, invalidField, notFound } from "../errors";
import { IP_TASK_FUNCTIONS, IP_TASK_STATUSES, isRunning, publicIpTask, runIpTask } from "../ipTasks";
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { DEDICATED_SERVER } from "../seed";
import { IpRecord, Model, Store } from "../store";
import { isIpBlock, isIpv4, ModelSpec, validateCreate, validateUpdate } from "../validate";
import { Ctx, filterIds, idIn, likeMatch, serviceOf } from "./common";

const IP_TYPES = ["cdn", "cloud", "dedicated", "failover", "hosted_ssl", "housing", "loadBalancing", "mail", "overthebox", "pcc", "pci", "private", "vpn", "vps", "vrack", "xdsl"];

/** `ip.IpWithIAM`: only `description` is writable; the rest may be re-sent unchanged. */
const IP_SPEC: ModelSpec = {
  ip: { type: "string", readOnly: true },
  type: { type: "string", readOnly: true },
  routedTo: { type: "object", readOnly: true, nullable: true, fields: { serviceName: { type: "string", nullable: true } } },
  description: { type: "string", nullable: true },
  canBeTerminated: { type: "boolean", readOnly: true },
  country: { type: "string", readOnly: true, nullable: true },
  organisationId: { type: "string", readOnly: true, nullable: true },
  campus: { type: "string", readOnly: true, nullable: true },
  regions: { type: "string[]", readOnly: true, nullable: true },
  rir: { type: "string", readOnly: true, nullable: true },
  isAdditionalIp: { type: "boolean", readOnly: true },
  bringYourOwnIp: { type: "boolean", readOnly: true },
  version: { type: "integer", readOnly: true },
  iam: {
    type: "object",
    readOnly: true,
    nullable: true,
    fields: { id: { type: "string" }, urn: { type: "string" }, displayName: { type: "string", nullable: true }, tags: { type: "object", nullable: true } },
  },
};

const MOVE_SPEC: ModelSpec = { to: { type: "string", required: true }, nexthop: { type: "string" } };

/** IPv4 blocks are checked; IPv6 ones (none are seeded) only need a colon. */
const isBlockText = (value: string): boolean => value.includes(":") || isIpBlock(value);

/** The stored block named by `{ip}`: exact, or the `/32` of a bare IPv4 address. */
function blockOf(ctx: Ctx): { block: string; record: IpRecord } {
  const raw = ctx.params.ip;
  if (!isBlockText(raw)) throw invalidField("ip", raw, "is not valid for type ipBlock");
  const block = isIpv4(raw) ? `${raw}/32` : raw;
  const record = ctx.state.store.ip(block);
  if (!record) throw notFound("This service does not exist");
  return { block, record };
}

/** IPv4 block -> [first address, last address] as unsigned 32-bit numbers. */
function range(block: string): [number, number] | undefined {
  if (!isIpBlock(block)) return undefined;
  const [addr, bits = "32"] = block.split("/");
  const base = addr.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = base - (base % size);
  return [first, first + size - 1];
}

/** Filter `ip` of `GET /ip`: "contains or equals" — the block equals the query or contains it. */
function containsOrEquals(block: string, query: string): boolean {
  if (block === query) return true;
  const outer = range(block);
  const inner = range(query);
  return !!outer && !!inner && outer[0] <= inner[0] && inner[1] <= outer[1];
}

/** `like` on free text: `%` also spans line breaks (a description may hold some). */
function likeText(value: unknown, pattern: string, caseless = false): boolean {
  const text = String(value ?? "");
  return caseless ? likeMatch(text.toLowerCase(), pattern.toLowerCase(), "s") : likeMatch(text, pattern, "s");
}

function listBlocks(ctx: Ctx): string[] {
  const q = ctx.query;
  if (q.type !== undefined && !IP_TYPES.includes(q.type)) throw invalidField("type", q.type, "does not belong to the ip.IpTypeEnum enumeration");
  if (q.version !== undefined && q.version !== "4" && q.version !== "6") throw invalidField("version", q.version, "does not belong to the ip.IpVersionEnum enumeration");
  if (q.isAdditionalIp !== undefined && q.isAdditionalIp !== "true" && q.isAdditionalIp !== "false") throw invalidField("isAdditionalIp", q.isAdditionalIp, "is not valid for type boolean");
  if (q.ip !== undefined && !isBlockText(q.ip)) throw invalidField("ip", q.ip, "is not valid for type ipBlock");
  const store = ctx.state.store;
  return Object.entries(store.data.ips)
    .filter(([block, record]) => {
      const data = record.data;
      if (q.type !== undefined && data.type !== q.type) return false;
      if (q.version !== undefined && String(data.version) !== q.version) return false;
      if (q.isAdditionalIp !== undefined && String(data.isAdditionalIp) !== q.isAdditionalIp) return false;
      if (q.ip !== undefined && !containsOrEquals(block, q.ip)) return false;
      if (q.description !== undefined && !likeText(data.description, q.description)) return false;
      if (q.campus !== undefined && !likeText(data.campus, q.campus, true)) return false;
      return q["routedTo.serviceName"] === undefined || likeText(store.routedTo(record), q["routedTo.serviceName"]);
    })
    .map(([block]) => block)
    .sort();
}

/** Dedicated servers of the account: the seeded one, and any non-IPLB service an IP is routed to. */
function dedicatedServers(store: Store): string[] {
  const found = new Set([DEDICATED_SERVER]);
  for (const record of Object.values(store.data.ips)) {
    const target = store.routedTo(record);
    if (target && !store.service(target)) found.add(target);
  }
  return [...found].sort();
}

/** `ip.Destinations` for one block. */
function destinations(store: Store, record: IpRecord): Record<string, { service: string; nexthop: string[] | null }[]> {
  const current = store.routedTo(record);
  const entries = (names: string[]) => names.filter((s) => s !== current).map((service) => ({ service, nexthop: null }));
  return {
    cloudProject: [],
    dedicatedCloud: [],
    dedicatedServer: entries(dedicatedServers(store)),
    hostingReseller: [],
    ipLoadbalancing: entries(Object.keys(store.data.services).sort()),
    vps: [],
  };
}

function refuseIfBusy(block: string, record: IpRecord): void {
  const busy = Object.values(record.tasks).find(isRunning);
  if (busy) throw conflict(`A task is already in progress on ${block} (task ${busy.taskId}, ${busy.function} ${busy.status})`);
}

/** A move (to a service) or a park (`to` null): one `genericMoveFloatingIp` task that routes the block when done. */
function routeTask(ctx: Ctx, block: string, record: IpRecord, to: string | null) {
  const rt = ctx.state;
  const task = runIpTask(rt, record, {
    function: "genericMoveFloatingIp",
    destination: to,
    durationMs: rt.options.ipTaskMs,
    outcome: () => rt.faults.ipTaskOutcome,
    finish: () => rt.store.routeIp(record, to),
    failure: `Unable to ${to === null ? `park ${block}` : `route ${block} to ${to}`}: internal error while updating the routing, please retry`,
  });
  return publicIpTask(task);
}

function move(ctx: Ctx) {
  const { block, record } = blockOf(ctx);
  const { to } = validateCreate(MOVE_SPEC, ctx.body) as { to: string };
  refuseIfBusy(block, record);
  const allowed = Object.values(destinations(ctx.state.store, record)).flat().some((d) => d.service === to);
  if (!allowed) throw invalidField("to", to, `is not a destination available for ${block} (see GET /ip/{ip}/move)`);
  return routeTask(ctx, block, record, to);
}

function park(ctx: Ctx) {
  const { block, record } = blockOf(ctx);
  refuseIfBusy(block, record);
  if (ctx.state.store.routedTo(record) === null) throw badRequest(`${block} is already parked`);
  return routeTask(ctx, block, record, null);
}

function taskIds(ctx: Ctx): number[] {
  const { record } = blockOf(ctx);
  const q = ctx.query;
  if (q.function !== undefined && !(IP_TASK_FUNCTIONS as readonly string[]).includes(q.function)) {
    throw invalidField("function", q.function, "does not belong to the ip.TaskFunctionEnum enumeration");
  }
  if (q.status !== undefined && !(IP_TASK_STATUSES as readonly string[]).includes(q.status)) {
    throw invalidField("status", q.status, "does not belong to the ip.TaskStatusEnum enumeration");
  }
  return filterIds(Object.entries(record.tasks), q, {
    function: { field: (t) => t.function, op: "=" },
    status: { field: (t) => t.status, op: "=" },
  });
}

export function register(router: Router<Runtime>): void {
  router
    .add("GET", "/ip", listBlocks)
    .add("GET", "/ip/{ip}", (ctx): Model => blockOf(ctx).record.data)
    .add("PUT", "/ip/{ip}", (ctx) => {
      const { record } = blockOf(ctx);
      ctx.state.store.updateIp(record, validateUpdate(IP_SPEC, ctx.body, record.data));
      return null;
    })
    .add("GET", "/ip/{ip}/move", (ctx) => destinations(ctx.state.store, blockOf(ctx).record))
    .add("POST", "/ip/{ip}/move", move)
    .add("POST", "/ip/{ip}/park", park)
    .add("GET", "/ip/{ip}/task", taskIds)
    .add("GET", "/ip/{ip}/task/{taskId}", (ctx) => publicIpTask(idIn(blockOf(ctx).record.tasks, ctx, "taskId").item))
    .add("GET", "/ipLoadbalancing/{serviceName}/failover", (ctx) => {
      const name = serviceOf(ctx).info.serviceName;
      return Object.entries(ctx.state.store.data.ips)
        .filter(([, record]) => ctx.state.store.routedTo(record) === name)
        .map(([block]) => block)
        .sort();
    });
}

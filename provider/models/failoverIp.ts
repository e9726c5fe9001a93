// Failover (additional) IPs routed to a load balancer (ovh-iplb-api.md section 7). There is no IPLB-side attach call:
// the IP is moved on `/ip/{ip}` and the load balancer lists what is routed to it in `GET .../failover`.
//
// Semantics of the inputs (what users rely on):
// - `ip` is one address: `203.0.113.7` or its block `203.0.113.7/32`, the same thing to the API. The resource works on
//   the block (terraform-provider-ovh issue #1099: bare addresses work, larger blocks need the mask; a failover
//   attachment moves one address, so larger blocks are refused in check).
// - The diff compares the program with where the IP is routed now (`GET /ip/{ip}`): routed elsewhere or parked shows
//   as an update, and the update moves it back. `ip` and `serviceName` replace the attachment.
// - `takeOver` is consulted on create only: an IP routed to another service is refused unless it is set, because the
//   move cuts that service off. It never diffs.
import * as errors from "../api/errors";
import type * as wire from "../api/wire";
import * as fields from "./fields";
import { isIpv4 } from "./ipv4";
import type { Checked, ModelBasics } from "./model";

/** What the resource reports about the last `/ip` task it ran: null when it never had to move the IP. */
export interface TaskOutput {
  taskId: number;
  function: string;
  status: string;
  comment: string | null;
}

/** Outputs of a failover IP attachment. */
export interface FailoverIpOutputs {
  serviceName: string;
  /** The block, `203.0.113.7/32`. */
  ip: string;
  /** The service the IP is routed to now; null when parked. */
  routedTo: string | null;
  lastTask: TaskOutput | null;
}

type Obj = Readonly<Record<string, unknown>>;

/** `203.0.113.7` or `203.0.113.7/32` -> `203.0.113.7/32`; anything else (other masks, IPv6, junk) -> undefined. */
export function ipBlock(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const [address, mask, ...rest] = value.split("/");
  if (rest.length > 0 || !isIpv4(address) || (mask !== undefined && mask !== "32")) return undefined;
  return `${address}/32`;
}

const ipCheck: fields.Checker = (property, value) =>
  ipBlock(value) !== undefined
    ? []
    : [fields.failure(property, `${fields.formatValue(value)} is not an IPv4 address or /32 block (one failover IP, e.g. 203.0.113.7)`)];

const RULES: fields.RuleTable = {
  serviceName: { check: fields.serviceName, required: true },
  ip: { check: ipCheck, required: true },
  takeOver: { check: fields.bool, nullable: true },
};

/** Validates the inputs; every failure is reported, none is thrown, no API call. The inputs are returned as given. */
export function checkFailoverIp(news: Record<string, unknown>): Checked<FailoverIpInputs> {
  return { inputs: { ...news } as FailoverIpInputs, failures: fields.checkFields(news, RULES, { passThrough: ["__provider"] }) };
}

/** The service an IP is routed to; null when parked (`routedTo` null, or its serviceName null). */
export function routedService(ip: Pick<wire.Ip, "routedTo">): string | null {
  return ip.routedTo?.serviceName ?? null;
}

export type AttachPlan = { action: "adopt" } | { action: "move" } | { action: "refuse"; reason: string };

/**
 * What create does with an IP that exists on the account: nothing to move when it is routed here already; a move when
 * it is parked, or routed elsewhere with `takeOver`; otherwise a refusal that names the service it would cut off.
 */
export function attachPlan(serviceName: string, block: string, live: Pick<wire.Ip, "routedTo">, takeOver: boolean): AttachPlan {
  const current = routedService(live);
  if (current === serviceName) return { action: "adopt" };
  if (current === null || takeOver) return { action: "move" };
  return {
    action: "refuse",
    reason:
      `${block} is routed to ${current}; moving it to ${serviceName} would cut ${current} off from it. ` +
      `Set takeOver: true to move it anyway, or park it first (POST /ip/{ip}/park)`,
  };
}

/** The error create raises for an IP the account does not have (GET /ip/{ip} answered 404). */
export function notOwnedError(block: string): errors.IplbError {
  return new errors.IplbError(`FailoverIpAttachment: ${block} is not an IP of this OVH account (GET /ip/{ip} answered 404)`);
}

/**
 * Desired inputs against the old outputs and the IP as `GET /ip/{ip}` reports it now (undefined after a 404: the IP
 * left the account, so the attachment is replaced and its create says why it cannot be made).
 * Changing `serviceName` alone is replaced delete-first: parking the IP before moving it to the new service, since the
 * new attachment would otherwise find the IP on the old service (and refuse it), and deleting the old one afterwards
 * would park the IP the new one had just moved.
 */
export function diffFailoverIp(desired: Obj, olds: Obj, live: Pick<wire.Ip, "routedTo"> | undefined): fields.DiffResult & { deleteBeforeReplace: boolean } {
  const result: fields.DiffResult = { changes: false, replaces: [], diffs: [], detailedDiff: {} };
  const replace = (name: string) => {
    result.replaces.push(name);
    result.diffs.push(name);
    result.detailedDiff[name] = { kind: "update-replace", inputDiff: true };
  };
  if (desired.serviceName !== olds.serviceName) replace("serviceName");
  if ((ipBlock(desired.ip) ?? desired.ip) !== olds.ip) replace("ip");
  if (live === undefined && result.replaces.length === 0) replace("ip");
  if (live !== undefined && result.replaces.length === 0 && routedService(live) !== desired.serviceName) {
    result.diffs.push("routedTo");
    result.detailedDiff.routedTo = { kind: "update", inputDiff: false };
  }
  result.changes = result.diffs.length > 0;
  const serviceOnly = result.replaces.length === 1 && result.replaces[0] === "serviceName";
  return { ...result, deleteBeforeReplace: serviceOnly };
}

export function taskOutput(task: Pick<wire.IpTask, "taskId" | "function" | "status" | "comment">): TaskOutput {
  return { taskId: task.taskId, function: task.function, status: task.status, comment: task.comment ?? null };
}

export function failoverOutputs(serviceName: string, block: string, live: Pick<wire.Ip, "routedTo">, lastTask: TaskOutput | null): FailoverIpOutputs {
  return { serviceName, ip: block, routedTo: routedService(live), lastTask };
}

/** The Pulumi id: `serviceName/203.0.113.7/32` (a service name has no `/`, so the first one separates them). */
export function failoverResourceId(serviceName: string, block: string): string {
  return `${serviceName}/${block}`;
}

export function parseFailoverResourceId(id: string): { serviceName: string; ip: string } {
  const slash = id.indexOf("/");
  const block = slash > 0 ? ipBlock(id.slice(slash + 1)) : undefined;
  if (block === undefined) {
    throw new errors.IplbError(`invalid failover IP attachment id ${JSON.stringify(id)}: expected <serviceName>/<ip>/32, e.g. loadbalancer-abc/203.0.113.7/32`);
  }
  return { serviceName: id.slice(0, slash), ip: block };
}

export type FailoverIpInputs = { serviceName: string; ip: string; takeOver?: boolean | null; __provider?: string };
export type FailoverIpKey = { serviceName: string; ip: string };

/**
 * The verbs a failover IP shares with the object models (model.ts). Not an object model: the IP is not an object of
 * the load balancer that is posted and put, but an /ip block routed by move and park tasks, so there is no create or
 * update body and no collection; its outputs join the IP's routing with the last task; and its diff needs the old
 * outputs (where the last `up` left the IP) besides the live IP.
 */
export const failoverIpModel: ModelBasics<FailoverIpInputs, FailoverIpKey> = {
  name: "FailoverIpAttachment",
  check: checkFailoverIp,
  id: (key) => failoverResourceId(key.serviceName, key.ip),
  parseId: parseFailoverResourceId,
};

/**
 * FailoverIpAttachment: a failover (additional) IP routed to a load balancer.
 *   check  -> the model's validation (no API call)
 *   diff   -> GET /ip/{ip}: routed elsewhere or parked = update; `ip` or `serviceName` changed, or the IP gone = replace
 *   create -> GET /ip/{ip}; unless routed here already: POST /ip/{ip}/move {to}, poll GET /ip/{ip}/task/{id};
 *             GET /ipLoadbalancing/{serviceName}/failover must list it; then one refresh of every zone
 *   read   -> GET /ip/{ip} (where it is routed now; a 404 returns an empty id)
 *   update -> as create, moving it back from wherever it is (drift), then the refresh
 *   delete -> if it is still routed here: POST /ip/{ip}/park, poll, then the refresh; routed elsewhere or gone: nothing
 * Resource id: `serviceName/203.0.113.7/32`.
 *
 * The refresh is forced (changes/goLive.ts `force`): a routed IP is not a staged change, so `pendingChanges` does
 * not list it, yet the OVH guide "Routing an Additional IP" says the load balancer picks it up on a refresh. It joins
 * the write window of the service, so the farms and servers changed in the same run share it. A member of a `Refresh`
 * batch leaves it to the batch instead: its change token asks for every zone (changes/batch.ts `refreshAll`).
 * Its deletion (parking) still refreshes at once: a parked IP leaves no pending change for the batch to see.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { engineDiff } from "../changes/engineDiff";
import * as batch from "../changes/batch";
import { goLiveNow } from "../changes/goLive";
import * as tasks from "../changes/tasks";
import * as model from "../models/failoverIp";
import { configure, type Props, type ProviderThis, ResourceInitError, type Session, session } from "./session";


const MOVE_FUNCTION = "genericMoveFloatingIp";

const getIp = (api: ApiClient, block: string) => errors.unlessGone(api.get<wire.Ip>(paths.ip(block)));

/** A move or park task started since `before` towards `destination`: what an ambiguous POST failure may have left. */
async function startedTask(api: ApiClient, block: string, before: Set<number>, destination: string | null): Promise<wire.IpTask | undefined> {
  const ids = (await api.get<number[]>(paths.ipTasks(block), { function: MOVE_FUNCTION })).filter((id) => !before.has(id));
  const found = await Promise.all(ids.map((id) => api.get<wire.IpTask>(paths.ipTask(block, id))));
  return found.filter((t) => (t.destination?.serviceName ?? null) === destination).sort((a, b) => b.taskId - a.taskId)[0];
}

/**
 * POST a move or park, never twice blindly: after an ambiguous failure (5xx, network) the task may exist, so look for
 * it before posting again (the client itself retries only a 429).
 */
async function startTask(api: ApiClient, block: string, path: string, body: object | undefined, destination: string | null): Promise<wire.IpTask> {
  const before = new Set(await api.get<number[]>(paths.ipTasks(block), { function: MOVE_FUNCTION }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<wire.IpTask>(path, body);
    } catch (e) {
      if (!errors.isRetryable(e) || attempt >= 3) throw e;
      const started = await startedTask(api, block, before, destination);
      if (started) return started;
    }
  }
}

/** Runs a move (`to` a service) or a park (`to` null) to its end; a failed task fails with its comment. */
async function runTask(s: Session, block: string, to: string | null): Promise<wire.IpTask> {
  const task = to === null
    ? await startTask(s.api, block, paths.ipPark(block), undefined, null)
    : await startTask(s.api, block, paths.ipMove(block), { to } satisfies wire.IpMoveBody, to);
  try {
    return await tasks.waitForIpTask(s.api, block, task.taskId, s.window.poll);
  } catch (e) {
    if (!errors.isTaskFailed(e)) throw e;
    const what = to === null ? `Parking ${block}` : `Routing ${block} to ${to}`;
    throw new errors.IplbError(`FailoverIpAttachment: ${what} failed: ${e.message}`, { cause: e });
  }
}

/** Routes the IP here unless it already is; returns the move task, or null when there was nothing to move. */
async function routeHere(s: Session, serviceName: string, block: string, live: wire.Ip, takeOver: boolean): Promise<model.TaskOutput | null> {
  const plan = model.attachPlan(serviceName, block, live, takeOver);
  if (plan.action === "refuse") throw new errors.IplbError(`FailoverIpAttachment: ${plan.reason}`);
  if (plan.action === "adopt") return null;
  return model.taskOutput(await runTask(s, block, serviceName));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The load balancer's own list must show the IP (the OVH guide's check) before the refresh that puts it to use. */
async function confirmListed(s: Session, serviceName: string, block: string): Promise<void> {
  const deadline = Date.now() + Math.min(s.config.taskTimeoutMs, 30_000);
  for (let wait = 200; ; wait = Math.min(wait * 2, 3000)) {
    const listed = await s.api.get<string[]>(paths.failover(serviceName));
    if (listed.includes(block)) return;
    if (Date.now() + wait > deadline) {
      throw new errors.IplbError(
        `FailoverIpAttachment: ${block} is routed to ${serviceName}, but GET /ipLoadbalancing/${serviceName}/failover does not list it (it lists ${listed.join(", ") || "nothing"})`,
      );
    }
    await sleep(wait);
  }
}

/** Confirms and refreshes. Failing after the IP was routed keeps the attachment in the state (ResourceInitError). */
async function confirmAndApply(s: Session, id: string, serviceName: string, block: string, props: Props): Promise<void> {
  try {
    await confirmListed(s, serviceName, block);
    if (!batch.isMember(props)) await goLiveNow(s, serviceName, ["all"], { force: true });
  } catch (e) {
    const message = errors.messageOf(e);
    throw new ResourceInitError(
      `FailoverIpAttachment ${id}: ${block} is routed to ${serviceName} but not in use yet: ${message}. The next \`pulumi up\` will finish it.`,
      id, props, [message],
    );
  }
}

/** A move that timed out may still happen: keep the attachment in the state so the next `up` checks and finishes. */
function keepIfTimedOut(e: unknown, id: string, props: Props): never {
  if (!errors.isTaskTimeout(e)) throw e;
  throw new ResourceInitError(`FailoverIpAttachment ${id}: ${e.message}`, id, props, [e.message]);
}

/** Routes (with or without `takeOver`), confirms and refreshes; the outputs of a create or an update. */
async function attach(s: Session, inputs: Props, takeOver: boolean, previous: model.TaskOutput | null): Promise<{ id: string; outs: Props }> {
  // The engine passes what check() returned, so `ip` is a valid block.
  const { serviceName, ip } = inputs as model.FailoverIpInputs;
  const block = model.ipBlock(ip) as string;
  const id = model.failoverIpModel.id({ serviceName, ip: block });
  const live = await getIp(s.api, block);
  if (!live) throw model.notOwnedError(block);
  const before = { ...inputs, ...model.failoverOutputs(serviceName, block, live, previous) };
  const moved = await routeHere(s, serviceName, block, live, takeOver).catch((e) => keepIfTimedOut(e, id, before));
  const lastTask = moved ?? previous;
  const routed = { ...inputs, ...model.failoverOutputs(serviceName, block, { routedTo: { serviceName } }, lastTask) };
  await confirmAndApply(s, id, serviceName, block, routed);
  const fresh = (await getIp(s.api, block)) ?? { routedTo: { serviceName } };
  const token = batch.isMember(inputs) ? { changeToken: batch.changeToken(true) } : {};
  return { id, outs: { ...inputs, ...model.failoverOutputs(serviceName, block, fresh, lastTask), ...token } };
}

export const failoverIpProvider: pulumi.dynamic.ResourceProvider = {
  configure,

  async check(_olds: Props, news: Props) {
    return batch.checkMember(model.failoverIpModel.check, news);
  },

  async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const live = await getIp(s.api, model.failoverIpModel.parseId(id).ip);
    const result = model.diffFailoverIp(news, olds, live);
    // Short of a replacement, the only change is drift: the IP routed elsewhere (or parked) outside Pulumi.
    const drift = { changes: result.diffs.includes("routedTo"), replaces: [], diffs: ["routedTo"] };
    return engineDiff({ desired: result, drift, what: `FailoverIpAttachment ${id}`, deleteBeforeReplace: result.deleteBeforeReplace });
  },

  async create(this: ProviderThis, inputs: Props) {
    return attach(session(this), inputs, inputs.takeOver === true, null);
  },

  async read(this: ProviderThis, id: string, props: Props) {
    const s = session(this);
    const { serviceName, ip } = model.failoverIpModel.parseId(id);
    const live = await getIp(s.api, ip);
    if (!live) return { id: "", props: {} };
    return { id, props: { ...props, ...model.failoverOutputs(serviceName, ip, live, (props.lastTask ?? null) as model.TaskOutput | null) } };
  },

  // Routed elsewhere since the last `up` (drift that preview showed): the program wins, so the IP is moved back.
  async update(this: ProviderThis, _id: string, olds: Props, news: Props) {
    const { outs } = await attach(session(this), news, true, (olds.lastTask ?? null) as model.TaskOutput | null);
    return { outs };
  },

  async delete(this: ProviderThis, id: string) {
    const s = session(this);
    const { serviceName, ip } = model.failoverIpModel.parseId(id);
    const live = await getIp(s.api, ip);
    // Gone from the account, parked, or routed to another service since: parking it now would take it from that one.
    if (!live || model.routedService(live) !== serviceName) return;
    await runTask(s, ip, null);
    await goLiveNow(s, serviceName, ["all"], { force: true });
  },
};

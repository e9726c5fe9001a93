/**
 * FreeCertificate: a certificate the load balancer orders for names that point to it.
 *   check  -> the model's validation of the names (no API call)
 *   diff   -> GET .../ssl/{sslId}: other names, another service, gone, or no longer `built` = replace (new one first);
 *             `built_not_routed` is explained on the host's stderr (GET the service and .../failover for the addresses)
 *   create -> with checkDns (models/freeCertificate.ts `dnsCheckEnabled`): GET the service and .../failover, resolve
 *             each name's A records, fail before ordering if one does not point to the load balancer.
 *             GET .../ssl (the ids that exist before); POST .../freeCertificate {fqdn}; poll GET .../task/{id}
 *             (orderFreeCertificate; `error` is explained with the DNS prerequisite and the addresses);
 *             GET .../ssl + .../ssl/{id} of the new ids, and keep the one with our names.
 *             A `built_not_routed` result is deleted (DELETE .../ssl/{id}) and the create fails with what to fix.
 *   read   -> GET .../ssl/{sslId} (a 404 returns an empty id); `built_not_routed` explained as in diff
 *   update -> nothing to send (every change replaces); GET for fresh outputs
 *   delete -> DELETE .../ssl/{sslId} (a 404 counts as done)
 * Resource id: `serviceName/sslId`. No refresh: certificates are not staged configuration (frontends that use them are).
 */
import { promises as dns } from "dns";
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import { processShared } from "../processShared";
import * as paths from "../api/paths";
import * as batch from "../changes/batch";
import { goLiveNow } from "../changes/goLive";
import type * as wire from "../api/wire";
import * as tasks from "../changes/tasks";
import * as model from "../models/freeCertificate";
import { configure, type Props, type ProviderThis, ResourceInitError, type Session, session } from "./session";

const getSsl = (api: ApiClient, serviceName: string, sslId: number) => errors.unlessGone(api.get<wire.Ssl>(paths.ssl(serviceName, sslId)));

const ORDER_QUERY = { action: "orderFreeCertificate" };

/**
 * POST the order, never twice blindly: after an ambiguous failure (5xx, network) an order task may exist, so a new
 * `orderFreeCertificate` task is taken as ours before posting again. If it was someone else's, the certificate search
 * below finds no certificate with our names and says so.
 */
async function order(api: ApiClient, serviceName: string, body: wire.FreeCertificateBody): Promise<wire.Task> {
  const before = new Set(await api.get<number[]>(paths.tasks(serviceName), ORDER_QUERY));
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<wire.Task>(paths.freeCertificate(serviceName), body);
    } catch (e) {
      if (!errors.isRetryable(e) || attempt >= 3) throw e;
      const fresh = (await api.get<number[]>(paths.tasks(serviceName), ORDER_QUERY)).filter((id) => !before.has(id));
      if (fresh.length > 0) return api.get<wire.Task>(paths.task(serviceName, Math.max(...fresh)));
    }
  }
}

/** Certificates taken by a create of this process, so two orders for the same names never take the same one. */
const claims = () => processShared("CertificateClaims", () => new Set<string>());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The certificate the order produced: new since `before`, unclaimed, with our names. Watched for a short while. */
async function findOrdered(s: Session, serviceName: string, before: Set<number>, fqdn: string[]): Promise<wire.Ssl> {
  const deadline = Date.now() + Math.min(s.config.taskTimeoutMs, 30_000);
  for (let wait = 200; ; wait = Math.min(wait * 2, 3000)) {
    const claim = (id: number) => `${s.key(serviceName)}#${id}`;
    const ids = (await s.api.get<number[]>(paths.sslList(serviceName))).filter((id) => !before.has(id) && !claims().has(claim(id)));
    const fresh = await Promise.all(ids.map((id) => getSsl(s.api, serviceName, id)));
    // Filtered again after the awaits, and claimed in the same synchronous step: another create may have claimed since.
    const found = model.pickOrdered(fresh.filter((c): c is wire.Ssl => c !== undefined && !claims().has(claim(c.id))), fqdn);
    if (found) {
      claims().add(claim(found.id));
      return found;
    }
    if (Date.now() + wait > deadline) {
      throw new errors.IplbError(`FreeCertificate: the order for ${fqdn.join(", ")} on ${serviceName} finished, but no new certificate carries exactly these names`);
    }
    await sleep(wait);
  }
}

/**
 * Where the names must point, for the DNS advice and the pre-check: the service's addresses and the failover IPs
 * routed to it. Null when the service cannot be read: the advice then does without, and the pre-check is skipped.
 */
async function lbAddresses(api: ApiClient, serviceName: string): Promise<model.LbAddresses | null> {
  const svc = await api.get<wire.IpLoadbalancing>(paths.service(serviceName)).catch(() => null);
  if (!svc) return null;
  const failover = await api.get<string[]>(paths.failover(serviceName)).catch(() => []);
  const own = [...new Set([svc.ipv4, svc.ipLoadbalancing, svc.ipv6].filter((a): a is string => typeof a === "string" && a !== ""))];
  return { own, failover };
}

/** A note the engine shows with the preview and the update (the host's stderr, as changes/engineDiff.ts does). */
const note = (line: string) => void process.stderr.write(`pulumi-ovh-iplb: ${line}\n`);

async function explainNotRouted(s: Session, serviceName: string, live: wire.Ssl | undefined): Promise<void> {
  if (live?.type !== "built_not_routed") return;
  note(model.notRoutedNote(serviceName, live.id, model.certificateNames(live), await lbAddresses(s.api, serviceName)));
}

/**
 * The resolver of the DNS pre-check. Tests replace `resolve4` (jest.spyOn): their names are not real, and they never
 * ask a resolver outside the machine.
 */
export const dnsResolver = { resolve4: (name: string): Promise<string[]> => dns.resolve4(name) };

/** A name's A records; [] when it has none; undefined when the resolver could not tell (timeout, refused...). */
async function aRecords(name: string): Promise<string[] | undefined> {
  try {
    return await dnsResolver.resolve4(name);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOTFOUND" || code === "ENODATA" ? [] : undefined;
  }
}

/**
 * Fails before ordering when a name does not resolve to the load balancer: OVH would end the order in `error` after
 * minutes, with no reason. Names the resolver cannot answer for are left to OVH (noted), never refused.
 */
async function checkDnsBeforeOrdering(s: Session, serviceName: string, fqdn: string[]): Promise<void> {
  const lb = await lbAddresses(s.api, serviceName);
  if (!lb || lb.own.length === 0) return note(`FreeCertificate: checkDns skipped: the addresses of ${serviceName} could not be read`);
  const answers = new Map<string, string[]>();
  for (const [name, records] of await Promise.all(fqdn.map(async (n) => [n, await aRecords(n)] as const))) {
    if (records === undefined) note(`FreeCertificate: checkDns: ${name} could not be resolved here; OVH's validation will tell`);
    else answers.set(name, records);
  }
  const mismatches = model.dnsMismatches(answers, lb);
  if (mismatches.length > 0) throw new errors.IplbError(model.dnsCheckMessage(serviceName, fqdn, mismatches, lb));
}

/**
 * A `built_not_routed` certificate is not what the program asked for (OVH cannot renew it): delete it so nothing is
 * left behind, and fail with what to fix. If the delete fails, the create reports it as made but unfinished
 * (ResourceInitError), so it stays in the state, and the next `up` replaces it, instead of orphaning it.
 */
async function refuseNotRouted(s: Session, serviceName: string, fqdn: string[], ssl: wire.Ssl, inputs: Props): Promise<never> {
  const address = (await lbAddresses(s.api, serviceName))?.own[0] ?? null;
  await errors.unlessGone(s.api.delete(paths.ssl(serviceName, ssl.id))).catch((e: unknown) => {
    const message = model.notRoutedMessage(serviceName, fqdn, ssl.id, address, false);
    const id = model.freeCertificateModel.id({ serviceName, sslId: ssl.id });
    throw new ResourceInitError(message, id, { ...inputs, ...model.certificateOutputs(serviceName, ssl) }, [message, errors.messageOf(e)]);
  });
  throw new errors.IplbError(model.notRoutedMessage(serviceName, fqdn, ssl.id, address, true));
}

async function orderAndWait(s: Session, serviceName: string, fqdn: string[]): Promise<void> {
  const task = await order(s.api, serviceName, model.orderBody(fqdn));
  try {
    await tasks.waitForIplbTask(s.api, serviceName, task.id, s.window.poll);
  } catch (e) {
    if (!errors.isTaskFailed(e)) throw e;
    throw new errors.IplbError(model.orderFailedMessage(serviceName, fqdn, e.message, await lbAddresses(s.api, serviceName)), { cause: e });
  }
}

async function create(s: Session, inputs: Props): Promise<{ id: string; outs: Props }> {
  const { serviceName, fqdn, checkDns } = inputs as model.FreeCertificateInputs; // what check() returned
  if (model.dnsCheckEnabled(checkDns, s.config.endpoint.kind)) await checkDnsBeforeOrdering(s, serviceName, fqdn);
  // OVH validates the names through the load balancer's HTTP frontends, so what is staged (a frontend made in the same
  // run by a Refresh batch) must be live before the order; outside a batch this finds nothing pending and posts nothing.
  await goLiveNow(s, serviceName, ["all"]);
  // Listed before ordering: a certificate that already existed is never taken for the one ordered.
  const before = new Set(await s.api.get<number[]>(paths.sslList(serviceName)));
  await orderAndWait(s, serviceName, fqdn);
  const ssl = await findOrdered(s, serviceName, before, fqdn);
  if (ssl.type === "built_not_routed") return refuseNotRouted(s, serviceName, fqdn, ssl, inputs);
  return { id: model.freeCertificateModel.id({ serviceName, sslId: ssl.id }), outs: { ...inputs, ...model.certificateOutputs(serviceName, ssl) } };
}

export const freeCertificateProvider: pulumi.dynamic.ResourceProvider = {
  configure,

  async check(_olds: Props, news: Props) {
    return model.freeCertificateModel.check(news);
  },

  async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.freeCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    await explainNotRouted(s, serviceName, live);
    const { changes, replaces, detailedDiff } = model.diffFreeCertificate(news, olds, live);
    // Create before delete: a frontend can move to the new certificate before the old one goes.
    return { changes, replaces, deleteBeforeReplace: false, detailedDiff };
  },

  async create(this: ProviderThis, inputs: Props) {
    return create(session(this), inputs);
  },

  async read(this: ProviderThis, id: string, props: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.freeCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    if (!live) return { id: "", props: {} };
    await explainNotRouted(s, serviceName, live);
    return { id, props: { ...props, ...model.certificateOutputs(serviceName, live) } };
  },

  async update(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const { serviceName, sslId } = model.freeCertificateModel.parseId(id);
    const live = await getSsl(s.api, serviceName, sslId);
    return { outs: { ...olds, ...news, ...(live ? model.certificateOutputs(serviceName, live) : {}) } };
  },

  async delete(this: ProviderThis, id: string) {
    const s = session(this);
    const { serviceName, sslId } = model.freeCertificateModel.parseId(id);
    await errors.unlessGone(s.api.delete(paths.ssl(serviceName, sslId))); // gone already counts as deleted
  },
};

/**
 * IpLoadBalancingSettings: the settings of an existing load balancer (`displayName`, `sslConfiguration`).
 *   check  -> the model's validation (no API call)
 *   diff   -> GET /ipLoadbalancing/{serviceName}: declared fields that differ, fields no longer declared that differ
 *             from what was found; drift (changed outside Pulumi) is named; `serviceName` replaces
 *   create -> GET the service (a 404 is explained with the services the credentials see: serviceHints.ts), keep what
 *             was found, PUT the declared fields that differ (nothing when none does), GET again for the outputs
 *   read   -> GET the service (a 404 returns an empty id: the service is gone)
 *   update -> GET, PUT the changed fields (and the ones no longer declared, back to what was found), GET
 *   delete -> GET, PUT the managed fields back to what was found (nothing when they are); a service gone: nothing
 * Resource id: the service name.
 *
 * A PUT of the service is not known to be staged: ovh-iplb-api.md lists the staged changes (farms, servers, frontends,
 * routes), the emulator's PUT handler leaves `pendingChanges` as it was, and terraform's `ovh_iploadbalancing` PUTs
 * these fields without posting a refresh. But `sslConfiguration` is what the load balancer's TLS runs with, so after a
 * PUT the change goes live like any other (changes/goLive.ts `goLiveNow`): the pending changes are read, and a refresh
 * is posted only if OVH did stage something.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type { IpLoadbalancing } from "../api/wireService";
import * as batch from "../changes/batch";
import { engineDiff } from "../changes/engineDiff";
import { goLiveNow } from "../changes/goLive";
import * as model from "../models/serviceSettings";
import { configure, type Props, type ProviderThis, type Session, session } from "./session";

const getService = (api: ApiClient, serviceName: string) => api.get<IpLoadbalancing>(paths.service(serviceName));

/**
 * PUTs `body` unless it is empty, makes it live if OVH staged it (a batch member leaves that to its batch, whose other
 * members' staged changes a refresh here would make live early); returns the service as read afterwards.
 */
async function putAndRead(s: Session, props: Props, body: model.Settings, live: IpLoadbalancing): Promise<IpLoadbalancing> {
  if (Object.keys(body).length === 0) return live;
  await s.api.put(paths.service(live.serviceName), body);
  if (!batch.isMember(props)) await goLiveNow(s, live.serviceName, ["all"]);
  return getService(s.api, live.serviceName);
}

/** A batch member's token: a fresh one when it wrote (the batch's commit then makes it live), else the one it had. */
function tokenOf(props: Props, wrote: boolean, previous?: unknown): Props {
  if (!batch.isMember(props)) return {};
  return { changeToken: wrote || previous === undefined ? batch.changeToken() : previous };
}

export const serviceSettingsProvider: pulumi.dynamic.ResourceProvider = {
  configure,

  async check(_olds: Props, news: Props) {
    return batch.checkMember(model.checkServiceSettings, news);
  },

  async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
    const live = await getService(session(this).api, model.serviceSettingsModel.parseId(id).serviceName);
    const desired = model.diffServiceSettings(news, olds, live);
    return engineDiff({ desired, drift: model.driftOf(olds, live), what: `IpLoadBalancingSettings ${id}` });
  },

  async create(this: ProviderThis, inputs: Props) {
    const s = session(this);
    const serviceName = (inputs as unknown as model.ServiceSettingsInputs).serviceName;
    const found = await getService(s.api, serviceName);
    const settings: model.Settings = { displayName: found.displayName ?? null, sslConfiguration: found.sslConfiguration ?? null };
    const body = model.toUpdate(inputs, found);
    const live = await putAndRead(s, inputs, body, found);
    return { id: serviceName, outs: { ...model.settingsOutputs(inputs, live, settings), ...tokenOf(inputs, Object.keys(body).length > 0) } };
  },

  async read(this: ProviderThis, id: string, props: Props) {
    const { serviceName } = model.serviceSettingsModel.parseId(id);
    const live = await errors.unlessGone(getService(session(this).api, serviceName));
    if (!live) return { id: "", props: {} };
    // The declaration stays what the last create or update kept: a refresh must not take the live values for it.
    return { id, props: { ...model.settingsOutputs(props, live, model.foundIn(props)), [model.DECLARED]: model.declaredIn(props) } };
  },

  async update(this: ProviderThis, id: string, olds: Props, news: Props) {
    const s = session(this);
    const { serviceName } = model.serviceSettingsModel.parseId(id);
    const before = await getService(s.api, serviceName);
    const found = model.foundIn(olds);
    const body = model.toUpdate(news, before, { declared: model.declaredIn(olds), found });
    const live = await putAndRead(s, news, body, before);
    return { outs: { ...model.settingsOutputs(news, live, found), ...tokenOf(news, Object.keys(body).length > 0, olds.changeToken) } };
  },

  async delete(this: ProviderThis, id: string, props: Props) {
    const s = session(this);
    const { api } = s;
    const { serviceName } = model.serviceSettingsModel.parseId(id);
    const live = await errors.unlessGone(getService(api, serviceName));
    const body = live ? model.restoreBody(props, live) : {};
    if (Object.keys(body).length > 0) await putAndRead(s, props, body, live!);
  },
};

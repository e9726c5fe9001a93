/**
 * VrackNetwork: a private network of the vRack the load balancer is attached to (`.../vrack/network`).
 *   check  -> the model's validation (no API call)
 *   diff   -> GET .../vrack/network/{id}: the network's fields and, when declared, its farms (compared as a set); a
 *             replacement is created first, in a `Refresh` batch too (`makeVrackNetworkProvider`)
 *   create -> adopt `adoptVrackNetworkId`, or POST .../vrack/network once (taking over a twin an interrupted `up` left),
 *             then POST .../updateFarmId when the declared farms differ from the network's; then live
 *   read   -> GET (a 404 returns an empty id)
 *   update -> GET, PUT the changed network fields, POST .../updateFarmId when the declared farms differ; then live
 *   delete -> POST .../updateFarmId {farmId: []} when the resource manages farms, then DELETE (the API refuses to
 *             delete a network farms use; terraform's 2019 resource detached them the same way); a network still used by
 *             farms the resource does not manage is refused, naming them
 * Resource id: `serviceName/vrackNetworkId`. A 400 on the POST or the PUT is explained from `vrack/status` and
 * `vrack/networkCreationRules` (models/vrackNetwork.ts `refusalProblem`). Going live: every zone with pending changes
 * (`all`), since updateFarmId stages farm changes in zones the network does not know (the model's header).
 *
 * Farms are set apart from the network's own fields: the generic object family (objects.ts) posts and puts the network
 * and recognises a twin by the network's fields alone, and this module attaches the farms afterwards. So a twin left by
 * an `up` interrupted between the POST and updateFarmId is taken over, then given its farms.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import type * as wire from "../api/wire";
import { writeThenGoLive } from "../changes/goLive";
import type { Props } from "../models/model";
import * as model from "../models/vrackNetwork";
import { DECLARED_INPUTS, type Family, makeProvider } from "./lifecycle";
import { type ObjectHooks, objectFamily } from "./objects";
import { type ProviderThis, session } from "./session";

type Inputs = model.VrackNetworkInputs;
type Outputs = model.VrackNetworkOutputs;

const vrackNetworks = model.vrackNetworkModel();

/** The model as the object family sees it: farms never diff there, they are attached after the network's own write. */
const networkOnly: typeof vrackNetworks = {
  ...vrackNetworks,
  diff: (desired, live) => vrackNetworks.diff({ ...desired, farmId: undefined }, live),
};

const hooks: ObjectHooks<Inputs, Outputs, model.VrackNetworkKey> = {
  async explainRefusal(api, serviceName, after) {
    const status = await api.get<wire.VrackInformation>(paths.vrackStatus(serviceName));
    const rules = status.state === "active" ? await api.get<wire.VrackNetworkCreationRules>(paths.vrackNetworkCreationRules(serviceName)) : undefined;
    return model.refusalProblem(serviceName, after, status, rules);
  },
};

const postFarms = (api: ApiClient, id: string, body: wire.VrackNetworkFarmIds) => {
  const key = vrackNetworks.parseId(id);
  return api.post<wire.VrackNetwork>(paths.vrackNetworkFarms(key.serviceName, key.vrackNetworkId), body);
};

/** The object family with the farms: create and put attach them when the program declares other farms. */
export function vrackNetworkFamily(): Family<Inputs, Outputs> {
  const base = objectFamily(networkOnly, hooks);
  return {
    ...base,
    diff: vrackNetworks.diff,
    updateBody: (desired, live) => ({ ...vrackNetworks.toUpdate(desired, live), ...model.farmIdBody(desired, live) }),
    async create(api, inputs, settleMs) {
      const { id, outs } = await base.create(api, inputs, settleMs);
      const farms = model.farmIdBody(inputs, outs);
      return { id, outs: farms ? vrackNetworks.fromApi(inputs.serviceName, await postFarms(api, id, farms)) : outs };
    },
    async put(api, id, body) {
      const { farmId, ...network } = body;
      if (Object.keys(network).length > 0) await base.put(api, id, network);
      if (farmId !== undefined) await postFarms(api, id, { farmId: farmId as number[] });
    },
  };
}

/** True when the last create or update declared the network's farms (lifecycle.ts keeps the declaration). */
function managesFarms(props: Props): boolean {
  const declared = props[DECLARED_INPUTS];
  return typeof declared === "object" && declared !== null && (declared as Props).farmId !== undefined;
}

/** Detaches the managed farms, then DELETEs; a refusal because other farms use the network names them. */
async function removeNetwork(api: ApiClient, id: string, props: Props): Promise<void> {
  if (managesFarms(props)) await postFarms(api, id, { farmId: [] });
  const path = vrackNetworks.path(vrackNetworks.parseId(id));
  try {
    await api.delete(path);
  } catch (e) {
    if (!errors.isApiError(e, 400)) throw e;
    const users = await api.get<wire.VrackNetwork>(path).then((n) => n.farmId.map((f) => `${f.type} farm ${f.id}`), () => []);
    if (users.length === 0) throw e;
    throw new errors.IplbError(
      `VrackNetwork ${id} is used by ${users.join(", ")}: delete those farms or set their vrackNetworkId to another network first, ` +
        `or list them in this network's farmId so that it detaches them (${e.message})`,
      { cause: e },
    );
  }
}

function makeVrackNetworkProvider(): pulumi.dynamic.ResourceProvider {
  const provider = makeProvider(vrackNetworkFamily());
  return {
    ...provider,
    /**
     * A batch member is replaced delete-first (lifecycle.ts), a network never: the API refuses to delete it while farms
     * use it, and farms can move only to a network that exists (on an attached load balancer a farm is created with
     * one). Deleted first, the old network is refused and the `up` fails (tests/engine/vrack.test.ts). Created first,
     * the new network exists when the farms' `vrackNetworkId` updates, and the engine deletes the old one at the end of
     * the run, unused. That deletion needs no refresh of its own: a network's writes are not staged (the model's
     * header), and the batch's start, replaced with it (`subnet` and `serviceName` are in its fingerprint), makes
     * everything else live.
     */
    async diff(this: ProviderThis, id: string, olds: Props, news: Props) {
      const result = await provider.diff!.call(this, id, olds, news);
      return result.deleteBeforeReplace ? { ...result, deleteBeforeReplace: false } : result;
    },
    async delete(this: ProviderThis, id: string, props: Props) {
      const s = session(this);
      const serviceName = vrackNetworks.parseId(id).serviceName;
      // Gone already counts as deleted; the detached farms' changes go live like any other.
      await writeThenGoLive(s, props, serviceName, () => errors.unlessGone(removeNetwork(s.api, id, props)), () => ["all"]);
    },
  };
}

export const vrackNetworkProvider = makeVrackNetworkProvider();

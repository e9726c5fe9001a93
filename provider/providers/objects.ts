/**
 * The API side of any IPLB object family, built from its model (models/model.ts):
 *   read   -> GET the object (a 404 is "gone")
 *   create -> adopt the object `adopt*Id` names, or POST once, taking over what an interrupted deployment left
 *             (changes/adoptOrCreate.ts)
 *   put    -> PUT the changed fields
 *   remove -> DELETE
 * A family needs hooks only for what its model cannot say: reads of other objects (a server's farm, for its zone) and
 * explanations of the API's refusals (a frontend's farm and certificate).
 */
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import { adoptOrCreate, listCollection } from "../changes/adoptOrCreate";
import type { ObjectInputs, ObjectKey, ObjectModel, Props } from "../models/model";
import { type Family, makeProvider } from "./lifecycle";

export interface ObjectHooks<I extends ObjectInputs, O extends object, K extends ObjectKey> {
  /**
   * Read before a create, beside the listing: outputs the API's object lacks (a server's zone, from its farm). Throws
   * when the create cannot go on (the farm does not exist).
   */
  beforeCreate?(api: ApiClient, inputs: I): Promise<Partial<O>>;
  /** Those outputs on a read: from the state (`known`) when it has them, else from the API. */
  complete?(api: ApiClient, key: K, known: Props): Promise<Partial<O>>;
  /** Why the API refused (400) a write that would leave the object as `after`, in the user's terms; undefined if unknown. */
  explainRefusal?(api: ApiClient, serviceName: string, after: Props): Promise<string | undefined>;
}

/**
 * Runs a write; when the API refuses it with 400 and the family can say which field is wrong (looking at the object as
 * the write would leave it, `after`), the error says so, with the API's own message kept at the end.
 */
async function explainRefusal<T>(
  name: string, hooks: { explainRefusal?: ObjectHooks<never, object, ObjectKey>["explainRefusal"] }, api: ApiClient, serviceName: string,
  after: () => Promise<Props>, write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!hooks.explainRefusal || !errors.isApiError(e, 400)) throw e;
    // A failed diagnosis must not hide the API's refusal.
    const problem = await after().then((object) => hooks.explainRefusal?.(api, serviceName, object)).catch(() => undefined);
    if (!problem) throw e;
    throw new errors.IplbError(`${name} ${problem} (${e.message})`, { cause: e });
  }
}

export function objectFamily<I extends ObjectInputs, O extends object, A, K extends ObjectKey>(
  model: ObjectModel<I, O, A, K>, hooks: ObjectHooks<I, O, K> = {},
): Family<I, O> {
  const get = (api: ApiClient, key: K) => api.get<A>(model.path(key));
  const outputs = (serviceName: string, object: A, extra: Partial<O>): O => ({ ...model.fromApi(serviceName, object), ...extra });
  const read = async (api: ApiClient, key: K, known: Props): Promise<O | undefined> => {
    const object = await errors.unlessGone(get(api, key));
    if (object === undefined) return undefined;
    return outputs(key.serviceName, object, (await hooks.complete?.(api, key, known)) ?? {});
  };

  const explained = <T>(api: ApiClient, serviceName: string, after: () => Promise<Props>, write: () => Promise<T>) =>
    explainRefusal(model.name, hooks, api, serviceName, after, write);
  const put = (api: ApiClient, key: K, body: Props) =>
    explained(api, key.serviceName, async () => ({ ...(await read(api, key, {})), ...body }), () => api.put(model.path(key), body));

  return {
    name: model.name,
    check: model.check,
    diff: model.diff,
    updateBody: model.toUpdate,
    zones: model.zones,
    read: (api, id, props) => read(api, model.parseId(id), props),
    put: (api, id, body) => put(api, model.parseId(id), body),
    remove: (api, id) => api.delete(model.path(model.parseId(id))),

    async create(api, inputs, settleMs) {
      const adopting = inputs[model.adoptField] !== undefined && inputs[model.adoptField] !== null;
      const collection = model.collection(inputs);
      const query = model.listQuery(inputs);
      // The listing adoptOrCreate starts from, beside the family's own reads: one latency instead of two.
      const listed = adopting || !hooks.beforeCreate ? undefined : listCollection(api, collection, query);
      const extra = (await hooks.beforeCreate?.(api, inputs)) ?? {};
      const key = (objectId: number) => model.keyFor(inputs, objectId);
      const body = model.toCreate(inputs);
      const { objectId, outs } = await explained(api, inputs.serviceName, async () => body, () =>
        adoptOrCreate<A, O>(api, {
          name: model.name,
          adoptField: model.adoptField,
          adoptId: inputs[model.adoptField],
          collection,
          query,
          naturalKey: model.naturalKey,
          inputs,
          body,
          listed,
          get: (objectId) => get(api, key(objectId)),
          outputs: (object) => outputs(inputs.serviceName, object, extra),
          diff: (live) => model.diff(inputs, live),
          updateBody: (live) => model.toUpdate(inputs, live),
          put: (objectId, update) => put(api, key(objectId), update),
          missing: (objectId) => `there is no ${model.describe(key(objectId))}`,
        }, settleMs));
      return { id: model.id(key(objectId)), outs };
    },
  };
}

/** The provider of an object family: its model, plus the hooks it needs (most families need none). */
export function objectProvider<I extends ObjectInputs, O extends object, A, K extends ObjectKey>(
  model: ObjectModel<I, O, A, K>, hooks?: ObjectHooks<I, O, K>,
) {
  return makeProvider(objectFamily(model, hooks));
}

/**
 * The shape every IPLB object model has (farms, servers, frontends; routes and rules next): the same verbs, typed by
 * the family's inputs, outputs, API object and id parts, so that the generic provider (providers/objects.ts) serves
 * any family and a new family is a model plus one line in the registry. Everything here is pure: no API call.
 *
 * Type parameters: `I` the inputs check() returns, `O` the outputs (the object as the API reports it), `A` the API's
 * object, `K` the parts of the resource id (`serviceName` and the numbers of the path).
 */
import type { Query } from "../api/client";
import type { NaturalKeyFamily } from "./naturalKeys";
import type { CheckFailure, DiffResult } from "./fields";

export type Props = Record<string, unknown>;

/** What check() returns: the inputs as the API will take them, and every failure (the engine stops on any). */
export interface Checked<I> {
  inputs: I;
  failures: CheckFailure[];
}

/** Id parts: the service and the numbers of the object's path. */
export interface ObjectKey {
  serviceName: string;
}

/** Inputs every object family has. */
export interface ObjectInputs {
  serviceName: string;
  /** The serialized provider the engine adds; kept as given, never compared. */
  __provider?: string;
}

/** The verbs every model has, object families or not (failover IPs, free certificates): validation and the id. */
export interface ModelBasics<I extends ObjectInputs, K extends ObjectKey> {
  /** Class name, for messages: `HttpFarm`. */
  name: string;
  check(news: Props): Checked<I>;
  /** The resource id (also the import id): `serviceName/12`. */
  id(key: K): string;
  /** Parses a resource id; throws naming the expected format. */
  parseId(id: string): K;
}

export interface ObjectModel<I extends ObjectInputs, O extends object, A, K extends ObjectKey> extends ModelBasics<I, K> {
  /** Desired inputs against the live object's outputs; undefined live (gone): replace, which re-creates it. */
  diff(desired: I, live: O | undefined): DiffResult;
  /** The POST body. */
  toCreate(inputs: I): Props;
  /** The PUT body: only the changed fields (null clears); empty when nothing is to be sent. */
  toUpdate(desired: I, live: O): Props;
  /** The API's object as outputs: every key of the family present, null where the API says null. */
  fromApi(serviceName: string, object: A): O;
  /** Where the objects live: the collection (POST, list) of the inputs' parent, and one object (GET, PUT, DELETE). */
  collection(inputs: I): string;
  path(key: K): string;
  /** The key of the object numbered `objectId` in `collection(inputs)`. */
  keyFor(inputs: I, objectId: number): K;
  /** "HTTP farm 12 on loadbalancer-x": names an object in messages. */
  describe(key: K): string;
  /** The input that names an existing object to take over instead of creating one (`adoptFarmId`). */
  adoptField: keyof I & string;
  /** How an object an interrupted deployment left is recognised (changes/adoptOrCreate.ts), and the list filter. */
  naturalKey: NaturalKeyFamily;
  listQuery(inputs: I): Query;
  /** Zones (or `all`) a change to this object touches. */
  zones(outs: O): string[];
}

/** Any object model, for code that handles every family alike. */
export type AnyObjectModel = ObjectModel<any, any, any, any>;

/** Lookups every handler family shares; each throws the API's own 404 when the object is missing. */
import { notFound } from "../errors";
import type { RequestContext, Router } from "../router";
import type { Runtime } from "../runtime";
import { Protocol, PROTOCOLS, ServiceState } from "../store";
import { idParam } from "../validate";

export type Ctx = RequestContext<Runtime>;

export function serviceOf(ctx: Ctx): ServiceState {
  const svc = ctx.state.store.service(ctx.params.serviceName);
  if (!svc) throw notFound("This service does not exist");
  return svc;
}

/** The API's 404 for an object named by a path parameter. */
export const missing = (ctx: Ctx, param: string) => notFound(`The requested object (${param} = ${ctx.params[param]}) does not exist`);

/** An id path parameter that names an existing key of `table`, else 404 with the API's wording. */
export function idIn<T>(table: Record<string, T>, ctx: Ctx, param: string): { id: number; item: T } {
  const id = idParam(ctx.params[param]);
  if (id === undefined || !Object.prototype.hasOwnProperty.call(table, id)) throw missing(ctx, param);
  return { id, item: table[id] };
}

/** `idIn` on a per-protocol path: an id of another protocol is unknown there (404), as the API looks ids up per type. */
export function idOfType<T extends { type: Protocol }>(table: Record<string, T>, ctx: Ctx, param: string, proto: Protocol): { id: number; item: T } {
  const found = idIn(table, ctx, param);
  if (found.item.type !== proto) throw missing(ctx, param);
  return found;
}

/**
 * Applies the list filters given in the query: `=` exact, `like` with SQL-style `%` wildcards, and the `<` / `>=`
 * bounds of the date filters (`creationDate.to`, `creationDate.from`; OVH datetimes compare as text in one offset).
 */
export function filterIds<T>(
  entries: [string, T][],
  query: Record<string, string>,
  filters: Record<string, { field: (item: T) => unknown; op: "=" | "like" | "<" | ">=" }>,
): number[] {
  return entries
    .filter(([, item]) =>
      Object.entries(filters).every(([name, { field, op }]) => {
        if (!(name in query)) return true;
        const wanted = query[name];
        const actual = field(item);
        if (op === "like") return likeMatch(String(actual ?? ""), wanted);
        if (op === "<") return actual !== null && String(actual) < wanted;
        if (op === ">=") return actual !== null && String(actual) >= wanted;
        return String(actual) === wanted;
      }),
    )
    .map(([id]) => Number(id))
    .sort((a, b) => a - b);
}

/** SQL-style `like`: `%` matches any run of characters; a pattern without `%` matches only itself. */
export function likeMatch(value: string, pattern: string, flags = ""): boolean {
  if (!pattern.includes("%")) return value === pattern;
  const regex = pattern.split("%").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${regex}$`, flags).test(value);
}

/** The five routes of a per-protocol collection (`.../{proto}/farm`, `.../{proto}/frontend`, ...) and its items. */
export interface CollectionHandlers {
  list(ctx: Ctx, proto: Protocol): unknown;
  create(ctx: Ctx, proto: Protocol): unknown;
  get(ctx: Ctx, proto: Protocol): unknown;
  update(ctx: Ctx, proto: Protocol): unknown;
  remove(ctx: Ctx, proto: Protocol): unknown;
}

export function registerCollections(router: Router<Runtime>, base: (proto: Protocol) => string, idParam: string, h: CollectionHandlers): void {
  for (const proto of PROTOCOLS) {
    const collection = base(proto);
    const item = `${collection}/{${idParam}}`;
    router
      .add("GET", collection, (ctx) => h.list(ctx, proto))
      .add("POST", collection, (ctx) => h.create(ctx, proto))
      .add("GET", item, (ctx) => h.get(ctx, proto))
      .add("PUT", item, (ctx) => h.update(ctx, proto))
      .add("DELETE", item, (ctx) => h.remove(ctx, proto));
  }
}

/**
 * A (method, path pattern) -> handler table. Patterns use the schema's own `{param}` syntax so that a route reads
 * exactly like the path in the official OpenAPI document; the fidelity test compares the two lists.
 */
import { ApiError, methodNotAllowed, noSuchPath } from "./errors";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestContext<S = unknown> {
  method: Method;
  /** Path after the base path, e.g. `/ipLoadbalancing/lb-1/http/farm/3`. */
  path: string;
  /** Path parameters, URL-decoded (`/ip/203.0.113.7%2F32` gives `ip = "203.0.113.7/32"`). */
  params: Record<string, string>;
  /** Query parameters (single values; the API takes no repeated keys). */
  query: Record<string, string>;
  /** Parsed JSON body, or undefined for an empty body. */
  body: unknown;
  state: S;
}

export type Handler<S = unknown> = (ctx: RequestContext<S>) => unknown | Promise<unknown>;

interface Route<S> {
  method: Method;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: Handler<S>;
}

export class Router<S = unknown> {
  private readonly routes: Route<S>[] = [];

  add(method: Method, pattern: string, handler: Handler<S>): this {
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        const m = /^\{(\w+)\}$/.exec(segment);
        if (!m) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(m[1]);
        return "([^/]+)";
      })
      .join("/");
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Every registered `METHOD pattern`, for the fidelity test and the docs. */
  list(): { method: Method; pattern: string }[] {
    return this.routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  match(method: string, path: string): { handler: Handler<S>; params: Record<string, string>; pattern: string } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
      return { handler: route.handler, params, pattern: route.pattern };
    }
    throw pathMatched ? methodNotAllowed(method, path) : noSuchPath(path);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, "Client::BadRequest", `Invalid URL encoding in ${segment}`);
  }
}

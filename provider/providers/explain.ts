/**
 * Adding what an error means to the error a provider method throws (credentialsHint.ts: refused credentials or calls;
 * serviceHints.ts: an unknown service or zone). The engine shows the error's message: the hint goes there, as one
 * more sentence; the error keeps its class and fields, so ResourceInitError's id and properties still reach the engine.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderThis } from "./session";

type Method = (...args: unknown[]) => unknown;

/** What a hint is given: the error, the method's `this` (its stack config) and its arguments. */
export type Hint = (e: unknown, self: ProviderThis, args: unknown[]) => Promise<string | undefined>;

/** The inputs or properties a method was given that name a service (news before olds). */
export function namedIn(args: unknown[]): { serviceName: string; zone?: unknown } | undefined {
  for (const arg of [...args].reverse()) {
    const name = arg && typeof arg === "object" ? (arg as { serviceName?: unknown }).serviceName : undefined;
    if (typeof name === "string" && name !== "") return arg as { serviceName: string; zone?: unknown };
  }
  return undefined;
}

/** The provider with each method's errors followed by `hint`'s sentence when it has one; `this` is passed through. */
export function withHint<P extends pulumi.dynamic.ResourceProvider>(provider: P, hint: Hint): P {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(provider)) {
    if (typeof method !== "function") {
      wrapped[name] = method;
      continue;
    }
    wrapped[name] = async function (this: ProviderThis, ...args: unknown[]) {
      try {
        return await (method as Method).apply(this, args);
      } catch (e) {
        // A hint that cannot be worked out leaves the error as it was.
        const text = e instanceof Error ? await hint(e, this, args).catch(() => undefined) : undefined;
        // A wrapping error (ResourceInitError) ends its sentence already; an API error does not.
        if (text) (e as Error).message += /[.!?]$/.test((e as Error).message) ? ` ${text}` : `. ${text}`;
        throw e;
      }
    };
  }
  return wrapped as P;
}

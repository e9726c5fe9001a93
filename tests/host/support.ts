/**
 * Layer B helpers: the provider text exactly as the SDK serializes it, type tokens and URNs, and the credential grep
 * shared by the serialization, host and credential tests.
 */
import * as pulumi from "@pulumi/pulumi";
import * as shim from "../../provider/shim";
import { providers, ProviderKind } from "../../provider/registry";

export const KINDS = Object.keys(providers) as ProviderKind[];

export interface Serialized {
  text: string;
  containsSecrets: boolean;
}

/**
 * `__provider` for `kind`, serialized the way @pulumi/pulumi 3.248 dynamic/index.js `serializeFunctionMaybeSecret`
 * does: the closure `() => provider` (same parameter name, which the text contains) with `allowSecrets: true`.
 */
export async function serializeLikeTheSdk(kind: ProviderKind): Promise<Serialized> {
  const provider = shim.providerFor(kind);
  const { text, containsSecrets } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text, containsSecrets };
}

/** The arguments of every `require(...)` call in a text, as written (`"ts-node"`, `candidate`). */
export function requireCalls(text: string): string[] {
  return [...text.matchAll(/\brequire\s*\(([^()]*)\)/g)].map((m) => m[1].trim());
}

export const typeToken = (kind: string): string => `pulumi-nodejs:dynamic/iplb:${kind}`;
export const urnOf = (kind: string, name: string, project = "proj", stack = "dev"): string =>
  `urn:pulumi:${stack}::${project}::${typeToken(kind)}::${name}`;

export interface Credentials {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

/**
 * The names of the credentials found in `text`. The emulator generates them at random (16 to 32 hex digits), so a
 * match is never an accident.
 */
export function credentialsIn(text: string, creds: Credentials): (keyof Credentials)[] {
  return (Object.keys(creds) as (keyof Credentials)[]).filter((name) => text.includes(creds[name]));
}

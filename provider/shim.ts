/**
 * What Pulumi serializes into `__provider` for each resource: a shim of about 1 KB that, inside the dynamic-provider
 * host, loads the provider implementation installed in the project and delegates every call to it.
 *
 * Why not let Pulumi capture the implementation by value? Outside node_modules the closure serializer copies every
 * module a provider reaches (our models, client, refresh logic: about 80 KB), into the state of every resource.
 * The shim keeps `__provider` small and identical for every resource of a type, holds no credential, and makes an
 * old state's deletes run the implementation installed now (as a plugin-based provider would).
 *
 * Where the implementation is looked for, in order:
 * 1. `pulumi-ovh-iplb/dist/provider/registry.js`, resolved from the project directory (the host's cwd): a normal
 *    install, wherever the project lives;
 * 2. the absolute path of the registry module that serialized the shim: a linked or in-repository checkout
 *    (TypeScript sources are loaded through the project's ts-node).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { ProviderKind } from "./registry";

export const PACKAGE_REGISTRY = "pulumi-ovh-iplb/dist/provider/registry.js";

/** The module specifiers the host will try, computed once in the program process. */
export function implementationCandidates(registryFile = require.resolve("./registry")): string[] {
  const inPackage = registryFile.split(path.sep).join("/").includes("/node_modules/pulumi-ovh-iplb/");
  return inPackage ? [PACKAGE_REGISTRY, registryFile] : [registryFile];
}

/** Runs in the host process: the first candidate that loads wins; TypeScript sources need ts-node. */
export function loadImplementation(candidates: string[]): Record<string, pulumi.dynamic.ResourceProvider> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      if (candidate.endsWith(".ts") && !require.extensions[".ts"]) {
        require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
      }
      return require(candidate).providers;
    } catch (e) {
      failures.push(`${candidate}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error(`pulumi-ovh-iplb: cannot load the provider implementation; is pulumi-ovh-iplb installed in this project? (${failures.join("; ")})`);
}

export function serializableProvider(kind: ProviderKind, candidates = implementationCandidates()): pulumi.dynamic.ResourceProvider {
  const impl = () => loadImplementation(candidates)[kind];
  return {
    configure: (req) => impl().configure!(req),
    check: (olds, news) => impl().check!(olds, news),
    diff: (id, olds, news) => impl().diff!(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read!(id, props),
    update: (id, olds, news) => impl().update!(id, olds, news),
    delete: (id, props) => impl().delete!(id, props),
  };
}

const shims: Partial<Record<ProviderKind, pulumi.dynamic.ResourceProvider>> = {};

/** One shim per kind, so the SDK serializes each kind once per program (its cache is keyed by the object). */
export function providerFor(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  return (shims[kind] ??= serializableProvider(kind));
}

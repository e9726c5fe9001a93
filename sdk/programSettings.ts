/**
 * Settings for code that runs in the program process rather than in the dynamic-provider host: the functions
 * (`getFailoverIps`, `getSslCertificates`, ...), which a dynamic provider cannot serve (the host answers every invoke
 * "unknown function"), so they call the API themselves. Same keys and precedence as the provider (config.ts): the
 * stack config (`ovh:endpoint`, `ovh:applicationKey`, `ovh:applicationSecret`, `ovh:consumerKey`, `ovh-iplb:*`), then the
 * `OVH_*` variables.
 *
 * The stack config is read with `pulumi.runtime.getConfig`, which returns a secret's value without the warning that
 * `pulumi.Config.get` prints for secrets. What is read here never goes into a result, an error or a log line; it is
 * read on every call, never kept at module scope.
 */
import * as pulumi from "@pulumi/pulumi";
import * as clientModule from "../provider/api/client";
import * as configModule from "../provider/config";

/** The running program's stack config, then `env`. */
export function programLookup(env: NodeJS.ProcessEnv = process.env): configModule.Lookup {
  return configModule.lookupFrom({ get: (key) => pulumi.runtime.getConfig(key) }, env);
}

/** The client settings of the running program; throws naming every missing credential (never a value). */
export function programConfig(env: NodeJS.ProcessEnv = process.env): configModule.ClientConfig {
  return configModule.resolveConfig(programLookup(env));
}

/** An API client for the running program (node-ovh clients are cached per settings by api/client.ts). */
export function programClient(env: NodeJS.ProcessEnv = process.env): clientModule.ApiClient {
  return clientModule.createClient(programConfig(env));
}

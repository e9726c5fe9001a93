/**
 * What every provider method starts from. The host's `configure()` keeps the stack config on the provider object
 * (`this`); each method resolves the settings from it and the host's environment when it runs, so credentials are
 * never captured in the serialized provider nor written to the state.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as clientModule from "../api/client";
import * as configModule from "../config";
import type { LiveContext } from "../changes/goLive";
import * as writeWindow from "../changes/writeWindow";

export type Props = Record<string, unknown>;

/** `this` of a provider method: the host's configure() stores the stack config here. */
export interface ProviderThis {
  stackConfig?: { get(key: string): string | undefined };
}

export interface Session extends LiveContext {
  config: configModule.ClientConfig;
}

export function session(self: ProviderThis): Session {
  const config = configModule.resolveConfig(configModule.lookupFrom(self.stackConfig, process.env));
  const endpoint = config.endpoint.kind === "preset" ? config.endpoint.name : `${config.endpoint.host}:${config.endpoint.port}`;
  return {
    api: clientModule.createClient(config),
    config,
    window: { ...writeWindow.DEFAULT_WINDOW, poll: { timeoutMs: config.taskTimeoutMs } },
    key: (serviceName) => `${endpoint}|${serviceName}`,
  };
}

/** Every provider's `configure`: keeps the stack config, from which each method reads the credentials when it runs. */
export async function configure(this: ProviderThis, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  this.stackConfig = req.config;
}

/**
 * The object was created (or updated) but a later step failed: the dynamic-provider host reports the error with this
 * id and these properties (ErrorResourceInitFailed), so the engine keeps the object in the state instead of orphaning
 * it, and the next `up` updates it even without changes (which makes it live).
 */
export class ResourceInitError extends Error {
  constructor(message: string, readonly id: string, readonly properties: Props, readonly reasons: string[]) {
    super(message);
    this.name = "ResourceInitError";
  }
}

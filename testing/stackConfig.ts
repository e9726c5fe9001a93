/**
 * The stack config that points this package at an emulator, in the Automation API's shape (`ConfigMap`, what
 * `stack.setAllConfig` takes): the endpoint, the emulator's CA file, and the three credentials, the secret two marked
 * `secret` so that the state and `Pulumi.<stack>.yaml` hold them encrypted.
 */
import type { ConfigMap } from "@pulumi/pulumi/automation";
import type { EmulatorInfo } from "../emulator";

export interface StackConfigOptions {
  /**
   * The config key that receives the emulator's service name (`loadbalancer-...`): `serviceName` (in the project's
   * namespace, read with `new pulumi.Config().require("serviceName")`) or a namespaced key (`my-project:lb`).
   * Omitted: no such key.
   */
  serviceNameKey?: string;
}

/** The keys that hold credentials: never shown in a message or a log line (scrubbed from errors, see secrets.ts). */
export const CREDENTIAL_KEYS = ["ovh:applicationKey", "ovh:applicationSecret", "ovh:consumerKey"] as const;

/**
 * `ovh:endpoint` (the emulator's URL), `ovh-iplb:caFile` (its CA certificate), `ovh:applicationKey`,
 * `ovh:applicationSecret` and `ovh:consumerKey` (both secret), and the service name under `serviceNameKey`.
 */
export function stackConfigOf(emu: EmulatorInfo, options: StackConfigOptions = {}): ConfigMap {
  return {
    "ovh:endpoint": { value: emu.url },
    "ovh-iplb:caFile": { value: emu.caFile },
    "ovh:applicationKey": { value: emu.applicationKey },
    "ovh:applicationSecret": { value: emu.applicationSecret, secret: true },
    "ovh:consumerKey": { value: emu.consumerKey, secret: true },
    ...(options.serviceNameKey ? { [options.serviceNameKey]: { value: emu.serviceName } } : {}),
  };
}

/** The config's values that must not be shown: the credentials, and every value marked secret. */
export function hiddenValues(config: ConfigMap): string[] {
  return Object.entries(config)
    .filter(([key, v]) => v.secret || (CREDENTIAL_KEYS as readonly string[]).includes(key))
    .map(([, v]) => v.value)
    .filter((value) => value.length > 0);
}

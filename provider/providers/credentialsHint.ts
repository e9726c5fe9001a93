/**
 * What a refused credential means under Pulumi, added to the error every provider method throws.
 *
 * After a working `up`, the likeliest cause is a rotation: `pulumi refresh` and `pulumi destroy` configure the
 * provider from the config stored in the state at the last `up`, not from the current stack config
 * (../shared/pulumi-cli.md), so they still sign with the old keys. The hint names the settings, never a value.
 * `ovh-iplb status` (cli/main.ts) explains the same refusal in its own terms.
 */
import type * as pulumi from "@pulumi/pulumi";
import { refusedCredentials } from "../api/errors";

export const CREDENTIALS_HINT =
  "OVH refused the credentials (ovh:applicationKey, ovh:applicationSecret, ovh:consumerKey or the OVH_* variables). " +
  "If you rotated them: `pulumi refresh` and `pulumi destroy` use the credentials stored at the last `pulumi up`; " +
  "run `pulumi up` once with the new ones, or add --run-program to refresh or destroy";

type Method = (...args: unknown[]) => unknown;

/** The provider with each method's refused-credentials errors carrying CREDENTIALS_HINT; `this` is passed through. */
export function withCredentialsHint<P extends pulumi.dynamic.ResourceProvider>(provider: P): P {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(provider)) {
    if (typeof method !== "function") {
      wrapped[name] = method;
      continue;
    }
    wrapped[name] = async function (this: unknown, ...args: unknown[]) {
      try {
        return await (method as Method).apply(this, args);
      } catch (e) {
        if (refusedCredentials(e)) (e as Error).message = `${(e as Error).message}. ${CREDENTIALS_HINT}`;
        throw e;
      }
    };
  }
  return wrapped as P;
}

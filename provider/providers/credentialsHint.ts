/**
 * What a refused credential or a refused call means under Pulumi, added to the error every provider method throws.
 *
 * Refused credentials: the answer says which setting is wrong, so the hint maps each answer to its config key and
 * variable. After a working `up`, the likeliest cause is a rotation: `pulumi refresh` and `pulumi destroy` configure
 * the provider from the config stored in the state at the last `up`, not from the current stack config
 * (../shared/pulumi-cli.md), so they still sign with the old keys.
 * A refused call (403 NOT_GRANTED_CALL): the consumer key is valid but scoped; the hint names the access rule to add
 * (provider/accessRules.ts, the list `ovh-iplb access-rules` prints).
 * Hints name settings, never a value. `ovh-iplb status` (cli/main.ts) explains the same refusals in its own terms.
 */
import type * as pulumi from "@pulumi/pulumi";
import { notGrantedHint } from "../accessRules";
import { notGrantedCall, refusedCredentials } from "../api/errors";
import { namedIn, withHint } from "./explain";

export const CREDENTIALS_HINT =
  "OVH refused the credentials; check the setting its answer points to (values are never shown): " +
  '"Invalid application key": ovh:applicationKey or OVH_APPLICATION_KEY, and ovh:endpoint or OVH_ENDPOINT (a key works only on the endpoint that issued it); ' +
  '"Invalid signature": ovh:applicationSecret or OVH_APPLICATION_SECRET; ' +
  '"This credential does not exist": ovh:consumerKey or OVH_CONSUMER_KEY; ' +
  '"This credential is not valid": the consumer key (ovh:consumerKey or OVH_CONSUMER_KEY) expired or was never validated, ' +
  "request a new one (`ovh-iplb access-rules <serviceName>` prints the request). " +
  "If you rotated them: `pulumi refresh` and `pulumi destroy` use the credentials stored at the last `pulumi up`; " +
  "run `pulumi up` once with the new ones, or add --run-program to refresh or destroy";

/** The hint for this failure, if one applies. */
export function credentialsHint(e: unknown, serviceName?: string): string | undefined {
  if (refusedCredentials(e)) return CREDENTIALS_HINT;
  const refused = notGrantedCall(e);
  return refused ? notGrantedHint(refused.method, refused.path, serviceName) : undefined;
}

/** The provider with each method's refused-credentials and refused-call errors explained. */
export const withCredentialsHint = <P extends pulumi.dynamic.ResourceProvider>(provider: P): P =>
  withHint(provider, async (e, _self, args) => credentialsHint(e, namedIn(args)?.serviceName));

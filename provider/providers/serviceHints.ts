/**
 * What an unknown service or an unknown zone means, added to the error a provider method throws, as `ovh-iplb status`
 * explains them (cli/main.ts `explain`). The API's own answers say neither: a 404 on the object's path does not say
 * that the service itself is unknown to these credentials, nor which ones they can see; a 400 on a zone may not list
 * the zones the service has. Read only once a method has failed, so a working run pays nothing; a hint that cannot be
 * read leaves the error as it was.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../api/client";
import * as errors from "../api/errors";
import * as paths from "../api/paths";
import { ALL_ZONES } from "../models/zones";
import { namedIn, withHint } from "./explain";
import { session } from "./session";

type Named = { serviceName: string; zone?: unknown };

/** `There is no IP Load Balancer named "x"...`, or undefined when the service exists (the 404 was about an object). */
async function unknownService(api: ApiClient, serviceName: string): Promise<string | undefined> {
  const found = await api.get(paths.service(serviceName)).then(() => true, (e: unknown) => (errors.isNotFound(e) ? false : undefined));
  if (found !== false) return undefined;
  const visible = await api.get<string[]>(paths.services()).catch(() => undefined);
  const list = visible === undefined ? "" : visible.length === 0 ? " (they see none)" : ` (they see: ${[...visible].sort().join(", ")})`;
  return `There is no IP Load Balancer named "${serviceName}" for these credentials${list}; check serviceName and ovh:endpoint.`;
}

/** `Zone "x" is not a zone of ...; its zones: ...`, or undefined when the zone exists. */
async function unknownZone(api: ApiClient, serviceName: string, zone: unknown): Promise<string | undefined> {
  if (typeof zone !== "string" || zone === ALL_ZONES) return undefined;
  const zones = await api.get<string[]>(paths.zones(serviceName)).catch(() => undefined);
  if (zones === undefined || zones.includes(zone)) return undefined;
  return `Zone "${zone}" is not a zone of ${serviceName}; its zones: ${[...zones].sort().join(", ")}, or ${ALL_ZONES} for every zone.`;
}

/** The hint for this failure, if one applies. */
export async function serviceHint(api: ApiClient, e: unknown, named: Named): Promise<string | undefined> {
  if (!errors.isApiError(e) || !e.path.startsWith(paths.service(named.serviceName))) return undefined;
  if (e.status === 404) return unknownService(api, named.serviceName);
  if (e.status === 400 && /zone/i.test(e.apiMessage)) return unknownZone(api, named.serviceName, named.zone);
  return undefined;
}

/** The provider with each method's unknown-service and unknown-zone errors explained. */
export const withServiceHints = <P extends pulumi.dynamic.ResourceProvider>(provider: P): P =>
  withHint(provider, async (e, self, args) => {
    const named = namedIn(args);
    return named ? serviceHint(session(self).api, e, named) : undefined;
  });

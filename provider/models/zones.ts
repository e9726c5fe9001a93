// Which zones a change touches, so that makeLive (changes/makeLive.ts) posts one `POST .../refresh {zone}` per
// touched zone and no more. Changes are staged per zone and go live only after a refresh; an object
// with `zone: "all"` is deployed on every zone the IPLB owns (shared note ovh-iplb-api.md, section 10).
import type { PendingChanges } from "../api/wire";

/** The literal zone value meaning "every zone of the service". */
export const ALL_ZONES = "all";

/** Sorted, de-duplicated union of zone lists (sorting keeps request logs and plans stable). */
export function unionZones(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/**
 * The zones a change to an object in `zone` touches: `all` means every zone of the service (as the
 * service reports them); any other zone is itself, even if the service does not list it, so that
 * the refresh call reports the API's own error instead of silently skipping it.
 */
export function touchedZones(zone: string, serviceZones: readonly string[]): string[] {
  return zone === ALL_ZONES ? unionZones(serviceZones) : [zone];
}

/** Zones with staged changes (`number` > 0); the API omits zones without any. */
export function pendingZones(pending: readonly PendingChanges[]): string[] {
  return unionZones(pending.filter((p) => p.number > 0).map((p) => p.zone));
}

/** Touched zones that actually have staged changes: the refreshes worth posting. */
export function zonesToRefresh(touched: readonly string[], pending: readonly PendingChanges[]): string[] {
  const staged = new Set(pendingZones(pending));
  return unionZones(touched).filter((zone) => staged.has(zone));
}

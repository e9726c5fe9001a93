/**
 * Making staged changes live outside Pulumi, as someone using the OVH console or another tool does: one
 * `POST /ipLoadbalancing/{serviceName}/refresh` per zone with pending changes, then a wait until live. With the
 * official client, so these requests are in the request log like any other client's.
 */
import type { Emulator } from "../emulator";
import { notLiveReport, pendingChanges, waitUntilLive } from "./liveness";
import type { OvhClient } from "./ovhClient";
import type { WaitOptions } from "./wait";

/** Refreshes every zone with pending changes and waits until live; returns those zones (`[]`: nothing was pending). */
export async function applyPending(emu: Emulator, client: OvhClient, options: WaitOptions = {}): Promise<string[]> {
  const zones = pendingChanges(emu).map((p) => p.zone);
  const path = `/ipLoadbalancing/${encodeURIComponent(emu.serviceName)}/refresh`;
  for (const zone of zones) {
    try {
      await client.requestPromised("POST", path, { zone });
    } catch (rejection) {
      // node-ovh rejects with { error, message }, never an Error (ovh-iplb-api.md 1.6).
      const { error, message } = (rejection ?? {}) as { error?: unknown; message?: unknown };
      throw new Error(`POST ${path} (zone ${zone}) failed: ${String(error)} ${String(message ?? "")} (${notLiveReport(emu)})`);
    }
  }
  await waitUntilLive(emu, options);
  return zones;
}

/**
 * Emulator refusals that must change nothing: the call is refused with exactly this status and message, and neither
 * the store nor the pending changes moved (tests/emulator/routes.test.ts has its own copy from before this helper).
 */
import type { OvhClient } from "ovh";
import { Emulator, rejection, svcPath } from "./emulator";

/** The pending changes per zone as the API lists them: `{ gra: 1 }`, `{}` when everything is live. */
export async function pendingByZone(emu: Emulator, client: OvhClient): Promise<Record<string, number>> {
  const list = (await client.requestPromised("GET", svcPath(emu, "/pendingChanges"))) as { zone: string; number: number }[];
  return Object.fromEntries(list.map((p) => [p.zone, p.number]));
}

export async function expectRefusedUnchanged(emu: Emulator, client: OvhClient, send: () => Promise<unknown>, error: number, message: string): Promise<void> {
  const state = async () => ({ store: JSON.stringify(emu.store.data), pending: await pendingByZone(emu, client) });
  const before = await state();
  expect(await rejection(send())).toEqual({ error, message });
  expect(await state()).toEqual(before);
}

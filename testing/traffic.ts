/**
 * The emulator's data plane (option `dataPlane`): where each frontend of the running configuration listens on
 * 127.0.0.1, and what each server carried. Read from the emulator itself (its control surface's snapshot), not
 * through the API: nothing is added to the request log.
 */
import type { DataPlaneHandle, DataPlaneServer, Emulator } from "../emulator";

/** One server of the running configuration (or one that carried traffic and has left it), with its counters. */
export type ServerTraffic = DataPlaneServer;

/** The data plane, or an error saying how to turn it on. */
export function dataPlaneOf(emu: Emulator): DataPlaneHandle {
  if (!emu.dataPlane) throw new Error("the emulator's data plane is off: start it with { dataPlane: true } to get ports and traffic");
  return emu.dataPlane;
}

/** `zone:port` of each listening frontend -> its local port on 127.0.0.1 (`{"gra:80": 10080}`). */
export function portsOf(emu: Emulator): Record<string, number> {
  return dataPlaneOf(emu).ports();
}

/** Every server's counters and data-plane status, by zone then server id. */
export function trafficOf(emu: Emulator): ServerTraffic[] {
  return dataPlaneOf(emu).snapshot().servers as ServerTraffic[];
}

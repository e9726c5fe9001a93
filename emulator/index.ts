/**
 * A local OVHcloud IP Load Balancer API for tests: HTTPS on 127.0.0.1, signed requests, staged configuration,
 * tasks, health probes against real loopback backends, and injectable faults.
 *
 *   const emu = await startEmulator({ refreshSeconds: 0.2 });
 *   const real = await startEmulator({ profile: "realistic", timeScale: 0.1 }); // OVH's pace, ten times faster
 *   const live = await startEmulator({ dataPlane: true }); // frontends listen on 127.0.0.1 (live.dataPlane.ports())
 *   // point the `ovh` client at { host: emu.host, port: emu.port, basePath: emu.basePath } and trust emu.caFile
 */
import { startEmulator as startServer, type Emulator } from "./server";
import { withProfile } from "./profiles";
import type { EmulatorOptions } from "./runtime";

/** Starts the emulator with the profile's durations, latency and rate limit filled in (see `EmulatorOptions`). */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startServer(withProfile(options));
}

export type { DataPlaneHandle, DataPlaneInfo, Emulator, EmulatorInfo } from "./server";
export type { DataPlaneOption, DataPlaneOptions } from "./dataplane/options";
export type { DataPlaneServer } from "./dataplane/control";
export type { EmulatorOptions, ServerState } from "./runtime";
export type { AccessRule, KeyState, RuleMethod, ScopedConsumerKey } from "./accessRules";
export type { Faults, TaskOutcome } from "./faults";
export { PROFILES, PROFILE_NAMES, withProfile } from "./profiles";
export type { Profile, ProfileName } from "./profiles";
export type { RequestLogEntry } from "./requestLog";
export { isRefresh, isWrite } from "./requestLog";
export type { Config, StoredFarm, StoredServer, StoredFrontend } from "./store";
export type { VrackSeed } from "./seed";

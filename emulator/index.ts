/**
 * A local OVHcloud IP Load Balancer API for tests: HTTPS on 127.0.0.1, signed requests, staged configuration,
 * tasks, health probes against real loopback backends, and injectable faults.
 *
 *   const emu = await startEmulator({ refreshSeconds: 0.2 });
 *   // point the `ovh` client at { host: emu.host, port: emu.port, basePath: emu.basePath } and trust emu.caFile
 */
export { startEmulator } from "./server";
export type { Emulator, EmulatorInfo } from "./server";
export type { EmulatorOptions, ServerState } from "./runtime";
export type { Faults, TaskOutcome } from "./faults";
export type { RequestLogEntry } from "./requestLog";
export { isRefresh, isWrite } from "./requestLog";
export type { Config, StoredFarm, StoredServer, StoredFrontend } from "./store";

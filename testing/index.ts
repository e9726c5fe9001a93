/**
 * `pulumi-ovh-iplb/testing`: a kit for testing your own stacks, with no OVH account (docs/testing.md).
 *
 * - `startTestEnvironment(options)`: the emulator (every `EmulatorOptions` passes through), its stack config, a ready
 *   `ovh` client, its request log, pending changes, `waitUntilLive`, health, data-plane ports and counters.
 * - `createTestStack(options)` (or `env.createStack`): a throw-away Automation API stack run by the real `pulumi`.
 * - `setIplbMocks(options)`: this package's resources under `pulumi.runtime.setMocks`, for the fast layer.
 */
export { IplbTestEnvironment, startTestEnvironment } from "./environment";
export type { EnvironmentStackOptions } from "./environment";
export { createTestStack } from "./testStack";
export type { DisposeOptions, TestStack, TestStackOptions } from "./testStack";
export type { CliOptions } from "./pulumiCommand";
export { CREDENTIAL_KEYS, stackConfigOf } from "./stackConfig";
export type { StackConfigOptions } from "./stackConfig";
export { ovhClientOf } from "./ovhClient";
export type { OvhClient, OvhClientOptions } from "./ovhClient";
export { callsOf } from "./requestLog";
export type { PendingChange, RunningTask } from "./liveness";
export type { FarmHealth, HealthOptions, HealthStatus, ProbedState, ServerHealth } from "./health";
export type { ServerTraffic } from "./traffic";
export { waitFor, WaitTimeoutError } from "./wait";
export type { WaitForOptions, WaitOptions } from "./wait";
export { IplbMocks, setIplbMocks, valueOf } from "./mocks";
export type { CheckFailure, IplbMocksOptions, MockedResource, SetIplbMocksOptions } from "./mocks";
export type { Emulator, EmulatorOptions, RequestLogEntry } from "../emulator";

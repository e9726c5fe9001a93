/**
 * `IplbTestEnvironment`: one emulator for a user's test, and everything a test asks of it (see docs/testing.md).
 *
 *   const env = await startTestEnvironment({ refreshSeconds: 0.1 });
 *   const test = await env.createStack({ workDir: __dirname, serviceNameKey: "serviceName" });
 *   await test.stack.up();                      // live when it returns
 *   expect(env.pendingChanges()).toEqual([]);
 *   await env.close();                          // disposes the stack (destroy, stack rm), then stops the emulator
 *
 * The credentials stay inside: the environment shows only its URL, CA file and service name when printed (console.log,
 * JSON), and the emulator's handle (`emulator`, with them) is not an enumerable property.
 */
import { inspect } from "util";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { startEmulator, type Emulator, type EmulatorOptions, type RequestLogEntry } from "../emulator";
import type * as clientModule from "../provider/api/client";
import { healthOf, serverHealthOf, type FarmHealth, type HealthOptions, type HealthStatus, type ProbedState, type ServerHealth } from "./health";
import { pendingChanges, runningTasks, waitUntilLive, type PendingChange, type RunningTask } from "./liveness";
import { type OvhClient, type OvhClientOptions, ovhClientOf, packageClient } from "./ovhClient";
import { applyPending } from "./refresh";
import { refreshesSince, requestsSince, writesSince } from "./requestLog";
import { stackConfigOf, type StackConfigOptions } from "./stackConfig";
import { createTestStack, type TestStack, type TestStackOptions } from "./testStack";
import { portsOf, trafficOf, type ServerTraffic } from "./traffic";
import { waitFor, type WaitOptions } from "./wait";

/** `createTestStack`'s options, with the environment's stack config merged under `config` (which wins). */
export interface EnvironmentStackOptions extends TestStackOptions, StackConfigOptions {}

/** Starts an emulator with `options` (every `EmulatorOptions` field passes through as given). */
export async function startTestEnvironment(options: EmulatorOptions = {}): Promise<IplbTestEnvironment> {
  const emulator = await startEmulator(options);
  try {
    return new IplbTestEnvironment(emulator);
  } catch (e) {
    await emulator.close();
    throw e;
  }
}

export class IplbTestEnvironment {
  readonly #emulator: Emulator;
  readonly #stacks = new Set<TestStack>();
  /** The default official client, with the consumer key it was made with (`emulator.rotateConsumerKey()` changes it). */
  #client: { consumerKey: string; client: OvhClient } | undefined;

  /** Trusts the emulator's CA at once (ovhClient.ts), so any HTTPS client of this process can reach it. */
  constructor(emulator: Emulator) {
    this.#emulator = emulator;
    packageClient(emulator);
  }

  /** This package's client on the emulator's current credentials (clients are cached per settings: cheap). */
  get #api(): clientModule.ApiClient {
    return packageClient(this.#emulator);
  }

  /** The emulator's handle: `faults`, `running(zone)`, `store`, `routeFqdn`, `rotateConsumerKey`, `dataPlane` ... */
  get emulator(): Emulator {
    return this.#emulator;
  }

  /** The seeded load balancer's name (`loadbalancer-...`, or the `serviceName` option). */
  get serviceName(): string {
    return this.#emulator.serviceName;
  }

  /** The API's base URL, `https://127.0.0.1:<port>/1.0`. */
  get url(): string {
    return this.#emulator.url;
  }

  /** The emulator's CA certificate (PEM file). */
  get caFile(): string {
    return this.#emulator.caFile;
  }

  /** The stack config for this emulator (stackConfig.ts): endpoint, CA file, credentials (two secret), the service name. */
  stackConfig(options: StackConfigOptions = {}): ConfigMap {
    return stackConfigOf(this.#emulator, options);
  }

  /** A throw-away stack (testStack.ts) with this config set; `close()` disposes it before stopping the emulator. */
  async createStack(options: EnvironmentStackOptions): Promise<TestStack> {
    const config = { ...this.stackConfig({ serviceNameKey: options.serviceNameKey }), ...options.config };
    const created = await createTestStack({ ...options, config });
    const dispose = created.dispose.bind(created);
    const tracked: TestStack = { ...created, dispose: async (o) => (this.#stacks.delete(tracked), dispose(o)) };
    this.#stacks.add(tracked);
    return tracked;
  }

  /**
   * The official `ovh` client on the emulator, its CA trusted (ovhClient.ts: the client's traps). Without options,
   * the same client each time (it syncs its clock once) until the consumer key is rotated; with options, a new one.
   */
  ovhClient(options?: OvhClientOptions): OvhClient {
    if (options) return ovhClientOf(this.#emulator, options);
    const consumerKey = this.#emulator.consumerKey;
    if (this.#client?.consumerKey !== consumerKey) this.#client = { consumerKey, client: ovhClientOf(this.#emulator) };
    return this.#client.client;
  }

  /** The request log's current position: pass it to `requests`, `writes`, `refreshes` to see what came after. */
  mark(): number {
    return this.#emulator.requests.length;
  }

  /** Every API request from position `since` (default: all), in order. */
  requests(since = 0): RequestLogEntry[] {
    return requestsSince(this.#emulator.requests, since);
  }

  /** POST, PUT and DELETE requests from `since`. */
  writes(since = 0): RequestLogEntry[] {
    return writesSince(this.#emulator.requests, since);
  }

  /** `POST .../refresh` requests from `since` (each makes its zones' staged changes live). */
  refreshes(since = 0): RequestLogEntry[] {
    return refreshesSince(this.#emulator.requests, since);
  }

  /** Staged changes not live yet, per zone (`[]` when live); `zone` keeps that zone's entry only. */
  pendingChanges(zone?: string): PendingChange[] {
    return pendingChanges(this.#emulator, zone);
  }

  /** Tasks not ended yet: refreshes, certificate orders, `/ip` moves. */
  runningTasks(): RunningTask[] {
    return runningTasks(this.#emulator);
  }

  /** Resolves once nothing is pending nor running (and the data plane settled); rejects after `timeoutMs` saying why. */
  waitUntilLive(options: WaitOptions = {}): Promise<void> {
    return waitUntilLive(this.#emulator, options);
  }

  /**
   * Makes every pending change live outside Pulumi, as a console user would (one `POST .../refresh` per zone with
   * pending changes, through the official client), and waits until live. Returns the refreshed zones.
   */
  applyPending(options: WaitOptions = {}): Promise<string[]> {
    return applyPending(this.#emulator, this.ovhClient(), options);
  }

  /** Every farm with its servers' health as the probes see it (health.ts); `farmId` keeps one farm. Reads the API. */
  health(options: HealthOptions = {}): Promise<FarmHealth[]> {
    return healthOf(this.#api, this.serviceName, options);
  }

  /** One server's health, whichever farm holds it; undefined when none does. Reads the API. */
  serverHealth(serverId: number): Promise<ServerHealth | undefined> {
    return serverHealthOf(this.#api, this.serviceName, serverId);
  }

  /**
   * Waits until the server's health says `state`: a probe state (`probed`: `UP`, `DOWN`, `MAINT`, `no check`) or a
   * roll-up (`status`: `OK` once its checks pass on every instance, `CRITICAL`, `WARNING`, `UNKNOWN`). A server is
   * `UP` from the moment it runs, before any check (HAProxy's `INI`): wait for `OK` to know a check passed. Reads the
   * API every 100 ms (`intervalMs`); rejects after `timeoutMs` (default 60 s) with the state seen last.
   */
  async waitForServer(serverId: number, state: ProbedState | HealthStatus, options: WaitOptions = {}): Promise<ServerHealth> {
    let last: ServerHealth | undefined;
    const matches = (h: ServerHealth | undefined) => h !== undefined && (h.probed === state || h.status === state);
    const seen = async () => (matches((last = await this.serverHealth(serverId))) ? last : undefined);
    const describe = () => (last ? `it is ${last.probed ?? "not live"}, ${last.status} (${last.reason})` : "no farm has it");
    return waitFor(seen, { intervalMs: 100, ...options, what: `server ${serverId} to be ${state}` }, describe);
  }

  /** Data plane: `zone:port` of each listening frontend -> its local port on 127.0.0.1. */
  ports(): Record<string, number> {
    return portsOf(this.#emulator);
  }

  /** Data plane: each server's counters (requests, bytes, open) and status. */
  traffic(): ServerTraffic[] {
    return trafficOf(this.#emulator);
  }

  /** Disposes the stacks made by `createStack` (destroy, stack rm, temporary folder), then stops the emulator. */
  async close(): Promise<void> {
    const failures: unknown[] = [];
    for (const stack of [...this.#stacks]) await stack.dispose().catch((e: unknown) => failures.push(e));
    await this.#emulator.close();
    if (failures.length > 0) throw failures[0];
  }

  toJSON(): Record<string, string> {
    return { url: this.url, caFile: this.caFile, serviceName: this.serviceName };
  }

  [inspect.custom](): string {
    return `IplbTestEnvironment ${JSON.stringify(this.toJSON())}`;
  }
}

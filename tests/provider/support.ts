/**
 * Layer A helpers: the provider implementations (provider/registry.ts) configured against an emulator, and queries on
 * what the emulator received and runs. Each `configured()` call returns its own provider object (a prototype child of
 * the registry's), so a test can give it other settings (a bad key, a short timeout) without touching the others.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OvhClient } from "ovh";
import { providers, ProviderKind } from "../../provider/registry";
import { Emulator, eventually, ovhClient, startTestEmulator } from "../helpers/emulator";
import type { EmulatorOptions, RequestLogEntry } from "../../emulator";

export type Kind = ProviderKind;
export type Props = Record<string, unknown>;

/** Every method of a dynamic provider, as the host calls them. */
export interface Provider {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

/** The stack config `pulumi up` would pass to configure() for this emulator. */
export function emulatorSettings(emu: Emulator): Record<string, string> {
  return {
    "ovh:endpoint": emu.url,
    "ovh:applicationKey": emu.applicationKey,
    "ovh:applicationSecret": emu.applicationSecret,
    "ovh:consumerKey": emu.consumerKey,
    "ovh-iplb:caFile": emu.caFile,
  };
}

/**
 * A provider of `kind` after configure() with the emulator's settings; `overrides` replace or (with undefined)
 * remove settings.
 */
export async function configured(kind: Kind, emu: Emulator, overrides: Record<string, string | undefined> = {}): Promise<Provider> {
  const settings: Record<string, string | undefined> = { ...emulatorSettings(emu), ...overrides };
  const provider = Object.create(providers[kind]) as pulumi.dynamic.ResourceProvider;
  const config = { get: (key: string) => settings[key] };
  await provider.configure!({ config } as unknown as pulumi.dynamic.ConfigureRequest);
  return provider as unknown as Provider;
}

/** The official client, for changes made "out of band" (the console, another tool). */
export function outOfBand(emu: Emulator): OvhClient {
  return ovhClient(emu);
}

/** What `withEmulator` starts for a describe: the emulator, the official client on it ("out of band"), its service. */
export interface Started {
  emu: Emulator;
  client: OvhClient;
  svc: string;
}

/**
 * Gives the describe it is called in an emulator of its own: started with `options` (then `ready`, for what the
 * describe's tests share: providers, a farm) before its tests, and closed after them (after `done`), so nothing a
 * describe leaves behind (objects, pending changes, faults, running tasks) can reach another describe's tests.
 * Returns a getter, valid in the describe's hooks and tests.
 */
export function withEmulator(
  options: EmulatorOptions = {},
  ready?: (started: Started) => unknown,
  done?: () => unknown,
): () => Started {
  let started: Started | undefined;
  beforeAll(async () => {
    const emu = await startTestEmulator(options);
    started = { emu, client: outOfBand(emu), svc: emu.serviceName };
    await ready?.(started);
  });
  afterAll(async () => {
    try {
      await done?.();
    } finally {
      await started?.emu.close();
      started = undefined;
    }
  });
  return () => {
    if (!started) throw new Error("withEmulator: the emulator runs only during its describe's hooks and tests");
    return started;
  };
}

/** A position in the request log; pass it to the queries below to see only what came after. */
export function mark(emu: Emulator): number {
  return emu.requests.length;
}

/** The API calls since `from`, as `METHOD path` (node-ovh's one-time clock sync `GET /auth/time` left out). */
export function calls(emu: Emulator, from: number): string[] {
  return emu.requests
    .slice(from)
    .filter((r) => r.path !== "/auth/time")
    .map((r) => `${r.method} ${r.path}`);
}

export function requestsSince(emu: Emulator, from: number, method?: string, path?: string | RegExp): RequestLogEntry[] {
  return emu.requests.slice(from).filter((r) => {
    if (method !== undefined && r.method !== method) return false;
    if (path === undefined) return true;
    return typeof path === "string" ? r.path === path : path.test(r.path);
  });
}

/** POST, PUT and DELETE requests since `from`. */
export function writesSince(emu: Emulator, from: number): RequestLogEntry[] {
  return emu.requests.slice(from).filter((r) => r.method !== "GET");
}

/** `POST .../refresh` requests since `from`, refused ones included. */
export function refreshesSince(emu: Emulator, from: number): RequestLogEntry[] {
  return emu.requests.slice(from).filter((r) => r.method === "POST" && /^\/ipLoadbalancing\/[^/]+\/refresh$/.test(r.path));
}

/** Staged changes not applied yet, per zone (`[]` when everything is live). */
export function pendingChanges(emu: Emulator, serviceName = emu.serviceName): { zone: string; number: number }[] {
  const svc = emu.store.service(serviceName);
  if (!svc) throw new Error(`no service ${serviceName} in the emulator`);
  return emu.store.pendingChanges(svc);
}

/** The farm as the zone runs it (its API model), or undefined when that zone does not run it. */
export function runningFarm(emu: Emulator, zone: string, farmId: number): Props | undefined {
  return emu.running(zone).farms[farmId]?.data;
}

/** The server as the zone runs it (its API model), or undefined. */
export function runningServer(emu: Emulator, zone: string, serverId: number): Props | undefined {
  return emu.running(zone).servers[serverId]?.data;
}

/** The staged (API-visible) farms of a protocol, by id. */
export function stagedFarms(emu: Emulator, type: "http" | "tcp" | "udp", serviceName = emu.serviceName): Props[] {
  const svc = emu.store.service(serviceName);
  return Object.values(svc?.staged.farms ?? {}).filter((f) => f.type === type).map((f) => f.data);
}

/**
 * Applies every pending change out of band (one refresh of every zone) and waits until it is done, so that the next
 * test starts with nothing pending.
 */
export async function applyPendingOutOfBand(emu: Emulator, client: OvhClient, serviceName = emu.serviceName): Promise<void> {
  if (pendingChanges(emu, serviceName).length === 0) return;
  const task = (await client.requestPromised("POST", `/ipLoadbalancing/${serviceName}/refresh`)) as { id: number };
  await eventually(() => emu.store.service(serviceName)?.tasks[task.id]?.status === "done", 30_000, `refresh task ${task.id}`);
}

/** Resource ids, as the provider builds them. */
export const farmId = (id: string): number => Number(id.split("/").pop());

/** What a rejected promise rejected with (fails the test when it resolved). */
export async function failureOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection, but the call succeeded");
}

/** What a create or an update keeps of the program's inputs in its outputs (lifecycle.ts, `declaredInputs`). */
export function declared(inputs: Props): Props {
  const { __provider: _shim, ...rest } = inputs;
  return { declaredInputs: rest };
}

/** The properties a check() failed on, in order: what a provider test asserts (the reasons are the model's). */
export function failedProperties(result: { failures?: { property: string }[] }): string[] {
  return (result.failures ?? []).map((f) => f.property);
}

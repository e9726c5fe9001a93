/// <reference path="../../provider/api/ovh.d.ts" />
/**
 * Test access to the emulator: start one on port 0 per suite, and an `ovh` client that trusts its CA.
 * The `ovh` client passes no agent, so trusting the CA means setting it on Node's global HTTPS agent.
 */
import * as fs from "fs";
import * as https from "https";
import ovh = require("ovh");
import { startEmulator, Emulator, EmulatorOptions, RequestLogEntry } from "../../emulator";
import { violationReport, watchEmulator } from "./schemaReferee";

export type { Emulator };

let trusted = false;
export function trustEmulatorCa(caFile: string): void {
  if (trusted) return;
  https.globalAgent.options.ca = fs.readFileSync(caFile);
  trusted = true;
}

/**
 * Drops the global agent's idle sockets to this port. An idle keep-alive socket is not read, so a client learns that
 * the server closed it only when it reuses it ("socket hang up"): an emulator restarted on the same port (a state
 * file remembers it) must not be reached through the old emulator's sockets.
 */
function dropPooledSockets(port: number): void {
  for (const [name, sockets] of Object.entries(https.globalAgent.freeSockets)) {
    if (name.includes(`:${port}:`)) for (const socket of sockets ?? []) socket.destroy();
  }
}

/**
 * Every request the emulator receives is judged by the official schema (schemaReferee.ts); closing it fails with the
 * violations not yet reported by tests/helpers/refereeSetup.ts (those sent by a file's `afterAll` cleanup).
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ refreshSeconds: 0.1, ipTaskSeconds: 0.1, certificateSeconds: 0.1, ...options });
  trustEmulatorCa(emu.caFile);
  const referee = watchEmulator(emu);
  const close = emu.close;
  emu.close = async () => {
    await close();
    dropPooledSockets(emu.port);
    const violations = referee.stop();
    if (violations.length > 0) throw new Error(violationReport(violations, "to this emulator"));
  };
  return emu;
}

export interface ClientOverrides {
  appKey?: string;
  appSecret?: string;
  consumerKey?: string | null;
  apiTimeDiff?: number;
  timeout?: number;
}

/** The official client pointed at the emulator (no `endpoint`: a preset's host would override ours). */
export function ovhClient(emu: Emulator, overrides: ClientOverrides = {}): ovh.OvhClient {
  return ovh({
    appKey: overrides.appKey ?? emu.applicationKey,
    appSecret: overrides.appSecret ?? emu.applicationSecret,
    consumerKey: overrides.consumerKey === undefined ? emu.consumerKey : overrides.consumerKey,
    host: emu.host,
    port: emu.port,
    basePath: emu.basePath,
    apiTimeDiff: overrides.apiTimeDiff,
    timeout: overrides.timeout,
  });
}

/** `requestPromised` rejects with `{error, message}`; this returns it instead so tests can assert on it. */
export async function rejection(p: Promise<unknown>): Promise<{ error: unknown; message: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { error: unknown; message: unknown };
  }
  throw new Error("expected the call to be rejected, but it succeeded");
}

/** Waits until `probe` returns a truthy value, polling every 20 ms, failing after `timeoutMs` (a bound far past what
 * any awaited event takes, so a loaded machine waits longer instead of failing: never a timing threshold). */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function writes(emu: Emulator, since = 0): RequestLogEntry[] {
  return emu.requests.slice(since).filter((r) => r.method !== "GET");
}

export const svcPath = (emu: Emulator, suffix = "") => `/ipLoadbalancing/${emu.serviceName}${suffix}`;

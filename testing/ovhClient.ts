/**
 * API clients on an emulator: the official `ovh` client (npm `ovh` 2.0.3, what a console user's script or another
 * tool would use, for changes made outside Pulumi) and this package's own client (reads/, for health).
 *
 * Trusting the emulator's CA: node-ovh passes no agent, `ca` or `rejectUnauthorized` to Node's `https`, so the CA goes
 * on Node's global HTTPS agent (process-wide; Node's own root certificates stay trusted). This package's client does
 * exactly that for a URL endpoint with `ovh-iplb:caFile` (provider/api/client.ts, `trustCa`), so building one trusts it.
 */
import type * as clientModule from "../provider/api/client";
import type { EmulatorInfo } from "../emulator";
import * as reads from "../reads/health";

/**
 * The official client, as far as tests use it. Its traps (shared note ovh-iplb-api.md, section 1): it rejects with a
 * plain object `{ error, message }` (`error`: the HTTP status, a negative errno, or a message), not an Error; it
 * drops top-level `null` values of a body (a field cannot be cleared with it); it encodes no path segment (encode an
 * IP block yourself: `1.2.3.4%2F32`); `{key}` placeholders of the path are taken from `params`.
 */
export interface OvhClient {
  requestPromised(method: "GET" | "POST" | "PUT" | "DELETE", path: string, params?: object): Promise<unknown>;
  request(method: "GET" | "POST" | "PUT" | "DELETE", path: string, params: object | undefined, callback: (err: unknown, result: unknown) => void): void;
}

export interface OvhClientOptions {
  /** Socket timeout of each request, in milliseconds (default: none). */
  timeout?: number;
}

interface OvhModuleOptions extends OvhClientOptions {
  appKey: string;
  appSecret: string;
  consumerKey: string;
  host: string;
  port: number;
  basePath: string;
}

/** The `ovh:*` settings of the emulator, as a config source; the caller's `OVH_*` variables are never consulted. */
function settingsOf(emu: EmulatorInfo): { get(key: string): string | undefined } {
  const values: Record<string, string> = {
    "ovh:endpoint": emu.url,
    "ovh:applicationKey": emu.applicationKey,
    "ovh:applicationSecret": emu.applicationSecret,
    "ovh:consumerKey": emu.consumerKey,
    "ovh-iplb:caFile": emu.caFile,
  };
  return { get: (key) => values[key] };
}

/** This package's API client on the emulator (retries, errors as `IplbError`s); building it trusts the emulator's CA. */
export function packageClient(emu: EmulatorInfo): clientModule.ApiClient {
  return reads.clientFor(settingsOf(emu), {});
}

/**
 * The official `ovh` client signed with the emulator's credentials, pointed at it by `host`, `port` and `basePath`
 * (never `endpoint`: a preset's host would win), its CA trusted. Its first call syncs its clock (`GET /auth/time`).
 */
export function ovhClientOf(emu: EmulatorInfo, options: OvhClientOptions = {}): OvhClient {
  packageClient(emu);
  const ovh = require("ovh") as (options: OvhModuleOptions) => OvhClient;
  return ovh({
    appKey: emu.applicationKey,
    appSecret: emu.applicationSecret,
    consumerKey: emu.consumerKey,
    host: emu.host,
    port: emu.port,
    basePath: emu.basePath,
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  });
}

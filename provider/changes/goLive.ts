/**
 * One place for going live: every provider that writes calls these, and nothing else decides when staged changes are
 * made live.
 * - `writeThenGoLive`: a resource's write (create, update, delete), then its zones live before it returns, sharing
 *   the refreshes of the writes running beside it (writeWindow.ts); a `Refresh` batch member leaves that to its batch
 *   (batch.ts). A failed write releases the window without making anything live.
 * - `goLiveNow`: zones live now, for a write that is not a batch member's (parking a failover IP, a certificate).
 * - `goLiveAll`: every pending change of the service, for a batch's markers (providers/batch.ts).
 */
import type { ApiClient } from "../api/client";
import * as batch from "./batch";
import { makeLive } from "./makeLive";
import * as writeWindow from "./writeWindow";

/** What going live needs from a provider call's session (providers/session.ts). */
export interface LiveContext {
  api: ApiClient;
  window: writeWindow.WindowOptions;
  /** Identifies the API and the service, so that writes to one service share a window. */
  key(serviceName: string): string;
}

export interface GoLiveOptions {
  /** Refresh these zones even when `pendingChanges` lists nothing there (a failover IP routed to the service). */
  force?: boolean;
}

export async function writeThenGoLive<T>(
  ctx: LiveContext, props: Record<string, unknown>, serviceName: string, write: () => Promise<T>, zones: (result: T) => string[],
  options: GoLiveOptions = {},
): Promise<T> {
  const pending = writeWindow.beginWrite(ctx.key(serviceName), serviceName);
  let result: T;
  try {
    result = await write();
  } catch (e) {
    pending.release();
    throw e;
  }
  if (batch.isMember(props)) pending.release();
  else await pending.goLive(ctx.api, zones(result), ctx.window, options.force);
  return result;
}

export function goLiveNow(ctx: LiveContext, serviceName: string, zones: string[], options: GoLiveOptions = {}): Promise<void> {
  return writeWindow.beginWrite(ctx.key(serviceName), serviceName).goLive(ctx.api, zones, ctx.window, options.force);
}

export function goLiveAll(ctx: LiveContext, serviceName: string, options: GoLiveOptions = {}): Promise<void> {
  // `all`: makeLive reads the service's zones side by side with the pending changes.
  return makeLive(ctx.api, serviceName, ["all"], ctx.window.poll, options.force ? ["all"] : []);
}

/**
 * Bounded waits on a state: the condition is checked now and then every `intervalMs` until it holds or `timeoutMs`
 * has passed. The bound is far past what an awaited event takes, so a loaded machine waits longer instead of
 * failing; it is never a timing threshold, and no wait here stands in for an event by sleeping a fixed time.
 */

export interface WaitOptions {
  /** How long to wait before failing, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** How often the condition is checked, in milliseconds (default 25). */
  intervalMs?: number;
}

/** `waitFor`'s options, plus what it waits for: the error message says it. */
export interface WaitForOptions extends WaitOptions {
  /** Named in the error message on timeout, e.g. `"server 12 DOWN"` (default `"the condition"`). */
  what?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_INTERVAL_MS = 25;

/** Thrown when a bounded wait ends without its condition; `message` says what was awaited and what was seen. */
export class WaitTimeoutError extends Error {
  constructor(message: string, readonly timeoutMs: number) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

/**
 * Resolves with the condition's first truthy value; rejects with a `WaitTimeoutError` after `timeoutMs`, or with the
 * condition's own error as soon as it throws. `describe` (optional) adds the state seen last to the timeout message.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
  describe?: () => string,
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      const seen = describe ? `: ${describe()}` : "";
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${options.what ?? "the condition"}${seen}`, timeoutMs);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

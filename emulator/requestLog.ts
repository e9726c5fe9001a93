/** What the emulator received and answered, in order; tests count writes and refreshes from it. */
export interface RequestLogEntry {
  method: string;
  /** Path after the base path, as received (still URL-encoded), without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (`null` is a real `null`), or undefined when the request had none. */
  body: unknown;
  status: number;
  /** ISO time at which the request arrived. */
  time: string;
  durationMs: number;
}

export const WRITE_METHODS = new Set(["POST", "PUT", "DELETE"]);

export function isWrite(entry: RequestLogEntry): boolean {
  return WRITE_METHODS.has(entry.method);
}

export function isRefresh(entry: RequestLogEntry): boolean {
  return entry.method === "POST" && /^\/ipLoadbalancing\/[^/]+\/refresh$/.test(entry.path);
}

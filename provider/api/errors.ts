// Errors raised by the provider. node-ovh rejects with plain objects `{error, message}` (shared note
// ovh-iplb-api.md, 1.6), which Pulumi would print as "undefined"; fromOvhRejection turns them into
// these classes in one place. Messages name the call (method and path) and never any credential:
// the rejection object carries none, and no request header or body is ever copied into a message.
import * as util from "util";

/** Base class of every error the provider raises on purpose. */
export class IplbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IplbError";
  }
}

/** The API answered with an HTTP error status (node-ovh keeps only the status and the message). */
export class OvhApiError extends IplbError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** OVH's request id (`X-Ovh-QueryID`), when the client could read it; node-ovh 2.0.3 drops headers. */
  readonly queryId?: string;
  /** OVH's own message, "" when the body had none. */
  readonly apiMessage: string;

  constructor(args: { status: number; method: string; path: string; apiMessage?: string | null; queryId?: string }) {
    const text = args.apiMessage ? ` ${args.apiMessage}` : "";
    const query = args.queryId ? ` (QueryID: ${args.queryId})` : "";
    super(`OVH API ${args.method} ${args.path} failed: ${args.status}${text}${query}`);
    this.name = "OvhApiError";
    this.status = args.status;
    this.method = args.method;
    this.path = args.path;
    this.apiMessage = args.apiMessage ?? "";
    if (args.queryId) this.queryId = args.queryId;
  }
}

/** True when OVH refused the request's credentials (emulator/auth.ts answers the same): 401, 403 on a key, 400 on a signature. */
export function refusedCredentials(e: unknown): boolean {
  if (!isApiError(e)) return false;
  const { status, apiMessage } = e;
  if (status === 401) return true;
  if (status === 403) return /credential|application key|application secret/i.test(apiMessage);
  return status === 400 && /signature/i.test(apiMessage);
}

/**
 * The call the API refused with 403 "This call has not been granted" (NOT_GRANTED_CALL: the consumer key's access rules
 * do not cover it), from the OvhApiError itself or from the message of an error that wraps one (a ResourceInitError
 * after a write). Undefined for any other error.
 */
export function notGrantedCall(e: unknown): { method: string; path: string } | undefined {
  if (isApiError(e)) return e.status === 403 && NOT_GRANTED.test(e.apiMessage) ? { method: e.method, path: e.path } : undefined;
  const found = /OVH API (GET|POST|PUT|DELETE) (\S+) failed: 403 This call has not been granted/.exec(messageOf(e));
  return found ? { method: found[1], path: found[2] } : undefined;
}

const NOT_GRANTED = /^This call has not been granted/i;

/** No HTTP answer was obtained (socket error, time sync failure) or the answer was not JSON. */
export class OvhNetworkError extends IplbError {
  readonly method: string;
  readonly path: string;
  override readonly cause: unknown;

  constructor(args: { method: string; path: string; cause: unknown }) {
    super(`OVH API ${args.method} ${args.path} failed: ${describeCause(args.cause)}`, { cause: args.cause });
    this.name = "OvhNetworkError";
    this.method = args.method;
    this.path = args.path;
    this.cause = args.cause;
  }
}

/** An IPLB task (`ipLoadbalancing.Task.Task`) or an `/ip` task ended in a failure state. */
export class TaskFailedError extends IplbError {
  readonly taskId: number;
  readonly action: string;
  readonly status: string;
  readonly zones: string[];
  /** The IPLB service name, or the IP block for `/ip/{ip}` tasks. */
  readonly serviceName: string;
  readonly comment?: string;

  constructor(args: {
    taskId: number; action: string; status: string; zones: string[]; serviceName: string; comment?: string | null;
  }) {
    const zones = args.zones.length > 0 ? ` (zones ${args.zones.join(", ")})` : "";
    const comment = args.comment ? `: ${args.comment}` : "";
    super(`OVH task ${args.taskId} (${args.action}) on ${args.serviceName} ended with status ${args.status}${zones}${comment}`);
    this.name = "TaskFailedError";
    this.taskId = args.taskId;
    this.action = args.action;
    this.status = args.status;
    this.zones = [...args.zones];
    this.serviceName = args.serviceName;
    if (args.comment) this.comment = args.comment;
  }
}

/** A task did not reach a final state in time; it may still finish on OVH's side. */
export class TaskTimeoutError extends IplbError {
  readonly taskId: number;
  readonly action: string;
  readonly serviceName: string;
  readonly lastStatus: string;
  readonly timeoutMs: number;

  constructor(args: { taskId: number; action: string; serviceName: string; lastStatus: string; timeoutMs: number }) {
    super(`OVH task ${args.taskId} (${args.action}) on ${args.serviceName} was still ${args.lastStatus} after ${formatMs(args.timeoutMs)}`);
    this.name = "TaskTimeoutError";
    this.taskId = args.taskId;
    this.action = args.action;
    this.serviceName = args.serviceName;
    this.lastStatus = args.lastStatus;
    this.timeoutMs = args.timeoutMs;
  }
}

/**
 * Converts what node-ovh rejects with into an IplbError. Its `error` is, per lib/ovh.es5.js:
 * an HTTP status (>= 100; every non-200 answer, 201 and 204 included), a negative errno for a socket
 * error (-111 = ECONNREFUSED on Node 20), a string for client-side failures ("[OVH] Unable to fetch
 * OVH API time", "[OVH] Unable to parse JSON reponse"), or the socket Error itself when it had no errno.
 */
export function fromOvhRejection(method: string, path: string, rejection: unknown): IplbError {
  if (isErrorLike(rejection) && IPLB_ERROR_NAMES.has(rejection.name)) return rejection as IplbError;
  if (isErrorLike(rejection)) return new OvhNetworkError({ method, path, cause: rejection });
  const error = isRecord(rejection) && "error" in rejection ? rejection.error : rejection;
  if (typeof error === "number" && Number.isInteger(error) && error >= 100) {
    const message = isRecord(rejection) && typeof rejection.message === "string" ? rejection.message : "";
    return new OvhApiError({ status: error, method, path, apiMessage: message });
  }
  return new OvhNetworkError({ method, path, cause: error });
}

/** An answer of the API other than success; with `status`, only that status. */
export function isApiError(e: unknown, status?: number): e is OvhApiError {
  return isNamed(e, "OvhApiError") && (status === undefined || (e as OvhApiError).status === status);
}

/** True for a 404: on read the object is gone (return an empty id), on delete it counts as done. */
export function isNotFound(e: unknown): e is OvhApiError {
  return isApiError(e, 404);
}

/** A 429: the API did not process the call, so even a POST may be sent again. */
export function isRateLimited(e: unknown): e is OvhApiError {
  return isApiError(e, 429);
}

/** No HTTP answer (socket error, clock sync failure) or one that was not JSON. */
export function isNetworkError(e: unknown): e is OvhNetworkError {
  return isNamed(e, "OvhNetworkError");
}

/** A task that ended in a failure state (its status and comment are in the message). */
export function isTaskFailed(e: unknown): e is TaskFailedError {
  return isNamed(e, "TaskFailedError");
}

/** A task still running when we stopped waiting: it may yet finish on OVH's side. */
export function isTaskTimeout(e: unknown): e is TaskTimeoutError {
  return isNamed(e, "TaskTimeoutError");
}

/** The message of whatever was thrown (its text when it is not an error): for code that rethrows with context. */
export function messageOf(e: unknown): string {
  return isRecord(e) && typeof e.message === "string" ? e.message : String(e);
}

/** The answer of a call, or undefined when the object is gone (404): what reads want, and deletes (gone is deleted). */
export async function unlessGone<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * True when the same call may succeed if made again: rate limiting, server-side failures and network
 * errors. Whether a retry is safe for a non-idempotent call (POST) is the caller's decision.
 */
export function isRetryable(e: unknown): boolean {
  if (isApiError(e)) return RETRYABLE_STATUSES.has(e.status);
  return isNamed(e, "OvhNetworkError");
}

// The provider is serialized into the state and may carry its own copy of these classes, so an
// instanceof test could miss an error built by another copy (or in another realm, as when jest runs
// a deserialized provider); every class sets its name, which settles it.
function isNamed(e: unknown, name: string): boolean {
  return isRecord(e) && e.name === name;
}

function describeCause(cause: unknown): string {
  if (typeof cause === "number") return `network error ${errnoName(cause)} (${cause})`;
  if (typeof cause === "string") return cause;
  if (isErrorLike(cause)) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `network error ${code} (${cause.message})` : `network error (${cause.message})`;
  }
  return `unexpected rejection (${cause === null ? "null" : typeof cause})`;
}

function errnoName(errno: number): string {
  try {
    return util.getSystemErrorName(errno);
  } catch {
    return "unknown errno";
  }
}

const IPLB_ERROR_NAMES = new Set(["IplbError", "OvhApiError", "OvhNetworkError", "TaskFailedError", "TaskTimeoutError"]);

function isErrorLike(value: unknown): value is Error {
  return isRecord(value) && typeof value.name === "string" && typeof value.message === "string";
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

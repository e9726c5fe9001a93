/**
 * OVH-shaped error answers. One factory, so every handler fails the way the real API does:
 * `{class, message}` bodies (ovh-iplb-api.md section 2), with the legacy `errorCode`/`httpCode` fields where the
 * authentication layer historically sent them. node-ovh only reads `message`; other clients read `class`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: string,
    message: string,
    readonly errorCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { class: this.errorClass, message: this.message };
    if (this.errorCode) {
      body.errorCode = this.errorCode;
      body.httpCode = `${this.status} ${STATUS_TEXT[this.status] ?? ""}`.trim();
    }
    return body;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const badRequest = (message: string) => new ApiError(400, "Client::BadRequest", message);
export const notFound = (message = "The requested object does not exist") =>
  new ApiError(404, "Client::NotFound", message);
export const conflict = (message: string) => new ApiError(409, "Client::Conflict", message);
export const forbidden = (message: string, errorCode?: string) =>
  new ApiError(403, "Client::Forbidden", message, errorCode);
export const unauthorized = (message: string, errorCode?: string) =>
  new ApiError(401, "Client::Unauthorized", message, errorCode);
export const invalidSignature = () => new ApiError(400, "Client::BadRequest", "Invalid signature", "INVALID_SIGNATURE");
export const queryOutOfTime = () => new ApiError(400, "Client::BadRequest", "Query out of time", "QUERY_TIME_OUT");
export const methodNotAllowed = (method: string, path: string) =>
  new ApiError(405, "Client::MethodNotAllowed", `The requested HTTP method (${method}) is not allowed on ${path}`);
export const noSuchPath = (path: string) => new ApiError(404, "Client::NotFound", `Got an invalid (or empty) URL: ${path}`);
export const internalError = () => new ApiError(500, "Server::InternalServerError", "Internal server error");
export const unavailable = () => new ApiError(503, "Server::ServiceUnavailable", "Service temporarily unavailable");
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, "Client::TooManyRequests", "Too many requests", undefined, {
    "Retry-After": String(retryAfterSeconds),
  });

/** The `[field] ...` wording follows the API's parameter validation messages. */
export const missingField = (field: string) => badRequest(`[${field}] Property is mandatory`);
export const invalidField = (field: string, value: unknown, detail: string) =>
  badRequest(`[${field}] Given data (${formatValue(value)}) ${detail}`);

export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

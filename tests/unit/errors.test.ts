import {
  refusedCredentials,
  IplbError, OvhApiError, OvhNetworkError, TaskFailedError, TaskTimeoutError, fromOvhRejection, isNotFound, isRetryable,
} from "../../provider/api/errors";

const PATH = "/ipLoadbalancing/lb-1/http/farm/12";

describe("fromOvhRejection", () => {
  it("turns an HTTP status into an OvhApiError whose message names the call and OVH's message", () => {
    const err = fromOvhRejection("PUT", PATH, { error: 400, message: "A probe can not negate without a match" });
    expect(err).toBeInstanceOf(OvhApiError);
    expect(err).toBeInstanceOf(IplbError);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("OVH API PUT /ipLoadbalancing/lb-1/http/farm/12 failed: 400 A probe can not negate without a match");
    expect(err).toMatchObject({ name: "OvhApiError", status: 400, method: "PUT", path: PATH, apiMessage: "A probe can not negate without a match" });
    expect((err as OvhApiError).queryId).toBeUndefined();
  });

  it.each([
    ["no message", { error: 500 }, "OVH API GET /x failed: 500", ""],
    ["a null message", { error: 404, message: null }, "OVH API GET /x failed: 404", ""],
    ["a 204, which node-ovh treats as an error", { error: 204, message: null }, "OVH API GET /x failed: 204", ""],
  ])("keeps the status when the body had %s", (_what, rejection, message, apiMessage) => {
    const err = fromOvhRejection("GET", "/x", rejection);
    expect(err).toBeInstanceOf(OvhApiError);
    expect(err.message).toBe(message);
    expect((err as OvhApiError).apiMessage).toBe(apiMessage);
  });

  it.each([
    ["a negative errno", { error: -111 }, "OVH API GET /x failed: network error ECONNREFUSED (-111)", -111],
    ["the time-sync failure string", { error: "[OVH] Unable to fetch OVH API time" }, "OVH API GET /x failed: [OVH] Unable to fetch OVH API time", "[OVH] Unable to fetch OVH API time"],
    ["a body that is not JSON", { error: "[OVH] Unable to parse JSON reponse" }, "OVH API GET /x failed: [OVH] Unable to parse JSON reponse", "[OVH] Unable to parse JSON reponse"],
    ["an errno node does not know", { error: -99999 }, "OVH API GET /x failed: network error Unknown system error -99999 (-99999)", -99999],
    ["a positive number below 100", { error: 42 }, "OVH API GET /x failed: network error unknown errno (42)", 42],
    ["nothing at all", undefined, "OVH API GET /x failed: unexpected rejection (undefined)", undefined],
  ])("turns %s into an OvhNetworkError", (_what, rejection, message, cause) => {
    const err = fromOvhRejection("GET", "/x", rejection);
    expect(err).toBeInstanceOf(OvhNetworkError);
    expect(err.message).toBe(message);
    expect((err as OvhNetworkError).cause).toBe(cause);
  });

  it("keeps a socket Error without errno as the cause, with its code in the message", () => {
    const socketError = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const err = fromOvhRejection("DELETE", "/x", { error: socketError });
    expect(err).toBeInstanceOf(OvhNetworkError);
    expect(err.message).toBe("OVH API DELETE /x failed: network error ECONNRESET (socket hang up)");
    expect((err as OvhNetworkError).cause).toBe(socketError);
  });

  it("returns an IplbError unchanged, so wrapping twice changes nothing", () => {
    const original = new OvhApiError({ status: 409, method: "POST", path: "/a", apiMessage: "busy" });
    expect(fromOvhRejection("GET", "/b", original)).toBe(original);
  });

  it("never copies anything but the status and OVH's message into the error", () => {
    const rejection = { error: 403, message: "This credential is not valid", consumerKey: "CK-secret", appSecret: "AS-secret" };
    const err = fromOvhRejection("GET", "/x", rejection);
    expect(err.message).toBe("OVH API GET /x failed: 403 This credential is not valid");
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/secret/);
  });
});

describe("refusedCredentials", () => {
  const api = (status: number, apiMessage: string) => new OvhApiError({ status, method: "GET", path: "/x", apiMessage });
  it("tells OVH's refusals of the credentials from other errors", () => {
    expect([
      api(401, "You must login first"), api(403, "This credential does not exist"), api(403, "Invalid application key"),
      api(400, "Invalid signature"),
    ].map(refusedCredentials)).toEqual([true, true, true, true]);
    expect([api(403, "This call has not been granted"), api(400, "Invalid JSON received"), api(404, "Not found"), new Error("x")].map(refusedCredentials))
      .toEqual([false, false, false, false]);
  });
});

describe("OvhApiError", () => {
  it("keeps OVH's QueryID in the message when the client could read it", () => {
    const err = new OvhApiError({ status: 404, method: "GET", path: "/x", apiMessage: "This service does not exist", queryId: "EU.ext-1.abc" });
    expect(err.message).toBe("OVH API GET /x failed: 404 This service does not exist (QueryID: EU.ext-1.abc)");
    expect(err.queryId).toBe("EU.ext-1.abc");
  });
});

describe("isNotFound", () => {
  it.each([
    ["a 404", new OvhApiError({ status: 404, method: "GET", path: "/x" }), true],
    ["a 400", new OvhApiError({ status: 400, method: "GET", path: "/x" }), false],
    ["a network error", new OvhNetworkError({ method: "GET", path: "/x", cause: -111 }), false],
    ["a raw node-ovh rejection (never seen above the client)", { error: 404 }, false],
    ["an OvhApiError from another copy of the module", Object.assign(new Error("x"), { name: "OvhApiError", status: 404 }), true],
    ["undefined", undefined, false],
  ])("answers for %s", (_what, e, expected) => {
    expect(isNotFound(e)).toBe(expected);
  });
});

describe("isRetryable", () => {
  it.each([429, 500, 502, 503, 504])("retries a %i", (status) => {
    expect(isRetryable(new OvhApiError({ status, method: "GET", path: "/x" }))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 501])("does not retry a %i", (status) => {
    expect(isRetryable(new OvhApiError({ status, method: "GET", path: "/x" }))).toBe(false);
  });

  it.each([
    ["a network error", new OvhNetworkError({ method: "GET", path: "/x", cause: -104 }), true],
    ["a failed task", new TaskFailedError({ taskId: 1, action: "refreshIplb", status: "error", zones: ["gra"], serviceName: "lb-1" }), false],
    ["a task timeout", new TaskTimeoutError({ taskId: 1, action: "refreshIplb", serviceName: "lb-1", lastStatus: "doing", timeoutMs: 1000 }), false],
    ["a plain Error", new Error("boom"), false],
  ])("answers for %s", (_what, e, expected) => {
    expect(isRetryable(e)).toBe(expected);
  });
});

describe("task errors", () => {
  it("names the task, its action, the service, the status and the zones of a failed refresh", () => {
    const err = new TaskFailedError({ taskId: 42, action: "refreshIplb", status: "error", zones: ["gra", "rbx"], serviceName: "lb-1" });
    expect(err.message).toBe("OVH task 42 (refreshIplb) on lb-1 ended with status error (zones gra, rbx)");
    expect(err).toMatchObject({ name: "TaskFailedError", taskId: 42, action: "refreshIplb", status: "error", zones: ["gra", "rbx"], serviceName: "lb-1" });
    expect(err.comment).toBeUndefined();
  });

  it("adds the comment of a failed /ip task, which has no zones", () => {
    const err = new TaskFailedError({
      taskId: 7, action: "genericMoveFloatingIp", status: "customerError", zones: [], serviceName: "203.0.113.7/32", comment: "IP is not movable",
    });
    expect(err.message).toBe("OVH task 7 (genericMoveFloatingIp) on 203.0.113.7/32 ended with status customerError: IP is not movable");
    expect(err.comment).toBe("IP is not movable");
  });

  it.each([
    [600000, "OVH task 42 (refreshIplb) on lb-1 was still doing after 600 s"],
    [1500, "OVH task 42 (refreshIplb) on lb-1 was still doing after 1500 ms"],
  ])("says how long a timed-out task was waited for (%i ms)", (timeoutMs, message) => {
    const err = new TaskTimeoutError({ taskId: 42, action: "refreshIplb", serviceName: "lb-1", lastStatus: "doing", timeoutMs });
    expect(err.message).toBe(message);
    expect(err).toBeInstanceOf(IplbError);
    expect(err.name).toBe("TaskTimeoutError");
  });
});

/**
 * Authentication as the real API does it, seen through the official `ovh` client (ovh-iplb-api.md 1.4-1.6, 2):
 * unsigned `/auth/time`, node-ovh signatures, and each way a request can be refused.
 * Not proven here: the exact `errorCode` strings are historical and only node-ovh's `message` is asserted.
 */
import { Emulator, ovhClient, rejection, startTestEmulator } from "../helpers/emulator";
import { rawRequest } from "../helpers/rawRequest";

describe("emulator authentication", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it("serves /auth/time unsigned as a bare number close to now", async () => {
    const client = ovhClient(emu, { consumerKey: null });
    const time = await client.requestPromised("GET", "/auth/time");
    expect(typeof time).toBe("number");
    expect(Math.abs((time as number) - Date.now() / 1000)).toBeLessThan(5);
    const entry = emu.requests[emu.requests.length - 1];
    expect(entry).toMatchObject({ method: "GET", path: "/auth/time", status: 200 });
  });

  it("accepts requests signed by node-ovh", async () => {
    await expect(ovhClient(emu).requestPromised("GET", "/ipLoadbalancing")).resolves.toContain(emu.serviceName);
  });

  it("answers 400 Invalid signature when the secret is wrong", async () => {
    const err = await rejection(ovhClient(emu, { appSecret: "not-the-secret" }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 400, message: "Invalid signature" });
  });

  it("answers 403 for an unknown application key", async () => {
    const err = await rejection(ovhClient(emu, { appKey: "unknown-app-key" }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 403, message: "Invalid application key" });
  });

  it("answers 401 when no consumer key is given (node-ovh then does not sign)", async () => {
    const err = await rejection(ovhClient(emu, { consumerKey: null }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 401, message: "You must login first" });
  });

  it("answers 403 for an unknown consumer key", async () => {
    const err = await rejection(ovhClient(emu, { consumerKey: "unknown-consumer" }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 403, message: "This credential does not exist" });
  });

  it("answers 400 Query out of time for a timestamp an hour ahead", async () => {
    const err = await rejection(ovhClient(emu, { apiTimeDiff: 3600 }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 400, message: "Query out of time" });
  });

  it("accepts a signature over the URL with the port in it, as go-ovh builds it", async () => {
    const res = await rawRequest(emu, { method: "GET", path: "/ipLoadbalancing", signedHost: `${emu.host}:${emu.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain(emu.serviceName);
  });

  it("accepts a raw request signed without the port, as node-ovh builds it", async () => {
    const res = await rawRequest(emu, { method: "GET", path: `/ipLoadbalancing/${emu.serviceName}/zone` });
    expect(res).toMatchObject({ status: 200, body: ["gra", "rbx"] });
  });

  it("rejects a body that differs from the signed one, and changes nothing", async () => {
    const path = `/ipLoadbalancing/${emu.serviceName}`;
    const res = await rawRequest(emu, {
      method: "PUT",
      path,
      signedBody: JSON.stringify({ displayName: "signed" }),
      body: JSON.stringify({ displayName: "tampered" }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ class: "Client::BadRequest", message: "Invalid signature" });
    expect(res.headers["x-ovh-queryid"]).toEqual(expect.any(String));
    const service = (await ovhClient(emu).requestPromised("GET", path)) as { displayName: unknown };
    expect(service.displayName).toBeNull();
  });

  it("signs the body it sends: a signed PUT with a body is accepted", async () => {
    const path = `/ipLoadbalancing/${emu.serviceName}`;
    const res = await rawRequest(emu, { method: "PUT", path, body: JSON.stringify({ displayName: "raw-put" }) });
    expect(res).toMatchObject({ status: 200, body: null });
    await expect(ovhClient(emu).requestPromised("GET", path)).resolves.toMatchObject({ displayName: "raw-put" });
  });
});

/**
 * Scoped consumer keys (emulator/accessRules.ts): extra keys given as the `consumerKeys` option are granted only the
 * calls their access rules match, OVH style (`*` matches any run of characters, any other path only itself); a call
 * outside them answers 403 NOT_GRANTED_CALL and changes nothing; an expired or unvalidated key answers 403
 * INVALID_CREDENTIAL; the emulator's own key stays all-powerful.
 * Not proven here: the real API's answers (their wording is ovh-iplb-api.md section 2's, from go-ovh), nor whether it
 * matches a rule against the encoded or the decoded path (the emulator accepts both).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCliArgs } from "../../emulator/cli";
import { startEmulator } from "../../emulator";
import { DEFAULT_SERVICE } from "../../emulator/seed";
import { Emulator, ovhClient, rejection, startTestEmulator } from "../helpers/emulator";
import { rawRequest, RawOptions } from "../helpers/rawRequest";

const READER = "ck-scoped-reader-0001";
const EXPIRED = "ck-scoped-expired-0002";
const PENDING = "ck-scoped-pending-0003";
const EXACT = "ck-scoped-exact-0004";

let emu: Emulator;
let svc: string;
const as = (consumerKey: string, options: RawOptions) => rawRequest({ ...emu, consumerKey }, options);
const farms = () => Object.keys(emu.store.service(svc)!.staged.farms);

beforeAll(async () => {
  emu = await startTestEmulator({
    ipTaskSeconds: 0.05,
    consumerKeys: [
      { consumerKey: READER, accessRules: [{ method: "GET", path: "/ipLoadbalancing/*" }] },
      { consumerKey: EXPIRED, state: "expired", accessRules: [{ method: "GET", path: "/*" }] },
      { consumerKey: PENDING, state: "pendingValidation", accessRules: [{ method: "GET", path: "/*" }] },
      {
        consumerKey: EXACT,
        accessRules: [
          { method: "GET", path: `/ipLoadbalancing/${DEFAULT_SERVICE}/zone` },
          { method: "POST", path: "/ip/*/move" },
        ],
      },
    ],
  });
  svc = emu.serviceName;
});
afterAll(() => emu.close());

const NOT_GRANTED = { class: "Client::Forbidden", message: "This call has not been granted", errorCode: "NOT_GRANTED_CALL", httpCode: "403 Forbidden" };
const NOT_VALID = { class: "Client::Forbidden", message: "This credential is not valid", errorCode: "INVALID_CREDENTIAL", httpCode: "403 Forbidden" };

describe("a scoped consumer key", () => {
  it("makes the calls its rules grant: /ipLoadbalancing/* grants every sub-path", async () => {
    const reader = ovhClient(emu, { consumerKey: READER });
    await expect(reader.requestPromised("GET", `/ipLoadbalancing/${svc}/zone`)).resolves.toEqual(["gra", "rbx"]);
    await expect(reader.requestPromised("GET", `/ipLoadbalancing/${svc}/http/farm`)).resolves.toEqual([]);
  });

  it("is refused any other call with 403 NOT_GRANTED_CALL in OVH's exact shape, and nothing is written", async () => {
    const before = farms();
    const res = await as(READER, { method: "POST", path: `/ipLoadbalancing/${svc}/http/farm`, body: JSON.stringify({ zone: "gra" }) });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(NOT_GRANTED);
    expect(res.headers["x-ovh-queryid"]).toEqual(expect.any(String));
    expect(farms()).toEqual(before);
    // node-ovh keeps the status and the message only (ovh-iplb-api.md 1.6).
    const err = await rejection(ovhClient(emu, { consumerKey: READER }).requestPromised("GET", "/ip"));
    expect(err).toEqual({ error: 403, message: "This call has not been granted" });
  });

  it("matches an exact path only itself, and a * inside a path any run of characters", async () => {
    await expect(as(EXACT, { method: "GET", path: `/ipLoadbalancing/${svc}/zone` })).resolves.toMatchObject({ status: 200, body: ["gra", "rbx"] });
    await expect(as(EXACT, { method: "GET", path: `/ipLoadbalancing/${svc}/zone/gra` })).resolves.toMatchObject({ status: 403, body: NOT_GRANTED });
    await expect(as(EXACT, { method: "GET", path: `/ipLoadbalancing/${svc}` })).resolves.toMatchObject({ status: 403, body: NOT_GRANTED });
    // POST /ip/*/move grants the move of any IP (its block URL-encoded, as the provider sends it), not a park.
    const moved = await as(EXACT, { method: "POST", path: `/ip/${encodeURIComponent("203.0.113.10/32")}/move`, body: JSON.stringify({ to: svc }) });
    expect(moved).toMatchObject({ status: 200, body: { function: "genericMoveFloatingIp" } });
    await expect(as(EXACT, { method: "POST", path: `/ip/${encodeURIComponent("203.0.113.11/32")}/park` })).resolves.toMatchObject({ status: 403, body: NOT_GRANTED });
  });

  it("is checked after the signature: a bad signature is told as such, not which rules the key has", async () => {
    const err = await rejection(ovhClient(emu, { consumerKey: READER, appSecret: "not-the-secret" }).requestPromised("POST", "/ip"));
    expect(err).toEqual({ error: 400, message: "Invalid signature" });
  });
});

describe("an expired or unvalidated consumer key", () => {
  it.each([["expired", EXPIRED], ["pendingValidation", PENDING]])("(%s) is refused every call with 403 INVALID_CREDENTIAL", async (_state, key) => {
    const res = await as(key, { method: "GET", path: `/ipLoadbalancing/${svc}` });
    expect(res).toMatchObject({ status: 403, body: NOT_VALID });
    const err = await rejection(ovhClient(emu, { consumerKey: key }).requestPromised("GET", "/ipLoadbalancing"));
    expect(err).toEqual({ error: 403, message: "This credential is not valid" });
  });
});

describe("the emulator's own consumer key", () => {
  it("stays all-powerful beside scoped keys, and an unknown key is still NOT_CREDENTIAL", async () => {
    const res = await rawRequest(emu, { method: "POST", path: `/ipLoadbalancing/${svc}/tcp/farm`, body: JSON.stringify({ zone: "gra" }) });
    expect(res).toMatchObject({ status: 200, body: { farmId: expect.any(Number) } });
    await expect(rawRequest(emu, { method: "DELETE", path: `/ipLoadbalancing/${svc}/tcp/farm/${(res.body as { farmId: number }).farmId}` })).resolves.toMatchObject({ status: 200 });
    const unknown = await as("ck-nobody-0005", { method: "GET", path: "/ipLoadbalancing" });
    expect(unknown).toMatchObject({ status: 403, body: { class: "Client::Forbidden", message: "This credential does not exist", errorCode: "NOT_CREDENTIAL" } });
  });
});

describe("the consumerKeys option", () => {
  it.each([
    [[{ consumerKey: "k", accessRules: [{ method: "PATCH", path: "/ip" }] }], 'consumerKeys[0].accessRules[0].method must be one of GET, POST, PUT, DELETE, got "PATCH"'],
    [[{ consumerKey: "k", accessRules: [{ method: "GET", path: "ip/*" }] }], 'consumerKeys[0].accessRules[0].path must be a path starting with "/", got "ip/*"'],
    [[{ consumerKey: "k", state: "old", accessRules: [] }], 'consumerKeys[0].state must be one of validated, pendingValidation, expired, refused, got "old"'],
    [[{ consumerKey: "k", accessRules: [] }, { consumerKey: "k", accessRules: [] }], "consumerKeys[1].consumerKey must differ from the emulator's own key and from the other keys"],
  ])("is refused with the wrong field named: %j", async (consumerKeys, message) => {
    await expect(startEmulator({ consumerKeys } as never)).rejects.toThrow(message);
  });

  it("comes from a JSON file with the CLI's --consumer-keys, checked as the option is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-keys-"));
    const file = path.join(dir, "keys.json");
    const keys = [{ consumerKey: READER, accessRules: [{ method: "GET", path: "/ipLoadbalancing/*" }] }];
    fs.writeFileSync(file, JSON.stringify(keys));
    expect(parseCliArgs(["--consumer-keys", file])).toMatchObject({ help: false, options: { consumerKeys: [{ ...keys[0], state: "validated" }] } });
    fs.writeFileSync(file, JSON.stringify([{ consumerKey: READER, accessRules: [{ method: "GET" }] }]));
    expect(() => parseCliArgs(["--consumer-keys", file])).toThrow('--consumer-keys: consumerKeys[0].accessRules[0].path must be a path starting with "/", got undefined');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * The SslCertificate provider method by method against the emulator (which parses the PEMs as OVH does, refuses the
 * same certificate twice, and refuses to delete a certificate a staged frontend names in defaultSslId), with the test
 * certificates of tests/fixtures/certs: `www` (issued by `ca`) and `api` (self-signed).
 * Not proven here: that the engine creates the replacement before deleting the old one and updates the frontends in
 * between (the provider only answers deleteBeforeReplace; the test below plays the engine's order of calls).
 */
import * as fs from "fs";
import * as path from "path";
import type { OvhClient } from "ovh";
import { Emulator } from "../helpers/emulator";
import { configured, failedProperties, failureOf, mark, Props, Provider, withEmulator, writesSince } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
const pem = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");
const [WWW, WWW_KEY, API, API_KEY, CA] = ["www.pem", "www.key", "api.pem", "api.key", "ca.pem"].map(pem);

let emu: Emulator;
let client: OvhClient;
let provider: Provider;
let svc: string;

const www = (extra: Props = {}): Props => ({ serviceName: svc, certificate: WWW, key: WWW_KEY, chain: CA, displayName: "www", ...extra, __provider: PROVIDER_TEXT });
const api = (extra: Props = {}): Props => ({ serviceName: svc, certificate: API, key: API_KEY, displayName: "www", ...extra, __provider: PROVIDER_TEXT });
const sslOf = (id: number) => emu.store.service(svc)!.ssl[id];
const sslIds = () => Object.keys(emu.store.service(svc)!.ssl).map(Number);
const keyLines = (key: string) => key.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----"));
const holdsKey = (text: string) => text.includes("PRIVATE KEY-----") || [...keyLines(WWW_KEY), ...keyLines(API_KEY)].some((l) => text.includes(l));

withEmulator({}, async (started) => {
  ({ emu, client, svc } = started);
  provider = await configured("SslCertificate", emu, { "ovh-iplb:retryBaseMs": "5" });
});

describe("SslCertificate check", () => {
  it("answers with every failure by field and makes no API call", async () => {
    const from = mark(emu);
    const result = await provider.check({}, www({ key: API_KEY, chain: API, displayName: "a\nb" }));
    expect(failedProperties(result)).toEqual(["displayName", "key", "chain"]);
    expect(holdsKey(JSON.stringify(result.failures))).toBe(false);
    expect(emu.requests.length).toBe(from);
  });
});

describe("SslCertificate lifecycle", () => {
  let id: string;
  let outs: Props;

  it("uploads with one POST and outputs the certificate as the API reports it, never the key", async () => {
    const from = mark(emu);
    ({ id, outs } = await provider.create(www()));
    const sslId = Number(id.split("/")[1]);
    expect(id).toBe(`${svc}/${sslId}`);
    const ssl = sslOf(sslId);
    expect(outs).toEqual({
      serviceName: svc, certificate: WWW, chain: CA, displayName: "www", __provider: PROVIDER_TEXT, sslId, type: "custom",
      subject: "/C=FR/O=Example/CN=www.example.test", san: ["www.example.test", "example.test"],
      fingerprint: ssl.fingerprint, serial: ssl.serial, expireDate: ssl.expireDate, declaredDisplayName: "www",
    });
    expect(holdsKey(JSON.stringify(outs))).toBe(false);
    expect(writesSince(emu, from).map((r) => [r.method, r.path])).toEqual([["POST", `/ipLoadbalancing/${svc}/ssl`]]);
  });

  it("finds no change for the same inputs; a new display name is an update with one PUT", async () => {
    expect(await provider.diff(id, outs, www())).toEqual({ changes: false });
    // A change of the program alone: "unknown", so that the engine diffs the inputs and names the field in the preview.
    expect(await provider.diff(id, outs, www({ displayName: "www-2" }))).toEqual({ changes: undefined });
    const from = mark(emu);
    const { outs: updated } = await provider.update(id, outs, www({ displayName: "www-2" }));
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([["PUT", `/ipLoadbalancing/${svc}/ssl/${outs.sslId}`, { displayName: "www-2" }]]);
    expect(updated).toMatchObject({ displayName: "www-2", declaredDisplayName: "www-2", sslId: outs.sslId });
    expect(updated).not.toHaveProperty("key");
    expect((await provider.read(id, updated as Props)).props).toEqual(updated);
    outs = updated as Props;
  });

  it("a name changed in the console is drift, also after a refresh: named in a note, set back by the update", async () => {
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}/ssl/${outs.sslId}`, { displayName: "console" });
    const refreshed = (await provider.read(id, outs)).props;
    expect(refreshed).toMatchObject({ displayName: "console", declaredDisplayName: "www-2" });
    const notes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((line: string) => notes.push(line) > 0) as unknown as typeof process.stderr.write;
    try {
      expect(await provider.diff(id, refreshed, www({ displayName: "www-2" }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    } finally {
      process.stderr.write = write;
    }
    expect(notes.join("")).toContain(`SslCertificate ${id} was changed outside Pulumi (displayName)`);
    ({ outs } = await provider.update(id, refreshed, www({ displayName: "www-2" })) as { outs: Props });
    expect(sslOf(outs.sslId as number).displayName).toBe("www-2");
  });

  it("replaces on another certificate, new one first: the frontend moves to it, then the old one is deleted", async () => {
    const old = outs.sslId as number;
    const fe = (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/http/frontend`, { zone: "gra", port: "443", ssl: true, defaultSslId: old, displayName: "web" })) as { frontendId: number };
    expect(await provider.diff(id, outs, api({ displayName: "www-2" }))).toMatchObject({ changes: true, replaces: ["certificate", "chain"], deleteBeforeReplace: false });
    // The engine's order: create the replacement, update the dependents, delete the old one.
    const next = await provider.create(api({ displayName: "www-2" }));
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}/http/frontend/${fe.frontendId}`, { defaultSslId: next.outs.sslId });
    await provider.delete(id, outs);
    expect(sslIds()).not.toContain(old);
    expect(sslIds()).toContain(next.outs.sslId);
    ({ id, outs } = next);
  });

  it("refuses to delete a certificate a frontend uses, naming the frontend, and deletes nothing", async () => {
    const from = mark(emu);
    const error = await failureOf(provider.delete(id, outs));
    const fe = Object.entries(emu.store.service(svc)!.staged.frontends).find(([, f]) => f.data.defaultSslId === outs.sslId)![0];
    expect(error.message).toBe(
      `SslCertificate ${svc}/${outs.sslId}: OVH refuses to delete the certificate while a frontend uses it as its defaultSslId: ` +
        `http frontend ${fe} ("web"). Point it at another certificate first (a frontend whose defaultSslId is this resource's ` +
        "sslId moves to the new certificate when it is replaced), then run `pulumi up` again.",
    );
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["DELETE", 400]]);
    expect(sslIds()).toContain(outs.sslId);
    await client.requestPromised("DELETE", `/ipLoadbalancing/${svc}/http/frontend/${fe}`);
  });

  it("deletes; a second delete (404) counts as done; gone, it reads empty and diffs as a replacement", async () => {
    await provider.delete(id, outs);
    await provider.delete(id, outs);
    expect(sslIds()).not.toContain(outs.sslId);
    expect(await provider.read(id, outs)).toEqual({ id: "", props: {} });
    expect(await provider.diff(id, outs, api({ displayName: "www-2" }))).toMatchObject({ changes: true, replaces: ["sslId"] });
  });
});

describe("SslCertificate create failures", () => {
  it("a certificate OVH already holds fails with the API's reason and its sslId to adopt, without the key", async () => {
    const first = await provider.create(www());
    const error = await failureOf(provider.create(www()));
    expect(error.message).toMatch(/^SslCertificate: uploading the certificate failed: OVH API POST \/ipLoadbalancing\/\S+\/ssl failed: 409 /);
    expect(error.message).toContain(`(OVH holds each certificate once, and this one is there already as sslId ${first.outs.sslId}: set \`adoptSslId: ${first.outs.sslId}\` to take it over, or delete it)`);
    expect(holdsKey(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`)).toBe(false);
    expect(error.cause).toBeUndefined();
    await provider.delete(first.id, first.outs);
  });

  const withPostBurst = async <T>(run: () => Promise<T>): Promise<T> => {
    Object.assign(emu.faults, { methods: ["POST"], errorBurst: { count: 1, status: 503 } });
    try {
      return await run();
    } finally {
      Object.assign(emu.faults, { methods: [], errorBurst: { count: 0, status: 503 } });
    }
  };

  it("a 503 on the POST, with nothing uploaded, fails naming the call, without the key", async () => {
    const before = sslIds();
    const error = await withPostBurst(() => failureOf(provider.create(api())));
    expect(error.message).toMatch(/^SslCertificate: uploading the certificate failed: OVH API POST \/ipLoadbalancing\/\S+\/ssl failed: 503/);
    expect(holdsKey(`${error.message}\n${error.stack}`)).toBe(false);
    expect(sslIds()).toEqual(before);
  });

  it("a 503 on the POST when the certificate is there (an answer lost after OVH stored it): takes it, same fingerprint", async () => {
    const stored = (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/ssl`, { certificate: API, key: API_KEY })) as { id: number };
    const before = sslIds();
    const { id, outs } = await withPostBurst(() => provider.create(api()));
    expect(id).toBe(`${svc}/${stored.id}`);
    expect(outs).toMatchObject({ sslId: stored.id, subject: "/CN=api.example.test", type: "custom" });
    expect(sslIds()).toEqual(before);
  });
});

describe("SslCertificate adoptSslId", () => {
  const upload = async (certificate: string, key: string, displayName: string) =>
    ((await client.requestPromised("POST", `/ipLoadbalancing/${svc}/ssl`, { certificate, key, displayName })) as { id: number }).id;
  beforeAll(async () => {
    for (const sslId of sslIds()) await client.requestPromised("DELETE", `/ipLoadbalancing/${svc}/ssl/${sslId}`);
  });

  it("takes the uploaded certificate over: no POST, its name set with one PUT, outputs as the API reports it", async () => {
    const sslId = await upload(API, API_KEY, "made in the console");
    const from = mark(emu);
    const { id, outs } = await provider.create(api({ displayName: "api", adoptSslId: sslId }));
    expect(id).toBe(`${svc}/${sslId}`);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([["PUT", `/ipLoadbalancing/${svc}/ssl/${sslId}`, { displayName: "api" }]]);
    expect(outs).toMatchObject({ sslId, displayName: "api", subject: "/CN=api.example.test", type: "custom" });
    expect(outs).not.toHaveProperty("key");
    expect(await provider.diff(id, outs, api({ displayName: "api", adoptSslId: sslId }))).toMatchObject({ changes: false });
    await provider.delete(id, outs);
  });

  it("refuses another certificate than the declared one, or an id the service does not have, writing nothing", async () => {
    const sslId = await upload(API, API_KEY, "api");
    const from = mark(emu);
    const other = await failureOf(provider.create(www({ adoptSslId: sslId })));
    expect(other.message).toBe(
      `SslCertificate: adoptSslId: ${sslId} is another certificate (/CN=api.example.test, fingerprint ${sslOf(sslId).fingerprint}) ` +
        "than `certificate` (C=FR, O=Example, CN=www.example.test); name the certificate that holds it, or leave adoptSslId out to upload it",
    );
    const gone = await failureOf(provider.create(api({ adoptSslId: 999999 })));
    expect(gone.message).toBe(`SslCertificate: adoptSslId: 999999 is not a certificate of ${svc} (GET .../ssl/999999 answered 404)`);
    expect(writesSince(emu, from)).toEqual([]);
    await client.requestPromised("DELETE", `/ipLoadbalancing/${svc}/ssl/${sslId}`);
  });
});

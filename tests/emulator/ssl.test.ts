/**
 * Custom certificates (`.../ssl`, ovh-iplb-api.md 8) through the official client: the fields parsed from the PEM, the
 * list filters, the only writable field, deletion and the 400/404/409 answers. The certificates are the fixtures in
 * tests/fixtures/certs (see its README). Not proven here: how the real API formats subject/fingerprint (see the header
 * of emulator/handlers/ssl.ts), nor anything about TLS termination (the emulator serves no frontend traffic).
 */
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { OvhClient } from "ovh";
import { Emulator, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");
const www = { certificate: fixture("www.pem"), key: fixture("www.key"), chain: fixture("ca.pem") };
const api = { certificate: fixture("api.pem"), key: fixture("api.key") };

interface Ssl {
  id: number;
  type: string | null;
  displayName: string | null;
  subject: string;
  san: string[];
  serial: string;
  fingerprint: string;
  expireDate: string;
}

describe("emulator custom SSL certificates", () => {
  let emu: Emulator;
  let client: OvhClient;
  let wwwSsl: Ssl;
  let apiSsl: Ssl;
  const get = (id: number) => client.requestPromised("GET", svcPath(emu, `/ssl/${id}`)) as Promise<Ssl>;
  const list = (query: Record<string, string> = {}) => client.requestPromised("GET", svcPath(emu, "/ssl"), query) as Promise<number[]>;
  const upload = (body: Record<string, string>) => client.requestPromised("POST", svcPath(emu, "/ssl"), { ...body }) as Promise<Ssl>;

  beforeAll(async () => {
    emu = await startTestEmulator();
    client = ovhClient(emu);
  });
  afterAll(() => emu.close());

  it("creates a custom certificate with the fields read from the PEM", async () => {
    wwwSsl = await upload({ ...www, displayName: "www" });
    const x509 = new X509Certificate(www.certificate);
    expect(wwwSsl).toEqual({
      id: expect.any(Number),
      type: "custom",
      displayName: "www",
      subject: "/C=FR/O=Example/CN=www.example.test",
      san: ["www.example.test", "example.test"],
      serial: x509.serialNumber.toUpperCase(),
      fingerprint: x509.fingerprint,
      expireDate: new Date(x509.validTo).toISOString().replace(/\.000Z$/, "+00:00"),
    });
    expect(wwwSsl.fingerprint).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(await get(wwwSsl.id)).toEqual(wwwSsl);
  });

  it("accepts a certificate without chain or displayName (displayName null)", async () => {
    apiSsl = await upload(api);
    expect(apiSsl).toMatchObject({ type: "custom", displayName: null, subject: "/CN=api.example.test", san: ["api.example.test"] });
    expect(await list()).toEqual([wwwSsl.id, apiSsl.id]);
  });

  it("filters the list by type (=), fingerprint and serial (like) and expireDate (<)", async () => {
    expect(await list({ type: "custom" })).toEqual([wwwSsl.id, apiSsl.id]);
    expect(await list({ type: "built" })).toEqual([]);
    expect(await list({ fingerprint: wwwSsl.fingerprint })).toEqual([wwwSsl.id]);
    expect(await list({ fingerprint: `${apiSsl.fingerprint.slice(0, 8)}%` })).toEqual([apiSsl.id]);
    expect(await list({ serial: `%${wwwSsl.serial.slice(-6)}` })).toEqual([wwwSsl.id]);
    const [earliest, latest] = [wwwSsl, apiSsl].sort((a, b) => a.expireDate.localeCompare(b.expireDate));
    expect(await list({ expireDate: "2030-01-01T00:00:00+00:00" })).toEqual([]);
    expect(await list({ expireDate: "2200-01-01T00:00:00Z" })).toEqual([wwwSsl.id, apiSsl.id]);
    expect(await list({ expireDate: earliest.expireDate })).toEqual([]); // strictly before
    const beforeLatest = [earliest, latest].filter((s) => s.expireDate < latest.expireDate).map((s) => s.id);
    expect(await list({ expireDate: new Date(latest.expireDate).toISOString() })).toEqual(beforeLatest);
  });

  it("rejects unknown filter values", async () => {
    expect(await rejection(list({ type: "paid" }))).toEqual({ error: 400, message: "[type] Given data (paid) does not belong to the ipLoadbalancing.SslTypeEnum enumeration" });
    expect(await rejection(list({ expireDate: "soon" }))).toEqual({ error: 400, message: "[expireDate] Given data (soon) is not valid for type datetime" });
  });

  it("updates displayName, and only displayName", async () => {
    expect(await client.requestPromised("PUT", svcPath(emu, `/ssl/${apiSsl.id}`), { displayName: "api v2" })).toBeNull();
    expect(await get(apiSsl.id)).toEqual({ ...apiSsl, displayName: "api v2" });
    const ro = await rejection(client.requestPromised("PUT", svcPath(emu, `/ssl/${apiSsl.id}`), { subject: "/CN=other" }));
    expect(ro).toEqual({ error: 400, message: "[subject] This property is read-only" });
    // Re-sending read-only fields unchanged is tolerated (terraform sends whole objects).
    const { id, type, subject, san } = apiSsl;
    await expectSchemaViolations(emu, ["body.id: read-only", "body.type: read-only", "body.subject: read-only", "body.san: read-only"], async () =>
      expect(await client.requestPromised("PUT", svcPath(emu, `/ssl/${apiSsl.id}`), { id, type, subject, san, displayName: "api" })).toBeNull(),
    );
    expect((await get(apiSsl.id)).displayName).toBe("api");
  });

  it("answers 400 to missing fields, malformed PEMs and a key of another certificate", async () => {
    expect(await rejection(upload({ certificate: www.certificate }))).toEqual({ error: 400, message: "[key] Property is mandatory" });
    expect(await rejection(upload({ key: www.key }))).toEqual({ error: 400, message: "[certificate] Property is mandatory" });
    const broken = www.certificate.replace(/[A-Za-z]{12}/, "AAAAAAAAAAAA");
    expect(await rejection(upload({ certificate: broken, key: www.key }))).toEqual({ error: 400, message: "[certificate] Given data is not a valid PEM encoded X509 certificate" });
    expect(await rejection(upload({ certificate: "hello", key: www.key }))).toMatchObject({ error: 400 });
    expect(await rejection(upload({ certificate: www.certificate, key: "not a key" }))).toEqual({ error: 400, message: "[key] Given data is not a valid PEM encoded private key" });
    expect(await rejection(upload({ certificate: www.certificate, key: api.key }))).toEqual({ error: 400, message: "The private key does not match the certificate" });
    expect(await rejection(upload({ ...www, chain: "garbage" }))).toEqual({ error: 400, message: "[chain] Given data is not a valid PEM encoded X509 certificate chain" });
    expect(await rejection(upload({ ...www, extra: "x" }))).toEqual({ error: 400, message: "[extra] Unknown property" });
    expect(await list()).toEqual([wwwSsl.id, apiSsl.id]);
  });

  it("answers 409 when the same certificate is uploaded twice", async () => {
    const err = await rejection(upload(www));
    expect(err).toEqual({ error: 409, message: `This certificate already exists (id ${wwwSsl.id})` });
  });

  it("refuses to delete a certificate a frontend uses, then deletes it once unused", async () => {
    const svc = emu.store.service(emu.serviceName)!;
    // Seeded directly: frontends are another family; only the defaultSslId reference matters here.
    svc.staged.frontends[9001] = { type: "http", data: { frontendId: 9001, defaultSslId: apiSsl.id } };
    const inUse = await rejection(client.requestPromised("DELETE", svcPath(emu, `/ssl/${apiSsl.id}`)));
    expect(inUse).toEqual({ error: 400, message: "This certificate is used by http/frontend/9001: change their defaultSslId first" });
    delete svc.staged.frontends[9001];
    expect(await client.requestPromised("DELETE", svcPath(emu, `/ssl/${apiSsl.id}`))).toBeNull();
    expect(await list()).toEqual([wwwSsl.id]);
    expect(await rejection(get(apiSsl.id))).toEqual({ error: 404, message: `The requested object (id = ${apiSsl.id}) does not exist` });
    expect((await rejection(client.requestPromised("DELETE", svcPath(emu, `/ssl/${apiSsl.id}`)))).error).toBe(404);
  });

  it("never stores the private key or the PEM material", () => {
    const stored = JSON.stringify(emu.store.data);
    expect(stored).not.toContain("PRIVATE KEY");
    expect(stored).not.toContain("BEGIN CERTIFICATE");
  });

  it("answers 404 for an unknown service", async () => {
    const err = await rejection(client.requestPromised("GET", "/ipLoadbalancing/loadbalancer-nope/ssl"));
    expect(err).toEqual({ error: 404, message: "This service does not exist" });
  });
});

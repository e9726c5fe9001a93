/**
 * The SslCertificate model (provider/models/sslCertificate.ts) on the test certificates of tests/fixtures/certs
 * (`www` issued by `ca`, `api` self-signed): check() names the field of each bad PEM, a key that does not match, a chain
 * that did not issue the certificate, and never holds any part of the key; diff replaces on another certificate or
 * chain (a chain alone deletes first) and updates a display name; outputs never hold the key; redactKey scrubs it.
 */
import * as fs from "fs";
import * as path from "path";
import * as model from "../../provider/models/sslCertificate";
import type * as wire from "../../provider/api/wire";

const pem = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");
const WWW = pem("www.pem");
const WWW_KEY = pem("www.key");
const API = pem("api.pem");
const API_KEY = pem("api.key");
const CA = pem("ca.pem");

const inputs = (over: Record<string, unknown> = {}) => ({ serviceName: "lb-1", certificate: WWW, key: WWW_KEY, chain: CA, ...over });
/**
 * The key's body lines: none of them may appear in a message. (An EC key embeds its public point, which the
 * certificate holds too, so a fragment shorter than a line could legitimately be public.)
 */
const keyLines = (key: string) => key.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----"));
function expectNoKeyMaterial(text: string, key = WWW_KEY): void {
  expect(text).not.toContain("PRIVATE KEY-----");
  for (const line of keyLines(key)) expect(text).not.toContain(line);
}
const reasons = (news: Record<string, unknown>) => model.checkSslCertificate(news).failures.map((f) => `${f.property}: ${f.reason}`);

describe("SslCertificate check", () => {
  it("accepts a certificate, its key and the chain that issued it; a self-signed one without chain", () => {
    expect(reasons(inputs())).toEqual([]);
    expect(reasons({ serviceName: "lb-1", certificate: API, key: API_KEY, displayName: "api" })).toEqual([]);
  });

  it.each([
    ["certificate not PEM", { certificate: "hello" }, "certificate: is not a PEM encoded X.509 certificate"],
    ["certificate damaged", { certificate: WWW.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!") }, "certificate: does not parse as a PEM encoded X.509 certificate"],
    ["certificate holding the chain", { certificate: WWW + CA }, "certificate: holds 2 certificates; put the server's certificate here and the intermediates in `chain`"],
    ["certificate holding the key", { certificate: WWW + WWW_KEY }, "certificate: holds a private key; put it in `key`, never in `certificate`"],
    ["key not PEM", { key: "not a key" }, "key: is not a PEM encoded private key"],
    ["key damaged", { key: WWW_KEY.replace(/\n[A-Za-z0-9+/]{20}/, "\n@@@@") }, "key: does not parse as a PEM encoded private key"],
    ["key of another certificate", { key: API_KEY }, "key: does not match the certificate (it is not the private key of the certificate's public key)"],
    ["key encrypted", { key: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n" }, "key: is encrypted with a passphrase"],
    ["key a number (untyped)", { key: 42 }, "key: is not a string"],
    ["chain not issuing", { chain: API }, "chain: certificate 1 of the chain (CN=api.example.test) did not issue the certificate (issuer C=FR, O=pulumi-ovh-iplb tests, CN=Test CA)"],
    ["chain not PEM", { chain: "junk" }, "chain: is not a PEM certificate chain"],
    ["chain with a key", { chain: CA + WWW_KEY }, "chain: holds a private key; put it in `key`, never in `chain`"],
    ["serviceName missing", { serviceName: undefined }, "serviceName: a value is required"],
    ["key missing", { key: undefined }, "key: a value is required"],
  ])("refuses %s, naming the field, without any of the key", (_name, over, expected) => {
    const found = reasons(inputs(over));
    expect(found).toEqual([expect.stringContaining(expected)]);
    expectNoKeyMaterial(found.join("\n"));
    expectNoKeyMaterial(found.join("\n"), API_KEY);
  });

  it("checks nothing it cannot know yet (an unknown value in a preview)", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(reasons(inputs({ certificate: unknown, key: unknown, chain: unknown }))).toEqual([]);
  });
});

describe("SslCertificate diff, body, outputs", () => {
  const live: wire.Ssl = { id: 7, type: "custom", displayName: "www", subject: "/CN=www", san: ["www.example.test"], serial: "01", fingerprint: "AA", expireDate: "2125-01-01T00:00:00+00:00" };
  const olds = model.sslOutputs({ ...inputs(), displayName: "www" }, "lb-1", live);

  it("keeps no key in the outputs, and the API's fields as reported", () => {
    expect(olds).not.toHaveProperty("key");
    expectNoKeyMaterial(JSON.stringify(olds));
    expect(olds).toMatchObject({ sslId: 7, type: "custom", subject: "/CN=www", san: ["www.example.test"], fingerprint: "AA", serial: "01", expireDate: live.expireDate });
  });

  it("finds no change for the same PEMs with other line endings, nor for another encoding of the key", () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const d = model.diffSslCertificate({ ...inputs({ certificate: crlf(WWW), chain: crlf(CA), key: "whatever" }), displayName: "www" }, olds, live);
    expect(d).toMatchObject({ changes: false, replaces: [] });
  });

  it("replaces on another certificate (new first), deletes first on a new chain alone, updates a display name", () => {
    const other = model.diffSslCertificate({ ...inputs({ certificate: API, key: API_KEY, chain: undefined }), displayName: "www" }, olds, live);
    expect(other.replaces).toEqual(["certificate", "chain"]);
    expect(model.needsDeleteFirst(other.replaces)).toBe(false);
    const chainOnly = model.diffSslCertificate({ ...inputs({ chain: undefined }), displayName: "www" }, olds, live);
    expect(chainOnly.replaces).toEqual(["chain"]);
    expect(model.needsDeleteFirst(chainOnly.replaces)).toBe(true);
    const renamed = model.diffSslCertificate({ ...inputs(), displayName: "www-2" }, olds, live);
    expect(renamed).toMatchObject({ changes: true, replaces: [], detailedDiff: { displayName: { kind: "update", inputDiff: true } } });
    expect(model.diffSslCertificate(inputs(), olds, undefined).replaces).toEqual(["sslId"]);
  });

  it("sends the PEMs, no empty chain, the display name when given", () => {
    expect(model.uploadBody({ ...inputs({ chain: "" }), displayName: "" } as model.SslCertificateInputs)).toEqual({ certificate: WWW, key: WWW_KEY });
  });

  it("redacts the key, a part of it, or any private key block from a message", () => {
    const line = keyLines(WWW_KEY)[1];
    const text = model.redactKey(`400 [key] Given data (${line}) is invalid; also ${WWW_KEY} and ${API_KEY}`, WWW_KEY);
    expectNoKeyMaterial(text);
    expectNoKeyMaterial(text, API_KEY);
    expect(text).toContain("[key redacted]");
  });

  it("names the frontends that keep a certificate from being deleted", () => {
    expect(model.inUseMessage("lb-1", 7, [{ type: "http", frontendId: 3, displayName: "web" }, { type: "tcp", frontendId: 4, displayName: null }])).toMatch(
      /^SslCertificate lb-1\/7: OVH refuses to delete the certificate while a frontend uses it as its defaultSslId: http frontend 3 \("web"\), tcp frontend 4\. Point them/,
    );
  });
});

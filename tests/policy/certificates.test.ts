/**
 * Custom-certificate policies on SslCertificate registrations from real program runs (captured under mocks), with the
 * certificates of tests/fixtures/certs: `www` (valid until 2125), `expired` (valid in January 2020 only). "Within N
 * days" is tested by moving the clock (Date.now) to a known distance from www's notAfter, so no test depends on the
 * day it runs. The key policy is a remediation: it is run as the engine's Remediate call runs it (harness.ts), and
 * processPack.test.ts runs it in the real pack process.
 */
import * as fs from "fs";
import * as path from "path";
import { X509Certificate } from "crypto";
import * as iplb from "../../sdk";
import { certificateExpired, certificateExpiring, certificateKeySecret, policies } from "../../policy/policies";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CapturedResource, CapturedStack, captureStack } from "./capture";
import { analyze, detail, flagged, remediateResource, withInputs } from "./harness";
import { SERVICE } from "./programs";

const pem = (file: string) => fs.readFileSync(path.join(__dirname, "../fixtures/certs", file), "utf8");
const DAY_MS = 24 * 60 * 60 * 1000;
const WWW_NOT_AFTER = new Date(new X509Certificate(pem("www.pem")).validTo).getTime();

let stack: CapturedStack;
const resource = (name: string): CapturedResource => stack.resources.find((r) => r.name === name)!;
beforeAll(async () => {
  stack = await captureStack(() => {
    new iplb.SslCertificate("www", { serviceName: SERVICE, certificate: pem("www.pem"), key: pem("www.key"), chain: pem("ca.pem") });
    new iplb.SslCertificate("old", { serviceName: SERVICE, certificate: pem("expired.pem"), key: pem("expired.key") });
  }, { dryRun: true });
});
afterEach(() => jest.restoreAllMocks());

describe("iplb-certificate-expired", () => {
  it("refuses an expired certificate, naming it, its subject, the date and the fix", async () => {
    const diagnostics = await analyze([certificateExpired], stack);
    expect(flagged(diagnostics, stack, "iplb-certificate-expired")).toEqual(["old"]);
    expect(diagnostics.map((d) => [d.enforcementLevel, detail(d)])).toEqual([[
      "mandatory",
      'SslCertificate "old": the certificate (CN=expired.example.test) expired on 2020-02-01, so clients refuse the connections ' +
        "that use it. Put the renewed certificate in `certificate` and its key in `key`: the new certificate is uploaded first " +
        "and the frontends move to it.",
    ]]);
  });

  it("refuses an expired certificate of the chain (each is read on its own: check() judges who issued whom)", async () => {
    const stale = withInputs(resource("www"), { chain: pem("expired.pem") }, "stale-chain");
    const diagnostics = await analyze([certificateExpired], { ...stack, resources: [stale] });
    expect(diagnostics.map(detail)).toEqual([
      'SslCertificate "stale-chain": certificate 1 of the chain (CN=expired.example.test) expired on 2020-02-01, so clients ' +
        "refuse the connections that use it. Put the renewed intermediate in `chain`: the new certificate is uploaded first " +
        "and the frontends move to it.",
    ]);
  });
});

describe("iplb-certificate-expiring", () => {
  it("warns 30 days ahead by default, with the date and the days left", async () => {
    jest.spyOn(Date, "now").mockReturnValue(WWW_NOT_AFTER - 10 * DAY_MS - 60_000);
    const diagnostics = await analyze([certificateExpiring], stack);
    expect(flagged(diagnostics, stack, "iplb-certificate-expiring")).toEqual(["www"]);
    expect(diagnostics.map((d) => [d.enforcementLevel, detail(d)])).toEqual([[
      "advisory",
      'SslCertificate "www": the certificate (CN=www.example.test) expires on 2125-06-15, in 10 days (this team warns 30 days ' +
        "ahead). Put the renewed certificate in `certificate` and its key in `key` before then: the new certificate is uploaded " +
        "first and the frontends move to it, so clients see no gap.",
    ]]);
  });

  it("takes the team's number of days, and leaves expired certificates to iplb-certificate-expired", async () => {
    jest.spyOn(Date, "now").mockReturnValue(WWW_NOT_AFTER - 10 * DAY_MS);
    expect(await analyze([certificateExpiring], stack, { "iplb-certificate-expiring": { days: 7 } })).toEqual([]);
    expect(flagged(await analyze([certificateExpiring], stack, { "iplb-certificate-expiring": { days: 11 } }), stack, "iplb-certificate-expiring")).toEqual(["www"]);
  });

  it("is quiet about certificates valid for longer (today: www until 2125)", async () => {
    expect(await analyze([certificateExpiring, certificateExpired], { ...stack, resources: [resource("www")] })).toEqual([]);
  });
});

describe("iplb-certificate-key-secret", () => {
  const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;

  it("leaves the class's registrations alone: SslCertificate always registers its key as a secret", async () => {
    expect(isSecret(resource("www").inputs.key)).toBe(true);
    expect(await remediateResource(policies, resource("www"))).toEqual([]);
  });

  it("makes a plain key a secret, changing nothing else (the provider reference included)", async () => {
    const raw = withInputs(resource("www"), { key: pem("www.key") }, "raw");
    const [remediation, ...more] = await remediateResource(policies, raw);
    expect(more).toEqual([]);
    expect(remediation.policyName).toBe("iplb-certificate-key-secret");
    const { key, ...rest } = remediation.properties;
    expect([isSecret(key), (key as { value: unknown }).value]).toEqual([true, pem("www.key")]);
    const { key: _plain, ...others } = raw.inputs;
    expect(rest).toEqual(others);
    expect(typeof rest.__provider).toBe("string");
  });

  it("is no validation: Analyze never reports it, and set to mandatory it does nothing", async () => {
    const raw = withInputs(resource("www"), { key: pem("www.key") }, "raw");
    expect(await analyze([certificateKeySecret], { ...stack, resources: [raw] })).toEqual([]);
    expect(await remediateResource([certificateKeySecret], raw, { "iplb-certificate-key-secret": "mandatory" })).toEqual([]);
  });
});

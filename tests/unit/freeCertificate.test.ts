import type { Ssl } from "../../provider/api/wire";
import { UNKNOWN } from "../../provider/models/fields";
import * as model from "../../provider/models/freeCertificate";

const LB = "loadbalancer-1";
const cert = (over: Partial<Ssl> = {}): Ssl => ({
  id: 120, type: "built", displayName: null, subject: "/CN=www.example.com", san: ["www.example.com", "example.com"],
  serial: "03AB", fingerprint: "AA:BB", expireDate: "2026-03-01T00:00:00+00:00", ...over,
});
const OLDS = { serviceName: LB, fqdn: ["www.example.com", "example.com"], sslId: 120 };

describe("hostNameProblem", () => {
  it.each([["www.example.com"], ["example.com"], ["a-b.c0.example"], ["xn--bcher-kva.example"], [`${"a".repeat(63)}.example.com`]])(
    "accepts %s",
    (name) => expect(model.hostNameProblem(name)).toBeUndefined(),
  );

  it.each([
    ["*.example.com", "is a wildcard; OVH validates each name over HTTP, so list the names one by one"],
    ["192.0.2.10", "is an IP address; free certificates are for host names"],
    ["localhost", "is not a fully qualified name (at least two labels, e.g. www.example.com)"],
    ["www.example.com.", "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"],
    ["-www.example.com", "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"],
    ["www_1.example.com", "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"],
    [`${"a".repeat(64)}.example.com`, "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"],
    [`${"abcdefghi.".repeat(26)}com`, "is 263 characters long, more than 253"],
  ])("refuses %s: %s", (name, problem) => expect(model.hostNameProblem(name)).toBe(problem));
});

describe("checkFreeCertificate", () => {
  it("accepts one to 100 names and returns the inputs as given", () => {
    const news = { serviceName: LB, fqdn: ["WWW.example.com", "example.com"], __provider: "x" };
    expect(model.checkFreeCertificate(news)).toEqual({ inputs: news, failures: [] });
    const hundred = Array.from({ length: 100 }, (_, i) => `n${i}.example.com`);
    expect(model.checkFreeCertificate({ serviceName: LB, fqdn: hundred }).failures).toEqual([]);
  });

  it("reports each bad name by index, and duplicates compared case-insensitively", () => {
    expect(model.checkFreeCertificate({ serviceName: LB, fqdn: ["www.example.com", "*.example.com", 7, "WWW.Example.com"] }).failures).toEqual([
      { property: "fqdn[1]", reason: '"*.example.com" is a wildcard; OVH validates each name over HTTP, so list the names one by one' },
      { property: "fqdn[2]", reason: "7 is not a string" },
      { property: "fqdn[3]", reason: '"WWW.Example.com" repeats fqdn[0] (names are case-insensitive)' },
    ]);
  });

  it.each([
    [[], "at least one name is required"],
    [Array.from({ length: 101 }, (_, i) => `n${i}.example.com`), "101 names, more than 100 (the most one certificate carries)"],
    ["www.example.com", '"www.example.com" is not a list of host names'],
  ])("refuses the list %#: %s", (fqdn, reason) => {
    expect(model.checkFreeCertificate({ serviceName: LB, fqdn }).failures).toEqual([{ property: "fqdn", reason }]);
  });

  it("requires both fields and refuses unknown ones", () => {
    expect(model.checkFreeCertificate({ fqdns: [] }).failures.map((f) => f.reason)).toEqual([
      "unknown field; allowed fields: serviceName, fqdn, checkDns",
      "a value is required",
      "a value is required",
    ]);
  });

  it("leaves unknown names (preview) alone", () => {
    expect(model.checkFreeCertificate({ serviceName: LB, fqdn: [UNKNOWN, "www.example.com"] }).failures).toEqual([]);
    expect(model.checkFreeCertificate({ serviceName: LB, fqdn: UNKNOWN }).failures).toEqual([]);
  });
});

describe("names", () => {
  it("orders lower-case names in the program's order (the first becomes the subject)", () => {
    expect(model.orderBody(["WWW.Example.com", "example.com"])).toEqual({ fqdn: ["www.example.com", "example.com"] });
  });

  it.each([
    [{ subject: "/CN=www.example.com", san: ["www.example.com", "example.com"] }, ["example.com", "www.example.com"]],
    [{ subject: "/C=FR/O=Example/CN=Api.Example.com", san: [] }, ["api.example.com"]],
    [{ subject: "CN=a.example.com, O=Example", san: ["b.example.com"] }, ["a.example.com", "b.example.com"]],
    [{ subject: "", san: ["b.example.com"] }, ["b.example.com"]],
  ])("reads the names of a certificate from its subject CN and SAN (%#)", (ssl, names) => {
    expect(model.certificateNames(ssl)).toEqual(names);
  });

  it("compares name sets case-insensitively and in any order", () => {
    expect(model.sameNames(["B.example.com", "a.example.com"], ["a.example.com", "b.example.com"])).toBe(true);
    expect(model.sameNames(["a.example.com"], ["a.example.com", "b.example.com"])).toBe(false);
  });
});

describe("pickOrdered", () => {
  const names = ["www.example.com", "example.com"];

  it("takes the lowest-id certificate with exactly these names", () => {
    const found = model.pickOrdered([cert({ id: 130 }), cert({ id: 125 }), cert({ id: 121, san: ["www.example.com"] })], names);
    expect(found?.id).toBe(125);
  });

  it("takes a built_not_routed one too (the caller refuses it with the reason)", () => {
    expect(model.pickOrdered([cert({ type: "built_not_routed" })], names)?.type).toBe("built_not_routed");
  });

  it("never takes a custom certificate or one with other names", () => {
    expect(model.pickOrdered([cert({ type: "custom" }), cert({ id: 2, subject: "/CN=other.example.com", san: [] })], names)).toBeUndefined();
  });
});

describe("diffFreeCertificate", () => {
  it("finds nothing for the same names in another order or case", () => {
    expect(model.diffFreeCertificate({ serviceName: LB, fqdn: ["Example.com", "www.example.com"] }, OLDS, cert())).toEqual({
      changes: false, replaces: [], diffs: [], detailedDiff: {},
    });
  });

  it("replaces on other names", () => {
    expect(model.diffFreeCertificate({ serviceName: LB, fqdn: ["www.example.com"] }, OLDS, cert())).toEqual({
      changes: true, replaces: ["fqdn"], diffs: ["fqdn"], detailedDiff: { fqdn: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("replaces on another service, and on unknown names (preview)", () => {
    expect(model.diffFreeCertificate({ serviceName: "loadbalancer-2", fqdn: OLDS.fqdn }, OLDS, cert()).replaces).toEqual(["serviceName"]);
    expect(model.diffFreeCertificate({ serviceName: LB, fqdn: UNKNOWN }, OLDS, cert()).replaces).toEqual(["fqdn"]);
  });

  it("shows a certificate that is no longer built as drift, replaced (ordered again) by up", () => {
    expect(model.diffFreeCertificate({ serviceName: LB, fqdn: OLDS.fqdn }, OLDS, cert({ type: "built_not_routed" }))).toEqual({
      changes: true, replaces: ["type"], diffs: ["type"], detailedDiff: { type: { kind: "update-replace", inputDiff: false } },
    });
  });

  it("replaces a certificate deleted outside Pulumi", () => {
    expect(model.diffFreeCertificate({ serviceName: LB, fqdn: OLDS.fqdn }, OLDS, undefined).replaces).toEqual(["sslId"]);
  });
});

describe("outputs, ids and messages", () => {
  it("outputs the certificate's fields", () => {
    expect(model.certificateOutputs(LB, cert())).toEqual({
      serviceName: LB, sslId: 120, type: "built", subject: "/CN=www.example.com", san: ["www.example.com", "example.com"],
      fingerprint: "AA:BB", serial: "03AB", expireDate: "2026-03-01T00:00:00+00:00",
    });
  });

  it("round-trips the id serviceName/sslId and refuses other shapes", () => {
    expect(model.parseCertificateResourceId(model.certificateResourceId(LB, 120))).toEqual({ serviceName: LB, sslId: 120 });
    expect(() => model.parseCertificateResourceId("loadbalancer-1")).toThrow(
      'invalid free certificate id "loadbalancer-1": expected <serviceName>/<sslId>, e.g. loadbalancer-abc/42',
    );
  });

  it("explains built_not_routed: the DNS prerequisite, the address, and what happened to the certificate", () => {
    expect(model.notRoutedMessage(LB, ["www.example.com"], 120, "192.0.2.10", true)).toBe(
      "FreeCertificate: OVH issued certificate 120 on loadbalancer-1 for www.example.com as built_not_routed: not every name " +
        "points to the load balancer's address 192.0.2.10 (or a failover IP routed to it). OVH validates and renews a free " +
        "certificate with an HTTP request to each name, so before ordering, every name must resolve (DNS A record) to the " +
        "load balancer's address 192.0.2.10 (or a failover IP routed to it) and be served by an HTTP frontend on port 80. " +
        "The certificate was deleted; fix DNS and run `pulumi up` again.",
    );
    expect(model.notRoutedMessage(LB, ["a.example.com"], 1, null, false)).toContain("not every name points to the load balancer.");
    expect(model.notRoutedMessage(LB, ["a.example.com"], 1, null, false)).toMatch(/Fix DNS; the next `pulumi up` orders it again\.$/);
  });
});

/**
 * The LoadBalancer component's cross-reference rules (sdk/loadBalancerModel.ts): what only the whole
 * configuration can tell, reported all at once with the key at fault and what to do.
 */
import { certificateKind, childNames, LoadBalancerShape, loadBalancerProblems } from "../../sdk/loadBalancerModel";

const base = (): LoadBalancerShape => ({
  farms: { web: { type: "http", zone: "gra" }, api: { type: "tcp", zone: "all" } },
  frontends: {
    https: { type: "http", zone: "gra", farm: "web", certificate: "site", dedicatedIpfo: ["203.0.113.10"] },
    api: { type: "tcp", zone: "rbx", farm: "api" },
  },
  failoverIps: ["203.0.113.10/32"],
  certificates: { site: {} },
});

describe("LoadBalancer cross-references", () => {
  it("accepts a configuration whose references all hold (an IP given as address or /32 block alike)", () => {
    expect(loadBalancerProblems(base())).toEqual([]);
  });

  it.each<[string, (s: LoadBalancerShape) => void, string | string[]]>([
    ["a frontend pointing at a missing farm", (s) => (s.frontends.https.farm = "shop"),
      'frontends.https.farm: "shop" is not a farm of this load balancer (farms: web, api)'],
    ["a frontend pointing at a farm of another protocol", (s) => (s.frontends.https.farm = "api"),
      'frontends.https.farm: "api" is a TCP farm; a HTTP frontend needs a HTTP farm'],
    ["a frontend in another zone than its farm", (s) => (s.frontends.https.zone = "rbx"),
      'frontends.https.farm: farm "web" is in zone gra, the frontend in rbx; use the same zone, or put the farm in "all"'],
    ["a frontend naming a missing certificate (which also leaves the real one unused)", (s) => (s.frontends.https.certificate = "shop"), [
      'frontends.https.certificate: "shop" is not a certificate of this load balancer (certificates: site)',
      'certificates.site: used by no HTTPS frontend; set certificate: "site" on an HTTP or TCP frontend, or remove it',
    ]],
    ["a certificate on a UDP frontend", (s) => (s.frontends.dns = { type: "udp", zone: "gra", certificate: "site" }),
      "frontends.dns.certificate: UDP frontends have no TLS, so no certificate"],
    ["a certificate on a frontend with ssl turned off", (s) => (s.frontends.https.ssl = false),
      "frontends.https.certificate: the frontend sets ssl: false, so it would never use the certificate; remove one of them"],
    ["a dedicated IP that is not attached", (s) => (s.frontends.api.dedicatedIpfo = ["203.0.113.99"]),
      "frontends.api.dedicatedIpfo: 203.0.113.99 is not attached to this load balancer; add it to failoverIps"],
    ["a key that cannot be part of a resource name", (s) => (s.farms["web farm"] = { type: "http", zone: "gra" }),
      'farms.web farm: keys are letters, digits, "_", "." and "-" (at most 63), not "web farm"'],
  ])("rejects %s", (_what, mutate, message) => {
    const shape = base();
    mutate(shape);
    expect(loadBalancerProblems(shape)).toEqual(Array.isArray(message) ? message : [message]);
  });

  it("rejects a certificate that no HTTPS frontend uses", () => {
    const shape = base();
    shape.certificates.unused = {};
    expect(loadBalancerProblems(shape)).toEqual([
      'certificates.unused: used by no HTTPS frontend; set certificate: "unused" on an HTTP or TCP frontend, or remove it',
    ]);
  });

  it("reports every problem at once", () => {
    const shape = base();
    shape.frontends.https.farm = "shop";
    shape.frontends.api.dedicatedIpfo = ["203.0.113.99"];
    shape.certificates.unused = {};
    expect(loadBalancerProblems(shape)).toHaveLength(3);
  });

  it("takes free and custom certificates in one key space: a frontend names either kind", () => {
    const shape = base();
    shape.certificates.own = { certificate: "PEM", key: "KEY" };
    shape.frontends.api.certificate = "own";
    expect(loadBalancerProblems(shape)).toEqual([]);
    shape.frontends.api.certificate = "other";
    expect(loadBalancerProblems(shape)).toEqual([
      'frontends.api.certificate: "other" is not a certificate of this load balancer (certificates: site, own)',
      'certificates.own: used by no HTTPS frontend; set certificate: "own" on an HTTP or TCP frontend, or remove it',
    ]);
  });

  it.each([
    [{ fqdn: ["www.example.com"] }, "free"],
    [{}, "free"],
    [{ certificate: "PEM", key: "KEY" }, "custom"],
    [{ certificate: "PEM" }, "custom"],
  ])("tells a certificate's kind by its fields: %j is %s", (cert, kind) => {
    expect(certificateKind(cert)).toBe(kind);
  });

  it("rejects a certificate that both orders (fqdn) and uploads (certificate, key)", () => {
    const shape = base();
    shape.certificates.site = { fqdn: ["www.example.com"], certificate: "PEM", key: "KEY" };
    expect(loadBalancerProblems(shape)).toEqual([
      "certificates.site: fqdn orders a free certificate, certificate and key upload your own; give one or the other",
    ]);
  });

  it("does not judge references that are not plain values yet (Outputs)", () => {
    const shape = base();
    shape.frontends.https.zone = { apply: () => undefined };
    expect(loadBalancerProblems(shape)).toEqual([]);
  });

  it("names children after the component and their keys", () => {
    expect([
      childNames.farm("lb", "web"), childNames.server("lb", "web", "a"), childNames.frontend("lb", "https"),
      childNames.failoverIp("lb", "203.0.113.10/32"), childNames.certificate("lb", "site"),
    ]).toEqual(["lb-farm-web", "lb-server-web-a", "lb-frontend-https", "lb-ip-203.0.113.10", "lb-cert-site"]);
  });
});

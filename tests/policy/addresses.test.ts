/**
 * Address and name policies: server addresses (real registrations), failover IPs and free-certificate names (real
 * FailoverIpAttachment / FreeCertificate registrations, and hand-built ones carrying the type tokens and input shapes
 * those classes register, so the policies do not depend on the SDK classes' own code).
 */
import * as iplb from "../../sdk";
import { certificateDomains, failoverIpAllowed, serverAddressAllowed, TYPES } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, analyzeResource, detail, flagged, handBuilt } from "./harness";
import { farmsProgram, goodServer, SERVICE } from "./programs";

describe("iplb-server-address-allowed", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      {
        name: "web",
        servers: [
          goodServer("private-10", { address: "10.1.2.3" }),
          goodServer("private-172", { address: "172.31.255.254" }),
          goodServer("private-192", { address: "192.168.0.1" }),
          goodServer("loopback", { address: "127.0.0.2" }),
          goodServer("public", { address: "203.0.113.10" }),
          goodServer("next-to-172", { address: "172.32.0.1" }),
        ],
      },
      { name: "dns", kind: "udp", servers: [goodServer("dns-public", { address: "198.51.100.53" })] },
    ]));
  });

  it("allows private ranges and loopback by default, and flags other addresses of every protocol", async () => {
    const diagnostics = await analyze([serverAddressAllowed], stack);
    expect(flagged(diagnostics, stack, "iplb-server-address-allowed")).toEqual(["dns-public", "next-to-172", "public"]);
    expect(detail(diagnostics.find((d) => d.urn?.endsWith("::public"))!)).toBe(
      'HttpFarmServer "public" sends traffic to 203.0.113.10, which is outside the ranges this team allows for servers ' +
        "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8). Use a server inside them, or add its range to allowedCidrs in the policy config.");
  });

  it("uses the team's CIDR list instead, bare addresses counting as /32", async () => {
    const config = { "iplb-server-address-allowed": { allowedCidrs: ["203.0.113.0/28", "198.51.100.53"] } };
    expect(flagged(await analyze([serverAddressAllowed], stack, config), stack, "iplb-server-address-allowed"))
      .toEqual(["loopback", "next-to-172", "private-10", "private-172", "private-192"]);
  });
});

describe("iplb-failover-ip-allowed", () => {
  const attachment = (name: string, ip: string) => handBuilt(TYPES.failoverIpAttachment, name, { serviceName: SERVICE, ip });

  it("refuses every failover IP until the team lists its own, and says so", async () => {
    expect((await analyzeResource([failoverIpAllowed], attachment("vip", "203.0.113.7"))).map(detail)).toEqual([
      'FailoverIpAttachment "vip" routes failover IP 203.0.113.7 to this load balancer, but it is not on this team\'s allowed ' +
        "list (none configured yet). Attaching moves the IP away from wherever it serves traffic now. If it belongs here, " +
        "add it to allowedIps in the policy config.",
    ]);
  });

  it.each([
    ["203.0.113.7", []],
    ["203.0.113.7/32", []],
    ["198.51.100.9", []],
    ["198.51.100.17", ["vip"]],
    ["192.0.2.1", ["vip"]],
  ])("with allowedIps [203.0.113.7, 198.51.100.0/28], %s is flagged on %j", async (ip, expected) => {
    const config = { "iplb-failover-ip-allowed": { allowedIps: ["203.0.113.7", "198.51.100.0/28"] } };
    const diagnostics = await analyzeResource([failoverIpAllowed], attachment("vip", ip), config);
    expect(diagnostics.map((d) => d.urn!.split("::").pop())).toEqual(expected);
  });

  it("judges what the FailoverIpAttachment class registers", async () => {
    const stack = await captureStack(() => {
      new iplb.FailoverIpAttachment("listed", { serviceName: SERVICE, ip: "203.0.113.7" });
      new iplb.FailoverIpAttachment("unlisted", { serviceName: SERVICE, ip: "203.0.113.8/32", takeOver: true });
    });
    const config = { "iplb-failover-ip-allowed": { allowedIps: ["203.0.113.7"] } };
    expect(stack.resources.map((r) => r.type)).toEqual([TYPES.failoverIpAttachment, TYPES.failoverIpAttachment]);
    expect(flagged(await analyze([failoverIpAllowed], stack, config), stack, "iplb-failover-ip-allowed")).toEqual(["unlisted"]);
  });
});

describe("iplb-certificate-domains", () => {
  const certificate = (name: string, fqdn: string[]) => handBuilt(TYPES.freeCertificate, name, { serviceName: SERVICE, fqdn });
  const config = { "iplb-certificate-domains": { allowedDomainSuffixes: ["example.com", "Shop.Example.NET."] } };

  it("refuses every name until the team lists its domains", async () => {
    expect((await analyzeResource([certificateDomains], certificate("www", ["www.example.com"]))).map(detail)).toEqual([
      'FreeCertificate "www" asks OVH for a certificate naming www.example.com, outside the domains this team allows ' +
        "(none configured yet). Remove that name from fqdn, or add the domain to allowedDomainSuffixes in the policy config.",
    ]);
  });

  it("allows the listed domains and names under them, whatever their case, and names every name outside", async () => {
    const ok = certificate("ok", ["example.com", "WWW.Example.com", "a.b.example.com.", "shop.example.net", "eu.shop.example.net"]);
    const bad = certificate("bad", ["www.example.com", "badexample.com", "example.com.evil.org"]);
    expect(await analyzeResource([certificateDomains], ok, config)).toEqual([]);
    expect((await analyzeResource([certificateDomains], bad, config)).map(detail)).toEqual([
      'FreeCertificate "bad" asks OVH for a certificate naming badexample.com, example.com.evil.org, outside the domains this ' +
        "team allows (example.com, shop.example.net). Remove those names from fqdn, or add the domain to allowedDomainSuffixes in the policy config.",
    ]);
  });

  it("judges what the FreeCertificate class registers", async () => {
    const stack = await captureStack(() => {
      new iplb.FreeCertificate("site", { serviceName: SERVICE, fqdn: ["www.example.com", "example.com"] });
      new iplb.FreeCertificate("other", { serviceName: SERVICE, fqdn: ["www.example.org"] });
    });
    expect(flagged(await analyze([certificateDomains], stack, config), stack, "iplb-certificate-domains")).toEqual(["other"]);
  });
});

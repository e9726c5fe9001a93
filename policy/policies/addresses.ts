// Where traffic may go and which names and IPs a stack may claim: server addresses in allowed ranges, failover IPs
// from an allowed list, free-certificate names under allowed domains. Judged on each resource's inputs.
import { resourcePolicy } from "./define";
import { containing, isUnderDomain, normalizeName, parseAll, parseCidr } from "./net";
import { label, SERVER_TYPES, TYPES } from "./resources";
import { str, UNKNOWN } from "./values";

export interface ServerAddressConfig {
  allowedCidrs: string[];
}

/** RFC 1918 private ranges (what a vRack uses) and loopback (where the local emulator's health checks reach test backends). */
export const DEFAULT_SERVER_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8"];

const cidrList = (description: string) => ({
  type: "array" as const,
  items: { type: "string" as const, pattern: "^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$" },
  description,
});

export const serverAddressAllowed = resourcePolicy<ServerAddressConfig>({
  name: "iplb-server-address-allowed",
  description: "Farm servers have addresses inside the CIDR ranges the team allows.",
  enforcementLevel: "mandatory",
  defaults: { allowedCidrs: DEFAULT_SERVER_CIDRS },
  configSchema: { properties: { allowedCidrs: cidrList('IPv4 ranges servers may be in, e.g. ["10.0.0.0/8", "203.0.113.0/24"].') } },
  types: SERVER_TYPES,
  check: (server, config, read, report) => {
    const address = read.get(server.props, "address");
    if (address === UNKNOWN || typeof address !== "string") return;
    const { parsed } = parseAll(config.allowedCidrs, parseCidr);
    const range = parseCidr(address);
    if (range && containing(range, parsed)) return;
    report(
      `${label(server)} sends traffic to ${address}, which is outside the ranges this team allows for servers ` +
        `(${config.allowedCidrs.join(", ") || "none"}). Use a server inside them, or add its range to allowedCidrs in the policy config.`,
    );
  },
});

export interface FailoverIpConfig {
  allowedIps: string[];
}

export const failoverIpAllowed = resourcePolicy<FailoverIpConfig>({
  name: "iplb-failover-ip-allowed",
  description: "Only failover IPs on the team's allowed list are attached to load balancers.",
  enforcementLevel: "mandatory",
  defaults: { allowedIps: [] },
  configSchema: { properties: { allowedIps: cidrList('Failover IPs or blocks this stack may route to a load balancer, e.g. ["203.0.113.7", "198.51.100.0/28"].') } },
  types: [TYPES.failoverIpAttachment],
  check: (attachment, config, read, report) => {
    const ip = read.get(attachment.props, "ip");
    if (ip === UNKNOWN || typeof ip !== "string") return;
    const { parsed } = parseAll(config.allowedIps, parseCidr);
    const range = parseCidr(ip);
    if (range && containing(range, parsed)) return;
    const listed = config.allowedIps.length > 0 ? `(${config.allowedIps.join(", ")})` : "(none configured yet)";
    report(
      `${label(attachment)} routes failover IP ${ip} to this load balancer, but it is not on this team's allowed list ${listed}. ` +
        `Attaching moves the IP away from wherever it serves traffic now. If it belongs here, add it to allowedIps in the policy config.`,
    );
  },
});

export interface CertificateDomainsConfig {
  allowedDomainSuffixes: string[];
}

export const certificateDomains = resourcePolicy<CertificateDomainsConfig>({
  name: "iplb-certificate-domains",
  description: "Free certificates only name hosts under the domains the team allows.",
  enforcementLevel: "mandatory",
  defaults: { allowedDomainSuffixes: [] },
  configSchema: {
    properties: {
      allowedDomainSuffixes: {
        type: "array",
        items: { type: "string", minLength: 1 },
        description: 'Domains whose names (the domain itself and every name under it) certificates may carry, e.g. ["example.com"].',
      },
    },
  },
  types: [TYPES.freeCertificate],
  check: (certificate, config, read, report) => {
    const fqdn = read.get(certificate.props, "fqdn");
    if (!Array.isArray(fqdn)) return;
    // Index by index through the reader: Array methods would read an unknown name through the proxy and throw.
    const names: string[] = [];
    for (let i = 0; i < fqdn.length; i++) {
      const name = str(read.get(fqdn, i));
      if (name !== undefined) names.push(name);
    }
    const outside = names.filter((n) => !config.allowedDomainSuffixes.some((s) => isUnderDomain(n, s)));
    if (outside.length === 0) return;
    const allowed = config.allowedDomainSuffixes.length > 0 ? config.allowedDomainSuffixes.map(normalizeName).join(", ") : "none configured yet";
    report(
      `${label(certificate)} asks OVH for a certificate naming ${outside.join(", ")}, outside the domains this team allows (${allowed}). ` +
        `Remove ${outside.length > 1 ? "those names" : "that name"} from fqdn, or add the domain to allowedDomainSuffixes in the policy config.`,
    );
  },
});

// Custom certificates (SslCertificate), judged on the program's inputs: the PEMs it uploads, and its private key.
//
// Expiry is each certificate's notAfter, read with Node's X509Certificate: the certificate's and that of every
// certificate of `chain` (an expired intermediate breaks the clients that need it as surely as an expired leaf). A
// PEM that does not parse is left to check(), which refuses it by name (provider/models/sslCertificate.ts).
//
// Free certificates (FreeCertificate) are left out. OVH orders and renews them itself, so a near expiry is routine; a
// resource policy sees only inputs, where there is no expireDate; and the expireDate a stack policy would see is the
// one read at the last `up` or `refresh`, older than any renewal OVH made since. getSslCertificates reads it live.
import { X509Certificate } from "crypto";
import { Secret, type ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "./define";
import { label, TYPES } from "./resources";
import { Reader } from "./values";

const DAY_MS = 24 * 60 * 60 * 1000;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

interface Validity {
  /** `the certificate`, `certificate 2 of the chain`. */
  what: string;
  field: "certificate" | "chain";
  subject: string;
  notAfter: Date;
}

/** `CN=www.example.com`, or the whole subject on one line when it has no common name. */
function subjectOf(cert: X509Certificate): string {
  const lines = cert.subject.split("\n").filter((l) => l !== "");
  return lines.find((l) => l.startsWith("CN=")) ?? lines.join(", ");
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The certificate and the chain's certificates that are known and parse, with their notAfter. */
function validities(props: Record<string, unknown>, read: Reader): Validity[] {
  const blocks = (field: "certificate" | "chain") => {
    const pem = read.get(props, field);
    return typeof pem === "string" ? pem.match(CERTIFICATE_BLOCK) ?? [] : [];
  };
  const found: Validity[] = [];
  const add = (pem: string, what: string, field: Validity["field"]) => {
    const cert = parse(pem);
    if (cert) found.push({ what, field, subject: subjectOf(cert), notAfter: new Date(cert.validTo) });
  };
  const [leaf] = blocks("certificate");
  if (leaf) add(leaf, "the certificate", "certificate");
  blocks("chain").forEach((pem, i) => add(pem, `certificate ${i + 1} of the chain`, "chain"));
  return found;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const fixOf = (v: Validity) =>
  v.field === "certificate" ? "Put the renewed certificate in `certificate` and its key in `key`" : "Put the renewed intermediate in `chain`";

export const certificateExpired = resourcePolicy<Record<string, never>>({
  name: "iplb-certificate-expired",
  description: "Custom certificates (SslCertificate), and the certificates of their chain, have not expired.",
  enforcementLevel: "mandatory",
  defaults: {},
  types: [TYPES.sslCertificate],
  check: (certificate, _config, read, report) => {
    for (const v of validities(certificate.props, read).filter((x) => x.notAfter.getTime() <= Date.now())) {
      report(
        `${label(certificate)}: ${v.what} (${v.subject}) expired on ${day(v.notAfter)}, so clients refuse the connections that ` +
          `use it. ${fixOf(v)}: the new certificate is uploaded first and the frontends move to it.`,
      );
    }
  },
});

export interface CertificateExpiringConfig {
  days: number;
}

export const certificateExpiring = resourcePolicy<CertificateExpiringConfig>({
  name: "iplb-certificate-expiring",
  description: "Custom certificates (SslCertificate), and the certificates of their chain, are valid for at least N more days.",
  enforcementLevel: "advisory",
  defaults: { days: 30 },
  configSchema: { properties: { days: { type: "integer", minimum: 1, description: "How many days ahead of an expiry to warn." } } },
  types: [TYPES.sslCertificate],
  check: (certificate, config, read, report) => {
    const now = Date.now();
    const soon = validities(certificate.props, read).filter((v) => v.notAfter.getTime() > now && v.notAfter.getTime() <= now + config.days * DAY_MS);
    for (const v of soon) {
      const left = Math.floor((v.notAfter.getTime() - now) / DAY_MS);
      const when = left === 0 ? "in less than a day" : `in ${left} day${left > 1 ? "s" : ""}`;
      report(
        `${label(certificate)}: ${v.what} (${v.subject}) expires on ${day(v.notAfter)}, ${when} ` +
          `(this team warns ${config.days} days ahead). ${fixOf(v)} before then: the new certificate is uploaded first and the ` +
          `frontends move to it, so clients see no gap.`,
      );
    }
  },
});

/**
 * The key as a Pulumi secret, so that the state keeps it encrypted. A remediation, because only a remediation can tell:
 * @pulumi/policy hands validations (Analyze, AnalyzeStack) their props with every secret unwrapped (server.js
 * deserializeProperties(..., false)), while Remediate gets them with secrets kept (`true`: a secret is a `Secret`
 * under the props proxy, which has no getOwnPropertyDescriptor trap). The engine sends Remediate the inputs with
 * secrets and takes back a `Secret` as a secret (pulumi/pulumi analyzer_plugin.go Remediate, KeepSecrets), before
 * Analyze and before the step, in preview and update alike (step_generator.go).
 *
 * The SslCertificate class registers its key as a secret whatever it is given, so this only acts on registrations
 * that bypass it: a raw `pulumi.dynamic.Resource` with this package's provider, or a resource transform that rebuilds
 * the props with a plain key. Configured as mandatory or advisory it does nothing: there is no validation to run.
 */
export const certificateKeySecret: ResourceValidationPolicy = {
  name: "iplb-certificate-key-secret",
  description: "The private key of a custom certificate (SslCertificate) is a Pulumi secret, encrypted in the state.",
  enforcementLevel: "remediate",
  remediateResource: (args) => {
    if (args.type !== TYPES.sslCertificate) return undefined;
    const key: unknown = Object.getOwnPropertyDescriptor(args.props, "key")?.value;
    if (key === undefined || key === null || key instanceof Secret) return undefined;
    // Set through the props proxies, which keep the other secrets (the certificate's, if it was one) as they are.
    args.props.key = new Secret(key);
    return args.props;
  },
};

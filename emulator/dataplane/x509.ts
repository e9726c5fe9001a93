/**
 * The data plane's certificate authority and the certificates it issues (RFC 5280 profile, EC P-256, ecdsa-with-SHA256).
 *
 * Why its own CA: the bundled one (emulator/certs) had its private key discarded once it signed the API's certificate
 * (emulator/certs/README.md), so nothing more can be signed under it. This CA is made when the data plane starts, its
 * key stays in memory and dies with the process; clients trust it through the control surface
 * (`GET /_emulator/data-plane/ca.pem`, control.ts). Certificates carry the names they are for as subjectAltName
 * (RFC 2818: clients check those, not the CN).
 */
import { createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign } from "crypto";
import { isIP } from "net";
import * as der from "./der";

const EC_P256 = { namedCurve: "prime256v1" } as const;
const ECDSA_SHA256 = der.sequence(der.oid("1.2.840.10045.4.3.2"));
const HOUR_MS = 3_600_000;

export interface Issued {
  /** PEM of the certificate. */
  cert: string;
  /** PEM (PKCS#8) of its private key: kept by the data plane, never in an API answer or the state file. */
  key: string;
}

export interface Authority {
  certPem: string;
  issue(names: readonly string[], days: number): Issued;
}

const commonName = (cn: string): Buffer => der.sequence(der.set(der.sequence(der.oid("2.5.4.3"), der.utf8String(cn))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** subjectAltName: dNSName [2] for names, iPAddress [7] (4 bytes) for IPv4 literals. */
function altNames(names: readonly string[]): Buffer {
  const entries = names.map((n) =>
    isIP(n) === 4 ? der.implicitPrimitive(7, Buffer.from(n.split(".").map(Number))) : der.implicitPrimitive(2, Buffer.from(n, "ascii")));
  return extension("2.5.29.17", false, der.sequence(...entries));
}

function extensions(isCa: boolean, names: readonly string[]): Buffer {
  // keyUsage bits: digitalSignature (0) for a server, keyCertSign (5) + cRLSign (6) for the CA.
  const keyUsage = der.bitString(Buffer.from([isCa ? 0x06 : 0x80]), isCa ? 1 : 7);
  const list = [extension("2.5.29.19", true, der.sequence(...(isCa ? [der.boolean(true)] : []))), extension("2.5.29.15", true, keyUsage)];
  if (!isCa) list.push(extension("2.5.37", false, der.sequence(der.oid("1.3.6.1.5.5.7.3.1"))), altNames(names));
  return der.explicit(3, der.sequence(...list));
}

interface Subject {
  name: Buffer;
  publicKey: KeyObject;
  isCa: boolean;
  altNames: readonly string[];
  days: number;
}

/** tbsCertificate signed by `issuerKey`, as PEM. */
function certificate(subject: Subject, issuer: { name: Buffer; key: KeyObject }): string {
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive, and at most 20 octets (RFC 5280 4.1.2.2)
  const now = Date.now();
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(serial),
    ECDSA_SHA256,
    issuer.name,
    der.sequence(der.time(new Date(now - HOUR_MS)), der.time(new Date(now + subject.days * 24 * HOUR_MS))),
    subject.name,
    subject.publicKey.export({ type: "spki", format: "der" }),
    extensions(subject.isCa, subject.altNames),
  );
  const signature = sign("sha256", tbs, issuer.key); // DER-encoded ECDSA signature, as X.509 wants it
  const body = der.sequence(tbs, ECDSA_SHA256, der.bitString(signature)).toString("base64");
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** A fresh CA (10 years) and the function that issues server certificates under it. */
export function createAuthority(label: string): Authority {
  const ca = generateKeyPairSync("ec", EC_P256);
  const caName = commonName(`${label} data-plane CA`);
  const certPem = certificate({ name: caName, publicKey: ca.publicKey, isCa: true, altNames: [], days: 3650 }, { name: caName, key: ca.privateKey });
  return {
    certPem,
    issue(names, days) {
      const leaf = generateKeyPairSync("ec", EC_P256);
      const cert = certificate({ name: commonName(names[0]), publicKey: createPublicKey(leaf.privateKey), isCa: false, altNames: names, days }, { name: caName, key: ca.privateKey });
      return { cert, key: leaf.privateKey.export({ type: "pkcs8", format: "pem" }) as string };
    },
  };
}

/**
 * Key material of the load balancer's certificates, kept in the data plane's memory only: never in an API answer
 * (the `Ssl` model has no PEM fields) and never in the state file (which holds no secret, handlers/ssl.ts).
 * - Custom certificates: the API validates the uploaded certificate, key and chain and keeps none of them
 *   (handlers/ssl.ts); with the data plane on, it hands them here so a TLS frontend can serve them.
 * - Free certificates (`built`): issued by the data plane's CA (x509.ts) when the order is delivered, for the ordered
 *   names, so the API's subject, san, serial, fingerprint and expireDate describe the certificate frontends serve.
 * - After a restart from a state file nothing is kept: a `built` certificate is issued again from its `san` when a
 *   frontend first needs it (same names, new key and fingerprint); a custom one has no key until uploaded again, and
 *   frontends serve the emulator's fallback certificate in its place.
 * - The fallback certificate (names `localhost` and `127.0.0.1`) is what a TLS frontend serves when it has no
 *   usable certificate: OVH's behaviour for a TLS frontend without `defaultSslId` is not documented.
 */
import { FREE_CERTIFICATE_DAYS } from "../handlers/ssl";
import type { Model } from "../store";
import { type Authority, createAuthority } from "./x509";

export interface KeyMaterial {
  cert: string;
  key: string;
  chain?: string;
}

const FALLBACK_DAYS = 3650;

export class CertificateStore {
  readonly authority: Authority;
  private readonly material = new Map<number, KeyMaterial>();
  private fallbackMaterial?: KeyMaterial;

  constructor(label: string) {
    this.authority = createAuthority(label);
  }

  keep(id: number, material: KeyMaterial): void {
    // A new object: TLS contexts are cached per material object (tls.ts), so a replaced certificate gets a new one.
    this.material.set(id, { ...material });
  }

  /** Issues the certificate of a delivered free-certificate order; returns its PEM. */
  issue(id: number, names: readonly string[], days: number): string {
    const issued = this.authority.issue(names, days);
    this.keep(id, issued);
    return issued.cert;
  }

  forget(id: number): void {
    this.material.delete(id);
  }

  /** The material of certificate `id` (its API model is `ssl`): kept, or issued now for a built one (see above). */
  materialFor(id: number, ssl: Model | undefined): KeyMaterial | undefined {
    const kept = this.material.get(id);
    if (kept || !ssl) return kept;
    const names = Array.isArray(ssl.san) ? (ssl.san as string[]) : [];
    if ((ssl.type === "built" || ssl.type === "built_not_routed") && names.length > 0) {
      this.issue(id, names, FREE_CERTIFICATE_DAYS);
      return this.material.get(id);
    }
    return undefined;
  }

  fallback(): KeyMaterial {
    this.fallbackMaterial ??= this.authority.issue(["localhost", "127.0.0.1"], FALLBACK_DAYS);
    return this.fallbackMaterial;
  }
}

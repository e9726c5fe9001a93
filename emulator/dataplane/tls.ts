/**
 * TLS termination for frontends with `ssl: true` ("SSL deciphering", schema), on the accepted socket.
 * Which certificate: the routes guide says "all of the certificates are automatically available for all of the
 * front-ends", so a client's SNI name picks the service's certificate whose subjectAltName covers it (a `*.` name
 * covers one label; the frontend's own `defaultSslId` first when it covers the name, else the lowest id); without SNI,
 * or when none covers the name, the frontend's `defaultSslId` ("Default ssl served to your customer", schema), else
 * the emulator's fallback certificate (certificates.ts). Certificates without key material are skipped.
 * The service's `sslConfiguration` (intermediate/modern cipher sets) is not applied: Node's defaults are used.
 */
import * as net from "net";
import * as tls from "tls";
import type { Model } from "../store";
import type { KeyMaterial } from "./certificates";
import type { Plane } from "./plane";

const contexts = new WeakMap<KeyMaterial, tls.SecureContext>();

function contextOf(material: KeyMaterial): tls.SecureContext {
  let context = contexts.get(material);
  if (!context) {
    context = tls.createSecureContext({ cert: material.chain ? `${material.cert.trim()}\n${material.chain}` : material.cert, key: material.key });
    contexts.set(material, context);
  }
  return context;
}

/** Whether a certificate name (`www.example.com`, `*.example.com`) covers `host`. */
export function covers(name: string, host: string): boolean {
  const [n, h] = [name.toLowerCase(), host.toLowerCase()];
  if (!n.startsWith("*.")) return n === h;
  const dot = h.indexOf(".");
  return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

function sslTable(plane: Plane): Record<string, Model> {
  return plane.rt.store.service(plane.serviceName)?.ssl ?? {};
}

function material(plane: Plane, id: unknown): KeyMaterial | undefined {
  if (typeof id !== "number") return undefined;
  return plane.certificates.materialFor(id, sslTable(plane)[id]);
}

/** The material served for `servername` (undefined: no SNI) on a frontend whose default certificate is `defaultSslId`. */
export function materialFor(plane: Plane, defaultSslId: unknown, servername: string | undefined): KeyMaterial {
  if (servername) {
    const table = sslTable(plane);
    const ids = Object.keys(table).map(Number).sort((a, b) => (a === defaultSslId ? -1 : b === defaultSslId ? 1 : a - b));
    for (const id of ids) {
      const names = Array.isArray(table[id].san) ? (table[id].san as string[]) : [];
      const found = names.some((n) => covers(n, servername)) ? material(plane, id) : undefined;
      if (found) return found;
    }
  }
  return material(plane, defaultSslId) ?? plane.certificates.fallback();
}

/** Wraps an accepted socket in server-side TLS; `secure` runs once the handshake is done. Handshake errors close it. */
export function terminate(plane: Plane, frontend: Model, socket: net.Socket, secure: (tlsSocket: tls.TLSSocket) => void): tls.TLSSocket {
  const tlsSocket = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext: contextOf(materialFor(plane, frontend.defaultSslId, undefined)),
    SNICallback: (servername, done) => {
      try {
        done(null, contextOf(materialFor(plane, frontend.defaultSslId, servername)));
      } catch (e) {
        done(e as Error);
      }
    },
  });
  tlsSocket.on("error", () => socket.destroy());
  tlsSocket.once("secure", () => secure(tlsSocket));
  return tlsSocket;
}

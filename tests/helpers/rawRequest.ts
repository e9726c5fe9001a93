/**
 * A raw HTTPS call to the emulator, signed here (not with the emulator's own code) with the formula every OVH client
 * uses (ovh-iplb-api.md 1.4). Lets tests do what node-ovh cannot: sign the URL with the port in it (as go-ovh and
 * python-ovh do), send a body other than the signed one, and read response headers such as `Retry-After`.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { Emulator } from "./emulator";

export interface RawOptions {
  method: string;
  /** Path after the base path, e.g. `/ipLoadbalancing` (query string included if any). */
  path: string;
  /** Body sent on the wire. */
  body?: string;
  /** Body used in the signature (defaults to `body`); differ to simulate tampering. */
  signedBody?: string;
  /** Host part of the signed URL: node-ovh signs `127.0.0.1`, go-ovh `127.0.0.1:<port>`. */
  signedHost?: string;
  /** Leave out every authentication header. */
  unsigned?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function ovhSignature(secret: string, consumerKey: string, method: string, url: string, body: string, timestamp: string): string {
  return "$1$" + createHash("sha1").update([secret, consumerKey, method, url, body, timestamp].join("+")).digest("hex");
}

export function rawRequest(emu: Emulator, options: RawOptions): Promise<RawResponse> {
  const body = options.body ?? "";
  const target = emu.basePath + options.path;
  const timestamp = String(Math.round(Date.now() / 1000));
  const url = `https://${options.signedHost ?? emu.host}${target}`;
  const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) };
  if (!options.unsigned) {
    Object.assign(headers, {
      "X-Ovh-Application": emu.applicationKey,
      "X-Ovh-Consumer": emu.consumerKey,
      "X-Ovh-Timestamp": timestamp,
      "X-Ovh-Signature": ovhSignature(emu.applicationSecret, emu.consumerKey, options.method, url, options.signedBody ?? body, timestamp),
    });
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: emu.host, port: emu.port, path: target, method: options.method, headers, ca: fs.readFileSync(emu.caFile), agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

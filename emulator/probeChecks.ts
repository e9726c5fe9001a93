/**
 * One health check against one loopback backend, reported the way HAProxy reports it (the LB instances run HAProxy):
 * `checkStatus` L4OK / L4CON (refused, unreachable) / L4TOUT, L6OK / L6RSP / L6TOUT (TLS), L7OK / L7STS (wrong status) /
 * L7RSP (invalid or non-matching response) / L7TOUT; `checkCode` = the layer 7 code (HTTP or SMTP status) when there
 * is one; `content` = the reason phrase or the error text.
 *
 * Probe semantics follow the OVH probes guide (pages/network/load_balancer/create_probes): `tcp` connects and, with
 * `contains`/`matches`, checks the banner; `http` sends `OPTIONS /` in HTTP/1.0 without Host by default, HTTP/1.1 with
 * Host when `url` names a host; `default` accepts any 2xx/3xx (HAProxy's `option httpchk` rule); `status` takes a
 * comma-separated list of codes; `contains`/`matches` look at the first 16 KB of the body; `negate` inverts the match.
 * `smtp` sends `HELO localhost` and wants a 2xx reply; `mysql` wants a protocol-10 greeting; `pgsql` wants an
 * authentication request to a startup message; `oco` (port 79) wants a reply starting with `2`. TLS never verifies certificates.
 */
import * as net from "net";
import * as tls from "tls";

export interface ProbeConfig {
  type: string;
  method: string;
  /** Path sent in the request line. */
  path: string;
  /** Host header; null sends HTTP/1.0 without Host. */
  host: string | null;
  match: string;
  pattern: string;
  negate: boolean;
}

export interface CheckTarget {
  address: string;
  port: number;
  tls: boolean;
  probe: ProbeConfig;
  timeoutMs: number;
}

export interface CheckResult {
  ok: boolean;
  checkStatus: string;
  checkCode: string | null;
  content: string | null;
}

const BODY_LIMIT = 16 * 1024;

const result = (ok: boolean, checkStatus: string, content: string | null, checkCode: string | null = null): CheckResult => ({ ok, checkStatus, checkCode, content });

/** A regex/substring test on text, inverted by `negate`. */
function matchText(probe: ProbeConfig, text: string): boolean {
  let found: boolean;
  try {
    found = probe.match === "matches" ? new RegExp(probe.pattern).test(text) : text.includes(probe.pattern);
  } catch {
    found = false;
  }
  return found !== probe.negate;
}

/**
 * The check conversation once connected: it receives everything read so far and whether the peer closed, and
 * returns a result when it can decide (undefined = wait for more). `start` and `decide` may write to the peer.
 */
type Send = (data: string | Buffer) => void;

interface Dialogue {
  start(send: Send): void;
  decide(data: Buffer, ended: boolean, send: Send): CheckResult | undefined;
  /** What to report when the timeout fires after the connection is up. */
  timeout(data: Buffer): CheckResult;
}

const l7Timeout = (): CheckResult => result(false, "L7TOUT", "Layer7 timeout");

function tcpDialogue(probe: ProbeConfig): Dialogue | undefined {
  if (probe.match !== "contains" && probe.match !== "matches") return undefined;
  const judge = (data: Buffer) => {
    const ok = matchText(probe, data.subarray(0, BODY_LIMIT).toString("latin1"));
    return ok ? result(true, "L7OK", "TCP content check matched") : result(false, "L7RSP", probe.negate ? "TCP check matched unwanted content" : "TCP content check did not match");
  };
  return {
    start: () => undefined,
    decide: (data, ended) => {
      if (data.length === 0) return ended ? result(false, "L7RSP", "Connection closed without a banner") : undefined;
      const verdict = judge(data);
      // Until the peer closes, a plain match can still appear and a negated one can still be spoiled.
      return !ended && data.length < BODY_LIMIT && verdict.ok === probe.negate ? undefined : verdict;
    },
    timeout: (data) => (data.length === 0 ? l7Timeout() : judge(data)),
  };
}

function httpDialogue(probe: ProbeConfig): Dialogue {
  const needsBody = probe.match === "contains" || probe.match === "matches";
  const judge = (data: Buffer, complete: boolean): CheckResult | undefined => {
    const text = data.toString("latin1");
    const lineEnd = text.indexOf("\r\n");
    if (lineEnd < 0) return complete ? result(false, "L7RSP", data.length === 0 ? "Empty response" : "Invalid HTTP response") : undefined;
    const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(text.slice(0, lineEnd));
    if (!status) return result(false, "L7RSP", "Invalid HTTP response");
    const [code, reason = ""] = [status[1], status[2] ?? ""];
    if (probe.match === "status") {
      const listed = probe.pattern.split(",").map((c) => c.trim()).includes(code);
      return listed !== probe.negate ? result(true, "L7OK", reason, code) : result(false, "L7STS", reason, code);
    }
    if (!needsBody) return /^[23]/.test(code) ? result(true, "L7OK", reason, code) : result(false, "L7STS", reason, code);
    const headerEnd = text.indexOf("\r\n\r\n");
    const body = headerEnd < 0 ? "" : text.slice(headerEnd + 4, headerEnd + 4 + BODY_LIMIT);
    if (!complete && body.length < BODY_LIMIT) return undefined;
    return matchText(probe, body)
      ? result(true, "L7OK", "HTTP content check matched", code)
      : result(false, "L7RSP", probe.negate ? "HTTP check matched unwanted content" : "HTTP content check did not match", code);
  };
  return {
    start: (send) => {
      const version = probe.host === null ? "HTTP/1.0" : "HTTP/1.1";
      const host = probe.host === null ? "" : `Host: ${probe.host}\r\n`;
      send(`${probe.method} ${probe.path} ${version}\r\n${host}Connection: close\r\nUser-Agent: OVHcloud-IPLB-probe\r\n\r\n`);
    },
    decide: (data, ended) => judge(data, ended),
    timeout: (data) => (data.indexOf("\r\n") < 0 ? l7Timeout() : judge(data, true) ?? l7Timeout()),
  };
}

/** Reads one reply line and judges it by its leading digit (`smtp` after HELO, `oco`). */
function codeDialogue(kind: "smtp" | "oco"): Dialogue {
  let helloSent = false;
  let greetingEnd = 0;
  return {
    start: () => undefined,
    decide(data, ended, send) {
      const text = data.toString("latin1");
      if (kind === "smtp" && !helloSent) {
        const lineEnd = text.indexOf("\n");
        if (lineEnd < 0) return ended ? result(false, "L7RSP", "Connection closed without a banner") : undefined;
        if (!text.startsWith("2")) return result(false, "L7STS", text.slice(0, lineEnd).trim(), text.slice(0, 3));
        helloSent = true;
        greetingEnd = lineEnd + 1;
        send("HELO localhost\r\n");
        return undefined;
      }
      const reply = text.slice(greetingEnd);
      const lineEnd = reply.indexOf("\n");
      if (lineEnd < 0 && !ended) return undefined;
      const line = (lineEnd < 0 ? reply : reply.slice(0, lineEnd)).trim();
      if (line.length === 0) return result(false, "L7RSP", "Empty response");
      const code = kind === "smtp" ? line.slice(0, 3) : null;
      return line.startsWith("2") ? result(true, "L7OK", line, code) : result(false, "L7STS", line, code);
    },
    timeout: l7Timeout,
  };
}

function mysqlDialogue(): Dialogue {
  return {
    start: () => undefined,
    decide: (data, ended) => {
      if (data.length < 5) return ended ? result(false, "L7RSP", "Connection closed before the greeting") : undefined;
      if (data[4] !== 0x0a) return result(false, "L7RSP", data[4] === 0xff ? "MySQL error packet" : "Invalid MySQL greeting");
      const end = data.indexOf(0, 5);
      return result(true, "L7OK", data.subarray(5, end < 0 ? undefined : end).toString("latin1"));
    },
    timeout: l7Timeout,
  };
}

function pgsqlDialogue(): Dialogue {
  const params = Buffer.from("user\0ovh\0database\0ovh\0\0");
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4);
  return {
    start: (send) => send(Buffer.concat([startup, params])),
    decide: (data, ended) => {
      if (data.length === 0) return ended ? result(false, "L7RSP", "Connection closed") : undefined;
      const kind = String.fromCharCode(data[0]);
      return kind === "R" ? result(true, "L7OK", "PostgreSQL server is ok") : result(false, "L7RSP", kind === "E" ? "PostgreSQL error" : "Invalid PostgreSQL response");
    },
    timeout: l7Timeout,
  };
}

function dialogueFor(probe: ProbeConfig): Dialogue | undefined {
  switch (probe.type) {
    case "http":
      return httpDialogue(probe);
    case "smtp":
    case "oco":
      return codeDialogue(probe.type);
    case "mysql":
      return mysqlDialogue();
    case "pgsql":
      return pgsqlDialogue();
    default:
      return tcpDialogue(probe);
  }
}

/** Runs one check. Every socket it opens is added to `sockets` and removed when done, so the caller can abort all. */
export function runCheck(target: CheckTarget, sockets: Set<net.Socket>): Promise<CheckResult> {
  return new Promise((resolve) => {
    const dialogue = dialogueFor(target.probe);
    let phase: "L4" | "L6" | "L7" = "L4";
    let data = Buffer.alloc(0);
    let done = false;
    const raw = net.connect({ host: target.address, port: target.port });
    sockets.add(raw);
    let stream: net.Socket | tls.TLSSocket = raw;
    const finish = (r: CheckResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sockets.delete(raw);
      stream.destroy();
      raw.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => {
      if (phase === "L4") finish(result(false, "L4TOUT", "Layer4 timeout"));
      else if (phase === "L6") finish(result(false, "L6TOUT", "Layer6 timeout"));
      else finish(dialogue ? dialogue.timeout(data) : l7Timeout());
    }, target.timeoutMs);
    timer.unref();
    const converse = () => {
      if (!dialogue) return finish(result(true, target.tls ? "L6OK" : "L4OK", null));
      phase = "L7";
      const send: Send = (chunk) => void stream.write(chunk);
      stream.on("data", (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]).subarray(0, 2 * BODY_LIMIT + 8192);
        const r = dialogue.decide(data, false, send);
        if (r) finish(r);
      });
      stream.on("end", () => finish(dialogue.decide(data, true, send) ?? result(false, "L7RSP", "Connection closed")));
      dialogue.start(send);
    };
    raw.on("error", (err: NodeJS.ErrnoException) => {
      if (phase === "L4") finish(result(false, "L4CON", err.code === "ECONNREFUSED" ? "Connection refused" : err.message));
      else if (phase === "L7") finish(result(false, "L7RSP", err.message));
    });
    // Also reached when the prober is closed and destroys the socket: the promise always settles.
    raw.on("close", () => {
      if (phase === "L4") finish(result(false, "L4CON", "Connection closed"));
      else if (phase === "L6") finish(result(false, "L6RSP", "Connection closed during the TLS handshake"));
      else finish((dialogue && dialogue.decide(data, true, () => undefined)) ?? result(false, "L7RSP", "Connection closed"));
    });
    raw.once("connect", () => {
      if (!target.tls) return converse();
      phase = "L6";
      const sni = target.probe.host?.replace(/:\d+$/, "");
      const secure = tls.connect({ socket: raw, rejectUnauthorized: false, servername: sni && net.isIP(sni) === 0 ? sni : undefined });
      stream = secure;
      secure.on("error", (err) => finish(result(false, phase === "L6" ? "L6RSP" : "L7RSP", err.message)));
      secure.once("secureConnect", converse);
    });
  });
}

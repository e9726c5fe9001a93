/**
 * A certificate's private key stays a secret (issue 15): a program passes `key` as a plain string; through the real
 * dynamic-provider host process, the key is nowhere in clear except where it must be. In the state (inputs and outputs
 * of every resource), it appears only inside a secret wrapper (what the CLI encrypts): the SDK registers it as a
 * secret, the provider returns no `key` output. Not in any error of a failing check (a key of another certificate) or
 * of a refused upload (the same certificate twice), not in what the host process printed, not in the program's stack
 * outputs. The grep is shown to work: it finds the key in the emulator's request log (the POST body OVH must get).
 *
 * Not proven here: what the CLI and the state backend do with secrets (encryption is theirs; tests/engine/ runs the CLI
 * for the credentials), and a key in OVH's own error messages (the emulator never echoes it; the provider's scrubbing
 * of a quoted key, `redactKey`, is shown in tests/unit/sslCertificate.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { SslCertificate } from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { HostDriver, startHost } from "../helpers/hostDriver";
import { isSecret, MiniEngine } from "../helpers/miniEngine";
import { REPO_ROOT, runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, failureOf } from "../provider/support";

const pem = (name: string) => fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "certs", name), "utf8");
const [WWW, WWW_KEY, API_KEY, CA] = ["www.pem", "www.key", "api.key", "ca.pem"].map(pem);

let emu: Emulator;
let host: HostDriver;
const seen: { where: string; text: string }[] = [];
const collect = (where: string, value: unknown) => seen.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });

/** The key in clear: its PEM markers or any line of its body. */
const keyLines = (key: string) => key.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----"));
const holdsKey = (text: string) => text.includes("PRIVATE KEY-----") || [...keyLines(WWW_KEY), ...keyLines(API_KEY)].some((l) => text.includes(l));

/** A value with every secret wrapper replaced by a marker: what stays in clear in a state file. */
function clearPart(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(clearPart);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clearPart(v)]));
  return value;
}

const opts = () => ({ project: "proj", stack: "dev", config: { ...emulatorSettings(emu), "ovh-iplb:retryBaseMs": "5" } });
const program = (args: { key: string; displayName: string; name?: string }) => () => {
  const cert = new SslCertificate(args.name ?? "www", { serviceName: emu.serviceName, certificate: WWW, key: args.key, chain: CA, displayName: args.displayName });
  return { sslId: cert.sslId };
};

beforeAll(async () => {
  emu = await startTestEmulator({});
  host = await startHost({ cwd: REPO_ROOT, project: "proj" });
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("an SslCertificate's key through the real host", () => {
  const engine = () => shared;
  let shared: MiniEngine;
  beforeAll(() => {
    shared = new MiniEngine(host);
  });

  function collectState(where: string): void {
    for (const r of engine().state.values()) {
      if (r.type !== "pulumi-nodejs:dynamic/iplb:SslCertificate") continue;
      expect(isSecret(r.inputs.key)).toBe(true); // kept, as a secret: what the CLI encrypts
      expect(r.outputs).not.toHaveProperty("key");
      collect(`${where}: state of ${r.name} (secrets masked)`, clearPart(r));
    }
    collect(`${where}: stack outputs`, engine().stackOutputs);
  }

  it("creates with the key as a plain string, then renames, and the key is a secret in the state", async () => {
    const outputs = await runWithMocks(engine(), program({ key: WWW_KEY, displayName: "www" }), opts());
    expect(outputs.sslId).toEqual(expect.any(Number));
    collectState("create");
    await runWithMocks(engine(), program({ key: WWW_KEY, displayName: "www-2" }), opts());
    expect(engine().steps.map((s) => `${s.op} ${s.name}`)).toEqual(["update www"]);
    collectState("update");
  });

  it("a key of another certificate fails check, naming the field, not the key", async () => {
    const e = await failureOf(runWithMocks(new MiniEngine(host), program({ key: API_KEY, displayName: "x", name: "bad" }), opts()));
    expect(e.message).toContain("key: does not match the certificate");
    collect("check failure", { message: e.message, stack: e.stack, cause: e.cause });
  });

  it("a refused upload (the same certificate again) fails naming the call, not the key", async () => {
    const e = await failureOf(runWithMocks(new MiniEngine(host), program({ key: WWW_KEY, displayName: "twin", name: "twin" }), opts()));
    expect(e.message).toMatch(/SslCertificate: uploading the certificate failed: OVH API POST \S+ failed: 409/);
    collect("refused upload", { message: e.message, stack: e.stack, cause: e.cause });
  });

  it("is nowhere in clear: masked state, stack outputs, errors, host output; but in the request log (the grep works)", () => {
    collect("host stdout+stderr", host.output);
    expect(holdsKey(JSON.stringify(emu.requests))).toBe(true);
    expect(holdsKey(JSON.stringify([...engine().state.values()]))).toBe(true); // inside the secret wrapper only
    const sources = new Set(seen.map((s) => s.where.split(":")[0]));
    expect([...sources].sort()).toEqual(["check failure", "create", "host stdout+stderr", "refused upload", "update"]);
    expect(seen.filter((s) => holdsKey(s.text)).map((s) => s.where)).toEqual([]);
  });
});

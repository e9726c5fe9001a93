/**
 * `ovh-iplb access-rules <serviceName>` against what the package really calls: every family's create, diff, update,
 * read and delete (and the Refresh batch, a refused write's explanation, a failover IP's move and park, a certificate's
 * order) run against the emulator with its all-powerful key, then every request the emulator received must be granted
 * by a printed rule, as the emulator's own matcher (emulator/accessRules.ts, not the provider's) reads them. A new call
 * without its rule in provider/accessRules.ts fails here, listing the calls no rule grants. The same for `--read-only`
 * against `ovh-iplb status` and the functions. The vRack family runs on a load balancer attached to a vRack, where
 * farms need a vrackNetworkId. Also: the printed body of POST /auth/credential, and bad arguments.
 * Not proven here: that the real API matches rules as the emulator does (`*` inside a path).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";
import { type AccessRule, ruleGrants } from "../../emulator/accessRules";
import { DEFAULT_SERVICE } from "../../emulator/seed";
import * as health from "../../reads/health";
import { getFailoverIps } from "../../reads/failoverIps";
import { getSslCertificate, getSslCertificates } from "../../reads/sslCertificates";
import { getIpLoadBalancing, getIpLoadBalancings } from "../../reads/services";
import { getVrackNetworks } from "../../reads/vrack";
import type { RequestLogEntry } from "../../emulator";
import { apiFor } from "../helpers/liveObjects";
import { configured, farmId, Kind, mark, Props, withEmulator } from "../provider/support";

const SVC = DEFAULT_SERVICE;
/** A scoped key that may read the service itself and nothing under it. */
const SERVICE_ONLY = "ck-acl-service-only-0001";
const PROVIDER_TEXT = "exports.handler = __shim;";
const certPem = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");
/** A custom certificate (tests/fixtures/certs: www issued by ca). */
const CUSTOM_CERTIFICATE = { certificate: certPem("www.pem"), key: certPem("www.key"), chain: certPem("ca.pem") };

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: "", stderr: "" };
  const io = { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: {} };
  const code = await main(args, io);
  return { code, ...out };
}

/** The `METHOD path` lines of the output, as rules, and the request body (its last line). */
function parse(stdout: string): { rules: AccessRule[]; body: Record<string, unknown> } {
  const lines = stdout.trimEnd().split("\n");
  const rules = lines.flatMap((line) => {
    const m = /^(GET|POST|PUT|DELETE) (\/\S*)/.exec(line);
    return m ? [{ method: m[1] as AccessRule["method"], path: m[2] }] : [];
  });
  return { rules, body: JSON.parse(lines[lines.length - 1]) as Record<string, unknown> };
}

/** The requests no rule grants, as `METHOD path` (the open `GET /auth/time` needs none). */
function ungranted(requests: RequestLogEntry[], rules: AccessRule[]): string[] {
  return requests
    .filter((r) => r.path !== "/auth/time" && !rules.some((rule) => ruleGrants(rule, r.method, r.path)))
    .map((r) => `${r.method} ${r.path}`);
}

describe("ovh-iplb access-rules: the output", () => {
  it("prints one rule per line with what needs it, then the POST /auth/credential body holding exactly those rules", async () => {
    const r = await run(["access-rules", SVC]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const { rules, body } = parse(r.stdout);
    expect(body).toEqual({ accessRules: rules });
    expect(rules).toContainEqual({ method: "POST", path: `/ipLoadbalancing/${SVC}/refresh` });
    expect(r.stdout).toMatch(new RegExp(`\\nPOST /ip/\\*/move +# failoverIps\\n`));
    expect(r.stdout).toContain("#   freeCertificates: FreeCertificate\n");
    expect(new Set(rules.map((x) => `${x.method} ${x.path}`)).size).toBe(rules.length);
  });

  it("--read-only prints the GET rules of the functions and status alone; --redirection goes into the body", async () => {
    const r = await run(["access-rules", SVC, "--read-only", "--redirection", "https://example.test/validated"]);
    expect(r.code).toBe(0);
    const { rules, body } = parse(r.stdout);
    expect(rules).toEqual([{ method: "GET", path: `/ipLoadbalancing/${SVC}` }, { method: "GET", path: `/ipLoadbalancing/${SVC}/*` }, { method: "GET", path: "/ipLoadbalancing" }]);
    expect(body).toEqual({ accessRules: rules, redirection: "https://example.test/validated" });
  });

  it("-h prints its usage and exits 0", async () => {
    const r = await run(["access-rules", "-h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: ovh-iplb access-rules <serviceName> [options]");
  });

  test.each([
    [[], "a service name is required: ovh-iplb access-rules <serviceName>"],
    [[SVC, "other"], "unexpected argument: other"],
    [["../ip"], '"../ip" is not a service name (letters, digits, "-", "_" and ".", not starting with "."; e.g. loadbalancer-ab12cd34)'],
    [[SVC, "--write"], "Unknown option '--write'"],
    [[SVC, "--redirection", "example.test"], '--redirection must be an http(s) URL, got "example.test"'],
  ])("refuses bad arguments with the usage and exit code 2: %j", async (args, message) => {
    const r = await run(["access-rules", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ovh-iplb: ${message}`);
    expect(r.stderr).toContain("Usage: ovh-iplb access-rules <serviceName> [options]");
    expect(r.stdout).toBe("");
  });
});

describe("ovh-iplb access-rules: every call the package makes is granted", () => {
  const started = withEmulator({
    refreshSeconds: 0.05, ipTaskSeconds: 0.05, certificateSeconds: 0.05, routedFqdns: ["*.example.com"],
    consumerKeys: [{ consumerKey: SERVICE_ONLY, accessRules: [{ method: "GET", path: `/ipLoadbalancing/${SVC}` }] }],
  });
  const provider = (kind: Kind) => configured(kind, started().emu, { "ovh-iplb:retryBaseMs": "20" });

  /** create, diff, update, read and delete, as the engine would call them. */
  async function lifecycle(kind: Kind, inputs: Props, change: Props): Promise<void> {
    const p = await provider(kind);
    const { id, outs } = await p.create({ ...inputs, __provider: PROVIDER_TEXT });
    const news = { ...inputs, ...change, __provider: PROVIDER_TEXT };
    await p.diff(id, outs, news);
    const { outs: updated } = await p.update(id, outs, news);
    await p.read(id, updated as Props);
    await p.delete(id, updated as Props);
  }

  /** A route's lifecycle, then its rules' (on a route kept meanwhile). */
  async function routeAndRules(type: "Http" | "Tcp", farm: number): Promise<void> {
    await lifecycle(`${type}Route`, { serviceName: SVC, action: { type: "farm", target: String(farm) } }, { weight: 3 });
    const routes = await provider(`${type}Route`);
    const route = await routes.create({ serviceName: SVC, action: { type: "reject" }, __provider: PROVIDER_TEXT });
    const rule = { serviceName: SVC, routeId: Number(String(route.id).split("/").pop()), field: "source", match: "is", pattern: "10.0.0.0/8" };
    await lifecycle(`${type}RouteRule`, rule, { negate: true });
    await routes.delete(route.id, route.outs);
  }

  async function farmsServersFrontends(): Promise<void> {
    for (const [type, port] of [["Http", 80], ["Tcp", 80], ["Udp", 53]] as const) {
      await lifecycle(`${type}Farm`, { serviceName: SVC, zone: "gra", port }, { displayName: "changed" });
      const farms = await provider(`${type}Farm`);
      const farm = await farms.create({ serviceName: SVC, zone: "gra", port, __provider: PROVIDER_TEXT });
      const server = { serviceName: SVC, farmId: farmId(farm.id), address: "192.0.2.31", port, status: "active" };
      await lifecycle(`${type}FarmServer`, server, { weight: 2 });
      await lifecycle(`${type}Frontend`, { serviceName: SVC, zone: "gra", port: String(port), defaultFarmId: farmId(farm.id) }, { displayName: "changed" });
      if (type !== "Udp") await routeAndRules(type, farmId(farm.id));
      await farms.delete(farm.id, farm.outs);
    }
    // A refused write is explained by reading the farms it names.
    await expect((await provider("HttpFrontend")).create({ serviceName: SVC, zone: "gra", port: "80", defaultFarmId: 999999 })).rejects.toThrow(/defaultFarmId/);
  }

  async function refreshBatch(): Promise<void> {
    const marker = { serviceName: SVC, batch: "acl", members: "web" };
    const start = await provider("RefreshStart");
    const { id, outs } = await start.create(marker);
    const member = await (await provider("HttpFarm")).create({ serviceName: SVC, zone: "rbx", port: 80, deferredTo: "acl", __provider: PROVIDER_TEXT });
    await (await provider("RefreshCommit")).create({ ...marker, changes: [member.outs.changeToken] });
    await (await provider("HttpFarm")).delete(member.id, member.outs);
    await start.delete(id, outs);
  }

  /** A refused certificate delete reads the frontends that use it, to name them. */
  async function sslDeleteRefused(): Promise<void> {
    const certs = await provider("SslCertificate");
    const { id, outs } = await certs.create({ serviceName: SVC, ...CUSTOM_CERTIFICATE, __provider: PROVIDER_TEXT });
    const frontends = await provider("HttpFrontend");
    const fe = await frontends.create({ serviceName: SVC, zone: "gra", port: "443", ssl: true, defaultSslId: outs.sslId, __provider: PROVIDER_TEXT });
    await expect(certs.delete(id, outs)).rejects.toThrow(/refuses to delete the certificate while a frontend uses it/);
    await frontends.delete(fe.id, fe.outs);
    await certs.delete(id, outs);
  }

  /** The emulator's JSON line, with `consumerKey`, in a file for `--emulator-json`. */
  function emulatorLine(consumerKey: string): { dir: string; line: string } {
    const { url, caFile, applicationKey, applicationSecret, serviceName } = started().emu;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acl-"));
    const line = path.join(dir, "emulator.json");
    fs.writeFileSync(line, JSON.stringify({ url, caFile, applicationKey, applicationSecret, consumerKey, serviceName }) + "\n");
    return { dir, line };
  }

  it("creating, changing and deleting every family calls nothing outside the printed rules", async () => {
    const { emu } = started();
    const { rules } = parse((await run(["access-rules", SVC])).stdout);
    const from = mark(emu);
    await farmsServersFrontends();
    await refreshBatch();
    await lifecycle("FailoverIpAttachment", { serviceName: SVC, ip: "203.0.113.10" }, { takeOver: true });
    await lifecycle("FreeCertificate", { serviceName: SVC, fqdn: ["www.example.com"] }, {});
    await lifecycle("IpLoadBalancingSettings", { serviceName: SVC, displayName: "acl" }, { sslConfiguration: "modern" });
    await lifecycle("SslCertificate", { serviceName: SVC, ...CUSTOM_CERTIFICATE }, { displayName: "renamed" });
    await sslDeleteRefused();
    const made = emu.requests.slice(from);
    // Each kind of call was made, so the check below covers them all.
    for (const call of [/^POST .*\/route$/, /^POST .*\/route\/\d+\/rule$/, /^PUT .*\/rule\/\d+$/, /^DELETE .*\/rule\/\d+$/, /^PUT .*\/route\/\d+$/, /^DELETE .*\/route\/\d+$/, /^POST .*\/farm$/, /^PUT .*\/server\/\d+$/, /^DELETE .*\/frontend\/\d+$/, /^POST .*\/refresh$/, /^POST \/ip\/.*\/move$/, /^POST \/ip\/.*\/park$/, /^POST .*\/freeCertificate$/, /^DELETE .*\/ssl\/\d+$/, /^POST .*\/ssl$/, /^PUT .*\/ssl\/\d+$/, /^PUT \/ipLoadbalancing\/[^/]+$/]) {
      expect(made.map((r) => `${r.method} ${r.path}`)).toContainEqual(expect.stringMatching(call));
    }
    expect(ungranted(made, rules)).toEqual([]);
  });

  it("`ovh-iplb status` and the functions call nothing outside the --read-only rules", async () => {
    const { emu } = started();
    const { rules } = parse((await run(["access-rules", SVC, "--read-only"])).stdout);
    const farm = await (await provider("HttpFarm")).create({ serviceName: SVC, zone: "gra", port: 80, __provider: PROVIDER_TEXT });
    const id = farmId(farm.id);
    const server = await (await provider("HttpFarmServer")).create({ serviceName: SVC, farmId: id, address: "192.0.2.32", port: 80, status: "active", __provider: PROVIDER_TEXT });
    const { dir, line } = emulatorLine(emu.consumerKey);
    const from = mark(emu);
    try {
      expect((await run(["status", "--emulator-json", line])).code).toBe(0);
      const api = apiFor(emu);
      await health.readServerHealth(api, SVC, "http", id, Number(String(server.id).split("/").pop()));
      await health.readFarmHealth(api, SVC, "http", id);
      await health.readFarmsHealth(api, SVC, await health.listFarms(api, SVC));
      await getFailoverIps(api, { serviceName: SVC });
      await getSslCertificates(api, { serviceName: SVC });
      await expect(getSslCertificate(api, { serviceName: SVC, id: 999999 })).rejects.toThrow("there is no certificate 999999");
      await getIpLoadBalancings(api);
      await getIpLoadBalancing(api, { serviceName: SVC });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const made = emu.requests.slice(from);
    expect(made.filter((r) => r.method !== "GET")).toEqual([]);
    expect(ungranted(made, rules)).toEqual([]);
  });

  it("`ovh-iplb status` with a key lacking a rule names the rule and the command, exit code 2, no credential echoed", async () => {
    const { emu } = started();
    const { dir, line } = emulatorLine(SERVICE_ONLY);
    try {
      const r = await run(["status", "--emulator-json", line]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`failed: 403 This call has not been granted\\. The consumer key \\(ovh:consumerKey or OVH_CONSUMER_KEY\\) lacks the access rule GET /ipLoadbalancing/${SVC}/\\*; `));
      expect(r.stderr).toContain(`\`ovh-iplb access-rules ${SVC}\``);
      for (const secret of [SERVICE_ONLY, emu.applicationSecret, emu.applicationKey, emu.consumerKey]) expect(r.stderr).not.toContain(secret);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ovh-iplb access-rules: the vRack family, on a load balancer attached to a vRack", () => {
  const started = withEmulator({ refreshSeconds: 0.05, vrack: { name: "pn-12345" } });
  const provider = (kind: Kind) => configured(kind, started().emu, { "ovh-iplb:retryBaseMs": "20" });
  const networkId = (id: string) => Number(id.split("/").pop());

  it("VrackNetwork's lifecycle, a farm on the vRack and a refused create call nothing outside the printed rules", async () => {
    const { emu } = started();
    const { rules } = parse((await run(["access-rules", SVC])).stdout);
    const from = mark(emu);
    const networks = await provider("VrackNetwork");
    const home = await networks.create({ serviceName: SVC, subnet: "10.9.0.0/16", natIp: "10.9.255.0/27", __provider: PROVIDER_TEXT });
    const farms = await provider("HttpFarm");
    const farm = await farms.create({ serviceName: SVC, zone: "gra", port: 80, vrackNetworkId: networkId(home.id), __provider: PROVIDER_TEXT });
    const inputs = { serviceName: SVC, subnet: "10.1.0.0/16", natIp: "10.1.255.0/27", farmId: [farmId(farm.id)], __provider: PROVIDER_TEXT };
    const { id, outs } = await networks.create(inputs);
    const news = { ...inputs, displayName: "changed", farmId: [] };
    await networks.diff(id, outs, news);
    const { outs: updated } = await networks.update(id, outs, news);
    await networks.read(id, updated as Props);
    await networks.update(id, updated as Props, { ...news, farmId: [farmId(farm.id)] });
    await networks.delete(id, { ...updated, declaredInputs: { farmId: [farmId(farm.id)] } });
    // A refused create is explained by reading vrack/status and vrack/networkCreationRules.
    await expect(networks.create({ ...inputs, natIp: "10.1.255.0/28", farmId: undefined })).rejects.toThrow(/minNatIps/);
    await farms.delete(farm.id, farm.outs);
    await networks.delete(home.id, home.outs);
    const made = emu.requests.slice(from);
    for (const call of [/^POST .*\/vrack\/network$/, /^PUT .*\/vrack\/network\/\d+$/, /^POST .*\/vrack\/network\/\d+\/updateFarmId$/, /^DELETE .*\/vrack\/network\/\d+$/, /^GET .*\/vrack\/networkCreationRules$/, /^POST .*\/refresh$/]) {
      expect(made.map((r) => `${r.method} ${r.path}`)).toContainEqual(expect.stringMatching(call));
    }
    expect(ungranted(made, rules)).toEqual([]);
  });

  it("getVrackNetworks calls nothing outside the --read-only rules", async () => {
    const { emu } = started();
    const { rules } = parse((await run(["access-rules", SVC, "--read-only"])).stdout);
    const from = mark(emu);
    const found = await getVrackNetworks(apiFor(emu), { serviceName: SVC, vlan: 0 });
    expect(found.networks).toEqual([]);
    const made = emu.requests.slice(from);
    expect(made.filter((r) => r.method !== "GET")).toEqual([]);
    expect(ungranted(made, rules)).toEqual([]);
  });
});

/**
 * The families of routes, rules, custom certificates and service settings under the real engine
 * (tests/fixtures/programs/families), HTTP and TCP, operation by operation and in one `Refresh` batch:
 * - created live when `up` returns, as previewed; the certificate's key never in the state in clear;
 * - changed in place (a route's weight, a rule's pattern, a certificate's name, a setting), fields cleared (a TCP
 *   route's displayName, a rule's `negate`), the other rule untouched, nothing replaced;
 * - replaced (a certificate's chain dropped: OVH holds a certificate once, so the old one goes first; a rule moved to
 *   another route) and console-made objects taken over (a route, its rule, a certificate): no POST for those;
 * - drift made through the API (a weight, a pattern, a name, a route deleted with its rule) previewed as what the `up`
 *   then does, each field named, and set back;
 * - unchanged: nothing previewed, written or refreshed; destroy: nothing left, the service's settings as found.
 * With a batch, every `up` that changes a staged object makes exactly one refresh of the zone (gra).
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { pending, refreshedZones, writes } from "../helpers/desiredState";
import { emulatorSettings, outOfBand } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy, type Deployment } from "./support/deploy";
import { TestStack } from "./support/stack";
import * as fs from "fs";
import * as path from "path";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "families");
const PROJECT = "iplb-families";
/** The steps of the program's own resources: the batch's markers (`batch-start`, `batch-commit`) are its protocol. */
const own = (steps: string[]) => steps.filter((s) => !/ batch-\w+$/.test(s)).sort();
const pem = (file: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", file), "utf8");

/** The routes running in gra with their actions and rules, by display name, and the custom certificates. */
function live(emu: Emulator): string[] {
  const running = emu.running("gra");
  const farm = (id: unknown) => Object.values(running.farms).find((f) => String(f.data.farmId) === String(id))?.data.displayName;
  const action = (a: { type: string; target?: unknown; status?: unknown }) => (a.type === "farm" ? `farm ${farm(a.target)}` : `${a.type} ${a.status ?? a.target}`);
  const routes = Object.values(running.routes ?? {}).flatMap((r) => {
    const name = r.data.displayName ?? "-";
    return [
      `${r.type} route ${name} w${r.data.weight} ${action(r.data.action as { type: string })}`,
      ...Object.values(r.rules).map((rule) => `${r.type} rule of ${name}: ${rule.negate ? "not " : ""}${rule.field} ${rule.match} ${rule.pattern}`),
    ];
  });
  const certs = Object.values(emu.store.service(emu.serviceName)!.ssl).filter((c) => c.type === "custom").map((c) => `certificate ${c.displayName} ${c.subject}`);
  return [...routes, ...certs].sort();
}

const FIRST = [
  "http route to-api w10 farm api", "http rule of to-api: host is api.example.com", "http rule of to-api: uri startswith /v1/",
  "tcp route to-ro w5 farm db-ro", "tcp rule of to-ro: not source is 10.1.0.0/16",
  "certificate www /C=FR/O=Example/CN=www.example.test",
].sort();
const SECOND = [
  "http route to-api w20 farm api", "http rule of to-api: host is api2.example.com", "http rule of to-api: uri startswith /v1/",
  "tcp route - w5 farm db-ro", "tcp rule of -: source is 10.1.0.0/16",
  "certificate www-2 /C=FR/O=Example/CN=www.example.test",
].sort();
const THIRD = [
  "http route to-api w20 farm api", "http rule of to-api: host is api2.example.com",
  "http route legacy w30 reject 403", "http rule of legacy: method is TRACE", "http rule of legacy: uri startswith /v1/",
  "tcp route - w5 farm db-ro", "tcp rule of -: source is 10.1.0.0/16",
  "certificate www-2 /C=FR/O=Example/CN=www.example.test", "certificate api /CN=api.example.test",
].sort();

for (const batch of [false, true]) {
  describeWithCli(`routes, rules, custom certificates and service settings (${batch ? "one Refresh batch" : "operation by operation"})`, (bin) => {
    let emu: Emulator;
    let stack: TestStack;
    const svcPath = () => `/ipLoadbalancing/${emu.serviceName}`;
    const service = () => emu.store.service(emu.serviceName)!;
    const settings = () => ({ displayName: service().info.displayName ?? null, sslConfiguration: service().info.sslConfiguration ?? null });
    const routeOf = (name: string) => Object.entries(service().staged.routes ?? {}).find(([, r]) => r.data.displayName === name)!;
    let found: ReturnType<typeof settings>;
    /** The deployment, and what must hold after every `up` of this suite: as previewed, nothing written by the preview, all live. */
    const deployed = async (config: Record<string, string>): Promise<Deployment> => {
      const d = await deploy(stack, emu, config);
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toEqual([]);
      expect(pending(emu)).toEqual([]);
      // A batch makes its changes live with one refresh of the zone, whatever the number of staged objects written.
      if (batch) expect(refreshedZones(d.requests)).toEqual(writes(d.requests).some((r) => /\/(farm|frontend|route)/.test(r.path)) ? ["gra"] : []);
      return d;
    };

    beforeAll(async () => {
      emu = await startTestEmulator({ refreshSeconds: 0.1 });
      found = settings();
      stack = await TestStack.create({
        bin, projectDir: PROGRAM,
        config: { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName, [`${PROJECT}:batch`]: String(batch) },
      });
    });
    afterAll(async () => {
      stack?.dispose();
      await emu?.close();
    });

    it("creates them: live when `up` returns, as previewed, the key never in the state in clear", async () => {
      const d = await deployed({ [`${PROJECT}:stage`]: "first" });
      expect(d.steps.every((s) => s.startsWith("create "))).toBe(true);
      expect(live(emu)).toEqual(FIRST);
      expect(settings()).toEqual({ displayName: "families", sslConfiguration: found.sslConfiguration });
      const state = JSON.stringify(await stack.exportState());
      const keyLines = pem("www.key").split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
      expect(keyLines.length).toBeGreaterThan(0);
      for (const line of keyLines) expect(state).not.toContain(line);
    });

    it("changes and clears fields in place, as previewed, each field named, the other rule untouched", async () => {
      const d = await deployed({ [`${PROJECT}:stage`]: "second" });
      expect(own(d.steps)).toEqual(["update api-host", "update ro-source", "update settings", "update to-api", "update to-ro", "update www-cert"]);
      expect(d.fields).toMatchObject({ "to-api": ["weight"], "api-host": ["pattern"], "to-ro": ["displayName"], "ro-source": ["negate"], "www-cert": ["displayName"], settings: ["sslConfiguration"] });
      expect(live(emu)).toEqual(SECOND);
      expect(settings()).toEqual({ displayName: "families", sslConfiguration: "modern" });
    });

    it("replaces a certificate and a moved rule, and takes console-made objects over without posting them", async () => {
      const www = Object.values(service().staged.frontends).find((f) => f.data.displayName === "www")!;
      const made = (await outOfBand(emu).requestPromised("POST", `${svcPath()}/http/route`, {
        frontendId: www.data.frontendId, displayName: "made in the console", weight: 1, action: { type: "reject", status: 400 },
      })) as { routeId: number };
      const rule = (await outOfBand(emu).requestPromised("POST", `${svcPath()}/http/route/${made.routeId}/rule`, { field: "method", match: "is", pattern: "CONNECT" })) as { ruleId: number };
      const ssl = (await outOfBand(emu).requestPromised("POST", `${svcPath()}/ssl`, { certificate: pem("api.pem"), key: pem("api.key"), displayName: "console" })) as { id: number };
      const d = await deployed({
        [`${PROJECT}:stage`]: "third", [`${PROJECT}:adoptRouteId`]: String(made.routeId), [`${PROJECT}:adoptRuleId`]: String(rule.ruleId), [`${PROJECT}:adoptSslId`]: String(ssl.id),
      });
      expect(own(d.steps)).toEqual([
        "create api-cert", "create legacy", "create legacy-trace",
        "create-replacement api-path", "create-replacement www-cert", "delete-replaced api-path", "delete-replaced www-cert", "replace api-path", "replace www-cert",
      ].sort());
      // Taken over: updated in place, never posted; the only POSTs are the re-made rule and certificate (and a batch's refresh).
      const posts = writes(d.requests).filter((r) => r.method === "POST" && !r.path.endsWith("/refresh")).map((r) => r.path.replace(/\/\d+/g, "/{id}"));
      expect(posts.sort()).toEqual([`${svcPath()}/http/route/{id}/rule`, `${svcPath()}/ssl`].sort());
      expect(live(emu)).toEqual(THIRD);
    });

    it("drift made through the API: previewed as the up does it, fields named, and set back", async () => {
      const [toApiId, toApi] = routeOf("to-api");
      const hostRule = Object.values(toApi.rules).find((r) => r.field === "host")!;
      await outOfBand(emu).requestPromised("PUT", `${svcPath()}/http/route/${toApiId}`, { weight: 99 });
      await outOfBand(emu).requestPromised("PUT", `${svcPath()}/http/route/${toApiId}/rule/${hostRule.ruleId}`, { pattern: "evil.example.com" });
      const [tcpId] = Object.entries(service().staged.routes ?? {}).find(([, r]) => r.type === "tcp")!;
      await outOfBand(emu).requestPromised("DELETE", `${svcPath()}/tcp/route/${tcpId}`);
      const cert = Object.values(service().ssl).find((c) => c.displayName === "api")!;
      await outOfBand(emu).requestPromised("PUT", `${svcPath()}/ssl/${cert.id}`, { displayName: "renamed in the console" });
      await outOfBand(emu).requestPromised("POST", `${svcPath()}/refresh`, { zone: "gra" });
      const d = await deployed({});
      expect(own(d.preview)).toEqual(["replace ro-source", "replace to-ro", "update api-cert", "update api-host", "update to-api"]);
      // Drift is named in the preview's diagnostics (the engine cannot name fields it did not diff itself).
      const notes = d.notes.join("\n");
      expect(notes).toMatch(/HttpRoute \S+ was changed outside Pulumi \(weight\)/);
      expect(notes).toMatch(/HttpRouteRule \S+ was changed outside Pulumi \(pattern\)/);
      expect(notes).toMatch(/SslCertificate \S+ was changed outside Pulumi \(displayName\)/);
      expect(live(emu)).toEqual(THIRD);
    });

    it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
      const d = await deployed({});
      expect(d.preview).toEqual([]);
      expect(d.steps).toEqual([]);
      expect(writes(d.requests)).toEqual([]);
    });

    it("destroy: no route, rule or certificate left, nothing pending, the service's settings as they were found", async () => {
      await stack.destroy();
      expect(live(emu)).toEqual([]);
      expect(Object.keys(service().staged.routes ?? {})).toEqual([]);
      expect(pending(emu)).toEqual([]);
      expect(settings()).toEqual(found);
    });
  });
}

/**
 * The families of routes, rules, custom certificates and service settings under the real engine
 * (tests/fixtures/programs/families): created live when `up` returns, as previewed; then a route's weight, one rule's
 * pattern, a certificate's name and the service's sslConfiguration changed in place (no replace, the other rule
 * untouched); then no change (nothing previewed, written or refreshed); then destroy (no route left, the service's
 * settings put back as they were found). The certificate's key is never in the state in clear.
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { pending, writes } from "../helpers/desiredState";
import { emulatorSettings } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy } from "./support/deploy";
import { TestStack } from "./support/stack";
import * as fs from "fs";
import * as path from "path";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "families");
const PROJECT = "iplb-families";

/** The routes running in gra, with their rules, by display name. */
function liveRoutes(emu: Emulator): string[] {
  const routes = Object.values(emu.running("gra").routes ?? {});
  return routes.flatMap((r) => [
    `route ${r.data.displayName} w${r.data.weight}`,
    ...Object.values(r.rules).map((rule) => `rule ${rule.field} ${rule.match} ${rule.pattern}`),
  ]).sort();
}

describeWithCli("routes, rules, custom certificates and service settings", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  const deployed = (config: Record<string, string>) => deploy(stack, emu, config);
  const service = () => emu.store.service(emu.serviceName)!;
  const custom = () => Object.values(service().ssl).filter((c) => c.type === "custom");
  let found: { displayName: unknown; sslConfiguration: unknown };

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    found = { displayName: service().info.displayName ?? null, sslConfiguration: service().info.sslConfiguration ?? null };
    stack = await TestStack.create({ bin, projectDir: PROGRAM, config: { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName } });
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("creates them: live when `up` returns, as previewed", async () => {
    const d = await deployed({ [`${PROJECT}:stage`]: "first" });
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toEqual([]);
    expect(d.steps.every((s) => s.startsWith("create "))).toBe(true);
    expect(liveRoutes(emu)).toEqual(["route to-api w10", "rule host is api.example.com", "rule uri startswith /v1/"].sort());
    expect(pending(emu)).toEqual([]);
    expect(custom().map((c) => c.displayName)).toEqual(["www"]);
    expect(service().info.displayName).toBe("families");
    // The key is a secret in the state: not one line of it in clear.
    const state = JSON.stringify(await stack.exportState());
    const keyLines = fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", "www.key"), "utf8").split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    expect(keyLines.length).toBeGreaterThan(0);
    for (const line of keyLines) expect(state).not.toContain(line);
  });

  it("changes a weight, a rule, a name and a setting in place, as previewed, the other rule untouched", async () => {
    const d = await deployed({ [`${PROJECT}:stage`]: "second" });
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toEqual([]);
    expect(d.steps.sort()).toEqual(["update api-host", "update settings", "update to-api", "update www-cert"]);
    expect(liveRoutes(emu)).toEqual(["route to-api w20", "rule host is api2.example.com", "rule uri startswith /v1/"].sort());
    expect(pending(emu)).toEqual([]);
    expect(custom().map((c) => c.displayName)).toEqual(["www-2"]);
    expect(service().info.sslConfiguration).toBe("modern");
  });

  it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
    const d = await deployed({});
    expect(d.preview).toEqual([]);
    expect(d.steps).toEqual([]);
    expect(writes(d.requests)).toEqual([]);
  });

  it("destroy: no route or certificate left, nothing pending, the service's settings as they were found", async () => {
    await stack.destroy();
    expect(liveRoutes(emu)).toEqual([]);
    expect(Object.keys(service().staged.routes ?? {})).toEqual([]);
    expect(custom()).toEqual([]);
    expect(pending(emu)).toEqual([]);
    expect({ displayName: service().info.displayName ?? null, sslConfiguration: service().info.sslConfiguration ?? null }).toEqual(found);
  });
});

/**
 * examples/routes as a user runs it: the real `pulumi` CLI against the emulator. The first `up` makes everything live
 * as its preview said (two farms, the HTTP redirect route, the HTTPS frontend with the custom certificate and its two
 * farm routes with their rules) with one refresh of the zone, since every staged object is in one `Refresh` batch;
 * a new path prefix updates that one rule in place; an unchanged `up` writes nothing; destroy leaves nothing behind.
 *
 * Not proven here: that traffic follows the rules (the emulator's data plane routes requests by host and path, proven
 * through real requests by tests/emulator/dataPlaneRoutes.test.ts, not started by this suite), nor that OVH expands
 * the redirect template as the emulator does (the OVH routes guide documents it).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Emulator } from "../../emulator";
import { pending, refreshedZones, writes } from "../helpers/desiredState";
import { startTestEmulator } from "../helpers/emulator";
import { REPO_ROOT } from "../helpers/programRunner";
import { emulatorSettings } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy } from "./support/deploy";
import { nameOf, TestStack } from "./support/stack";

const PROJECT = "iplb-routes";
const EXAMPLE = path.join(REPO_ROOT, "examples", "routes");
const CERTS = path.join(REPO_ROOT, "tests", "fixtures", "certs");
const REDIRECT = "https://${host}${path}${arguments}";

type Model = Record<string, unknown>;

/** What one zone runs, in the program's terms: objects by display name, references by the name they point to. */
function running(emu: Emulator, zone: string) {
  const config = emu.running(zone);
  const farmName = (id: unknown) => config.farms[Number(id)]?.data.displayName ?? `unknown farm ${String(id)}`;
  const frontendName = (id: unknown) => config.frontends[Number(id)]?.data.displayName ?? `unknown frontend ${String(id)}`;
  return {
    farms: Object.values(config.farms).map((f) => `${f.data.displayName} ${f.type} ${f.data.port}`).sort(),
    servers: Object.values(config.servers)
      .map((s) => `${farmName(s.farmId)}/${s.data.displayName} ${s.data.address}:${s.data.port} ${s.data.status}`)
      .sort(),
    frontends: Object.fromEntries(Object.values(config.frontends).map((f) => [f.data.displayName, {
      port: f.data.port, ssl: f.data.ssl, defaultSslId: f.data.defaultSslId ?? null, hsts: f.data.hsts,
      defaultFarm: f.data.defaultFarmId === null ? null : farmName(f.data.defaultFarmId),
    }])),
    routes: Object.fromEntries(Object.values(config.routes ?? {}).map((r) => {
      const action = r.data.action as Model;
      return [r.data.displayName, {
        frontend: frontendName(r.data.frontendId), weight: r.data.weight,
        action: { type: action.type, target: action.type === "farm" ? farmName(action.target) : action.target, status: action.status },
        rules: Object.values(r.rules).map((rule) => `${rule.field} ${rule.negate ? "not " : ""}${rule.match} ${rule.pattern}`).sort(),
      }];
    })),
  };
}

/** What examples/routes declares, as `running()` shows it, with this path prefix and the certificate `sslId`. */
function declared(sslId: number, pathPrefix: string) {
  return {
    farms: ["api http 9000", "web http 8080"],
    servers: ["api/api-1 127.0.0.3:9000 active", "api/api-2 127.0.0.4:9000 active", "web/web-1 127.0.0.1:8080 active", "web/web-2 127.0.0.2:8080 active"],
    frontends: {
      http: { port: "80", ssl: false, defaultSslId: null, hsts: false, defaultFarm: null },
      https: { port: "443", ssl: true, defaultSslId: sslId, hsts: true, defaultFarm: "web" },
    },
    routes: {
      "to-https": { frontend: "http", weight: 0, action: { type: "redirect", target: REDIRECT, status: 301 }, rules: [] },
      "api-by-host": { frontend: "https", weight: 10, action: { type: "farm", target: "api", status: null }, rules: ["host is api.example.com"] },
      "api-by-path": { frontend: "https", weight: 20, action: { type: "farm", target: "api", status: null }, rules: [`uri startswith ${pathPrefix}`] },
    },
  };
}

const NOTHING = { farms: [], servers: [], frontends: {}, routes: {} };

/** Every resource of the example, as the steps name them: the batch (component, start, commit), then the objects. */
const ALL = [
  "lb", "lb-start", "lb-commit", "web", "web-1", "web-2", "api", "api-1", "api-2", "www", "http", "https",
  "to-https", "api-by-host", "api-host", "api-by-path", "api-path",
];

describeWithCli("examples/routes with pulumi up", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  const service = () => emu.store.service(emu.serviceName)!;
  const custom = () => Object.values(service().ssl).filter((c) => c.type === "custom");
  /** Route and rule ids as the API holds them, by display name (a rule by its route's). */
  const ids = () => Object.fromEntries(Object.values(service().staged.routes ?? {}).map((r) => [r.data.displayName, {
    routeId: r.data.routeId, ruleIds: Object.keys(r.rules).map(Number),
  }]));

  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    stack = await TestStack.create({
      bin,
      projectDir: EXAMPLE,
      config: {
        ...emulatorSettings(emu),
        [`${PROJECT}:serviceName`]: emu.serviceName,
        [`${PROJECT}:webServers`]: ["127.0.0.1:8080", "127.0.0.2:8080"],
        [`${PROJECT}:apiServers`]: ["127.0.0.3:9000", "127.0.0.4:9000"],
        // Relative, as examples/routes/README.md tells users to set them: read from the project's folder.
        [`${PROJECT}:certificateFile`]: path.relative(EXAMPLE, path.join(CERTS, "www.pem")),
        [`${PROJECT}:keyFile`]: path.relative(EXAMPLE, path.join(CERTS, "www.key")),
        [`${PROJECT}:chainFile`]: path.relative(EXAMPLE, path.join(CERTS, "ca.pem")),
      },
    });
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("first up: everything runs in the zone as declared, nothing pending, one refresh, as previewed", async () => {
    const d = await deploy(stack, emu, {});
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toEqual([]);
    expect(d.steps).toEqual(ALL.map((n) => `create ${n}`).sort());

    // The certificate uploaded is the one of the files, and it is what the HTTPS frontend serves.
    const [cert] = custom();
    expect(custom()).toHaveLength(1);
    const x509 = new crypto.X509Certificate(fs.readFileSync(path.join(CERTS, "www.pem"), "utf8"));
    // The API's fingerprint may be SHA-1 or SHA-256, in any case, with or without separators.
    const hex = (f: unknown) => String(f).replace(/[^0-9a-f]/gi, "").toLowerCase();
    expect([x509.fingerprint, x509.fingerprint256].map(hex)).toContain(hex(cert.fingerprint));
    expect(running(emu, "gra")).toEqual(declared(cert.id as number, "/api/"));
    expect(running(emu, "rbx")).toEqual(NOTHING);
    expect(pending(emu)).toEqual([]);
    // One batch: the whole first `up` goes live with a single refresh of the one zone it touched.
    expect(refreshedZones(d.requests)).toEqual(["gra"]);

    const live = ids();
    expect(await stack.outputs()).toMatchObject({
      sslId: cert.id,
      routeIds: { toHttps: live["to-https"].routeId, apiByHost: live["api-by-host"].routeId, apiByPath: live["api-by-path"].routeId },
      ruleIds: { apiHost: live["api-by-host"].ruleIds[0], apiPath: live["api-by-path"].ruleIds[0] },
      frontendIds: { http: expect.any(Number), https: expect.any(Number) },
      farmIds: { web: expect.any(Number), api: expect.any(Number) },
    });
  });

  it("a new path prefix: that one rule updated in place, as previewed, nothing else touched", async () => {
    const before = ids();
    const ruleId = before["api-by-path"].ruleIds[0];
    const routeId = before["api-by-path"].routeId;
    await stack.setConfig({ [`${PROJECT}:apiPathPrefix`]: "/v2/" });
    // What the preview names: the rule, with its one changed field, and the batch's commit, which takes the rule's new
    // change token and makes the write live (it writes nothing of its own: its one request is the refresh).
    const changed = (await stack.preview()).steps.filter((s) => s.op !== "same");
    expect(changed.map((s) => `${s.op} ${nameOf(s.urn)}`).sort()).toEqual(["update api-path", "update lb-commit"]);
    expect(changed.find((s) => nameOf(s.urn) === "api-path")?.diffs).toEqual(["pattern"]);

    const d = await deploy(stack, emu, {});
    expect(d.preview).toEqual(d.planned);
    expect(d.previewWrites).toEqual([]);
    expect(d.steps).toEqual(["update api-path", "update lb-commit"]);
    const puts = writes(d.requests).filter((r) => !r.path.endsWith("/refresh"));
    expect(puts.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /ipLoadbalancing/${emu.serviceName}/http/route/${routeId}/rule/${ruleId}`]);
    expect(puts[0].body).toEqual({ pattern: "/v2/" });
    expect(refreshedZones(d.requests)).toEqual(["gra"]);
    expect(ids()).toEqual(before);
    expect(running(emu, "gra")).toEqual(declared(custom()[0].id as number, "/v2/"));
    expect(pending(emu)).toEqual([]);
  });

  it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
    const d = await deploy(stack, emu, {});
    expect(d.preview).toEqual([]);
    expect(d.steps).toEqual([]);
    expect(writes(d.requests)).toEqual([]);
  });

  it("destroy: no route, rule, frontend, farm or custom certificate left, nothing pending", async () => {
    const from = emu.requests.length;
    await stack.destroy();
    for (const zone of ["gra", "rbx"]) expect(running(emu, zone)).toEqual(NOTHING);
    const staged = service().staged;
    expect({ farms: staged.farms, servers: staged.servers, frontends: staged.frontends, routes: staged.routes ?? {} })
      .toEqual({ farms: {}, servers: {}, frontends: {}, routes: {} });
    expect(custom()).toEqual([]);
    expect(pending(emu)).toEqual([]);
    // The batch covers deletions too: one refresh of the zone.
    expect(refreshedZones(emu.requests.slice(from))).toEqual(["gra"]);
  });
});

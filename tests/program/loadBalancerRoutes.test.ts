/**
 * The LoadBalancer component's routes, rules and custom certificates under the mini engine (in-process host) against
 * the emulator: created live with one refresh, a frontend serving the uploaded certificate, a rule added in the middle
 * and another removed without touching the rest, an unchanged run that writes nothing, the key kept secret, and
 * routes whose cross-references do not hold refused before any API call.
 * Not proven here: traffic through the routes (the emulator routes none); a TCP route given a redirect, or a rule's
 * field for the wrong protocol (the route classes' own check: tests/provider/route.test.ts, routeRule.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as iplb from "../../sdk";
import { Emulator, startTestEmulator } from "../helpers/emulator";
import { InProcessHost } from "../helpers/hostDriver";
import { isSecret, MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, pendingChanges, refreshesSince, writesSince } from "../provider/support";

const PROJECT = "iplb-component-routes";
const pem = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");
const [WWW, WWW_KEY, CA] = ["www.pem", "www.key", "ca.pem"].map(pem);
const keyLine = WWW_KEY.split("\n").find((l) => l.length >= 16 && !l.startsWith("-----"))!;

type Rules = Record<string, iplb.LoadBalancerRouteRule>;
const RULES: Rules = {
  host: { field: "host", match: "is", pattern: "api.example.test" },
  method: { field: "method", match: "in", pattern: "GET,HEAD" },
  path: { field: "uri", match: "startswith", pattern: "/v1" },
};

let emu: Emulator;
beforeAll(async () => (emu = await startTestEmulator({ refreshSeconds: 0.05 })));
afterAll(() => emu.close());

function program(apiRules: Rules) {
  return () => {
    const lb = new iplb.LoadBalancer("lb", {
      serviceName: emu.serviceName,
      farms: {
        web: { type: "http", zone: "gra", port: 80, servers: { a: { address: "192.0.2.1", status: "active" } } },
        cache: { type: "tcp", zone: "all", port: 6379 },
      },
      frontends: {
        https: { type: "http", zone: "gra", port: 443, farm: "web", certificate: "own" },
        tls: { type: "tcp", zone: "rbx", port: 4443 },
      },
      certificates: { own: { certificate: WWW, key: WWW_KEY, chain: CA, displayName: "own" } },
      routes: {
        api: { frontend: "https", action: { type: "farm", farm: "web" }, weight: 10, rules: apiRules },
        old: { frontend: "https", action: { type: "redirect", target: "https://www.example.test${path}", status: 301 } },
        cache: { frontend: "tls", action: { type: "farm", farm: "cache" }, rules: { sni: { field: "sni", match: "is", pattern: "cache.example.test" } } },
      },
    });
    return { routeIds: lb.routeIds, ruleIds: lb.ruleIds, frontendIds: lb.frontendIds, certificateIds: lb.certificateIds };
  };
}

type Ids = { routeIds: Record<string, number>; ruleIds: Record<string, Record<string, number>>; frontendIds: Record<string, number>; certificateIds: Record<string, number> };

describe("LoadBalancer component: routes, rules, custom certificates", () => {
  const engine = new MiniEngine(new InProcessHost(PROJECT));
  const up = async (p: () => Record<string, unknown>) => (await runWithMocks(engine, p, { project: PROJECT, stack: "dev", config: emulatorSettings(emu) })) as unknown as Ids;
  const writes = (from: number) => writesSince(emu, from).map((r) => `${r.method} ${r.path.replace(`/ipLoadbalancing/${emu.serviceName}`, "")}`);
  // The batch's markers (lb-start, lb-commit) change whenever its membership does: that is how it applies the run.
  const changed = () => engine.steps.filter((s) => s.op !== "same" && !["lb-start", "lb-commit"].includes(s.name)).map((s) => `${s.op} ${s.name}`).sort();
  const liveRules = (zone: string, routeId: number) =>
    Object.values(emu.running(zone).routes?.[routeId]?.rules ?? {}).map((r) => [r.field, r.pattern, r.ruleId]).sort();
  let first: Ids;

  it("creates routes with their rules and uploads the certificate, live with one refresh, the frontend serving it", async () => {
    const from = emu.requests.length;
    first = await up(program({ host: RULES.host, path: RULES.path }));
    const names = [...engine.state.values()].filter((r) => r.custom).map((r) => r.name).sort();
    expect(names).toEqual([
      "lb-cert-own", "lb-commit", "lb-farm-cache", "lb-farm-web", "lb-frontend-https", "lb-frontend-tls", "lb-route-api", "lb-route-cache",
      "lb-route-old", "lb-rule-api-host", "lb-rule-api-path", "lb-rule-cache-sni", "lb-server-web-a", "lb-start",
    ]);
    // Both zones have changes, so one refresh without a zone applies them; the upload needs none (not staged).
    expect(refreshesSince(emu, from).map((r) => r.body ?? "all")).toEqual(["all"]);
    expect(pendingChanges(emu)).toEqual([]);
    const { routeIds, ruleIds, frontendIds, certificateIds } = first;
    expect(liveRules("gra", routeIds.api)).toEqual([["host", "api.example.test", ruleIds.api.host], ["uri", "/v1", ruleIds.api.path]]);
    expect(liveRules("rbx", routeIds.cache)).toEqual([["sni", "cache.example.test", ruleIds.cache.sni]]);
    expect(emu.running("gra").routes?.[routeIds.old]?.data).toEqual(expect.objectContaining({ frontendId: frontendIds.https, action: { type: "redirect", target: "https://www.example.test${path}", status: 301 } }));
    expect(emu.running("rbx").routes?.[routeIds.cache]?.data).toEqual(expect.objectContaining({ frontendId: frontendIds.tls }));
    expect(emu.running("gra").frontends[frontendIds.https].data).toEqual(expect.objectContaining({ ssl: true, defaultSslId: certificateIds.own }));
    expect(emu.store.service(emu.serviceName)!.ssl[certificateIds.own]).toEqual(expect.objectContaining({ type: "custom", displayName: "own" }));
  });

  it("keeps the key secret: a secret input of the certificate, in no output of the component or any child", () => {
    const cert = [...engine.state.values()].find((r) => r.name === "lb-cert-own")!;
    expect(isSecret(cert.inputs.key)).toBe(true);
    const outputs = JSON.stringify([...engine.state.values()].map((r) => r.outputs));
    expect(outputs).not.toContain(keyLine);
    expect(outputs).not.toContain("PRIVATE KEY");
  });

  it("adds a rule in the middle with one POST and one refresh of its zone, touching no other rule", async () => {
    const from = emu.requests.length;
    const ids = await up(program(RULES));
    expect(changed()).toEqual(["create lb-rule-api-method"]);
    expect(writes(from)).toEqual([`POST /http/route/${first.routeIds.api}/rule`, "POST /refresh"]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(ids.ruleIds.api).toEqual({ ...first.ruleIds.api, method: expect.any(Number) });
    expect(liveRules("gra", first.routeIds.api)).toEqual([
      ["host", "api.example.test", first.ruleIds.api.host], ["method", "GET,HEAD", ids.ruleIds.api.method], ["uri", "/v1", first.ruleIds.api.path],
    ]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("removes a rule with one DELETE and one refresh of its zone, the others keeping their names and ids", async () => {
    const unchangedFrom = emu.requests.length;
    const before = await up(program(RULES));
    expect(changed()).toEqual([]);
    expect(writes(unchangedFrom)).toEqual([]); // unchanged: nothing written, nothing refreshed
    const from = emu.requests.length;
    const ids = await up(program({ method: RULES.method, path: RULES.path }));
    expect(changed()).toEqual(["delete lb-rule-api-host"]);
    expect(writes(from)).toEqual([`DELETE /http/route/${first.routeIds.api}/rule/${first.ruleIds.api.host}`, "POST /refresh"]);
    expect(refreshesSince(emu, from).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(ids.ruleIds.api).toEqual({ method: before.ruleIds.api.method, path: first.ruleIds.api.path });
    expect(liveRules("gra", first.routeIds.api)).toEqual([["method", "GET,HEAD", before.ruleIds.api.method], ["uri", "/v1", first.ruleIds.api.path]]);
    expect(pendingChanges(emu)).toEqual([]);
  });

  it("refuses routes whose references do not hold, naming each problem, before any API call", async () => {
    const from = emu.requests.length;
    const bad = () => {
      new iplb.LoadBalancer("bad", {
        serviceName: emu.serviceName,
        farms: { web: { type: "http", zone: "gra" }, cache: { type: "tcp", zone: "rbx" } },
        frontends: { www: { type: "http", zone: "gra", port: 80 }, dns: { type: "udp", zone: "gra", port: 53 }, tls: { type: "tcp", zone: "gra", port: 443 } },
        routes: {
          shop: { frontend: "shop", action: { type: "reject" } },
          api: { frontend: "www", action: { type: "farm", farm: "cache" } },
          cache: { frontend: "tls", action: { type: "farm", farm: "cache" } },
          dns: { frontend: "dns", action: { type: "reject" } },
        },
      });
    };
    await expect(runWithMocks(new MiniEngine(new InProcessHost(PROJECT)), bad, { project: PROJECT, stack: "bad", config: emulatorSettings(emu) })).rejects.toThrow(
      'LoadBalancer bad: routes.shop.frontend: "shop" is not a frontend of this load balancer (frontends: www, dns, tls); ' +
        'routes.api.action.farm: "cache" is a TCP farm; a HTTP route needs a HTTP farm; ' +
        'routes.cache.action.farm: farm "cache" is in zone rbx, the route\'s frontend in gra; use the same zone, or put the farm in "all"; ' +
        'routes.dns.frontend: "dns" is a UDP frontend; OVH routes only HTTP and TCP frontends',
    );
    expect(emu.requests.slice(from)).toEqual([]);
  });
});

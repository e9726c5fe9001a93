/**
 * examples/web-app (the LoadBalancer component) in the tests' terms: its config for a given list of web servers, what
 * it should run in gra, and what the emulator runs. Both the test engine's suite (tests/program/webApp.test.ts) and the
 * real engine's (tests/engine/examples.test.ts) compare the two.
 */
import * as path from "path";
import type { Emulator, RequestLogEntry } from "../../emulator";

export const WEB_APP_PROGRAM = path.join(__dirname, "..", "..", "examples", "web-app");
export const WEB_APP_PROJECT = "iplb-web-app";
export const WEB_APP_NAMES = ["www.example.com", "example.com"];
export const WEB_APP_IP = "203.0.113.10/32";

export interface WebServer { name: string; address: string; port: number; weight?: number }

export const WEB_SERVERS: WebServer[] = [
  { name: "web-1", address: "10.0.0.11", port: 8080 },
  { name: "web-2", address: "10.0.0.12", port: 8080 },
  { name: "web-3", address: "10.0.0.13", port: 8080 },
  { name: "web-4", address: "10.0.0.14", port: 8080 },
];

/** The program's own config keys (the emulator's settings come beside them). */
export function webAppConfig(emu: Emulator, web: WebServer[]): Record<string, string> {
  return {
    [`${WEB_APP_PROJECT}:serviceName`]: emu.serviceName,
    [`${WEB_APP_PROJECT}:names`]: JSON.stringify(WEB_APP_NAMES),
    [`${WEB_APP_PROJECT}:webServers`]: JSON.stringify(web),
  };
}

/** What runs in gra, in the program's terms. */
export function webAppLive(emu: Emulator): Record<string, unknown> {
  const running = emu.running("gra");
  const farms = Object.values(running.farms);
  return {
    farms: Object.fromEntries(farms.map((f) => [f.type, {
      port: f.data.port, stickiness: f.data.stickiness,
      servers: Object.values(running.servers)
        .filter((s) => s.farmId === f.data.farmId)
        .map((s) => `${s.data.displayName} ${s.data.address}:${s.data.port} w${s.data.weight ?? 1}`)
        .sort(),
    }])),
    frontends: Object.values(running.frontends)
      .map((f) => `${f.type} ${f.data.port} ssl=${f.data.ssl} farm=${f.data.defaultFarmId === null ? "-" : "set"} ${(f.data.dedicatedIpfo as string[]).join(",")} ${f.data.redirectLocation ?? ""}`.trim())
      .sort(),
    farmNames: farms.map((f) => f.data.displayName ?? null),
  };
}

/** What the program declares for these web servers (the api farm and the frontends are fixed). */
export function webAppExpected(web: WebServer[]): Record<string, unknown> {
  return {
    farms: {
      http: { port: 8080, stickiness: "cookie", servers: web.map((s) => `${s.name} ${s.address}:${s.port} w${s.weight ?? 1}`).sort() },
      tcp: { port: 9000, stickiness: null, servers: ["api-1 10.0.1.11:9000 w1", "api-2 10.0.1.12:9000 w1"] },
    },
    frontends: [
      `http 443 ssl=true farm=set ${WEB_APP_IP}`,
      `http 80 ssl=false farm=- ${WEB_APP_IP} https://www.example.com`,
      `tcp 9000 ssl=false farm=set ${WEB_APP_IP}`,
    ],
    farmNames: [null, null],
  };
}

/** Zones refreshed, in order (`all` for a refresh of every zone). */
export const refreshedZonesInOrder = (requests: RequestLogEntry[]) =>
  requests.filter((r) => r.method === "POST" && r.path.endsWith("/refresh")).map((r) => (r.body as { zone?: string } | undefined)?.zone ?? "all");

/**
 * The e2e program (tests/fixtures/programs/e2e) declares farms and servers from its `iplb-e2e:desired` config. These
 * helpers compare what it declares with what the emulator runs, and sort what a deployment sent to the API; both the
 * test engine's suite and the real engine's use them.
 */
import * as path from "path";
import type { Emulator, RequestLogEntry } from "../../emulator";
import type { Desired, DesiredFarm } from "../fixtures/programs/e2e/desired";

export type { Desired, DesiredFarm };
export const E2E_PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "e2e");
export const E2E_PROJECT = "iplb-e2e";

const web = (stickiness: "cookie" | undefined, servers: DesiredFarm["servers"]): DesiredFarm => ({
  name: "web", type: "http", zone: "gra", port: 80, stickiness,
  probe: { type: "http", url: "/health", match: "status", pattern: "200" },
  servers,
});
const api = (servers: DesiredFarm["servers"]): DesiredFarm => ({ name: "api", type: "http", zone: "rbx", port: 8080, servers });
const cache: DesiredFarm = {
  name: "cache", type: "tcp", zone: "gra", port: 6379, stickiness: "sourceIp", probe: { type: "tcp" },
  servers: [{ name: "cache-1", address: "192.0.2.31", port: 6379 }, { name: "cache-2", address: "192.0.2.32", port: 6379 }],
};

/** Three farms in two zones, seven servers (one at weight 0). */
export const FIRST: Desired = {
  farms: [
    web("cookie", [
      { name: "web-1", address: "192.0.2.11", port: 80, weight: 1, cookie: "w1" },
      { name: "web-2", address: "192.0.2.12", port: 80, weight: 1, cookie: "w2" },
      { name: "web-3", address: "192.0.2.13", port: 80, weight: 0, cookie: "w3" },
    ]),
    api([{ name: "api-1", address: "192.0.2.21", port: 8080 }, { name: "api-2", address: "192.0.2.22", port: 8080 }]),
    cache,
  ],
};

/** From FIRST: a weight change, stickiness cleared, a server and a farm removed, a server replaced (new address). */
export const SECOND: Desired = {
  farms: [
    web(undefined, [
      { name: "web-1", address: "192.0.2.11", port: 80, weight: 5, cookie: "w1" },
      { name: "web-2", address: "192.0.2.12", port: 80, weight: 1, cookie: "w2" },
    ]),
    api([{ name: "api-1", address: "192.0.2.21", port: 8080 }, { name: "api-2", address: "192.0.2.99", port: 8080 }]),
  ],
};

/** The running configuration of `zones`, keyed by display name, in the shape the program declares. */
export function live(emu: Emulator, zones = ["gra", "rbx"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const zone of zones) {
    const running = emu.running(zone);
    for (const farm of Object.values(running.farms)) {
      const servers = Object.values(running.servers).filter((s) => s.farmId === farm.data.farmId);
      out[farm.data.displayName as string] = {
        type: farm.type, zone, port: farm.data.port, stickiness: farm.data.stickiness ?? undefined,
        servers: Object.fromEntries(servers.map((s) => [s.data.displayName, {
          address: s.data.address, port: s.data.port, weight: s.data.weight ?? 1,
          ...(farm.type === "http" ? { cookie: s.data.cookie } : {}),
        }])),
      };
    }
  }
  return out;
}

/** What `desired` must look like in `live()`. */
export function declared(desired: Desired): Record<string, unknown> {
  return Object.fromEntries(desired.farms.map((f) => [f.name, {
    type: f.type, zone: f.zone, port: f.port, stickiness: f.stickiness,
    servers: Object.fromEntries(f.servers.map((s) => [s.name, {
      address: s.address, port: s.port, weight: s.weight ?? 1,
      // The API generates a cookie for servers of cookie-sticky farms that have none.
      ...(f.type === "http" ? { cookie: s.cookie ?? (f.stickiness === "cookie" ? expect.any(String) : null) } : {}),
    }])),
  }]));
}

export const writes = (requests: RequestLogEntry[]) => requests.filter((r) => r.method !== "GET");
export const refreshes = (requests: RequestLogEntry[]) => requests.filter((r) => r.method === "POST" && r.path.endsWith("/refresh"));
/** The zone of each refresh (`all` when the body names none), sorted. */
export const refreshedZones = (requests: RequestLogEntry[]) =>
  refreshes(requests).map((r) => (r.body as { zone?: string } | undefined)?.zone ?? "all").sort();
/** `METHOD kind` for each write, e.g. `PUT server`, sorted: what was changed, independent of ids. */
export const writeKinds = (requests: RequestLogEntry[]) =>
  writes(requests)
    .filter((r) => !r.path.endsWith("/refresh"))
    .map((r) => `${r.method} ${/\/server(\/\d+)?$/.test(r.path) ? "server" : "farm"}`)
    .sort();
export const pending = (emu: Emulator) => emu.store.pendingChanges(emu.store.service(emu.serviceName)!);

export function expectLiveEquals(emu: Emulator, desired: Desired): void {
  expect(live(emu)).toEqual(declared(desired));
  expect(pending(emu)).toEqual([]);
}

/** What the program lifecycle tests share: the quickstart stack, one stack driven by a MiniEngine, and "live" checks. */
import { Emulator } from "../helpers/emulator";
import { InProcessHost, ProviderBackend } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { emulatorSettings, pendingChanges } from "../provider/support";
import {
  apiPath, apiStateView, Desired, expectedView, FarmSpec, iplbProgram, managed, runningView, stagedView, stateView,
} from "./iplbProgram";

export const PROJECT = "iplb-lifecycle";
export const STACK = "dev";

/** The quickstart's shape: web (HTTP) and cache (TCP) in gra, each server in the 192.0.2.0/24 documentation range. */
export function quickstart(serviceName: string): Desired {
  return {
    serviceName,
    farms: [
      {
        name: "web", type: "http", zone: "gra", port: 8080, balance: "roundrobin", stickiness: "cookie",
        probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 },
        servers: [1, 2, 3].map((i) => ({ name: `web-${i}`, address: `192.0.2.${i}`, port: 8080, weight: 1, probe: true, cookie: `web${i}` })),
      },
      {
        name: "cache", type: "tcp", zone: "gra", port: 6379, balance: "leastconn", stickiness: "sourceIp",
        probe: { type: "tcp", match: "default", interval: 30 },
        servers: [1, 2].map((i) => ({ name: `cache-${i}`, address: `192.0.2.${10 + i}`, port: 6379, weight: 1, probe: true })),
      },
    ],
  };
}

export const farm = (d: Desired, name: string): FarmSpec => d.farms.find((f) => f.name === name)!;

/** One stack: its engine, and `up` (or preview) of a desired state against `emu`. */
export function stack(emu: Emulator, backend: ProviderBackend = new InProcessHost(PROJECT)) {
  const engine = new MiniEngine(backend);
  const up = (desired: Desired | (() => Record<string, unknown> | void), dryRun = false) =>
    runWithMocks(engine, typeof desired === "function" ? desired : iplbProgram(desired), {
      project: PROJECT, stack: STACK, config: emulatorSettings(emu), dryRun,
    });
  return { engine, up };
}

export const resourceId = (engine: MiniEngine, name: string): string => managed(engine).find((r) => r.name === name)!.id;
export const pathOf = (engine: MiniEngine, name: string): string => apiPath(managed(engine).find((r) => r.name === name)!);

/** The emulator runs the program in `zone`, shows it through the API, has nothing pending, and state agrees. */
export function expectLive(emu: Emulator, engine: MiniEngine, desired: Desired, zone: string): void {
  expect(runningView(emu, zone)).toEqual(expectedView(desired, zone));
  expect(stagedView(emu)).toEqual(expectedView(desired));
  expect(pendingChanges(emu)).toEqual([]);
  expect(stateView(engine)).toEqual(apiStateView(emu));
}

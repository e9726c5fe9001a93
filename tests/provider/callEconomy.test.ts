/**
 * The API calls an operation makes beyond its write, which bench/ measured on the critical path of every deployment:
 * one clock sync per client however many calls start together; the reads that precede a refresh made side by side
 * (no `GET /zone` for a single zone); no read of a farm after its refresh (a server is read again: its serverState only
 * means something once live); one secure context for the trusted CA, not a CA list parsed per connection.
 * The emulator adds 100 ms to every answer here, so calls made one after the other arrive at least 100 ms apart.
 * Not proven here: the time saved (bench/README.md measures it).
 */
import * as https from "https";
import * as tls from "tls";
import type { Emulator } from "../../emulator";
import * as client from "../../provider/api/client";
import * as config from "../../provider/config";
import * as paths from "../../provider/api/paths";
import { configured, emulatorSettings, farmId, mark, Provider, requestsSince, withEmulator } from "./support";

const LATENCY_MS = 100;
let emu: Emulator;
let farms: Provider;
let servers: Provider;
let svc: string;

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ refreshSeconds: 0.2, faults: { latencyMs: LATENCY_MS } }, async (started) => {
    ({ emu, svc } = started);
    farms = await configured("HttpFarm", emu);
    servers = await configured("HttpFarmServer", emu);
  });

/** A client of its own (the cache is keyed by the settings), so its clock is not synced yet. */
function freshApi(requestTimeoutSeconds: string): client.ApiClient {
  const settings: Record<string, string> = { ...emulatorSettings(emu), "ovh-iplb:requestTimeoutSeconds": requestTimeoutSeconds };
  return client.createClient(config.resolveConfig(config.lookupFrom({ get: (k) => settings[k] }, {})));
}

const arrival = (r: { time: string }) => Date.parse(r.time);
const described = (rs: { method: string; path: string; query: Record<string, string> }[]) =>
  rs.map((r) => `${r.method} ${r.path.replace(`/ipLoadbalancing/${svc}`, "")}${r.query.status ? `?status=${r.query.status}` : ""}`).sort();

describe("the clock sync", () => {
  withOwnEmulator();
  it("happens once for ten calls started together on a new client", async () => {
    const api = freshApi("59");
    const from = mark(emu);
    await Promise.all(Array.from({ length: 10 }, () => api.get(paths.zones(svc))));
    expect(requestsSince(emu, from, "GET", "/auth/time")).toHaveLength(1);
    expect(requestsSince(emu, from, "GET", paths.zones(svc))).toHaveLength(10);
  });

  it("is not repeated once done", async () => {
    const api = freshApi("58");
    await api.get(paths.zones(svc));
    const from = mark(emu);
    await Promise.all([api.get(paths.zones(svc)), api.get(paths.zones(svc))]);
    expect(requestsSince(emu, from, "GET", "/auth/time")).toHaveLength(0);
  });
});

describe("making one zone live", () => {
  withOwnEmulator();
  it("reads the running refreshes and the pending changes side by side, without the service's zones, then posts", async () => {
    const from = mark(emu);
    await farms.create({ serviceName: svc, zone: "gra" });
    const log = emu.requests.slice(from);
    const posted = log.findIndex((r) => r.method === "POST" && r.path.endsWith("/http/farm"));
    const refreshed = log.findIndex((r) => r.method === "POST" && r.path.endsWith("/refresh"));
    const between = log.slice(posted + 1, refreshed);
    expect(described(between)).toEqual(["GET /pendingChanges", "GET /task?status=blocked", "GET /task?status=doing", "GET /task?status=todo"]);
    expect(Math.max(...between.map(arrival)) - Math.min(...between.map(arrival))).toBeLessThan(LATENCY_MS / 2);
    expect(refreshed).toBeGreaterThan(posted);
  });
});

describe("reads after the refresh", () => {
  withOwnEmulator();
  it("does not read a farm again once it is live; outputs are what the API answered to the POST", async () => {
    const from = mark(emu);
    const { id, outs } = await farms.create({ serviceName: svc, zone: "gra", port: 8080, displayName: "economy" });
    const refreshed = requestsSince(emu, from, "POST", `/ipLoadbalancing/${svc}/refresh`);
    expect(refreshed).toHaveLength(1);
    const after = emu.requests.slice(emu.requests.indexOf(refreshed[0]));
    expect(after.filter((r) => r.method === "GET" && r.path === paths.farm(svc, "http", farmId(id)))).toEqual([]);
    expect(outs).toMatchObject({ farmId: farmId(id), zone: "gra", port: 8080, displayName: "economy" });
  });

  it("reads a server again once live, for its serverState", async () => {
    const farm = farmId((await farms.create({ serviceName: svc, zone: "gra" })).id);
    const from = mark(emu);
    const { id, outs } = await servers.create({ serviceName: svc, farmId: farm, address: "192.0.2.80", status: "active" });
    const serverPath = paths.server(svc, "http", farm, Number(id.split("/")[2]));
    const refreshed = requestsSince(emu, from, "POST", `/ipLoadbalancing/${svc}/refresh`)[0];
    const after = emu.requests.slice(emu.requests.indexOf(refreshed));
    expect(after.filter((r) => r.method === "GET" && r.path === serverPath)).toHaveLength(1);
    expect((outs.serverState as unknown[]).length).toBe(2);
  });
});

describe("the trusted CA", () => {
  withOwnEmulator();
  const options = https.globalAgent.options as https.AgentOptions & { secureContext?: tls.SecureContext };
  const TRUSTED = "__pulumiOvhIplbTrustedCas";
  let saved: { ca: unknown; secureContext: unknown; trusted: unknown };
  beforeEach(() => {
    const holder = globalThis as unknown as Record<string, unknown>;
    saved = { ca: options.ca, secureContext: options.secureContext, trusted: holder[TRUSTED] };
    delete options.ca;
    delete options.secureContext;
    delete holder[TRUSTED];
  });
  afterEach(() => {
    const holder = globalThis as unknown as Record<string, unknown>;
    Object.assign(options, { ca: saved.ca, secureContext: saved.secureContext });
    if (saved.ca === undefined) delete options.ca;
    if (saved.secureContext === undefined) delete options.secureContext;
    holder[TRUSTED] = saved.trusted;
  });

  it("goes on the global agent as one secure context, leaving the agent's pool key short", async () => {
    const api = freshApi("57");
    expect(await api.get<string[]>(paths.zones(svc))).toEqual(["gra", "rbx"]);
    expect(options.ca).toBeUndefined();
    // A tls.SecureContext built by the client (another realm than jest's, so compared by constructor name).
    expect(options.secureContext?.constructor.name).toBe("SecureContext");
    expect(https.globalAgent.getName({ host: emu.host, port: emu.port, ...options }).length).toBeLessThan(200);
  });

  it("keeps a `ca` already set on the agent that trusts it, and adds nothing", async () => {
    options.ca = require("fs").readFileSync(emu.caFile, "utf8");
    const api = freshApi("56");
    expect(await api.get<string[]>(paths.zones(svc))).toEqual(["gra", "rbx"]);
    expect(options.secureContext).toBeUndefined();
  });
});

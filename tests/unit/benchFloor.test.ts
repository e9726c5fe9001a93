/**
 * The benchmark's pure parts (bench/): the floor of each scenario, the provider's critical path measured from call
 * times, the stack shapes, the targets and the command-line options. Not proven here: the measurements themselves
 * (`npm run bench` makes them).
 */
import { floor, formula, MODES, SCENARIOS } from "../../bench/floor";
import { CallRecord, countCalls, criticalPath, readKind, unionMs } from "../../bench/metrics";
import { parseOptions } from "../../bench/options";
import { rowTargets, stateFlatness, Row } from "../../bench/report";
import { allServerNames, buildStack, parseSize, resourceCount, spreadSample } from "../../bench/stacks";

const S = { latencyMs: 50, refreshMs: 3000 };

describe("floor (the critical path of API latency L and refreshes R)", () => {
  it.each([
    ["create", "immediate", 6250, "5L + 2R"],
    ["create", "batch", 3200, "4L + R"],
    ["noChange", "immediate", 150, "3L"],
    ["noChange", "batch", 150, "3L"],
    ["oneWeight", "immediate", 3250, "5L + R"],
    ["oneWeight", "batch", 3250, "5L + R"],
    ["remove10", "immediate", 3250, "5L + R"],
    ["remove10", "batch", 3250, "5L + R"],
    ["drift", "immediate", 3250, "5L + R"],
    ["drift", "batch", 3250, "5L + R"],
    ["destroy", "immediate", 6250, "5L + 2R"],
    ["destroy", "batch", 3200, "4L + R"],
  ] as const)("%s, %s: %i ms (%s) at L = 50 ms, R = 3 s", (scenario, mode, ms, f) => {
    const result = floor(scenario, mode, S);
    expect(result.ms).toBe(ms);
    expect(formula(result)).toBe(f);
  });

  it("spells out the path: operation by operation, a farm is live before its servers are posted", () => {
    expect(floor("create", "immediate", S).path).toEqual([
      "GET /auth/time", "POST farms", "POST refresh + refresh", "POST servers", "POST refresh + refresh",
    ]);
    expect(floor("create", "batch", S).path).toEqual(["GET /auth/time", "POST farms", "POST servers", "POST refresh + refresh"]);
  });

  it("never needs more than one refresh in a batch, and the batch never loses to operation by operation", () => {
    for (const scenario of SCENARIOS) {
      expect(floor(scenario, "batch", S).waves).toBeLessThanOrEqual(1);
      expect(floor(scenario, "batch", S).ms).toBeLessThanOrEqual(floor(scenario, "immediate", S).ms);
    }
  });

  it("scales with the settings: L and R only", () => {
    for (const mode of MODES) {
      const f = floor("destroy", mode, { latencyMs: 0, refreshMs: 0 });
      expect(f.ms).toBe(0);
      expect(floor("destroy", mode, { latencyMs: 10, refreshMs: 1000 }).ms).toBe(f.roundTrips * 10 + f.waves * 1000);
    }
  });

  it("with the real engine, adds the up's own preview: its clock sync and its reads, where it diffs anything", () => {
    expect(formula(floor("noChange", "batch", S, { previewFirst: true }))).toBe("6L");
    expect(floor("oneWeight", "immediate", S, { previewFirst: true }).path.slice(0, 3)).toEqual([
      "GET /auth/time (the up's preview)", "GET farms (the up's preview)", "GET servers (the up's preview)",
    ]);
    expect(floor("create", "immediate", S, { previewFirst: true })).toEqual(floor("create", "immediate", S));
    expect(floor("destroy", "batch", S, { previewFirst: true })).toEqual(floor("destroy", "batch", S));
  });

  it("refuses negative settings", () => {
    expect(() => floor("create", "batch", { latencyMs: -1, refreshMs: 0 })).toThrow("floor: latency and refresh must be >= 0");
  });
});

describe("criticalPath (the provider's part, from the calls the engine made)", () => {
  const call = (method: string, urn: string, startMs: number, endMs: number): CallRecord => ({ method, urn, startMs, endMs });
  const nodes = [
    { urn: "farm", dependencies: [] },
    { urn: "s1", dependencies: ["farm"] },
    { urn: "s2", dependencies: ["farm"] },
  ];

  it("adds a resource's calls to the longest path of what it depends on; side by side, the longest counts", () => {
    const calls = [call("check", "farm", 0, 10), call("create", "farm", 10, 110), call("check", "s1", 500, 505), call("create", "s1", 505, 555), call("check", "s2", 900, 910), call("create", "s2", 910, 1110)];
    // The engine's and the program's time between the calls (110 -> 500, 110 -> 900) is not the provider's.
    expect(criticalPath(calls, nodes, [])).toEqual({ registrationMs: 110 + 210, deletionMs: 0 });
  });

  it("counts deletions antichain by antichain: the longest delete of each", () => {
    const calls = [call("delete", "s1", 0, 40), call("delete", "s2", 0, 70), call("delete", "farm", 70, 100)];
    expect(criticalPath(calls, nodes, [["s1", "s2"], ["farm"]])).toEqual({ registrationMs: 0, deletionMs: 70 + 30 });
  });

  it("follows parents too (a batch's start and commit are children of the Refresh component)", () => {
    const graph = [{ urn: "lb", dependencies: [] }, { urn: "start", dependencies: [], parent: "lb" }, { urn: "commit", dependencies: ["start"], parent: "lb" }];
    expect(criticalPath([call("create", "start", 0, 5), call("create", "commit", 10, 3010)], graph, []).registrationMs).toBe(3005);
  });
});

describe("request counting", () => {
  const req = (method: string, path: string, status = 200, zone?: string) => ({ method, path, status, time: "", durationMs: 0, ...(zone ? { zone } : {}) });

  it("tells reads, writes, refreshes and the clock sync apart", () => {
    const counts = countCalls([
      req("GET", "/auth/time"), req("GET", "/ipLoadbalancing/lb/http/farm/12"), req("GET", "/ipLoadbalancing/lb/task"),
      req("POST", "/ipLoadbalancing/lb/http/farm"), req("PUT", "/ipLoadbalancing/lb/http/farm/12"),
      req("POST", "/ipLoadbalancing/lb/refresh", 200, "gra"), req("POST", "/ipLoadbalancing/lb/refresh", 409, "gra"),
    ]);
    expect(counts).toMatchObject({ GET: 3, POST: 3, PUT: 1, authTime: 1, reads: 2, writes: 2, refreshes: 1, refreshZones: ["gra"], failed: 1 });
    expect(counts.readsByKind).toEqual({ farm: 1, "task (list)": 1 });
  });

  it("names what a GET reads", () => {
    expect(readKind("/ipLoadbalancing/lb/http/farm/12/server/7")).toBe("server");
    expect(readKind("/ipLoadbalancing/lb/http/farm/12/server")).toBe("server (list)");
  });

  it("measures the union of intervals", () => {
    expect(unionMs([[0, 10], [5, 20], [30, 40], [32, 35]])).toBe(30);
    expect(unionMs([])).toBe(0);
  });
});

describe("stack shapes", () => {
  it("spreads farms over the zones in turn, with unique addresses", () => {
    const stack = buildStack({ farms: 3, serversPerFarm: 300, zones: ["gra", "rbx"], batch: false });
    expect(stack.map((f) => f.zone)).toEqual(["gra", "rbx", "gra"]);
    const addresses = stack.flatMap((f) => f.servers.map((s) => s.address));
    expect(new Set(addresses).size).toBe(900);
  });

  it("removes 10% of the servers, evenly: every tenth of 1000, one of 3", () => {
    const names = allServerNames({ farms: 20, serversPerFarm: 50 });
    const removed = spreadSample(names, 0.1);
    expect(removed).toHaveLength(100);
    expect(new Set(removed).size).toBe(100);
    expect(spreadSample(allServerNames({ farms: 1, serversPerFarm: 3 }), 0.1)).toEqual(["farm-0-server-1"]);
    const spec = { farms: 20, serversPerFarm: 50, zones: ["gra"], batch: true, removed };
    expect(resourceCount(spec)).toEqual({ farms: 20, servers: 900, frontends: 0, batch: 2, total: 922 });
  });

  it("applies weights by server name", () => {
    const [farm] = buildStack({ farms: 1, serversPerFarm: 2, zones: ["gra"], batch: false, weights: { "farm-0-server-1": 5 } });
    expect(farm.servers.map((s) => s.weight)).toEqual([undefined, 5]);
  });

  it("reads sizes as FARMSxSERVERS", () => {
    expect(parseSize("20x50")).toEqual({ farms: 20, serversPerFarm: 50 });
    expect(() => parseSize("20*50")).toThrow('--sizes: "20*50" is not FARMSxSERVERS (e.g. 5x20)');
  });
});

describe("targets", () => {
  const api = (writes: number, refreshes: number, reads: number) => ({ ...countCalls([]), writes, refreshes, reads });
  const resources = { farms: 5, servers: 100, total: 105 };

  it("no change: no write, no refresh, at most one read per resource and per collection (the farms, each farm's servers)", () => {
    expect(rowTargets({ scenario: "noChange", api: api(0, 0, 111), resources, ratio: 1 }).every((t) => t.ok)).toBe(true);
    expect(rowTargets({ scenario: "noChange", api: api(0, 0, 112), resources, ratio: 1 })[0]).toMatchObject({
      ok: false, detail: "0 writes, 0 refreshes, 112 reads in 1 command for 105 resources (at most 111 per command)",
    });
    expect(rowTargets({ scenario: "noChange", api: api(1, 0, 10), resources, ratio: 1 })[0].ok).toBe(false);
  });

  it("under the real engine: two commands per up (its preview), the preview alone writes nothing, no serial read per resource", () => {
    const real = { scenario: "noChange" as const, resources: { farms: 20, servers: 1000, total: 1020 }, ratio: 9, latencyMs: 50 };
    const ok = rowTargets({ ...real, api: api(0, 0, 2 * 1041), previewApi: api(0, 0, 1041), providerMs: 10_000 }, "real");
    expect(ok.map((t) => [t.name, t.ok])).toEqual([["no change", true], ["no serial read per resource", true]]);
    // 1020 resources x 50 ms = 51 s: a provider part above a fifth of it means reads in series.
    const serial = rowTargets({ ...real, api: api(0, 0, 2040), previewApi: api(0, 0, 1020), providerMs: 103_000 }, "real");
    expect(serial[1]).toEqual({ name: "no serial read per resource", ok: false, detail: "provider part 103.0 s for resources x L = 51.0 s" });
    expect(rowTargets({ ...real, api: api(0, 0, 10), previewApi: api(1, 0, 10), providerMs: 0 }, "real")[0].ok).toBe(false);
    // Too small to tell from the noise of two wall times: not judged.
    expect(rowTargets({ ...real, resources, api: api(0, 0, 10), providerMs: 99_000 }, "real").map((t) => t.name)).toEqual(["no change"]);
  });

  it("a first deployment in a batch: one refresh per zone", () => {
    const row = { scenario: "create" as const, resources, ratio: 1, mode: "batch" as const, zones: 2 };
    expect(rowTargets({ ...row, api: api(105, 2, 0) }, "real")).toEqual([{ name: "one refresh per zone (batch)", ok: true, detail: "2 refreshes for 2 zones" }]);
    expect(rowTargets({ ...row, api: api(105, 3, 0) }, "real")[0].ok).toBe(false);
  });

  it("one change: one write and one refresh; the ratio within 1.3", () => {
    expect(rowTargets({ scenario: "drift", api: api(1, 2, 9), resources, ratio: 1.2 })).toEqual([
      { name: "one change", ok: false, detail: "1 writes, 2 refreshes" },
      { name: "ratio <= 1.3", ok: true, detail: "1.20" },
    ]);
  });

  it("state per resource: flat when the largest stack's is within 5% of the smallest's", () => {
    const row = (total: number, bytes: number) => ({ mode: "batch", scenario: "create", resources: { farms: 0, servers: total, total }, state: { bytesPerResource: bytes } }) as unknown as Row;
    expect(stateFlatness([row(4, 8000), row(1020, 8300)])).toEqual([
      { name: "state per resource flat (batch)", ok: true, detail: "8000 B at 4 resources, 8300 B at 1020 (3.8%)" },
    ]);
    expect(stateFlatness([row(4, 8000), row(1020, 9000)])[0].ok).toBe(false);
  });
});

describe("options", () => {
  it("runs everything by default: three sizes, one and two zones, both modes, every scenario, L = 50 ms, R = 3 s", () => {
    expect(parseOptions([])).toMatchObject({
      latencyMs: 50, refreshSeconds: 3, zones: [1, 2], modes: ["immediate", "batch"], scenarios: [...SCENARIOS], quick: false, out: "latest", engine: "real",
      sizes: [{ farms: 1, serversPerFarm: 3 }, { farms: 5, serversPerFarm: 20 }, { farms: 20, serversPerFarm: 50 }],
    });
  });

  it("--quick lowers the defaults; explicit options win", () => {
    expect(parseOptions(["--quick"])).toMatchObject({ refreshSeconds: 1, zones: [1], out: "quick", sizes: [{ farms: 1, serversPerFarm: 3 }, { farms: 5, serversPerFarm: 20 }] });
    expect(parseOptions(["--quick", "--refresh-seconds", "2", "--sizes=2x2", "--modes", "batch"])).toMatchObject({ refreshSeconds: 2, sizes: [{ farms: 2, serversPerFarm: 2 }], modes: ["batch"] });
  });

  it("names what it refuses", () => {
    expect(() => parseOptions(["--scenarios", "create,fast"])).toThrow('--scenarios: "fast" is not a list of create, noChange, oneWeight, remove10, drift, destroy');
    expect(() => parseOptions(["--latency-ms", "-5"])).toThrow('--latency-ms: "-5" is not a non-negative number');
    expect(() => parseOptions(["--bogus"])).toThrow("unknown option --bogus");
    expect(() => parseOptions(["--engine", "go"])).toThrow('--engine: "go" is not a list of real, mini');
  });
});

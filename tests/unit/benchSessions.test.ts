/**
 * The pure parts of the benchmark's "sessions broken per deployment" (bench/sessions.ts, bench/sessionsReport.ts,
 * the traffic stacks of bench/stacks.ts, the options): where clients go and come from, the seeded orders, what a
 * round of sticky answers counts, and how the report shows it. Not proven here: the sessions themselves against the
 * data plane (`npm run bench -- --sessions N,M` measures them; tests/engine/traffic.test.ts holds the behaviour).
 */
import { parseOptions, sessionSettings } from "../../bench/options";
import { markdownTable, type Row } from "../../bench/report";
import { clientAddress, httpFrontends, serverOf, shuffled, spread, tallyRound } from "../../bench/sessions";
import { sessionsCell, sessionsMarkdown, sessionsTable, variantOf } from "../../bench/sessionsReport";
import { buildStack, resourceCount, serverAddresses } from "../../bench/stacks";

describe("sessions: clients and rounds", () => {
  it("spreads N places over the frontends in turn, and none when no frontend listens", () => {
    expect(spread(5, ["a", "b"])).toEqual(["a", "b", "a", "b", "a"]);
    expect(spread(3, [])).toEqual([]);
  });

  it("gives each client its own loopback address, never .0 or .255", () => {
    expect([0, 1, 249, 250, 251].map((i) => clientAddress(250, i))).toEqual(["127.250.0.1", "127.250.0.2", "127.250.0.250", "127.250.1.1", "127.250.1.2"]);
  });

  it("shuffles the same way for the same seed, and differently for another, always a permutation", () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    expect(shuffled(items, 7)).toEqual(shuffled(items, 7));
    expect(shuffled(items, 7)).not.toEqual(shuffled(items, 8));
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });

  it("reads the server from a backend's answer, and nothing from any other", () => {
    expect(serverOf("200 from 127.100.0.3\n")).toBe("127.100.0.3");
    expect(serverOf("<html><body><h1>503 Service Unavailable</h1></body></html>")).toBeUndefined();
  });

  it("takes the HTTP frontends of a port table, in key order", () => {
    const table = { "rbx:8001": { port: 18001, type: "http" }, "gra:8000": { port: 18000, type: "http" }, "gra:5432": { port: 15432, type: "tcp" } };
    expect(httpFrontends(table)).toEqual([{ zone: "gra", port: 18000 }, { zone: "rbx", port: 18001 }]);
  });

  it("counts a move when a client is answered by another server than last time, a loss once when its frontend is gone", () => {
    const last = new Map<number, string>();
    expect(tallyRound(last, [[0, "A"], [1, "B"], [2, undefined]])).toEqual({ moves: 0, lost: 0 });
    expect(tallyRound(last, [[0, "A"], [1, "A"], [2, "B"]])).toEqual({ moves: 1, lost: 0 });
    expect(tallyRound(last, [[0, "refused"], [1, undefined], [2, "A"]])).toEqual({ moves: 1, lost: 1 });
    expect(tallyRound(last, [[0, "refused"], [1, "refused"], [2, "refused"]])).toEqual({ moves: 0, lost: 2 });
  });
});

describe("sessions: traffic stacks and options", () => {
  const spec = { farms: 2, serversPerFarm: 2, zones: ["gra", "rbx"], batch: false };

  it("puts a traffic stack's servers on loopback, sourceIp-sticky, with a frontend per farm on the farm's port", () => {
    const [first, second] = buildStack({ ...spec, traffic: true });
    expect(first).toMatchObject({ name: "farm-0", zone: "gra", port: 8000, stickiness: "sourceIp", frontend: { name: "farm-0-fe", port: 8000 } });
    expect(first.servers.map((s) => s.address)).toEqual(["127.100.0.1", "127.100.0.2"]);
    expect(second).toMatchObject({ zone: "rbx", frontend: { name: "farm-1-fe", port: 8001 } });
    expect(buildStack(spec)[0]).not.toHaveProperty("frontend");
    expect(buildStack(spec)[0].servers[0].address).toBe("10.0.0.1");
  });

  it("counts the frontends among the resources, and lists removed servers' addresses too for the backends", () => {
    expect(resourceCount({ ...spec, traffic: true })).toEqual({ farms: 2, servers: 4, frontends: 2, batch: 0, total: 8 });
    expect(serverAddresses({ ...spec, traffic: true, removed: ["farm-0-server-0"] })).toHaveLength(4);
  });

  it("parses --sessions N,M and --providers", () => {
    expect(sessionSettings("12,20")).toEqual({ keepAlive: 12, sticky: 20 });
    for (const bad of ["12", "0,5", "a,b", "5,0"]) expect(() => sessionSettings(bad)).toThrow(/--sessions/);
    const o = parseOptions(["--quick", "--sessions", "4,6", "--providers", "ours,naive"]);
    expect([o.sessions, o.providers]).toEqual([{ keepAlive: 4, sticky: 6 }, ["ours", "naive"]]);
    expect(parseOptions(["--quick"])).toMatchObject({ providers: ["ours"] });
    expect(parseOptions(["--quick"]).sessions).toBeUndefined();
    expect(() => parseOptions(["--providers", "smart"])).toThrow(/--providers/);
  });
});

describe("sessions: the report", () => {
  const counts = { keepAlive: 4, sticky: 6, closes: 8, ended: 0, stickyMoves: 5, stickyLost: 0, rounds: 4, closedAt: [] };
  const row = (over: Partial<Row>): Row => ({
    size: "1x3", zones: 1, mode: "immediate", scenario: "remove10", resources: { farms: 1, servers: 2, total: 4 }, wallMs: 9000, engineMs: 5000,
    hostStartMs: 0, providerMs: 4000, busyMs: 0, floor: { ms: 1400, roundTrips: 8, waves: 1, path: [] }, ratio: 2.86, latencyMs: 50,
    api: { GET: 10, POST: 2, PUT: 0, DELETE: 1, authTime: 1, reads: 9, writes: 1, refreshes: 1, refreshZones: ["gra"], failed: 0, readsByKind: {} },
    readsPerResource: { up: 2 }, state: { resources: 4, bytesPerResource: 8000, providerBytesPerResource: 6600, providerSizes: {} },
    timeline: { firstCallMs: 0, lastCallMs: 1, refreshesAtMs: [] }, calls: {}, cpuMs: { engine: 0 }, steps: {}, targets: [], ...over,
  });

  it("names the naive provider beside the mode", () => {
    expect([variantOf(row({})), variantOf(row({ provider: "ours" })), variantOf(row({ provider: "naive" }))]).toEqual(["immediate", "immediate", "immediate, naive"]);
  });

  it("shows closes and moves, what ended, and a dash when nothing could be opened", () => {
    expect(sessionsCell(counts)).toBe("closes 8, moves 5");
    expect(sessionsCell({ ...counts, ended: 4, stickyLost: 6 })).toBe("closes 8 (4 ended), moves 5 (6 lost)");
    expect(sessionsCell(undefined)).toBe("-");
  });

  it("adds the sessions column to the table only when sessions were measured", () => {
    expect(markdownTable([row({})]).split("\n")[0]).not.toContain("sessions broken");
    const table = markdownTable([row({ sessions: counts })]).split("\n");
    expect(table[0]).toContain("| refreshes | sessions broken |");
    expect(table[2]).toContain("| 1 | closes 8, moves 5 |");
  });

  it("lists each scenario's variants side by side, the naive provider last, and renders nothing without sessions", () => {
    const rows = [
      row({ provider: "naive", api: { ...row({}).api, refreshes: 10 }, sessions: { ...counts, closes: 40 } }),
      row({ mode: "batch", sessions: { ...counts, closes: 4 } }),
      row({ scenario: "noChange", sessions: { ...counts, closes: 0, stickyMoves: 0 } }),
      row({ sessions: { ...counts, closes: 4 } }),
    ];
    expect(sessionsTable(rows).split("\n").slice(2)).toEqual([
      "| 1x3 | 1 | up, no change | immediate | 1 | 0 | 0 | 9.00 |",
      "| 1x3 | 1 | 10% of servers removed | immediate | 1 | 4 | 5 | 9.00 |",
      "| 1x3 | 1 | 10% of servers removed | batch | 1 | 4 | 5 | 9.00 |",
      "| 1x3 | 1 | 10% of servers removed | immediate, naive | 10 | 40 | 5 | 9.00 |",
    ]);
    expect(sessionsMarkdown(rows, undefined)).toBe("");
    expect(sessionsMarkdown(rows, { keepAlive: 4, sticky: 6 })).toContain("### Sessions broken per deployment");
  });
});

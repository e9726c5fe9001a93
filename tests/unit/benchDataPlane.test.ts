/**
 * The pure parts of the data plane's benchmark (bench/dataPlane.ts, bench/dataPlaneLoad.ts): percentiles, the
 * options and the report's layout. Not proven here: the numbers (`npx ts-node --transpile-only bench/dataPlane.ts`
 * measures them; no test holds a timing).
 */
import { dataPlaneMarkdown, parseDataPlaneOptions, type DataPlaneResults } from "../../bench/dataPlane";
import { latency, percentile } from "../../bench/dataPlaneLoad";

describe("data plane benchmark: pure parts", () => {
  it("takes percentiles by nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([0.5, 0.9, 0.99, 1].map((p) => percentile(sorted, p))).toEqual([50, 90, 99, 100]);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it("summarises samples in any order", () => {
    expect(latency([3, 1, 2, 4])).toEqual({ count: 4, p50: 2, p90: 4, p99: 4, mean: 2.5 });
  });

  it("parses its options, keeps the defaults, and names what it refuses", () => {
    expect(parseDataPlaneOptions([])).toEqual({ requests: 5000, connections: 50, seconds: 5, open: 500, out: "data-plane" });
    expect(parseDataPlaneOptions(["--open", "100", "--out", "mine"])).toMatchObject({ open: 100, out: "mine" });
    expect(() => parseDataPlaneOptions(["--open", "0"])).toThrow(/usage: bench\/dataPlane\.ts/);
    expect(() => parseDataPlaneOptions(["--fast", "1"])).toThrow(/--fast/);
  });

  it("reports the added latency per percentile and the memory per connection over the idle process", () => {
    const mib = 1048576;
    const results: DataPlaneResults = {
      command: "npx ts-node --transpile-only bench/dataPlane.ts",
      environment: { date: "2026-01-01T00:00:00.000Z", node: "v20", cpus: 2, loadAverage: { start: 0.5, end: 1 } },
      options: { requests: 5000, connections: 50, seconds: 5, open: 500, out: "data-plane" },
      latency: { direct: { count: 5000, p50: 0.2, p90: 0.3, p99: 0.5, mean: 0.25 }, proxied: { count: 5000, p50: 0.5, p90: 0.7, p99: 1.5, mean: 0.6 } },
      throughput: { direct: { perSecond: 9000 }, proxied: { perSecond: 4000, emulatorCpuUsPerRequest: 180 } },
      memory: {
        idle: { rss: 100 * mib, heapUsed: 20 * mib, external: 0 },
        openIdle: { rss: 110 * mib, heapUsed: 25 * mib, external: 0 },
        inFlight: { rss: 120 * mib, heapUsed: 30 * mib, external: 0 },
      },
    };
    const md = dataPlaneMarkdown(results).split("\n");
    expect(md).toContain("| p50 | 0.2 | 0.5 | 0.300 |");
    expect(md).toContain("| 500 idle keep-alive connections | 110.0 | 25.0 | 20.5 / 10.2 |");
    expect(md.join("\n")).toContain("9000 requests/s straight to the backend, 4000 through the frontend (the emulator's process: 180 µs of CPU per request)");
  });
});

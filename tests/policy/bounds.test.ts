/**
 * Bounds policies on a real program's registrations: defaults (the API's own ranges) accept everything check()
 * accepts; a team's config narrows them, and absent values count as what OVH applies (interval 30, weight 1).
 */
import { portBounds, probeIntervalBounds, serverWeightBounds } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, detail, flagged } from "./harness";
import { farmsProgram, goodServer, twoGoodServers } from "./programs";

let stack: CapturedStack;
beforeAll(async () => {
  stack = await captureStack(farmsProgram([
    { name: "default-interval", probe: { type: "http" } },
    { name: "every-minute", kind: "tcp", port: 5432, probe: { type: "tcp", interval: 60, port: 5433 } },
    { name: "hourly", probe: { type: "http", interval: 3600 } },
    {
      name: "weights",
      probe: { type: "http", interval: 60 },
      servers: [
        goodServer("w-absent"),
        goodServer("w-zero", { weight: 0 }),
        goodServer("w-ten", { weight: 10, port: 22 }),
        goodServer("w-max", { weight: 256 }),
      ],
    },
    { name: "udp", kind: "udp", port: 53, servers: twoGoodServers("udp", { port: 53 }) },
  ]));
});

describe("iplb-probe-interval-bounds", () => {
  it("accepts every interval the API accepts by default", async () => {
    expect(await analyze([probeIntervalBounds], stack)).toEqual([]);
  });

  it("flags intervals outside the team's bounds, an absent one counting as OVH's 30 s", async () => {
    const config = { "iplb-probe-interval-bounds": { minIntervalSeconds: 45, maxIntervalSeconds: 120 } };
    const diagnostics = await analyze([probeIntervalBounds], stack, config);
    expect(flagged(diagnostics, stack, "iplb-probe-interval-bounds")).toEqual(["default-interval", "hourly"]);
    expect(diagnostics.map(detail)).toEqual([
      'HttpFarm "default-interval" probes every 30 s (OVH\'s default, as probe.interval is not set), outside this team\'s ' +
        "bounds of 45..120 s. Set probe.interval within them, or change minIntervalSeconds/maxIntervalSeconds in the policy config.",
      'HttpFarm "hourly" probes every 3600 s, outside this team\'s bounds of 45..120 s. Set probe.interval within them, or ' +
        "change minIntervalSeconds/maxIntervalSeconds in the policy config.",
    ]);
  });
});

describe("iplb-port-bounds", () => {
  it("accepts the API's port range by default", async () => {
    expect(await analyze([portBounds], stack)).toEqual([]);
  });

  it("checks farm ports, probe ports and server ports against the team's ranges, for every protocol", async () => {
    const config = { "iplb-port-bounds": { allowedPorts: ["80", "443", "8000-8999"] } };
    const diagnostics = await analyze([portBounds], stack, config);
    expect(flagged(diagnostics, stack, "iplb-port-bounds")).toEqual(["every-minute", "every-minute", "udp", "udp-1", "udp-2", "w-ten"]);
    expect(diagnostics.filter((d) => d.urn?.endsWith("every-minute")).map(detail)).toEqual([
      'TcpFarm "every-minute" uses port 5432, outside the ports this team allows (80, 443, 8000-8999). Use an allowed port, or add it to allowedPorts in the policy config.',
      'TcpFarm "every-minute" uses probe.port 5433, outside the ports this team allows (80, 443, 8000-8999). Use an allowed port, or add it to allowedPorts in the policy config.',
    ]);
  });

  it("leaves absent ports alone (they inherit the frontend's or the farm's)", async () => {
    const config = { "iplb-port-bounds": { allowedPorts: ["8080"] } };
    // Servers of farmsProgram set no port unless told: only the explicit ones are judged.
    expect(flagged(await analyze([portBounds], stack, config), stack, "iplb-port-bounds"))
      .toEqual(["every-minute", "every-minute", "udp", "udp-1", "udp-2", "w-ten"]);
  });
});

describe("iplb-server-weight-bounds", () => {
  it("accepts every weight the API accepts by default, 0 included", async () => {
    expect(await analyze([serverWeightBounds], stack)).toEqual([]);
  });

  it("flags weights outside the team's bounds, an absent weight counting as OVH's 1, and explains weight 0", async () => {
    const config = { "iplb-server-weight-bounds": { minWeight: 1, maxWeight: 100 } };
    const diagnostics = await analyze([serverWeightBounds], stack, config);
    expect(flagged(diagnostics, stack, "iplb-server-weight-bounds")).toEqual(["w-max", "w-zero"]);
    expect(detail(diagnostics.find((d) => d.urn?.endsWith("w-zero"))!)).toBe(
      'HttpFarmServer "w-zero" has weight 0, outside this team\'s bounds of 1..100 (weight 0 takes the server out of balancing; ' +
        'use status "inactive" or backup: true to say so). Set weight within them, or change minWeight/maxWeight in the policy config.');
    expect(flagged(await analyze([serverWeightBounds], stack, { "iplb-server-weight-bounds": { minWeight: 2 } }), stack, "iplb-server-weight-bounds"))
      .toEqual(["default-interval-1", "default-interval-2", "every-minute-1", "every-minute-2", "hourly-1", "hourly-2", "w-absent", "w-zero"]);
  });
});

/**
 * Values not known during preview: an input computed from a resource not created yet reaches policies as the unknown
 * sentinel, and reading it through @pulumi/policy's proxy throws UnknownValueError, which the server reports as an
 * advisory "can't run policy ... during preview". The pack reads unknowns only when it needs them, never guesses a
 * violation from one, still reports what is already wrong, and judges the value in the update, when it is known.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { policies } from "../../policy/policies";
import { captureStack } from "./capture";
import { analyze, detail, summary } from "./harness";
import { exampleProgram, laterValues, SERVICE } from "./programs";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const cantRun = (policy: string, what: string) =>
  `can't run policy '${policy}' from policy pack 'ovh-iplb@v0.1.0' during preview: string value at .${what} can't be known during preview`;

describe("a farm and its servers created in the same preview", () => {
  it("relate through the farmId property dependency, with no advisory about the unknown farmId", async () => {
    const stack = await captureStack(exampleProgram("quickstart"),
      { project: "iplb-quickstart", config: { "iplb-quickstart:serviceName": SERVICE }, dryRun: true });
    const server = stack.resources.find((r) => r.name === "web-1")!;
    const farm = stack.resources.find((r) => r.name === "web")!;
    expect(server.inputs.farmId).toBe(UNKNOWN);
    expect(server.outputs.farmId).toBe(UNKNOWN);
    expect(server.propertyDependencies.farmId).toEqual([farm.urn]);
    expect(await analyze(policies, stack)).toEqual([]);
  });
});

describe("inputs computed from resources not created yet", () => {
  it("give advisories that the policy could not run, no violation on a guess, and keep what is certainly wrong", async () => {
    const preview = await captureStack(laterValues, { dryRun: true });
    const web3 = preview.resources.find((r) => r.name === "web-3")!;
    expect([web3.inputs.address, web3.inputs.status]).toEqual([UNKNOWN, UNKNOWN]);
    const diagnostics = await analyze(policies, preview);
    expect(summary(diagnostics, preview)).toEqual([
      "advisory iplb-farm-min-servers -",
      "advisory iplb-probe-interval-bounds web",
      "advisory iplb-server-address-allowed web-3",
      "mandatory iplb-farm-min-servers solo",
    ]);
    expect(diagnostics.filter((d) => d.enforcementLevel === "advisory").map(detail).sort()).toEqual([
      cantRun("iplb-farm-min-servers", "status"),
      cantRun("iplb-probe-interval-bounds", "probe.interval"),
      cantRun("iplb-server-address-allowed", "address"),
    ]);
  });

  it("are judged in the update, once known", async () => {
    const update = await captureStack(laterValues);
    expect(summary(await analyze(policies, update), update)).toEqual([
      "mandatory iplb-farm-min-servers pair",
      "mandatory iplb-farm-min-servers solo",
      "mandatory iplb-probe-interval-bounds web",
      "mandatory iplb-server-address-allowed web-3",
    ]);
  });
});

describe("a server whose farmId may come from several farms", () => {
  it("counts as a possible server of each of them during preview, and of its own farm once known", async () => {
    const program = () => {
      const a = new iplb.HttpFarm("a", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
      const b = new iplb.HttpFarm("b", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
      const useA = true;
      const either = pulumi.all([a.farmId, b.farmId]).apply(([x, y]) => (useA ? x : y));
      for (const i of [1, 2]) new iplb.HttpFarmServer(`s-${i}`, { serviceName: SERVICE, farmId: either, address: `10.0.0.${i}`, status: "active", probe: true });
    };
    const preview = await captureStack(program, { dryRun: true });
    expect(preview.resources.find((r) => r.name === "s-1")!.propertyDependencies.farmId).toHaveLength(2);
    expect(summary(await analyze(policies, preview), preview)).toEqual(["advisory iplb-farm-min-servers -"]);
    const update = await captureStack(program);
    expect(summary(await analyze(policies, update), update)).toEqual(["mandatory iplb-farm-min-servers b"]);
  });
});

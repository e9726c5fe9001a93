/**
 * iplb-unique-natural-keys: resources OVH cannot tell apart (the key by which an interrupted deployment's objects are
 * recognised, provider/changes/adoptOrCreate.ts) are pointed out, in the preview that creates them and after the update.
 */
import { uniqueNaturalKeys } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, detail, flagged } from "./harness";
import { farmsProgram, goodServer } from "./programs";

const POLICY = "iplb-unique-natural-keys";

describe(POLICY, () => {
  const program = farmsProgram([
    // web-2 repeats web-1 (no port: both use the farm's); web-4 has web-3's address on another port: distinct.
    { name: "web", servers: [goodServer("web-1"), goodServer("web-2"), goodServer("web-3", { address: "10.0.0.3", port: 80 }), goodServer("web-4", { address: "10.0.0.3", port: 81 })] },
    // The same address in another farm is another backend of another farm: fine.
    { name: "api", servers: [goodServer("api-1"), goodServer("api-2", { address: "10.0.0.2" })] },
    { name: "blue", displayName: "shop", servers: [goodServer("blue-1"), goodServer("blue-2", { address: "10.0.0.2" })] },
    { name: "green", displayName: "shop", servers: [goodServer("green-1"), goodServer("green-2", { address: "10.0.0.2" })] },
    // The same displayName on a farm of another protocol, and farms without one: not flagged.
    { name: "shop-tcp", kind: "tcp", displayName: "shop", servers: [goodServer("t-1"), goodServer("t-2", { address: "10.0.0.2" })] },
    { name: "unnamed-a" },
    { name: "unnamed-b" },
  ]);
  let preview: CapturedStack;
  let update: CapturedStack;
  beforeAll(async () => {
    preview = await captureStack(program, { dryRun: true });
    update = await captureStack(program);
  });

  it("flags servers of one farm with the same address and port, and farms of one zone and protocol with the same displayName", async () => {
    for (const stack of [preview, update]) {
      expect(flagged(await analyze([uniqueNaturalKeys], stack), stack, POLICY)).toEqual(["blue", "web"]);
    }
  });

  it("says which resources collide, on what, why it matters and what to do", async () => {
    const messages = (await analyze([uniqueNaturalKeys], preview)).map(detail);
    expect(messages).toContain(
      'HttpFarmServer "web-1" (farm "web") and "web-2" all send traffic to 10.0.0.10 (the farm\'s port): that backend gets 2 ' +
        "times its share, and if a deployment is interrupted while creating them, the next one cannot tell which OVH " +
        "already made and creates duplicates. Keep one server per address and port.");
    expect(messages).toContain(
      'HttpFarm "blue" and "green" have the same displayName "shop" in zone gra: nothing tells them apart in the OVH ' +
        "console or API, and if a deployment is interrupted while creating them, the next one creates duplicates. Give " +
        "each farm its own displayName.");
  });

  it("is advisory: it warns and lets the deployment go on", async () => {
    const diagnostics = await analyze([uniqueNaturalKeys], preview);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.enforcementLevel === "advisory")).toBe(true);
  });
});

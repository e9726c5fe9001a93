/**
 * The pack folder itself, started as the CLI starts it (processPack.ts) and driven over the Analyzer gRPC service:
 * it compiles and serves, describes its policies and config schema, and its verdicts on captured stacks are the
 * in-process harness's, word for word, so the harness the other tests use is faithful to @pulumi/policy's server.
 * What this does not prove: the CLI's own parts (reading PulumiPolicy.yaml, validating the config against the
 * schema, printing); the plugin lookup is read from analyzer_plugin.go, not run.
 */
import * as fs from "fs";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as iplb from "../../sdk";
import { policies } from "../../policy/policies";
import { REPO_ROOT } from "../helpers/programRunner";
import { CapturedStack, captureStack } from "./capture";
import { analyze, Diagnostic, PACK_NAME, PACK_VERSION, PackConfig, reconcileConfig, remediateResource, withInputs } from "./harness";
import { PolicyPackProcess } from "./processPack";
import { badStackConfig, exampleProgram, laterValues, SERVICE } from "./programs";

jest.setTimeout(120000);

let pack: PolicyPackProcess;
beforeAll(async () => {
  pack = await PolicyPackProcess.start(100000);
});
afterAll(async () => {
  await pack?.stop();
});

const sorted = (ds: Diagnostic[]) => [...ds].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function bothWays(stack: CapturedStack, config: PackConfig = {}) {
  await pack.configure(reconcileConfig(policies, config));
  return { server: sorted(await pack.analyzeAll(stack)), harness: sorted(await analyze(policies, stack, config)) };
}

describe("the policy pack folder, run as the CLI runs it", () => {
  it("serves every policy with its description, enforcement level and config schema", async () => {
    const info = await pack.info();
    expect([info.getName(), info.getVersion(), info.getSupportsconfig()]).toEqual([PACK_NAME, PACK_VERSION, true]);
    const described = info.getPoliciesList().map((p) => ({
      name: p.getName(), description: p.getDescription(), level: p.getEnforcementlevel(),
      schema: (p.getConfigschema()?.getProperties() as Struct | undefined)?.toJavaScript(),
    }));
    expect(described.map((p) => p.name)).toEqual(policies.map((p) => p.name));
    expect(described.map((p) => p.description)).toEqual(policies.map((p) => p.description));
    const minServers = described.find((p) => p.name === "iplb-farm-min-servers")!;
    expect(minServers.schema).toMatchObject({ minServers: { type: "integer", minimum: 1, default: 2 }, exemptFarms: { type: "array", default: [] } });
  });

  it("finds the bad stack's violations exactly as the harness does, in preview and update", async () => {
    for (const dryRun of [true, false]) {
      const stack = await captureStack(exampleProgram("bad-stack"), { project: "iplb-bad-stack", config: { "iplb-bad-stack:serviceName": SERVICE }, dryRun });
      const { server, harness } = await bothWays(stack, badStackConfig);
      expect(server).toHaveLength(17);
      expect(server).toEqual(harness);
    }
  });

  it("reports unknown values as the harness does: advisories that a policy could not run during preview", async () => {
    const { server, harness } = await bothWays(await captureStack(laterValues, { dryRun: true }));
    expect(server.filter((d) => d.enforcementLevel === "advisory").map((d) => d.policyName).sort())
      .toEqual(["iplb-farm-min-servers", "iplb-probe-interval-bounds", "iplb-server-address-allowed"]);
    expect(server).toEqual(harness);
  });

  it("passes the quickstart with the default config", async () => {
    const stack = await captureStack(exampleProgram("quickstart"), { project: "iplb-quickstart", config: { "iplb-quickstart:serviceName": SERVICE } });
    expect(await bothWays(stack)).toEqual({ server: [], harness: [] });
  });

  it("remediates a plain SslCertificate key into a secret as the harness does, and leaves the class's secret key alone", async () => {
    const key = fs.readFileSync(path.join(REPO_ROOT, "tests/fixtures/certs/www.key"), "utf8");
    const certificate = fs.readFileSync(path.join(REPO_ROOT, "tests/fixtures/certs/www.pem"), "utf8");
    const stack = await captureStack(() => new iplb.SslCertificate("www", { serviceName: SERVICE, certificate, key }), { dryRun: true });
    const raw = withInputs(stack.resources[0], { key }, "raw");
    await pack.configure(reconcileConfig(policies));
    expect(await pack.remediate(stack.resources[0])).toEqual([]);
    const server = await pack.remediate(raw);
    expect(server).toEqual(await remediateResource(policies, raw));
    expect(server.map((r) => [r.policyName, r.properties.key])).toEqual([["iplb-certificate-key-secret", { [specialSigKey]: specialSecretSig, value: key }]]);
  });

  it("applies enforcement levels from the config, `all` included", async () => {
    const stack = await captureStack(exampleProgram("bad-stack"), { project: "iplb-bad-stack", config: { "iplb-bad-stack:serviceName": SERVICE } });
    const { server, harness } = await bothWays(stack, { ...badStackConfig, all: "advisory", "iplb-port-bounds": "disabled" });
    expect(server.map((d) => d.enforcementLevel)).toEqual(Array(16).fill("advisory"));
    expect(server).toEqual(harness);
  });
});

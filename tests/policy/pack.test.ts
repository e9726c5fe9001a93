/**
 * The pack as a package: what `pulumi preview --policy-pack ./policy` needs in the folder, the policies' metadata,
 * and the type tokens they match against the SDK classes'. (Constructing the PolicyPack starts a server, so this
 * never imports policy/index.ts; processPack.test.ts runs it as a process.)
 */
import * as fs from "fs";
import * as path from "path";
import * as iplb from "../../sdk";
import * as pack from "../../policy/policies";
import { policies, TYPES } from "../../policy/policies";
import { PACK_NAME, PACK_VERSION } from "./harness";
import { PACK_DIR } from "./processPack";

const read = (file: string) => fs.readFileSync(path.join(PACK_DIR, file), "utf8");

describe("the policy pack folder", () => {
  it("has what the CLI and @pulumi/policy read: PulumiPolicy.yaml (nodejs), package.json (version), index.ts", () => {
    expect(read("PulumiPolicy.yaml")).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(read("package.json"));
    expect([pkg.version, pkg.main, Object.keys(pkg.dependencies).sort()]).toEqual([PACK_VERSION, undefined, ["@pulumi/policy", "@pulumi/pulumi"]]);
    expect(read("index.ts")).toContain(`new PolicyPack("${PACK_NAME}", {`);
  });

  it("keeps index.ts to constructing the pack from ./policies", () => {
    const imports = [...read("index.ts").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports).toEqual(["@pulumi/policy", "./policies"]);
  });

  it("never loads the SDK or the provider's runtime code: only @pulumi/policy, node's crypto and the models' lists", () => {
    const dir = path.join(PACK_DIR, "policies");
    const imports = fs.readdirSync(dir).flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]));
    expect([...new Set(imports.filter((i) => !i.startsWith("./")))].sort())
      .toEqual([
        "../../provider/models/farm", "../../provider/models/farmServer", "../../provider/models/ipv4",
        "../../provider/models/probe", "../../provider/models/routeRule", "../../provider/models/zones", "@pulumi/policy", "crypto",
      ]);
  });
});

describe("the policies", () => {
  it("have unique kebab-case names, a one-line description and an explicit enforcement level", () => {
    expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
    for (const p of policies) {
      expect(p.name).toMatch(/^iplb(-[a-z0-9]+)+$/);
      expect(p.description).toMatch(/^[A-Z][^\n]*\.$/);
      // "remediate" only for a remediation, which has no validation to run at any other level.
      expect("remediateResource" in p ? ["remediate"] : ["advisory", "mandatory"]).toContain(p.enforcementLevel);
    }
  });

  it("are all in the pack", () => {
    const exported = Object.values(pack).filter((v): v is (typeof policies)[number] => typeof v === "object" && v !== null && "enforcementLevel" in v);
    expect(exported.map((p) => p.name).sort()).toEqual(policies.map((p) => p.name).sort());
  });

  it("give every config key a default, and never an enforcementLevel key (the server refuses one)", () => {
    for (const p of policies.filter((x) => x.configSchema)) {
      const properties = p.configSchema!.properties;
      expect(Object.keys(properties)).not.toContain("enforcementLevel");
      expect(Object.entries(properties).filter(([, s]) => s.default === undefined).map(([k]) => `${p.name}.${k}`)).toEqual([]);
    }
  });

  it("match the type tokens the SDK classes register", () => {
    expect(TYPES).toEqual({
      httpFarm: iplb.HttpFarm.__pulumiType,
      tcpFarm: iplb.TcpFarm.__pulumiType,
      udpFarm: iplb.UdpFarm.__pulumiType,
      httpFarmServer: iplb.HttpFarmServer.__pulumiType,
      tcpFarmServer: iplb.TcpFarmServer.__pulumiType,
      udpFarmServer: iplb.UdpFarmServer.__pulumiType,
      httpFrontend: iplb.HttpFrontend.__pulumiType,
      tcpFrontend: iplb.TcpFrontend.__pulumiType,
      udpFrontend: iplb.UdpFrontend.__pulumiType,
      httpRoute: iplb.HttpRoute.__pulumiType,
      tcpRoute: iplb.TcpRoute.__pulumiType,
      httpRouteRule: iplb.HttpRouteRule.__pulumiType,
      tcpRouteRule: iplb.TcpRouteRule.__pulumiType,
      failoverIpAttachment: iplb.FailoverIpAttachment.__pulumiType,
      freeCertificate: iplb.FreeCertificate.__pulumiType,
      sslCertificate: iplb.SslCertificate.__pulumiType,
      ipLoadBalancingSettings: iplb.IpLoadBalancingSettings.__pulumiType,
    });
  });
});

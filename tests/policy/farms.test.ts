/**
 * Farm policies on farms registered by a real program run (captured under mocks), plus hand-built registrations for
 * inputs the SDK types and check() refuse (they can still come from untyped JavaScript or an older state).
 */
import { farmHealthProbe, farmStickiness } from "../../policy/policies";
import { CapturedStack, captureStack } from "./capture";
import { analyze, analyzeResource, detail, flagged, withInputs } from "./harness";
import { farmsProgram } from "./programs";

describe("iplb-farm-health-probe", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      { name: "http-probed" },
      { name: "http-absent", probe: "absent" },
      { name: "http-null", probe: null },
      { name: "tcp-absent", kind: "tcp", probe: "absent" },
      { name: "tcp-mysql", kind: "tcp", probe: { type: "mysql" } },
      { name: "tcp-default-type", kind: "tcp", probe: { interval: 60 } },
      { name: "udp", kind: "udp" },
    ]));
  });

  it("flags HTTP and TCP farms without a probe, absent or null, and no UDP farm", async () => {
    const diagnostics = await analyze([farmHealthProbe], stack);
    expect(flagged(diagnostics, stack, "iplb-farm-health-probe")).toEqual(["http-absent", "http-null", "tcp-absent"]);
    expect(diagnostics.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
  });

  it("says what is wrong, where, and how to fix it (after the policy's description, as the CLI shows it)", async () => {
    const farm = stack.resources.find((r) => r.name === "http-absent")!;
    expect(await analyzeResource([farmHealthProbe], farm)).toEqual([{
      policyName: "iplb-farm-health-probe",
      enforcementLevel: "mandatory",
      urn: farm.urn,
      message:
        "Every HTTP and TCP farm declares its health probe explicitly, of a type the team allows.\n" +
        'HttpFarm "http-absent" has no health probe: OVH then only checks every 30 s that each server\'s port accepts a TCP ' +
        "connection, so a server whose application is broken keeps receiving traffic. Set `probe`, e.g. " +
        '{ type: "http", url: "/health", match: "status", pattern: "200" }, or { type: "tcp" } to keep the TCP check on purpose.',
    }]);
  });

  it("limits probe types to the team's list, an absent type counting as tcp", async () => {
    const config = { "iplb-farm-health-probe": { httpFarmProbeTypes: ["http"], tcpFarmProbeTypes: ["tcp"] } };
    const diagnostics = await analyze([farmHealthProbe], stack, config);
    expect(flagged(diagnostics, stack, "iplb-farm-health-probe")).toEqual(["http-absent", "http-null", "tcp-absent", "tcp-mysql"]);
    expect(detail(diagnostics.find((d) => d.urn?.endsWith("tcp-mysql"))!)).toBe(
      'TcpFarm "tcp-mysql" probes with type "mysql", which this team does not allow on this kind of farm (allowed: tcp). ' +
        "Set probe.type to one of them, or change tcpFarmProbeTypes in the policy config.");
  });

  it("can be made advisory or disabled by the pack config", async () => {
    expect((await analyze([farmHealthProbe], stack, { "iplb-farm-health-probe": "advisory" })).map((d) => d.enforcementLevel))
      .toEqual(["advisory", "advisory", "advisory"]);
    expect(await analyze([farmHealthProbe], stack, { all: "disabled" })).toEqual([]);
  });
});

describe("iplb-farm-stickiness", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack(farmsProgram([
      { name: "http-cookie", stickiness: "cookie" },
      { name: "http-source", stickiness: "sourceIp" },
      { name: "tcp-source", kind: "tcp", stickiness: "sourceIp" },
      { name: "tcp-none", kind: "tcp" },
      { name: "udp", kind: "udp" },
    ]));
  });
  const resource = (name: string) => stack.resources.find((r) => r.name === name)!;

  it("accepts what each farm can do", async () => {
    expect(await analyze([farmStickiness], stack)).toEqual([]);
  });

  it("refuses cookie stickiness on a TCP farm, naming what to use instead", async () => {
    const tcpCookie = withInputs(resource("tcp-none"), { stickiness: "cookie" }, "tcp-cookie");
    expect((await analyzeResource([farmStickiness], tcpCookie)).map(detail)).toEqual([
      'TcpFarm "tcp-cookie" sets stickiness "cookie", but cookie stickiness inserts an HTTP cookie, which only HTTP farms ' +
        'can do. Use stickiness: "sourceIp" on this farm, or serve it from an HttpFarm.',
    ]);
  });

  it("refuses any stickiness on a UDP farm, and values no farm knows", async () => {
    const udp = withInputs(resource("udp"), { stickiness: "sourceIp" });
    const odd = withInputs(resource("http-cookie"), { stickiness: "session" }, "http-odd");
    expect((await analyzeResource([farmStickiness], udp)).map(detail)).toEqual([
      'UdpFarm "udp" sets stickiness "sourceIp", but UDP farms have no stickiness. Remove `stickiness`.',
    ]);
    expect((await analyzeResource([farmStickiness], odd)).map(detail)).toEqual([
      'HttpFarm "http-odd" sets stickiness "session", which is not one of cookie, sourceIp. Use one of them or remove `stickiness`.',
    ]);
  });

  it("refuses kinds the team does not allow", async () => {
    const diagnostics = await analyze([farmStickiness], stack, { "iplb-farm-stickiness": { allowedStickiness: ["cookie"] } });
    expect(flagged(diagnostics, stack, "iplb-farm-stickiness")).toEqual(["http-source", "tcp-source"]);
  });
});

/**
 * Constructing this package's resources leaves the program's process as it was: the SDK registers with V8 stack
 * capture off (sdk/resource.ts, for speed) and must put the user's `Error.stackTraceLimit` back, also when the
 * constructor throws, or every later error of the user's program would lose its stack.
 */
import * as iplb from "../../sdk";
import { InProcessHost } from "../helpers/hostDriver";
import { MiniEngine } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";

/** A preview (checks only, no API call) of `program`. */
const preview = (program: () => unknown) => runWithMocks(new MiniEngine(new InProcessHost("registration")), program as () => void, { dryRun: true });

describe("resource registration", () => {
  const limit = Error.stackTraceLimit;
  afterEach(() => (Error.stackTraceLimit = limit));

  it("keeps the program's Error.stackTraceLimit after constructing every kind of resource", async () => {
    let limitAfter: number | undefined;
    let userStack: string | undefined;
    const serviceName = "loadbalancer-1";
    Error.stackTraceLimit = 25;
    await preview(() => {
      const refresh = new iplb.Refresh("batch", { serviceName });
      const farm = new iplb.HttpFarm("web", { serviceName, zone: "gra", port: 80, refresh });
      new iplb.HttpFarmServer("web-1", { serviceName, farmId: farm.farmId, address: "10.0.0.1", status: "active", refresh });
      new iplb.TcpFarm("tcp", { serviceName, zone: "gra" });
      new iplb.HttpFrontend("front", { serviceName, zone: "gra", port: "80" });
      new iplb.FreeCertificate("cert", { serviceName, fqdn: ["www.example.org"] });
      limitAfter = Error.stackTraceLimit;
      userStack = new Error("mine").stack;
    });
    expect(limitAfter).toBe(25);
    expect(userStack!.split("\n").length).toBeGreaterThan(1);
  });

  it("puts the limit back when the registration throws", async () => {
    let thrown: unknown;
    await preview(() => {
      Error.stackTraceLimit = 25;
      try {
        new iplb.HttpFarm(undefined as unknown as string, { serviceName: "lb", zone: "gra" });
      } catch (e) {
        thrown = e;
      }
      expect(Error.stackTraceLimit).toBe(25);
    });
    expect(String(thrown)).toMatch(/name/);
  });
});

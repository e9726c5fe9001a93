import * as model from "../../provider/models/failoverIp";
import { UNKNOWN } from "../../provider/models/fields";

const LB = "loadbalancer-1";
const routed = (serviceName: string | null) => ({ routedTo: { serviceName } });
/** Old outputs of an attachment of 203.0.113.7 to LB. */
const OLDS = { serviceName: LB, ip: "203.0.113.7/32", routedTo: LB, lastTask: null };

describe("ipBlock", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7/32"],
    ["203.0.113.7/32", "203.0.113.7/32"],
    ["0.0.0.0", "0.0.0.0/32"],
  ])("normalises %s to its /32 block", (value, block) => {
    expect(model.ipBlock(value)).toBe(block);
  });

  it.each([["203.0.113.0/24"], ["203.0.113.7/"], ["203.0.113.07"], ["256.1.1.1"], ["2001:db8::1"], ["203.0.113.7/32/1"], [""], [7]])(
    "refuses %p (not one IPv4 address)",
    (value) => {
      expect(model.ipBlock(value)).toBeUndefined();
    },
  );
});

describe("checkFailoverIp", () => {
  it("accepts an address or a /32 block, with or without takeOver, and returns the inputs as given", () => {
    const news = { serviceName: LB, ip: "203.0.113.7", takeOver: true, __provider: "x" };
    expect(model.checkFailoverIp(news)).toEqual({ inputs: news, failures: [] });
    expect(model.checkFailoverIp({ serviceName: LB, ip: "203.0.113.7/32", takeOver: null }).failures).toEqual([]);
  });

  it("reports every failure at once, naming the value", () => {
    expect(model.checkFailoverIp({ serviceName: "", ip: "203.0.113.0/24", takeOver: "yes", colour: 1 }).failures).toEqual([
      { property: "colour", reason: "unknown field; allowed fields: serviceName, ip, takeOver" },
      { property: "serviceName", reason: "must not be empty" },
      { property: "ip", reason: '"203.0.113.0/24" is not an IPv4 address or /32 block (one failover IP, e.g. 203.0.113.7)' },
      { property: "takeOver", reason: '"yes" is not a boolean' },
    ]);
    expect(model.checkFailoverIp({}).failures.map((f) => f.reason)).toEqual(["a value is required", "a value is required"]);
  });

  it("leaves unknown values (preview) alone", () => {
    expect(model.checkFailoverIp({ serviceName: UNKNOWN, ip: UNKNOWN }).failures).toEqual([]);
  });
});

describe("attachPlan", () => {
  it("adopts an IP routed to the service already: nothing to move", () => {
    expect(model.attachPlan(LB, "203.0.113.12/32", routed(LB), false)).toEqual({ action: "adopt" });
  });

  it.each([[{ routedTo: null }], [routed(null)]])("moves a parked IP (%p) without take-over", (live) => {
    expect(model.attachPlan(LB, "203.0.113.10/32", live, false)).toEqual({ action: "move" });
  });

  it("refuses an IP routed to another service, naming it and the way out", () => {
    expect(model.attachPlan(LB, "203.0.113.21/32", routed("ns1.example.eu"), false)).toEqual({
      action: "refuse",
      reason:
        "203.0.113.21/32 is routed to ns1.example.eu; moving it to loadbalancer-1 would cut ns1.example.eu off from it. " +
        "Set takeOver: true to move it anyway, or park it first (POST /ip/{ip}/park)",
    });
  });

  it("moves an IP routed to another service when takeOver is set", () => {
    expect(model.attachPlan(LB, "203.0.113.21/32", routed("ns1.example.eu"), true)).toEqual({ action: "move" });
  });
});

describe("diffFailoverIp", () => {
  it("finds nothing when the IP is routed here, the address written with or without /32", () => {
    for (const ip of ["203.0.113.7", "203.0.113.7/32"]) {
      expect(model.diffFailoverIp({ serviceName: LB, ip }, OLDS, routed(LB))).toEqual({
        changes: false, replaces: [], diffs: [], detailedDiff: {}, deleteBeforeReplace: false,
      });
    }
  });

  it("ignores takeOver: it only matters on create", () => {
    expect(model.diffFailoverIp({ serviceName: LB, ip: "203.0.113.7", takeOver: true }, OLDS, routed(LB)).changes).toBe(false);
  });

  it.each([["parked", routed(null)], ["routed elsewhere", routed("ns1.example.eu")], ["routedTo null", { routedTo: null }]])(
    "shows drift as an update when the IP is %s (up moves it back)",
    (_what, live) => {
      expect(model.diffFailoverIp({ serviceName: LB, ip: "203.0.113.7" }, OLDS, live)).toEqual({
        changes: true, replaces: [], diffs: ["routedTo"], detailedDiff: { routedTo: { kind: "update", inputDiff: false } }, deleteBeforeReplace: false,
      });
    },
  );

  it("replaces on another IP, the new one routed before the old one is parked", () => {
    const result = model.diffFailoverIp({ serviceName: LB, ip: "203.0.113.8" }, OLDS, routed(LB));
    expect(result).toMatchObject({ changes: true, replaces: ["ip"], deleteBeforeReplace: false });
  });

  it("replaces on another service delete-first: parked from the old one, then routed to the new one", () => {
    const result = model.diffFailoverIp({ serviceName: "loadbalancer-2", ip: "203.0.113.7" }, OLDS, routed(LB));
    expect(result).toEqual({
      changes: true, replaces: ["serviceName"], diffs: ["serviceName"],
      detailedDiff: { serviceName: { kind: "update-replace", inputDiff: true } }, deleteBeforeReplace: true,
    });
  });

  it("replaces create-first when both change (two different IPs cannot collide)", () => {
    const result = model.diffFailoverIp({ serviceName: "loadbalancer-2", ip: "203.0.113.8" }, OLDS, routed(LB));
    expect(result).toMatchObject({ replaces: ["serviceName", "ip"], deleteBeforeReplace: false });
  });

  it("replaces when the IP left the account (GET /ip/{ip} answered 404), so the create says why", () => {
    expect(model.diffFailoverIp({ serviceName: LB, ip: "203.0.113.7" }, OLDS, undefined)).toMatchObject({ changes: true, replaces: ["ip"] });
  });

  it("replaces on an unknown ip or serviceName (preview): it may change", () => {
    expect(model.diffFailoverIp({ serviceName: UNKNOWN, ip: "203.0.113.7" }, OLDS, routed(LB)).replaces).toEqual(["serviceName"]);
    expect(model.diffFailoverIp({ serviceName: LB, ip: UNKNOWN }, OLDS, routed(LB)).replaces).toEqual(["ip"]);
  });
});

describe("outputs and ids", () => {
  it("reports where the IP is routed and the last task", () => {
    const task = model.taskOutput({ taskId: 5, function: "genericMoveFloatingIp", status: "done", comment: null });
    expect(model.failoverOutputs(LB, "203.0.113.7/32", routed("ns1.example.eu"), task)).toEqual({
      serviceName: LB, ip: "203.0.113.7/32", routedTo: "ns1.example.eu",
      lastTask: { taskId: 5, function: "genericMoveFloatingIp", status: "done", comment: null },
    });
    expect(model.failoverOutputs(LB, "203.0.113.7/32", { routedTo: null }, null).routedTo).toBeNull();
  });

  it("round-trips the id serviceName/ip/32", () => {
    const id = model.failoverResourceId(LB, "203.0.113.7/32");
    expect(id).toBe("loadbalancer-1/203.0.113.7/32");
    expect(model.parseFailoverResourceId(id)).toEqual({ serviceName: LB, ip: "203.0.113.7/32" });
  });

  it.each([["loadbalancer-1"], ["/203.0.113.7/32"], ["loadbalancer-1/203.0.113.0/24"]])("refuses the id %p, showing the format", (id) => {
    expect(() => model.parseFailoverResourceId(id)).toThrow(
      `invalid failover IP attachment id ${JSON.stringify(id)}: expected <serviceName>/<ip>/32, e.g. loadbalancer-abc/203.0.113.7/32`,
    );
  });

  it("names an IP the account does not own", () => {
    expect(model.notOwnedError("203.0.113.99/32").message).toBe(
      "FailoverIpAttachment: 203.0.113.99/32 is not an IP of this OVH account (GET /ip/{ip} answered 404)",
    );
  });
});

/**
 * The IpLoadBalancingSettings model (provider/models/serviceSettings.ts), pure: checks, the PUT bodies of create,
 * update and delete, the diff against the live service and drift. The wiring against the emulator is
 * tests/provider/serviceSettings.test.ts.
 */
import type { IpLoadbalancing } from "../../provider/api/wireService";
import * as model from "../../provider/models/serviceSettings";

const LB = "loadbalancer-1";
const live = (over: Partial<IpLoadbalancing> = {}): IpLoadbalancing => ({
  serviceName: LB, ipLoadbalancing: "192.0.2.10", ipv4: "192.0.2.10", ipv6: null, displayName: null, sslConfiguration: null,
  state: "ok", zone: ["gra"], offer: "iplb-lb1", orderableZone: [], vrackEligibility: true, vrackName: null, metricsToken: "secret", iam: null,
  ...over,
});
/** Outputs of a resource created on a service found with no display name and `intermediate`, declaring `web` and `modern`. */
const OLDS = model.settingsOutputs({ serviceName: LB, displayName: "web", sslConfiguration: "modern" }, live({ displayName: "web", sslConfiguration: "modern" }), {
  displayName: null, sslConfiguration: "intermediate",
});

describe("check", () => {
  it("accepts a service alone, and every declared field", () => {
    expect(model.checkServiceSettings({ serviceName: LB }).failures).toEqual([]);
    expect(model.checkServiceSettings({ serviceName: LB, displayName: "x".repeat(50), sslConfiguration: "modern", __provider: "p" }).failures).toEqual([]);
  });

  it("reports every bad field at once, naming what is allowed", () => {
    const { failures } = model.checkServiceSettings({ serviceName: "../x", displayName: "y".repeat(51), sslConfiguration: "old", ssl: 1 });
    expect(failures.map((f) => `${f.property}: ${f.reason}`)).toEqual([
      "ssl: unknown field; allowed fields: serviceName, displayName, sslConfiguration",
      'serviceName: "../x" is not a service name (letters, digits, "-", "_" and ".", not starting with "."; e.g. loadbalancer-ab12cd34)',
      "displayName: is 51 characters long, more than 50",
      'sslConfiguration: "old" is not one of intermediate, modern',
    ]);
  });

  it("refuses a display name of two lines", () => {
    expect(model.checkServiceSettings({ serviceName: LB, displayName: "a\nb" }).failures[0].reason).toContain("a control character (U+000A)");
  });
});

describe("toUpdate", () => {
  it("sends only the declared fields that differ from the live service", () => {
    expect(model.toUpdate({ serviceName: LB, displayName: "web" }, live())).toEqual({ displayName: "web" });
    expect(model.toUpdate({ serviceName: LB, displayName: "web", sslConfiguration: "modern" }, live({ displayName: "web" }))).toEqual({ sslConfiguration: "modern" });
    expect(model.toUpdate({ serviceName: LB }, live({ displayName: "x" }))).toEqual({});
  });

  it("puts a field no longer declared back to what was found", () => {
    const body = model.toUpdate({ serviceName: LB, displayName: "web" }, live({ displayName: "web", sslConfiguration: "modern" }), {
      declared: model.declaredIn(OLDS), found: model.foundIn(OLDS),
    });
    expect(body).toEqual({ sslConfiguration: "intermediate" });
  });
});

describe("restoreBody (delete)", () => {
  it("puts every managed field back to what was found, null included", () => {
    expect(model.restoreBody(OLDS, live({ displayName: "web", sslConfiguration: "modern" }))).toEqual({ displayName: null, sslConfiguration: "intermediate" });
  });

  it("sends nothing when the service already is as found, and never touches a field it did not manage", () => {
    expect(model.restoreBody(OLDS, live({ sslConfiguration: "intermediate" }))).toEqual({});
    const onlyName = model.settingsOutputs({ serviceName: LB, displayName: "web" }, live({ displayName: "web" }), { displayName: "old", sslConfiguration: null });
    expect(model.restoreBody(onlyName, live({ displayName: "web", sslConfiguration: "modern" }))).toEqual({ displayName: "old" });
  });
});

describe("diff and drift", () => {
  it("no change when the live service is what the program declares", () => {
    const d = model.diffServiceSettings({ serviceName: LB, displayName: "web", sslConfiguration: "modern" }, OLDS, live({ displayName: "web", sslConfiguration: "modern" }));
    expect(d).toEqual({ changes: false, replaces: [], diffs: [] });
  });

  it("a field changed outside Pulumi is both a change and drift", () => {
    const changed = live({ displayName: "console", sslConfiguration: "modern" });
    expect(model.diffServiceSettings({ serviceName: LB, displayName: "web", sslConfiguration: "modern" }, OLDS, changed).diffs).toEqual(["displayName"]);
    expect(model.driftOf(OLDS, changed)).toEqual({ changes: true, replaces: [], diffs: ["displayName"] });
  });

  it("another serviceName replaces", () => {
    expect(model.diffServiceSettings({ serviceName: "loadbalancer-2" }, OLDS, live()).replaces).toEqual(["serviceName"]);
  });
});

describe("outputs and id", () => {
  it("report the live service without its metrics token, what was found and what was declared", () => {
    expect(OLDS).toEqual({
      serviceName: LB, ipLoadbalancing: "192.0.2.10", ipv4: "192.0.2.10", ipv6: null, state: "ok", zone: ["gra"], offer: "iplb-lb1",
      displayName: "web", sslConfiguration: "modern", foundDisplayName: null, foundSslConfiguration: "intermediate",
      declaredInputs: { serviceName: LB, displayName: "web", sslConfiguration: "modern" },
    });
  });

  it("the id is the service name; anything else is refused", () => {
    expect(model.serviceSettingsModel.parseId(LB)).toEqual({ serviceName: LB });
    expect(() => model.serviceSettingsModel.parseId("a/b")).toThrow('invalid IpLoadBalancingSettings id "a/b"');
  });
});

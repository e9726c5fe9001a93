/**
 * The health rules (reads/healthRollup.ts): every HAProxy check code, each instance's verdict, the server and
 * farm roll-ups, the gates of `ovh-iplb status`, and the argument checks of the functions (reads/health.ts).
 * Pure: nothing is contacted.
 */
import type { ServerState } from "../../provider/api/wire";
import * as functions from "../../reads/health";
import * as health from "../../reads/healthRollup";

const state = (over: Partial<ServerState> = {}): ServerState => ({
  instanceId: 101, status: "UP", checkStatus: "L7OK", checkCode: "200", checkTime: "2026-01-31T10:00:00+01:00", lastCheckContent: "OK", ...over,
});
const up = state();
const refused = state({ instanceId: 102, status: "DOWN", checkStatus: "L4CON", checkCode: null, lastCheckContent: "Connection refused" });
const ini = state({ status: "UP", checkStatus: "INI", checkCode: null, checkTime: null, lastCheckContent: null });
const noCheck = state({ status: "no check", checkStatus: null, checkCode: null, checkTime: null, lastCheckContent: null });

describe("normaliseCheck", () => {
  test.each([
    ["L4OK", "OK"], ["L6OK", "OK"], ["L7OK", "OK"], ["PROCOK", "OK"],
    ["L7STS", "INVALID_STATUS_CODE"], ["L7OKC", "INVALID_STATUS_CODE"], ["PROCERR", "INVALID_STATUS_CODE"],
    ["L4TOUT", "TIMED_OUT"], ["L6TOUT", "TIMED_OUT"], ["L7TOUT", "TIMED_OUT"], ["PROCTOUT", "TIMED_OUT"],
    ["L7RSP", "HEALTH_PAYLOAD_MISMATCH"],
    ["L4CON", "CONNECT_FAILED"], ["L6RSP", "CONNECT_FAILED"], ["SOCKERR", "CONNECT_FAILED"],
    ["INI", "UNKNOWN"], ["UNK", "UNKNOWN"], ["no check", "UNKNOWN"], ["", "UNKNOWN"], ["L9XYZ", "UNKNOWN"], [null, "UNKNOWN"], [undefined, "UNKNOWN"],
  ])("maps %p to %s", (code, expected) => {
    expect(health.normaliseCheck(code)).toBe(expected);
  });

  test.each([["* L7OK", "OK"], ["L7STS/503", "INVALID_STATUS_CODE"], [" l4con ", "CONNECT_FAILED"], ["L4TOUT in 1001ms", "TIMED_OUT"]])(
    "reads HAProxy's stats-page spelling %p as %s", (code, expected) => {
      expect(health.normaliseCheck(code)).toBe(expected);
    });

  it("covers every category with at least one code, and nothing else", () => {
    expect(new Set(Object.values(health.HAPROXY_CHECK_RESULTS))).toEqual(new Set(health.CHECK_RESULTS));
  });
});

describe("instanceVerdict", () => {
  test.each<[string, Partial<ServerState>, health.Verdict]>([
    ["a passing check", {}, "pass"],
    ["a failed check while still UP (first failure from full health)", { checkStatus: "L4CON" }, "fail"],
    ["DOWN, whatever the last check says (rising back)", { status: "DOWN", checkStatus: "L7OK" }, "fail"],
    ["HAProxy's transitional DOWN 1/2", { status: "DOWN 1/2", checkStatus: "L7OK" }, "fail"],
    ["DOWN without a check code", { status: "DOWN", checkStatus: null }, "fail"],
    ["MAINT (server taken out)", { status: "MAINT", checkStatus: null }, "unknown"],
    ["a check not run yet (INI)", { checkStatus: "INI" }, "unknown"],
    ["no check", { status: "no check", checkStatus: null }, "unknown"],
    ["no status at all", { status: null, checkStatus: null }, "unknown"],
  ])("%s", (_name, over, expected) => {
    expect(health.instanceVerdict(state(over))).toBe(expected);
  });
});

describe("rollUpServer", () => {
  const probed = (serverState: ServerState[]) => health.rollUpServer({ status: "active", probe: true, serverState });

  it("is OK when every instance passes, and adds the category to each instance", () => {
    expect(probed([up, { ...up, instanceId: 102 }])).toEqual({
      status: "OK", reason: "2 of 2 instances pass", instances: [{ ...up, check: "OK" }, { ...up, instanceId: 102, check: "OK" }],
    });
  });

  it("is WARNING when some instances pass, naming the first failure", () => {
    expect(probed([up, refused])).toMatchObject({ status: "WARNING", reason: "1 of 2 instances pass (L4CON Connection refused)" });
  });

  it("is WARNING when one instance passes and the other has not checked yet", () => {
    expect(probed([up, { ...ini, instanceId: 102 }])).toMatchObject({ status: "WARNING", reason: "1 of 2 instances pass" });
  });

  it("is CRITICAL when no instance passes, with the check code in the reason", () => {
    const wrong = state({ checkStatus: "L7STS", checkCode: "503", lastCheckContent: "Service Unavailable" });
    expect(probed([wrong, { ...wrong, instanceId: 102 }])).toMatchObject({
      status: "CRITICAL", reason: "2 of 2 instances fail (L7STS 503 Service Unavailable)",
      instances: [{ check: "INVALID_STATUS_CODE" }, { check: "INVALID_STATUS_CODE" }],
    });
  });

  it("is CRITICAL when one instance fails and the other has no verdict", () => {
    expect(probed([refused, ini])).toMatchObject({ status: "CRITICAL", reason: "1 of 2 instances fail (L4CON Connection refused)" });
  });

  test.each<[string, health.ServerHealthSource, string]>([
    ["no instance has checked yet", { status: "active", probe: true, serverState: [ini, { ...ini, instanceId: 102 }] }, "no check has completed yet on its 2 instances"],
    ["there is no serverState (not live yet)", { status: "active", probe: true, serverState: [] }, "no health data yet (the server is not live)"],
    ["serverState is missing", { status: "active", probe: true }, "no health data yet (the server is not live)"],
    ["the probe is off, even if an instance reports DOWN", { status: "active", probe: false, serverState: [refused] }, "probe is off: the load balancer does not check it"],
    ["the server is inactive", { status: "inactive", probe: true, serverState: [refused] }, "inactive: takes no traffic and is not checked"],
    ["it is a UDP server (no probe field)", { status: "active", serverState: [] }, "no health check (UDP servers have no probe)"],
    ["every instance says no check", { status: "active", probe: true, serverState: [noCheck] }, "no check has completed yet on its instance"],
  ])("is UNKNOWN when %s", (_name, server, reason) => {
    expect(health.rollUpServer(server)).toMatchObject({ status: "UNKNOWN", reason });
  });
});

describe("rollUpFarm", () => {
  let nextId = 1;
  const member = (status: health.HealthStatus, over: Partial<health.FarmMember> = {}): health.FarmMember =>
    ({ serverId: nextId++, serverStatus: "active", backup: false, probe: true, status, ...over });
  beforeEach(() => (nextId = 1));

  test.each<[string, () => health.FarmMember[], health.HealthStatus, string]>([
    ["every checked server is OK", () => [member("OK"), member("OK")], "OK", "2 of 2 checked servers are OK"],
    ["inactive servers do not count", () => [member("OK"), member("CRITICAL", { serverStatus: "inactive" })], "OK", "1 of 1 checked servers are OK"],
    ["servers with the probe off do not count", () => [member("OK"), member("UNKNOWN", { probe: false })], "OK", "1 of 1 checked servers are OK"],
    ["an unchecked backup does not count", () => [member("OK"), member("UNKNOWN", { backup: true })], "OK", "1 of 1 checked servers are OK"],
    ["a failing backup leaves no fallback", () => [member("OK"), member("CRITICAL", { backup: true })], "WARNING", "1 of 1 checked servers are OK; not OK: 2 CRITICAL (backup)"],
    ["some checked servers fail", () => [member("OK"), member("CRITICAL"), member("CRITICAL")], "WARNING", "1 of 3 checked servers are OK; not OK: 2 CRITICAL, 3 CRITICAL"],
    ["one passes on one instance only", () => [member("WARNING"), member("CRITICAL")], "WARNING", "0 of 2 checked servers are OK; not OK: 1 WARNING, 2 CRITICAL"],
    ["one is OK and one has no check result yet", () => [member("OK"), member("UNKNOWN")], "WARNING", "1 of 2 checked servers are OK; not OK: 2 UNKNOWN"],
    ["no checked server passes", () => [member("CRITICAL"), member("CRITICAL")], "CRITICAL", "no checked server passes; not OK: 1 CRITICAL, 2 CRITICAL"],
    ["one fails and the other has no result yet", () => [member("CRITICAL"), member("UNKNOWN")], "CRITICAL", "no checked server passes; not OK: 1 CRITICAL, 2 UNKNOWN"],
    ["a passing backup does not save a farm whose servers all fail", () => [member("CRITICAL"), member("OK", { backup: true })], "CRITICAL", "no checked server passes; not OK: 1 CRITICAL"],
    ["no checked server has a result yet", () => [member("UNKNOWN"), member("UNKNOWN")], "UNKNOWN", "no check result yet for its 2 checked servers"],
    ["it has no server", () => [], "UNKNOWN", "no active, non-backup server with the probe on"],
    ["only backups, inactive and unprobed servers", () => [member("OK", { backup: true }), member("OK", { serverStatus: "inactive" }), member("UNKNOWN", { probe: false })], "UNKNOWN", "no active, non-backup server with the probe on"],
  ])("%s", (_name, servers, status, reason) => {
    expect(health.rollUpFarm(servers())).toEqual({ status, reason });
  });
});

describe("gates", () => {
  const server = (status: health.HealthStatus, over: Partial<health.GateMember> = {}): health.GateMember & { name: string } =>
    ({ name: `${status}${JSON.stringify(over)}`, serverStatus: "active", backup: false, probe: true, status, ...over });

  test.each<[string, health.GateMember, boolean]>([
    ["an active, probed, non-backup server", server("OK"), true],
    ["an inactive server", server("OK", { serverStatus: "inactive" }), false],
    ["a backup server", server("OK", { backup: true }), false],
    ["a server with the probe off", server("UNKNOWN", { probe: false }), false],
    ["a UDP server", server("UNKNOWN", { probe: undefined }), false],
    ["a drained server (weight 0)", server("CRITICAL", { weight: 0 }), false],
    ["a server of the default weight (null)", server("OK", { weight: null }), true],
  ])("--wait-healthy waits for %s: %p", (_name, s, gated) => {
    expect(health.isGated(s)).toBe(gated);
  });

  it("--wait-healthy waits for gated servers that are not OK, UNKNOWN (not checked yet) included", () => {
    const list = [server("OK"), server("WARNING"), server("UNKNOWN"), server("CRITICAL", { backup: true }), server("UNKNOWN", { probe: false })];
    expect(health.notYetHealthy(list)).toEqual([list[1], list[2]]);
  });

  it("the plain status fails on any active CRITICAL server, backups included, never on inactive ones", () => {
    const list = [server("CRITICAL"), server("CRITICAL", { backup: true }), server("CRITICAL", { serverStatus: "inactive" }), server("WARNING")];
    expect(health.criticalServers(list)).toEqual([list[0], list[1]]);
  });

  it("never fails on a drained server (weight 0) whose backend is down: it is being taken out on purpose", () => {
    const list = [server("CRITICAL", { weight: 0 }), server("CRITICAL", { weight: 0, backup: true }), server("CRITICAL", { weight: 2 })];
    expect(health.criticalServers(list)).toEqual([list[2]]);
    expect(health.notYetHealthy(list)).toEqual([list[2]]);
  });

  it("leaves a drained server out of its farm's roll-up, as an inactive one", () => {
    const member = (serverId: number, status: health.HealthStatus, weight: number | null) =>
      ({ serverId, serverStatus: "active", backup: false, probe: true, weight, status });
    expect(health.rollUpFarm([member(1, "OK", null), member(2, "CRITICAL", 0)])).toEqual({ status: "OK", reason: "1 of 1 checked servers are OK" });
  });
});

describe("health function arguments", () => {
  it("accepts valid arguments", () => {
    expect(() => functions.checkArgs("getServerHealth", { serviceName: "lb-1", farmType: "http", farmId: 1, serverId: 2 }, ["serviceName", "farmType", "farmId", "serverId"])).not.toThrow();
  });

  it("names the function and every wrong argument with the allowed values", () => {
    expect(() => functions.checkArgs("getFarmHealth", { serviceName: "", farmType: "web", farmId: "12" }, ["serviceName", "farmType", "farmId"])).toThrow(
      'getFarmHealth: serviceName: must not be empty; farmType: "web" is not one of http, tcp, udp; farmId: "12" is not an integer (allowed: 1 or more)',
    );
  });

  it("requires the arguments it is given to check", () => {
    expect(() => functions.checkArgs("getNatIps", {}, ["serviceName"])).toThrow("getNatIps: serviceName: a value is required");
    expect(() => functions.checkArgs("getNatIps", undefined, ["serviceName"])).toThrow("getNatIps: serviceName: a value is required");
  });
});

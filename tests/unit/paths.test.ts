import * as paths from "../../provider/api/paths";

describe("paths", () => {
  it.each([
    ["service", paths.service("lb-1"), "/ipLoadbalancing/lb-1"],
    ["farms", paths.farms("lb-1", "http"), "/ipLoadbalancing/lb-1/http/farm"],
    ["farm", paths.farm("lb-1", "tcp", 12), "/ipLoadbalancing/lb-1/tcp/farm/12"],
    ["servers", paths.servers("lb-1", "udp", 12), "/ipLoadbalancing/lb-1/udp/farm/12/server"],
    ["server", paths.server("lb-1", "http", 12, 3), "/ipLoadbalancing/lb-1/http/farm/12/server/3"],
    ["refresh", paths.refresh("lb-1"), "/ipLoadbalancing/lb-1/refresh"],
    ["tasks", paths.tasks("lb-1"), "/ipLoadbalancing/lb-1/task"],
    ["task", paths.task("lb-1", 42), "/ipLoadbalancing/lb-1/task/42"],
    ["pendingChanges", paths.pendingChanges("lb-1"), "/ipLoadbalancing/lb-1/pendingChanges"],
    ["zones", paths.zones("lb-1"), "/ipLoadbalancing/lb-1/zone"],
    ["zone", paths.zone("lb-1", "gra"), "/ipLoadbalancing/lb-1/zone/gra"],
    ["natIp", paths.natIp("lb-1"), "/ipLoadbalancing/lb-1/natIp"],
    ["instancesState", paths.instancesState("lb-1"), "/ipLoadbalancing/lb-1/instancesState"],
    ["status", paths.status("lb-1"), "/ipLoadbalancing/lb-1/status"],
    ["failover", paths.failover("lb-1"), "/ipLoadbalancing/lb-1/failover"],
    ["sslList", paths.sslList("lb-1"), "/ipLoadbalancing/lb-1/ssl"],
    ["ssl", paths.ssl("lb-1", 7), "/ipLoadbalancing/lb-1/ssl/7"],
    ["freeCertificate", paths.freeCertificate("lb-1"), "/ipLoadbalancing/lb-1/freeCertificate"],
    ["frontends", paths.frontends("lb-1", "http"), "/ipLoadbalancing/lb-1/http/frontend"],
    ["frontend", paths.frontend("lb-1", "udp", 5), "/ipLoadbalancing/lb-1/udp/frontend/5"],
    ["ip", paths.ip("203.0.113.7/32"), "/ip/203.0.113.7%2F32"],
    ["ipMove", paths.ipMove("203.0.113.7/32"), "/ip/203.0.113.7%2F32/move"],
    ["ipPark", paths.ipPark("203.0.113.7/32"), "/ip/203.0.113.7%2F32/park"],
    ["ipTasks", paths.ipTasks("203.0.113.7/32"), "/ip/203.0.113.7%2F32/task"],
    ["ipTask", paths.ipTask("203.0.113.7/32", 9), "/ip/203.0.113.7%2F32/task/9"],
  ])("builds the %s path the API documents", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it("encodes the slash of an IP block, which node-ovh leaves as is (an unencoded block 404s)", () => {
    expect(paths.ip("2001:db8::1/128")).toBe("/ip/2001%3Adb8%3A%3A1%2F128");
  });

  it.each([
    ["a slash", "lb/1", "/ipLoadbalancing/lb%2F1/http/farm/12"],
    ["a space and a question mark", "lb 1?x", "/ipLoadbalancing/lb%201%3Fx/http/farm/12"],
    ["a node-ovh placeholder", "{farmId}", "/ipLoadbalancing/%7BfarmId%7D/http/farm/12"],
  ])("encodes a service name containing %s so it stays one segment", (_what, serviceName, expected) => {
    expect(paths.farm(serviceName, "http", 12)).toBe(expected);
  });

  it("encodes ids given as strings too", () => {
    expect(paths.server("lb-1", "tcp", "1/2", "3#")).toBe("/ipLoadbalancing/lb-1/tcp/farm/1%2F2/server/3%23");
  });
});

/**
 * The text and JSON views of `ovh-iplb status` (cli/render.ts, cli/table.ts) on a hand-made snapshot: exact plain
 * text, colours that never move a column, the probe summary, and the JSON document's shape. Pure: nothing is contacted.
 */
import { describeProbe, renderJson, renderText } from "../../cli/render";
import { blocking, Snapshot } from "../../cli/status";
import { painter, table } from "../../cli/table";
import * as functions from "../../reads/health";
import type { BackendHTTPServer, BackendHttp, BackendProbe } from "../../provider/api/wire";

const T = "2026-01-31T10:00:00+00:00";
const probe: BackendProbe = { type: "http", port: null, interval: 30, method: "GET", url: "/health", match: "status", pattern: "200", negate: false, forceSsl: false };

function server(serverId: number, over: Partial<BackendHTTPServer>): BackendHTTPServer {
  return {
    serverId, backendId: 7, address: `10.0.0.${serverId}`, status: "active", port: 8080, displayName: `web-${serverId}`, weight: 1, backup: false,
    probe: true, ssl: false, chain: null, cookie: null, proxyProtocolVersion: null, onMarkedDown: null,
    serverState: [101, 102].map((instanceId) => ({ instanceId, status: "UP", checkStatus: "L7OK", checkCode: "200", checkTime: T, lastCheckContent: "OK" })),
    ...over,
  };
}

function snapshot(): Snapshot {
  const farm: BackendHttp = { farmId: 7, zone: "gra", port: 8080, displayName: "web", balance: null, stickiness: "cookie", probe, vrackNetworkId: null };
  const down = [101, 102].map((instanceId) => ({ instanceId, status: "DOWN", checkStatus: "L4CON", checkCode: null, checkTime: T, lastCheckContent: "Connection refused" }));
  const servers = [server(1, {}), server(2, { serverState: down }), server(3, { probe: false, backup: true, serverState: [] })].map((s) => functions.serverHealth("http", s));
  return {
    serviceName: "lb-1", displayName: null, state: "ok", zones: ["gra"],
    farms: [functions.farmHealth("http", farm, servers)],
    instances: [{ internalId: 101, zone: "gra", state: "running", lastUpdateDate: T }],
    pendingChanges: [{ zone: "gra", number: 2 }],
    natIps: [{ zone: "gra", ip: ["198.51.100.0/27"] }],
  };
}

describe("renderText", () => {
  it("prints the farm, the manager's columns per instance, the service sections and the blocking servers", () => {
    const snap = snapshot();
    expect(renderText(snap, blocking(snap, false), painter(false))).toBe(
      [
        "IP Load Balancer lb-1  state ok · zones gra",
        "",
        "HTTP farm 7 \"web\" · zone gra · port 8080 · balance roundrobin · stickiness cookie · probe http GET /health status 200 every 30 s  WARNING (1 of 2 checked servers are OK; not OK: 2 CRITICAL)",
        "  Server                          Health    Instance  Status  Check code  Check status  Last check content  Check time",
        `  1 web-1 10.0.0.1:8080           OK        101       UP      200         L7OK          OK                  ${T}`,
        `                                            102       UP      200         L7OK          OK                  ${T}`,
        `  2 web-2 10.0.0.2:8080           CRITICAL  101       DOWN                L4CON         Connection refused  ${T}`,
        `                                            102       DOWN                L4CON         Connection refused  ${T}`,
        "  3 web-3 10.0.0.3:8080 [backup]  UNKNOWN   -",
        "  2: CRITICAL, 2 of 2 instances fail (L4CON Connection refused)",
        "  3: UNKNOWN, probe is off: the load balancer does not check it",
        "",
        "LB instances",
        "  Instance  Zone  State    Last update",
        `  101       gra   running  ${T}`,
        "",
        "Pending changes",
        "  Zone  Changes",
        "  gra   2",
        "",
        "NAT IPs (allow them in the servers' firewalls)",
        "  Zone  Subnets",
        "  gra   198.51.100.0/27",
        "",
        "Servers: 1 OK, 0 WARNING, 1 CRITICAL, 1 UNKNOWN",
        "  ! http farm 7 server 2 \"web-2\" 10.0.0.2:8080: CRITICAL, 2 of 2 instances fail (L4CON Connection refused)",
        "",
      ].join("\n"),
    );
  });

  it("colours statuses on a terminal without moving any column", () => {
    const snap = snapshot();
    const coloured = renderText(snap, blocking(snap, false), painter(true));
    expect(coloured).toContain("\x1b[32mOK\x1b[0m");
    expect(coloured).toContain("\x1b[31mCRITICAL\x1b[0m");
    expect(coloured).toContain("\x1b[31mL4CON\x1b[0m");
    expect(coloured.replace(/\x1b\[\d+m/g, "")).toBe(renderText(snap, blocking(snap, false), painter(false)));
  });
});

describe("table", () => {
  it("pads on the plain text and trims trailing spaces", () => {
    expect(table(["A", "Long header"], [["x", ""], [{ text: "yyyy", style: "red" }, "z"]], painter(false))).toEqual(["  A     Long header", "  x", "  yyyy  z"]);
  });
});

describe("describeProbe", () => {
  test.each<[BackendProbe | null, string]>([
    [null, "default (tcp)"],
    [probe, "http GET /health status 200 every 30 s"],
    [{ ...probe, type: "tcp", method: null, url: null, match: "contains", pattern: "+PONG", negate: true, port: 6380, interval: 60 }, "tcp port 6380 not contains +PONG every 60 s"],
    [{ ...probe, match: "default", pattern: null, forceSsl: true, interval: null, method: null, url: null }, "http OPTIONS (default) / (default) ssl every 30 s"],
  ])("%j -> %s", (p, text) => {
    expect(describeProbe(p)).toBe(text);
  });
});

describe("renderJson", () => {
  it("gives the snapshot, the counts, the servers that decide the exit code, and the exit code", () => {
    const snap = snapshot();
    const doc = JSON.parse(renderJson(snap, blocking(snap, false), 1));
    expect(Object.keys(doc)).toEqual(["serviceName", "displayName", "state", "zones", "farms", "instances", "pendingChanges", "natIps", "summary", "blocking", "exitCode"]);
    expect(doc.summary).toEqual({ OK: 1, WARNING: 0, CRITICAL: 1, UNKNOWN: 1 });
    expect(doc.blocking).toEqual([{ farmType: "http", farmId: 7, serverId: 2, displayName: "web-2", address: "10.0.0.2", port: 8080, status: "CRITICAL", reason: "2 of 2 instances fail (L4CON Connection refused)" }]);
    expect(doc.farms[0].servers[1].instances[0]).toEqual({ instanceId: 101, status: "DOWN", checkStatus: "L4CON", checkCode: null, checkTime: T, lastCheckContent: "Connection refused", check: "CONNECT_FAILED" });
  });
});

/**
 * One object of every family, created through the official client so that every in-scope GET path of the schema
 * has something to answer: farms (http with an http probe, tcp with a tcp probe, udp), a server and a frontend per
 * protocol, an http and a tcp route (sending its frontend's traffic to its farm) with one rule, a custom certificate
 * (the bundled loopback certificate), a free certificate, an IP moved then another parked, a refresh (so servers
 * carry serverState), then one more staged change (so pendingChanges is not empty).
 * A failing step is recorded, not thrown: the paths that need its id fail with that reason.
 */
import * as fs from "fs";
import * as path from "path";
import type { OvhClient } from "ovh";
import { Emulator, eventually, svcPath } from "./emulator";

export const ROUTED_FQDN = "www.example.net";
export const MOVED_IP = "203.0.113.10/32";
export const PARKED_IP = "203.0.113.12/32";
const PROTOCOLS = ["http", "tcp", "udp"] as const;
type Protocol = (typeof PROTOCOLS)[number];

export interface Fixtures {
  ids: Record<string, number>;
  /** Answers of the create calls, by schema path (`POST /ipLoadbalancing/{serviceName}/http/farm`). */
  created: Record<string, unknown>;
  /** Step -> why it failed (`http farm: POST ... -> 404 Got an invalid (or empty) URL`). */
  failures: Record<string, string>;
}

const FARM_BODIES: Record<Protocol, object> = {
  http: { zone: "gra", port: 8080, balance: "roundrobin", stickiness: "cookie", displayName: "web", probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 } },
  tcp: { zone: "rbx", port: 5432, balance: "leastconn", stickiness: "sourceIp", probe: { type: "tcp", interval: 30 } },
  udp: { zone: "gra", port: 5353, displayName: "dns" },
};
const SERVER_BODIES: Record<Protocol, object> = {
  http: { address: "127.0.0.1", status: "active", port: 9, weight: 2, probe: true, displayName: "web-1" },
  tcp: { address: "127.0.0.1", status: "active", port: 9, probe: true },
  udp: { address: "127.0.0.1", status: "active", port: 9 },
};
const FRONTEND_PORTS: Record<Protocol, { zone: string; port: string }> = { http: { zone: "gra", port: "80" }, tcp: { zone: "rbx", port: "5432" }, udp: { zone: "gra", port: "53" } };
const RULE_BODIES = {
  http: { field: "host", match: "is", pattern: ROUTED_FQDN, displayName: "vhost" },
  tcp: { field: "sni", match: "is", pattern: ROUTED_FQDN },
};

const describeError = (e: unknown) => {
  const err = e as { error?: unknown; message?: unknown };
  return err && typeof err === "object" && "error" in err ? `${String(err.error)} ${String(err.message)}` : String(e);
};

export async function createFixtures(emu: Emulator, client: OvhClient): Promise<Fixtures> {
  const fx: Fixtures = { ids: {}, created: {}, failures: {} };
  const S = "/ipLoadbalancing/{serviceName}";
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      fx.failures[name] = describeError(e);
    }
  };
  const post = async (schemaPath: string, realPath: string, body?: object) => {
    const answer = await client.requestPromised("POST", realPath, body ? { ...body } : {}).catch((e: unknown) => {
      throw new Error(`POST ${schemaPath} -> ${describeError(e)}`);
    });
    fx.created[`POST ${schemaPath}`] = answer;
    return answer as Record<string, unknown>;
  };
  const taskDone = (get: string, what: string) =>
    eventually(async () => ["done", "error", "ovhError", "customerError", "cancelled"].includes(((await client.requestPromised("GET", get)) as { status: string }).status), 5000, what);

  for (const p of PROTOCOLS) {
    await step(`${p} farm`, async () => void (fx.ids[`${p}.farmId`] = (await post(`${S}/${p}/farm`, svcPath(emu, `/${p}/farm`), FARM_BODIES[p])).farmId as number));
  }
  for (const p of PROTOCOLS) {
    await step(`${p} server`, async () => {
      const farmId = need(fx, `${p}.farmId`);
      fx.ids[`${p}.serverId`] = (await post(`${S}/${p}/farm/{farmId}/server`, svcPath(emu, `/${p}/farm/${farmId}/server`), SERVER_BODIES[p])).serverId as number;
    });
    await step(`${p} frontend`, async () => {
      const body = { ...FRONTEND_PORTS[p], defaultFarmId: need(fx, `${p}.farmId`), displayName: `${p} front` };
      fx.ids[`${p}.frontendId`] = (await post(`${S}/${p}/frontend`, svcPath(emu, `/${p}/frontend`), body)).frontendId as number;
    });
  }
  for (const p of ["http", "tcp"] as const) {
    await step(`${p} route`, async () => {
      const body = { frontendId: need(fx, `${p}.frontendId`), displayName: `${p} route`, weight: 1, action: { type: "farm", target: String(need(fx, `${p}.farmId`)) } };
      fx.ids[`${p}.routeId`] = (await post(`${S}/${p}/route`, svcPath(emu, `/${p}/route`), body)).routeId as number;
    });
    await step(`${p} route rule`, async () => {
      const routeId = need(fx, `${p}.routeId`);
      fx.ids[`${p}.ruleId`] = (await post(`${S}/${p}/route/{routeId}/rule`, svcPath(emu, `/${p}/route/${routeId}/rule`), RULE_BODIES[p])).ruleId as number;
    });
  }
  await step("custom certificate", async () => {
    const dir = path.dirname(emu.caFile);
    const body = { certificate: fs.readFileSync(path.join(dir, "server.pem"), "utf8"), key: fs.readFileSync(path.join(dir, "server-key.pem"), "utf8"), displayName: "loopback" };
    fx.ids["ssl.id"] = (await post(`${S}/ssl`, svcPath(emu, "/ssl"), body)).id as number;
  });
  await step("free certificate", async () => {
    const task = await post(`${S}/freeCertificate`, svcPath(emu, "/freeCertificate"), { fqdn: [ROUTED_FQDN] });
    await taskDone(svcPath(emu, `/task/${task.id}`), "free certificate task");
  });
  await step("ip move", async () => {
    const task = await post("/ip/{ip}/move", `/ip/${encodeURIComponent(MOVED_IP)}/move`, { to: emu.serviceName });
    fx.ids["ip.taskId"] = task.taskId as number;
    await taskDone(`/ip/${encodeURIComponent(MOVED_IP)}/task/${task.taskId}`, "ip move task");
  });
  await step("ip park", async () => {
    const task = await post("/ip/{ip}/park", `/ip/${encodeURIComponent(PARKED_IP)}/park`);
    await taskDone(`/ip/${encodeURIComponent(PARKED_IP)}/task/${task.taskId}`, "ip park task");
  });
  await step("refresh", async () => {
    const task = await post(`${S}/refresh`, svcPath(emu, "/refresh"));
    fx.ids["task.id"] = task.id as number;
    await taskDone(svcPath(emu, `/task/${task.id}`), "refresh task");
  });
  await step("staged change after refresh", async () => {
    await client.requestPromised("PUT", svcPath(emu, `/http/farm/${need(fx, "http.farmId")}`), { displayName: "web, renamed" });
  });
  return fx;
}

function need(fx: Fixtures, key: string): number {
  if (fx.ids[key] === undefined) throw new Error(`no ${key} (an earlier step failed)`);
  return fx.ids[key];
}

/** The concrete URL of a schema path: `{farmId}` in `/http/farm/{farmId}` is the http farm, and so on. */
export function concretePath(schemaPath: string, emu: Emulator, fx: Fixtures): string {
  const protocol = /\/(http|tcp|udp)\//.exec(schemaPath)?.[1];
  return schemaPath.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "serviceName") return emu.serviceName;
    if (name === "name") return "gra";
    if (name === "ip") return encodeURIComponent(MOVED_IP);
    const key = name === "id" ? (schemaPath.includes("/ssl/") ? "ssl.id" : "task.id") : name === "taskId" ? "ip.taskId" : `${protocol}.${name}`;
    if (fx.ids[key] === undefined) {
      const reasons = Object.entries(fx.failures).map(([s, why]) => `${s}: ${why}`).join("; ");
      throw new Error(`no value for {${name}} (${key}): fixture creation failed — ${reasons || "no failure recorded"}`);
    }
    return String(fx.ids[key]);
  });
}

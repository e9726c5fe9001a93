/**
 * How `ovh-iplb status` prints a snapshot: for people, each farm and under it each server with its roll-up and, per
 * LB instance, the columns of the OVH manager (Status, Check code, Check status, Last check content, Check time), then
 * the instances, the pending changes per zone and the NAT IPs; for machines (`--json`), the same data as one object.
 * Against an emulator that carries traffic, each server also gets its traffic counters (traffic.ts): a Traffic column
 * after Health, and `traffic` in the JSON; without them neither appears.
 */
import type * as wire from "../provider/api/wire";
import * as probeModel from "../provider/models/probe";
import type { FarmHealth, ServerHealth } from "../reads/health";
import type { CheckResult, HealthStatus } from "../reads/healthRollup";
import { HEALTH_STATUSES } from "../reads/healthRollup";
import type { FarmServer, Snapshot } from "./status";
import { clip, Painter, Row, Style, table } from "./table";
import { type ServerTraffic, type TrafficByServer, trafficCell } from "./traffic";

const HEALTH_STYLE: Record<HealthStatus, Style> = { OK: "green", WARNING: "yellow", CRITICAL: "red", UNKNOWN: "dim" };

export const SERVER_COLUMNS = ["Server", "Health", "Instance", "Status", "Check code", "Check status", "Last check content", "Check time"];

/** The server's own columns first (label, roll-up, traffic), then those of each LB instance. */
export const TRAFFIC_COLUMN = "Traffic";
export const serverColumns = (traffic: boolean): string[] => (traffic ? [...SERVER_COLUMNS.slice(0, 2), TRAFFIC_COLUMN, ...SERVER_COLUMNS.slice(2)] : SERVER_COLUMNS);

function statusStyle(status: string | null): Style | undefined {
  if (status === null) return undefined;
  if (/^UP/i.test(status)) return "green";
  return /^DOWN/i.test(status) ? "red" : undefined;
}

function checkStyle(check: CheckResult): Style | undefined {
  if (check === "OK") return "green";
  return check === "UNKNOWN" ? undefined : "red";
}

/**
 * `probe http GET /health status 200 every 30 s`: what is configured; where a field is unset, the value the service
 * uses, marked `(default)` for the method and url, so "OPTIONS (default)" tells why a server that refuses OPTIONS fails.
 */
export function describeProbe(probe: wire.BackendProbe | null): string {
  if (probe === null) return `default (${probeModel.PROBE_DEFAULT_TYPE})`;
  const match = probe.match && probe.match !== "default" ? `${probe.negate ? "not " : ""}${probe.match} ${probe.pattern ?? ""}`.trim() : "";
  const parts = [
    probe.type ?? probeModel.PROBE_DEFAULT_TYPE,
    probe.type === "http" ? probe.method ?? `${probeModel.PROBE_DEFAULT_METHOD} (default)` : "",
    probe.type === "http" ? probe.url ?? `${probeModel.PROBE_DEFAULT_URL} (default)` : "",
    probe.port !== null ? `port ${probe.port}` : "",
    match,
    probe.forceSsl ? "ssl" : "",
    `every ${probe.interval ?? probeModel.PROBE_DEFAULT_INTERVAL} s`,
  ];
  return parts.filter((p) => p !== "").join(" ");
}

export function farmLine(farm: FarmHealth, paint: Painter): string {
  const name = farm.displayName ? ` "${farm.displayName}"` : "";
  const parts = [`${farm.farmType.toUpperCase()} farm ${farm.farmId}${name}`, `zone ${farm.zone}`, `port ${farm.port ?? "(frontend's)"}`];
  if (farm.farmType !== "udp") {
    parts.push(`balance ${farm.balance ?? "roundrobin"}`, `stickiness ${farm.stickiness ?? "none"}`, `probe ${describeProbe(farm.probe)}`);
  }
  return `${paint(parts.join(" · "), "bold")}  ${paint(farm.status, HEALTH_STYLE[farm.status])} (${farm.reason})`;
}

function serverLabel(s: ServerHealth): string {
  const tags = [s.serverStatus === "inactive" ? "inactive" : "", s.backup ? "backup" : "", s.weight === 0 ? "drained" : ""].filter((t) => t !== "");
  const name = s.displayName ? ` ${s.displayName}` : "";
  return `${s.serverId}${name} ${s.address}${s.port !== null ? `:${s.port}` : ""}${tags.length ? ` [${tags.join(", ")}]` : ""}`;
}

function serverRows(farm: FarmHealth, s: ServerHealth, traffic: TrafficByServer | undefined): Row[] {
  const first: Row = [serverLabel(s), { text: s.status, style: HEALTH_STYLE[s.status] }];
  if (traffic) first.push(trafficCell(farm.farmType, traffic.get(s.serverId)));
  if (s.instances.length === 0) return [[...first, "-"]];
  return s.instances.map((i, n) => [
    ...(n === 0 ? first : first.map(() => "")),
    String(i.instanceId),
    { text: i.status ?? "", style: statusStyle(i.status) },
    i.checkCode ?? "",
    { text: i.checkStatus ?? "", style: checkStyle(i.check) },
    clip(i.lastCheckContent ?? "", 40),
    i.checkTime ?? "",
  ]);
}

function farmSection(farm: FarmHealth, paint: Painter, traffic: TrafficByServer | undefined): string[] {
  const lines = [farmLine(farm, paint)];
  if (farm.servers.length === 0) return [...lines, "  (no servers)"];
  lines.push(...table(serverColumns(traffic !== undefined), farm.servers.flatMap((s) => serverRows(farm, s, traffic)), paint));
  for (const s of farm.servers.filter((x) => x.status !== "OK")) lines.push(`  ${s.serverId}: ${paint(s.status, HEALTH_STYLE[s.status])}, ${s.reason}`);
  return lines;
}

/** `http farm 12 server 34 "web-1" 127.0.0.1:8080: CRITICAL, 2 of 2 instances fail (L4CON Connection refused)` */
export function describeServer({ farm, server }: FarmServer): string {
  const name = server.displayName ? ` "${server.displayName}"` : "";
  const port = server.port !== null ? `:${server.port}` : "";
  return `${farm.farmType} farm ${farm.farmId} server ${server.serverId}${name} ${server.address}${port}: ${server.status}, ${server.reason}`;
}

export function countByStatus(list: { status: HealthStatus }[]): Record<HealthStatus, number> {
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const item of list) counts[item.status]++;
  return counts;
}

function serviceSections(snapshot: Snapshot, paint: Painter): string[] {
  const title = (t: string) => paint(t, "bold");
  const instances = snapshot.instances.map((i): Row => [String(i.internalId), i.zone, { text: i.state, style: i.state === "running" ? "green" : i.state === "dead" ? "red" : "yellow" }, i.lastUpdateDate]);
  const pending = snapshot.pendingChanges.map((p): Row => [p.zone, { text: String(p.number), style: p.number > 0 ? "yellow" : undefined }]);
  const nat = snapshot.natIps.map((n): Row => [n.zone, n.ip.join(", ")]);
  return [
    title("LB instances"), ...(instances.length ? table(["Instance", "Zone", "State", "Last update"], instances, paint) : ["  (none)"]), "",
    title("Pending changes"), ...table(["Zone", "Changes"], pending, paint), "",
    title("NAT IPs (allow them in the servers' firewalls)"), ...(nat.length ? table(["Zone", "Subnets"], nat, paint) : ["  (none)"]),
  ];
}

/**
 * The whole view for people. `blocking` are the servers that decide the exit code (listed at the end); `traffic`, the
 * emulator's counters when it carries traffic (absent: no Traffic column).
 */
export function renderText(snapshot: Snapshot, blocking: FarmServer[], paint: Painter, traffic?: TrafficByServer): string {
  const name = snapshot.displayName ? ` "${snapshot.displayName}"` : "";
  const lines = [paint(`IP Load Balancer ${snapshot.serviceName}${name}`, "bold") + `  state ${snapshot.state} · zones ${snapshot.zones.join(", ")}`, ""];
  for (const farm of snapshot.farms) lines.push(...farmSection(farm, paint, traffic), "");
  if (snapshot.farms.length === 0) lines.push("(no farms)", "");
  lines.push(...serviceSections(snapshot, paint), "");
  const counts = countByStatus(snapshot.farms.flatMap((f) => f.servers));
  const summary = HEALTH_STATUSES.map((s) => `${counts[s]} ${s}`).join(", ");
  lines.push(`Servers: ${summary}`);
  for (const b of blocking) lines.push(`  ${paint("!", "red")} ${describeServer(b)}`);
  return lines.join("\n") + "\n";
}

/**
 * Each server with `traffic` (its counters, or null: UDP, or not live yet), only when the emulator carries traffic, so
 * that the document stays as `getFarmHealth` gives the farms otherwise.
 */
function withTraffic(farms: FarmHealth[], traffic: TrafficByServer | undefined) {
  if (!traffic) return farms;
  const of = (farm: FarmHealth, s: ServerHealth): ServerTraffic | null => (farm.farmType === "udp" ? null : traffic.get(s.serverId) ?? null);
  return farms.map((farm) => ({ ...farm, servers: farm.servers.map((s) => ({ ...s, traffic: of(farm, s) })) }));
}

/** The `--json` document: the snapshot, server counts, and the servers that decided the exit code. */
export function renderJson(snapshot: Snapshot, blocking: FarmServer[], exitCode: number, traffic?: TrafficByServer): string {
  const doc = {
    ...snapshot,
    farms: withTraffic(snapshot.farms, traffic),
    summary: countByStatus(snapshot.farms.flatMap((f) => f.servers)),
    blocking: blocking.map(({ farm, server }) => ({
      farmType: farm.farmType, farmId: farm.farmId, serverId: server.serverId, displayName: server.displayName,
      address: server.address, port: server.port, status: server.status, reason: server.reason,
    })),
    exitCode,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

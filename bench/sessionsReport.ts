/**
 * The report's section on sessions broken per deployment (bench/sessions.ts): for each stack, zones and scenario, the
 * providers and modes side by side, with the refreshes that broke the sessions.
 */
import { SCENARIOS, SCENARIO_TITLES } from "./floor";
import type { SessionCounts, SessionSettings } from "./sessions";
import type { Row } from "./report";

/** How a row ran: its mode, and `naive` for the provider that refreshes after each write. */
export const variantOf = (r: Pick<Row, "mode" | "provider">): string => (r.provider === "naive" ? `${r.mode}, naive` : r.mode);

/** `closes c, moves m` with what ended (the frontend went away); "-" when no session could be opened (no frontend yet). */
export function sessionsCell(s: SessionCounts | undefined): string {
  if (!s) return "-";
  const ended = s.ended > 0 ? ` (${s.ended} ended)` : "";
  const lost = s.stickyLost > 0 ? ` (${s.stickyLost} lost)` : "";
  return `closes ${s.closes}${ended}, moves ${s.stickyMoves}${lost}`;
}

const ORDER = ["immediate", "batch", "immediate, naive"];

/** One line per stack, zones, scenario and variant, in the scenarios' order, the naive provider last. */
export function sessionsTable(rows: Row[]): string {
  const rank = (r: Row) => [r.size, r.zones, SCENARIOS.indexOf(r.scenario), ORDER.indexOf(variantOf(r))] as const;
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0].localeCompare(y[0], undefined, { numeric: true }) || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
  });
  const head = "| stack | zones | scenario | mode, provider | refreshes | keep-alive closes | sticky moves | wall s |";
  const rule = "|---|---:|---|---|---:|---:|---:|---:|";
  const lines = sorted.map((r) => {
    const s = r.sessions;
    const closes = s ? `${s.closes}${s.ended > 0 ? ` (${s.ended} ended)` : ""}` : "-";
    const moves = s ? `${s.stickyMoves}${s.stickyLost > 0 ? ` (${s.stickyLost} lost)` : ""}` : "-";
    return `| ${r.size} | ${r.zones} | ${SCENARIO_TITLES[r.scenario]} | ${variantOf(r)} | ${r.api.refreshes} | ${closes} | ${moves} | ${(r.wallMs / 1000).toFixed(2)} |`;
  });
  return [head, rule, ...lines].join("\n");
}

export function sessionsMarkdown(rows: Row[], settings: SessionSettings | undefined): string {
  if (!settings || !rows.some((r) => r.sessions)) return "";
  return [
    "",
    "",
    "### Sessions broken per deployment",
    "",
    `Before each command, ${settings.keepAlive} keep-alive connections and ${settings.sticky} sourceIp-sticky clients go through the ` +
      "stack's HTTP frontends on the emulator's data plane, spread evenly (bench/sessions.ts). **keep-alive closes**: how many times " +
      "the balancer closed one of the connections during the command (each reconnects at once, so a connection is closed again by " +
      "each refresh of its zone; `ended`: its frontend stopped listening). **sticky moves**: how many times a sticky client was " +
      "answered by another server than before (asked after every close and at the end; `lost`: its frontend stopped listening). " +
      "**naive**: the provider with each write refreshing alone (`OVH_IPLB_REFRESH_EACH_WRITE`, provider/config.ts). " +
      "A first deployment has no frontend before it: nothing to break.",
    "",
    sessionsTable(rows),
  ].join("\n");
}

/**
 * Frontend models per protocol (`ipLoadbalancing.frontendHttp.FrontendHttp`, `...frontendTcp.FrontendTcp`,
 * `...frontendUdp.FrontendUdp`), ovh-iplb-api.md 9. Unlike farms, a frontend's `zone` is writable. `port` is a
 * string: one port, a range `a-b`, or a comma list of both, each port 1..49151.
 */
import { invalidField } from "../errors";
import type { Protocol } from "../store";
import type { ModelSpec } from "../validate";
import { ModelTable, PORT_MAX, PORT_MIN } from "./spec";

const ipBlocks = { type: "ipBlock[]", nullable: true } as const;

const base: ModelSpec = {
  dedicatedIpfo: ipBlocks,
  defaultFarmId: { type: "integer", nullable: true },
  disabled: { type: "boolean" },
  displayName: { type: "string", nullable: true },
  frontendId: { type: "integer", readOnly: true },
  port: { type: "string", required: true },
  zone: { type: "string", required: true },
};

const tcp: ModelSpec = {
  ...base,
  allowedSource: ipBlocks,
  defaultSslId: { type: "integer", nullable: true },
  deniedSource: ipBlocks,
  ssl: { type: "boolean" },
  vrackNetworkId: { type: "integer", nullable: true, readOnly: true },
  vrackVrouterId: { type: "integer", nullable: true, readOnly: true },
};

export const FRONTEND_MODELS: Record<Protocol, ModelTable> = {
  http: {
    schemaModel: "ipLoadbalancing.frontendHttp.FrontendHttp",
    spec: {
      ...tcp,
      hsts: { type: "boolean" },
      httpHeader: { type: "string[]", nullable: true },
      redirectLocation: { type: "string", nullable: true },
    },
    createOnly: [],
    defaults: { disabled: false, ssl: false, hsts: false },
  },
  tcp: { schemaModel: "ipLoadbalancing.frontendTcp.FrontendTcp", spec: tcp, createOnly: [], defaults: { disabled: false, ssl: false } },
  udp: { schemaModel: "ipLoadbalancing.frontendUdp.FrontendUdp", spec: base, createOnly: [], defaults: { disabled: false } },
};

/** List filters of `GET .../frontend` (`port` is a `like` filter); UDP frontends have no `defaultSslId`. */
export const FRONTEND_FILTERS = {
  http: { defaultFarmId: "integer", defaultSslId: "integer", port: "string", zone: "string" },
  tcp: { defaultFarmId: "integer", defaultSslId: "integer", port: "string", zone: "string" },
  udp: { defaultFarmId: "integer", port: "string", zone: "string" },
} as const;

/** Checks `"80"`, `"8000-8010"`, `"80,443,8000-8010"`: every port 1..49151, ranges low to high, no blanks. */
export function checkFrontendPort(value: string): void {
  const fail = () => invalidField("port", value, `is not a port, a port range or a comma-separated list of them (ports ${PORT_MIN}..${PORT_MAX})`);
  for (const part of value.split(",")) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) throw fail();
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (low < PORT_MIN || high > PORT_MAX || low > high) throw fail();
  }
}

/**
 * Farm models per protocol (`ipLoadbalancing.backendHttp.BackendHttp`, `...backendTcp.BackendTcp`,
 * `...backendUdp.BackendUdp`): one table, the protocols differing only in their balance/stickiness enums and in
 * whether probes apply (ovh-iplb-api.md 5.2). UDP farms have no balance, stickiness or probe, and their port is
 * required and not nullable.
 */
import type { Protocol } from "../store";
import type { FieldSpec, ModelSpec } from "../validate";
import { PROBE_SPEC } from "./probe";
import { ModelTable, PORT_MAX, PORT_MIN } from "./spec";

export const BALANCE_HTTP = ["first", "leastconn", "roundrobin", "source", "uri"] as const;
export const BALANCE_TCP = ["first", "leastconn", "roundrobin", "source"] as const;
export const STICKINESS_HTTP = ["cookie", "sourceIp"] as const;
export const STICKINESS_TCP = ["sourceIp"] as const;

const common: ModelSpec = {
  displayName: { type: "string", nullable: true },
  farmId: { type: "integer", readOnly: true },
  vrackNetworkId: { type: "integer", nullable: true },
  zone: { type: "string", readOnly: true, required: true },
};

const port: FieldSpec = { type: "integer", nullable: true, min: PORT_MIN, max: PORT_MAX };
const probe: FieldSpec = { type: "object", nullable: true, fields: PROBE_SPEC };

function balanced(balance: readonly string[], balanceEnum: string, stickiness: readonly string[], stickinessEnum: string): ModelSpec {
  return {
    ...common,
    port,
    probe,
    balance: { type: "string", nullable: true, enum: balance, enumName: balanceEnum },
    stickiness: { type: "string", nullable: true, enum: stickiness, enumName: stickinessEnum },
  };
}

export const FARM_MODELS: Record<Protocol, ModelTable> = {
  http: {
    schemaModel: "ipLoadbalancing.backendHttp.BackendHttp",
    spec: balanced(BALANCE_HTTP, "ipLoadbalancing.BalanceHTTPEnum", STICKINESS_HTTP, "ipLoadbalancing.StickinessHTTPEnum"),
    createOnly: ["zone"],
    defaults: {},
  },
  tcp: {
    schemaModel: "ipLoadbalancing.backendTcp.BackendTcp",
    spec: balanced(BALANCE_TCP, "ipLoadbalancing.BalanceTCPEnum", STICKINESS_TCP, "ipLoadbalancing.StickinessTCPEnum"),
    createOnly: ["zone"],
    defaults: {},
  },
  udp: {
    schemaModel: "ipLoadbalancing.backendUdp.BackendUdp",
    spec: { ...common, port: { type: "integer", required: true, min: PORT_MIN, max: PORT_MAX } },
    createOnly: ["zone"],
    defaults: {},
  },
};

/** List filters of `GET .../farm`. */
export const FARM_FILTERS = { zone: "string", vrackNetworkId: "integer" } as const;

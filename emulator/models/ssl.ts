/**
 * `ipLoadbalancing.Ssl.Ssl` (ovh-iplb-api.md 8): every field is read-only except `displayName`. The PEM material is
 * write-only (POST body, `SSL_CREATE_SPEC`) and is not a property of the model. The fidelity test compares `SSL_SPEC`
 * with the official schema.
 */
import type { ModelSpec } from "../validate";

/**
 * `built`: ordered from OVH and delivered (an order is delivered only when every name points to the load balancer);
 * `built_not_routed`: delivered, but a name no longer validates, usually because DNS moved away (ovh/docs
 * pages/network/load_balancer/create_faq/guide.en-gb.md); `custom`: uploaded. handlers/ssl.ts moves between the first two.
 */
export const SSL_TYPES = ["built", "built_not_routed", "custom"] as const;

export const SSL_SCHEMA_MODEL = "ipLoadbalancing.Ssl.Ssl";

export const SSL_SPEC: ModelSpec = {
  displayName: { type: "string", nullable: true },
  expireDate: { type: "string", readOnly: true },
  fingerprint: { type: "string", readOnly: true },
  id: { type: "integer", readOnly: true },
  san: { type: "string[]", readOnly: true },
  serial: { type: "string", readOnly: true },
  subject: { type: "string", readOnly: true },
  type: { type: "string", readOnly: true, nullable: true, enum: SSL_TYPES, enumName: "ipLoadbalancing.SslTypeEnum" },
};

/** Body of `POST .../ssl` (not the model: the schema declares it inline). */
export const SSL_CREATE_SPEC: ModelSpec = {
  certificate: { type: "text", required: true },
  chain: { type: "text" },
  displayName: { type: "string" },
  key: { type: "text", required: true },
};

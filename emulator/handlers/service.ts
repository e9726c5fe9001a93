/**
 * The service itself and its read-only views: `GET/PUT /ipLoadbalancing/{serviceName}`, zones, NAT IPs, instance
 * states, pending changes, status, and the helper lists (available probes and types, defined farms/frontends).
 */
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import { instancesOf } from "../runtime";
import { isoNow, PROTOCOLS } from "../store";
import { validateUpdate, ModelSpec } from "../validate";
import { Ctx, missing, serviceOf } from "./common";
import { AVAILABLE_FARM_PROBES } from "../models/probe";

const SERVICE_SPEC: ModelSpec = {
  serviceName: { type: "string", readOnly: true },
  ipLoadbalancing: { type: "string", readOnly: true },
  ipv4: { type: "string", readOnly: true, nullable: true },
  ipv6: { type: "string", readOnly: true, nullable: true },
  displayName: { type: "string", nullable: true, max: 50 },
  sslConfiguration: { type: "string", nullable: true, enum: ["intermediate", "modern"], enumName: "SslConfigurationEnum" },
  state: { type: "string", readOnly: true },
  zone: { type: "string[]", readOnly: true },
  offer: { type: "string", readOnly: true },
  orderableZone: { type: "object", readOnly: true },
  vrackEligibility: { type: "boolean", readOnly: true },
  vrackName: { type: "string", readOnly: true, nullable: true },
  metricsToken: { type: "string", readOnly: true, nullable: true },
  iam: { type: "object", readOnly: true, nullable: true },
};

function instanceStates(ctx: Ctx) {
  const svc = serviceOf(ctx);
  const zones = ctx.state.store.serviceZones(svc);
  const reloading = new Set(
    Object.values(svc.tasks)
      .filter((t) => t.action === "refreshIplb" && t.status === "doing")
      .flatMap((t) => t.zones),
  );
  return zones.flatMap((zone) =>
    instancesOf(zones, zone).map((internalId) => ({
      internalId,
      zone,
      state: svc.zones[zone]?.state === "released" ? "dead" : reloading.has(zone) ? "reload" : "running",
      lastUpdateDate: isoNow(),
    })),
  );
}

function healthCounts(ctx: Ctx) {
  const svc = serviceOf(ctx);
  const count = () => ({ total: 0, status: { ok: 0, warn: 0, error: 0, unknown: 0 } });
  const farms = count();
  const servers = count();
  const frontends = count();
  farms.total = farms.status.ok = Object.keys(svc.staged.farms).length;
  for (const [id, server] of Object.entries(svc.staged.servers)) {
    servers.total++;
    const states = ctx.state.health.serverState(ctx.params.serviceName, Number(id));
    const up = states.filter((s) => s.status === "UP").length;
    if (server.data.status === "inactive" || states.length === 0 || states.every((s) => s.status === "no check")) servers.status.unknown++;
    else if (up === states.length) servers.status.ok++;
    else if (up > 0) servers.status.warn++;
    else servers.status.error++;
  }
  for (const fe of Object.values(svc.staged.frontends)) {
    frontends.total++;
    if (fe.data.disabled) frontends.status.unknown++;
    else frontends.status.ok++;
  }
  const service = servers.status.error > 0 ? "error" : servers.status.warn > 0 ? "warn" : "ok";
  return { farms, frontends, servers, service: { status: service } };
}

export function register(router: Router<Runtime>): void {
  router
    .add("GET", "/ipLoadbalancing", (ctx) => Object.keys(ctx.state.store.data.services).sort())
    .add("GET", "/ipLoadbalancing/{serviceName}", (ctx) => serviceOf(ctx).info)
    .add("PUT", "/ipLoadbalancing/{serviceName}", (ctx) => {
      const svc = serviceOf(ctx);
      ctx.state.store.updateService(svc, validateUpdate(SERVICE_SPEC, ctx.body, svc.info));
      return null;
    })
    .add("GET", "/ipLoadbalancing/{serviceName}/zone", (ctx) => ctx.state.store.serviceZones(serviceOf(ctx)))
    .add("GET", "/ipLoadbalancing/{serviceName}/zone/{name}", (ctx) => {
      const svc = serviceOf(ctx);
      const zone = svc.zones[ctx.params.name];
      if (!zone) throw missing(ctx, "name");
      return zone;
    })
    .add("GET", "/ipLoadbalancing/{serviceName}/natIp", (ctx) => serviceOf(ctx).natIp)
    .add("GET", "/ipLoadbalancing/{serviceName}/instancesState", instanceStates)
    .add("GET", "/ipLoadbalancing/{serviceName}/pendingChanges", (ctx) => ctx.state.store.pendingChanges(serviceOf(ctx)))
    .add("GET", "/ipLoadbalancing/{serviceName}/status", healthCounts)
    .add("GET", "/ipLoadbalancing/{serviceName}/availableFarmProbes", (ctx) => (serviceOf(ctx), AVAILABLE_FARM_PROBES))
    .add("GET", "/ipLoadbalancing/{serviceName}/availableFarmType", (ctx) => (serviceOf(ctx), [...PROTOCOLS]))
    .add("GET", "/ipLoadbalancing/{serviceName}/availableFrontendType", (ctx) => (serviceOf(ctx), [...PROTOCOLS]))
    .add("GET", "/ipLoadbalancing/{serviceName}/definedFarms", (ctx) => {
      const svc = serviceOf(ctx);
      const wanted = ctx.query.vrackNetworkId;
      return Object.entries(svc.staged.farms)
        .filter(([, f]) => wanted === undefined || String(f.data.vrackNetworkId) === wanted)
        .map(([id, f]) => ({ id: Number(id), type: f.type }));
    })
    .add("GET", "/ipLoadbalancing/{serviceName}/definedFrontends", (ctx) =>
      Object.entries(serviceOf(ctx).staged.frontends).map(([id, f]) => ({ id: Number(id), type: f.type })),
    );
}


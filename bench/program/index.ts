/**
 * The benchmark's program: N HTTP farms of M servers (bench/stacks.ts), each farm with an HTTP probe and every server
 * probed, operation by operation or in one `Refresh` batch. The spec comes from the `iplb-bench:spec` config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { buildStack, StackSpec } from "../stacks";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const spec = config.requireObject<StackSpec>("spec");
const stack = buildStack(spec);
const refresh = spec.batch ? new iplb.Refresh("lb", { serviceName }) : undefined;
const probe = { type: "http" as const, url: "/health", match: "status" as const, pattern: "200" };

for (const farm of stack) {
  const web = new iplb.HttpFarm(farm.name, { serviceName, zone: farm.zone, port: farm.port, displayName: farm.name, balance: "roundrobin", probe, refresh });
  for (const server of farm.servers) {
    new iplb.HttpFarmServer(server.name, {
      serviceName,
      farmId: web.farmId,
      address: server.address,
      port: server.port,
      status: "active",
      displayName: server.name,
      weight: server.weight,
      probe: true,
      refresh,
    });
  }
}

export const farms = stack.length;
export const servers = stack.reduce((n, f) => n + f.servers.length, 0);

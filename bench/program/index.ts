/**
 * The benchmark's program: N HTTP farms of M servers (bench/stacks.ts), each farm with an HTTP probe and every server
 * probed, operation by operation or in one `Refresh` batch; a traffic stack adds an HTTP frontend per farm. The spec comes from the `iplb-bench:spec` config.
 * With `iplb-bench:noop` the same graph is registered through a dynamic provider that answers at once and calls no
 * API: the no-op twin, which measures what the CLI, the runtime, the SDK and the engine cost for this graph.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { buildStack, StackSpec } from "../stacks";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const spec = config.requireObject<StackSpec>("spec");
const stack = buildStack(spec);
const probe = { type: "http" as const, url: "/health", match: "status" as const, pattern: "200" };

/** Creates with the inputs as outputs (and a farm id), updates to the new inputs, deletes nothing. */
const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `noop-${Math.random().toString(36).slice(2)}`, outs: { ...inputs, farmId: 1 } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, farmId: 1 } };
  },
};

/** Registers as the package's classes do (sdk/resource.ts): without a stack trace per SDK promise. */
class Noop extends pulumi.dynamic.Resource {
  declare readonly farmId: pulumi.Output<number>;
  constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(noopProvider, name, { ...args, farmId: undefined }, opts);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}

/** The same graph as `deploy`: a batch's start before the farms and its commit after every server. */
function noopStack(): void {
  const start = spec.batch ? new Noop("lb-start", { serviceName }) : undefined;
  const members: Noop[] = [];
  for (const farm of stack) {
    const farmArgs = { serviceName, zone: farm.zone, port: farm.port, displayName: farm.name, balance: "roundrobin", stickiness: farm.stickiness, probe };
    const web = new Noop(farm.name, farmArgs, { dependsOn: start });
    members.push(web);
    if (farm.frontend) {
      const { name, port } = farm.frontend;
      members.push(new Noop(name, { serviceName, zone: farm.zone, port, defaultFarmId: web.farmId, displayName: name }, { dependsOn: start }));
    }
    for (const server of farm.servers) {
      const args = { serviceName, farmId: web.farmId, address: server.address, port: server.port, status: "active", displayName: server.name, weight: server.weight, probe: true };
      members.push(new Noop(server.name, args, { dependsOn: start }));
    }
  }
  if (spec.batch) new Noop("lb-commit", { serviceName }, { dependsOn: members });
}

function deploy(): void {
  const refresh = spec.batch ? new iplb.Refresh("lb", { serviceName }) : undefined;
  for (const farm of stack) {
    const web = new iplb.HttpFarm(farm.name, {
      serviceName, zone: farm.zone, port: farm.port, displayName: farm.name, balance: "roundrobin", stickiness: farm.stickiness, probe, refresh,
    });
    if (farm.frontend) {
      const { name, port } = farm.frontend;
      new iplb.HttpFrontend(name, { serviceName, zone: farm.zone, port, defaultFarmId: web.farmId, displayName: name, refresh });
    }
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
}

if (config.getBoolean("noop")) noopStack();
else deploy();

export const farms = stack.length;
export const servers = stack.reduce((n, f) => n + f.servers.length, 0);

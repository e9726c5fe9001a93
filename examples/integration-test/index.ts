// The stack under test (stack.test.ts): an HTTP farm that checks /health, one server per entry of the `servers`
// config, and an HTTP frontend on port 80 sending everything to the farm.
// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

interface Backend {
  address: string;
  port: number;
  weight?: number;
}

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const backends = config.requireObject<Backend[]>("servers");

const farm = new iplb.HttpFarm("web", {
  serviceName,
  zone: "gra",
  stickiness: "cookie",
  probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200" },
});

const servers = backends.map((b, i) =>
  new iplb.HttpFarmServer(`web-${i + 1}`, {
    serviceName, farmId: farm.farmId, address: b.address, port: b.port, weight: b.weight ?? 1, status: "active", probe: true,
  }));

const frontend = new iplb.HttpFrontend("http", { serviceName, zone: "gra", port: "80", defaultFarmId: farm.farmId });

export const farmId = farm.farmId;
export const serverIds = servers.map((s) => s.serverId);
export const frontendId = frontend.frontendId;

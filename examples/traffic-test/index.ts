// The stack under test (traffic.test.ts): an HTTP farm that checks /health, its servers, and a frontend on port 80.
// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const servers = config.requireObject<string[]>("servers");

const farm = new iplb.HttpFarm("web", {
  serviceName,
  zone: "gra",
  probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 },
});

const members = servers.map((spec, i) => {
  const [address, port] = spec.split(":");
  return new iplb.HttpFarmServer(`web-${i + 1}`, { serviceName, farmId: farm.farmId, address, port: Number(port), status: "active", probe: true });
});

new iplb.HttpFrontend("http", { serviceName, zone: "gra", port: 80, defaultFarmId: farm.farmId });

export const serverIds = members.map((s) => s.serverId);

// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

interface Server {
  name: string;
  address: string;
  port: number;
  weight?: number;
}

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const failoverIp = config.get("failoverIp") ?? "203.0.113.10";
const names = config.getObject<string[]>("names") ?? ["www.example.com", "example.com"];
const webServers = config.getObject<Server[]>("webServers") ?? [
  { name: "web-1", address: "10.0.0.11", port: 8080 },
  { name: "web-2", address: "10.0.0.12", port: 8080 },
  { name: "web-3", address: "10.0.0.13", port: 8080 },
];
const apiServers = config.getObject<Server[]>("apiServers") ?? [
  { name: "api-1", address: "10.0.1.11", port: 9000 },
  { name: "api-2", address: "10.0.1.12", port: 9000 },
];

const lb = new iplb.LoadBalancer("web-app", {
  serviceName,
  failoverIps: [failoverIp],
  certificates: { site: { fqdn: names } },
  farms: {
    // The site: sessions stick to a server through a cookie; the probe wants a 200 from /health.
    web: {
      type: "http",
      zone: "gra",
      port: 8080,
      balance: "roundrobin",
      stickiness: "cookie",
      probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200" },
      servers: Object.fromEntries(webServers.map((s) => [s.name, {
        address: s.address, port: s.port, weight: s.weight, status: "active" as const, probe: true,
        // Explicit cookies keep sessions when a server is re-created.
        cookie: s.name, displayName: s.name,
      }])),
    },
    // A second service over plain TCP (an API on port 9000).
    api: {
      type: "tcp",
      zone: "gra",
      port: 9000,
      balance: "leastconn",
      probe: { type: "tcp" },
      servers: Object.fromEntries(apiServers.map((s) => [s.name, { address: s.address, port: s.port, status: "active" as const, probe: true, displayName: s.name }])),
    },
  },
  frontends: {
    https: { type: "http", zone: "gra", port: 443, farm: "web", certificate: "site", dedicatedIpfo: [failoverIp], hsts: true },
    // Plain HTTP only redirects to HTTPS (it also answers OVH's validation of the certificate's names).
    http: { type: "http", zone: "gra", port: 80, dedicatedIpfo: [failoverIp], redirectLocation: `https://${names[0]}` },
    api: { type: "tcp", zone: "gra", port: 9000, farm: "api", dedicatedIpfo: [failoverIp] },
  },
});

export const farmIds = lb.farmIds;
export const serverIds = lb.serverIds;
export const frontendIds = lb.frontendIds;
export const certificateIds = lb.certificateIds;
export const health = lb.health;

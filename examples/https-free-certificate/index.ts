// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const failoverIp = config.get("failoverIp") ?? "203.0.113.10";
const names = config.getObject<string[]>("names") ?? ["www.example.com", "example.com"];
const webServers = config.getObject<string[]>("webServers") ?? ["127.0.0.1:8080", "127.0.0.2:8080"];
// false for the first `up` on real OVH: the names must point to a working HTTP frontend before ordering (README.md).
const orderCertificate = config.getBoolean("orderCertificate") ?? true;

// The farm the HTTP and HTTPS frontends will send traffic to, in every zone of the load balancer.
const web = new iplb.HttpFarm("web", {
  serviceName,
  zone: "all",
  port: 8080,
  displayName: "web",
  probe: { type: "http", url: "/health", match: "status", pattern: "200" },
});
webServers.forEach((spec, i) => {
  const [address, port] = spec.split(":");
  new iplb.HttpFarmServer(`web-${i + 1}`, { serviceName, farmId: web.farmId, address, port: Number(port), status: "active", probe: true });
});

// A stable public address: the failover IP is routed to the load balancer and usable by every frontend when `up` ends.
const vip = new iplb.FailoverIpAttachment("vip", { serviceName, ip: failoverIp });

// Plain HTTP on the failover IP: it serves the site, and answers OVH's validation requests for the certificate.
const http = new iplb.HttpFrontend("http", { serviceName, zone: "all", port: 80, defaultFarmId: web.farmId, dedicatedIpfo: [vip.ip] });

// OVH validates each name with an HTTP request to http://<name>/: every name must already resolve to the load balancer
// (its own IPv4, or the failover IP above) and be answered by an HTTP frontend on port 80, live before the order
// (each resource here is live when its step ends, so `dependsOn` is enough). See README.md.
const certificate = orderCertificate
  ? new iplb.FreeCertificate("www", { serviceName, fqdn: names }, { dependsOn: [vip, http] })
  : undefined;

// HTTPS with the certificate. When the names change, the new certificate is ordered first, this frontend moves to it,
// and the old certificate is deleted last, so HTTPS never goes without one.
const https = certificate
  ? new iplb.HttpFrontend("https", {
      serviceName, zone: "all", port: 443, defaultFarmId: web.farmId, dedicatedIpfo: [vip.ip],
      ssl: true, defaultSslId: certificate.sslId, hsts: true,
    })
  : undefined;

export const farmId = web.farmId;
export const publicIp = vip.ip;
export const sslId = certificate?.sslId;
export const httpFrontendId = http.frontendId;
export const httpsFrontendId = https?.frontendId;
export const certificateNames = certificate?.san;
export const certificateExpires = certificate?.expireDate;
export const failoverIps = iplb.getFailoverIpsOutput({ serviceName }, { dependsOn: [vip] }).ips;

// A stack that breaks the team rules in policy-config.json, and has a route that OVH would refuse only during
// `pulumi up`: `pulumi preview` with the policy pack reports a violation of every mandatory policy (and of the
// advisory ones it can show, README.md). Each line below says which one it trips.
// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");

// The repository's test certificates, found from this file (not the working directory), so the program reads the same
// files whether `pulumi` runs it from this folder or a test runs it from the repository's root.
const testCertificate = (file: string) => fs.readFileSync(path.join(__dirname, "../../tests/fixtures/certs", file), "utf8");

const shop = new iplb.HttpFarm("shop", {
  serviceName,
  zone: "gra",
  port: 8080,
  stickiness: "cookie",
  // no probe: iplb-farm-health-probe
});

new iplb.HttpFarmServer("shop-1", {
  serviceName,
  farmId: shop.farmId,
  address: "203.0.113.10", // public: iplb-server-address-allowed
  status: "active",
  // no probe: true: iplb-servers-probed; no ssl on a farm marked for TLS: iplb-backend-tls; no cookie: iplb-sticky-server-cookies (advisory)
});

new iplb.HttpFarmServer("shop-2", {
  serviceName,
  farmId: shop.farmId,
  address: "10.0.0.12",
  status: "active",
  backup: true, // the only other server is a backup: iplb-farm-min-servers
  weight: 0, // below the team's minWeight: iplb-server-weight-bounds
  probe: true,
  ssl: true,
  cookie: "shop2",
});

const db = new iplb.TcpFarm("db", {
  serviceName,
  zone: "gra",
  port: 3306, // not an allowed port: iplb-port-bounds
  stickiness: "sourceIp", // the team allows cookie stickiness only: iplb-farm-stickiness
  probe: { type: "tcp", interval: 600 }, // slower than the team's 120 s: iplb-probe-interval-bounds
});

// db-3 sends to the same address and port as db-2: iplb-unique-natural-keys (advisory)
["10.0.1.1", "10.0.1.2", "10.0.1.2"].forEach((address, i) =>
  new iplb.TcpFarmServer(`db-${i + 1}`, { serviceName, farmId: db.farmId, address, status: "active", probe: true }));

// Not on the team's list of failover IPs: iplb-failover-ip-allowed
new iplb.FailoverIpAttachment("vip", { serviceName, ip: "198.51.100.7" });

// Not under the team's domains: iplb-certificate-domains
new iplb.FreeCertificate("cert", { serviceName, fqdn: ["shop.example.org"] });

// Expired on 2020-02-01: iplb-certificate-expired. Not shown (README.md says why): iplb-certificate-expiring (advisory),
// which warns about certificates still valid, and a certificate is within 30 days of its expiry for 30 days only; and
// iplb-certificate-key-secret (a remediation), which has nothing to do, the class registering the key as a secret.
const legacy = new iplb.SslCertificate("legacy", {
  serviceName,
  certificate: testCertificate("expired.pem"),
  key: testCertificate("expired.key"),
});

// The shop's HTTPS entry point, with that certificate; what no route takes goes to shop.
const site = new iplb.HttpFrontend("site", {
  serviceName,
  zone: "gra",
  port: 443,
  ssl: true,
  defaultSslId: legacy.sslId,
  defaultFarmId: shop.farmId, // every request goes to route to-rbx first: iplb-frontend-default-farm-used (advisory)
});

// A copy of the shop in Roubaix, good in itself: probed, two active servers on private addresses.
const shopRbx = new iplb.HttpFarm("shop-rbx", { serviceName, zone: "rbx", port: 8080, probe: { type: "http", url: "/health" } });
["10.0.2.1", "10.0.2.2"].forEach((address, i) =>
  new iplb.HttpFarmServer(`shop-rbx-${i + 1}`, { serviceName, farmId: shopRbx.farmId, address, status: "active", probe: true }));

// Old links to the .org domain, redirected. The glob is no regular expression, so the route never acts:
// iplb-route-rules-can-match (advisory)
const oldDomain = new iplb.HttpRoute("old-domain", {
  serviceName,
  frontendId: site.frontendId,
  action: { type: "redirect", target: "https://shop.example.com${path}${arguments}", status: 301 },
});
new iplb.HttpRouteRule("old-domain-host", { serviceName, routeId: oldDomain.routeId, field: "host", match: "matches", pattern: "*.example.org" });

// No rules, so it takes every request (hiding site's default farm), and its farm is in rbx while site listens in gra,
// which OVH refuses only when `pulumi up` creates the route: iplb-route-targets
new iplb.HttpRoute("to-rbx", {
  serviceName,
  frontendId: site.frontendId,
  action: { type: "farm", target: shopRbx.farmId },
});

// A stack that deploys fine but breaks the team rules in policy-config.json: `pulumi preview` with the policy pack
// reports a violation of every mandatory policy (and of the advisory ones). Each line below says which one it trips.
// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");

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

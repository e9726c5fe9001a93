/**
 * The bad-input cases that only the whole stack or the API can tell (corpus.ts explains the four tables): a
 * `LoadBalancer` whose parts do not hold together, and valid inputs naming objects the API does not have.
 */
import * as iplb from "../../sdk";
import {
  type BadInputCase, type CorpusContext, failoverIp, httpFrontend, httpServer, tcpFarm, tcpFrontend, tcpServer,
  udpServer,
} from "./corpus";

// ---- a LoadBalancer whose parts do not reference each other correctly: refused before anything is registered ----

const loadBalancer = (c: CorpusContext, args: Omit<iplb.LoadBalancerArgs, "serviceName">) =>
  new iplb.LoadBalancer("bad", { serviceName: c.serviceName, ...args });
const WEB: iplb.LoadBalancerFarm = { type: "http", zone: "gra", port: 8080 };

export const componentCases: BadInputCase[] = [
  { name: "LoadBalancer frontend naming a missing farm key", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, frontends: { www: { type: "http", zone: "gra", port: 80, farm: "shop" } } }),
    field: "frontends.www.farm", message: 'frontends.www.farm: "shop" is not a farm of this load balancer (farms: web)' },
  { name: "LoadBalancer frontend naming a farm of another protocol", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, frontends: { db: { type: "tcp", zone: "gra", port: 5432, farm: "web" } } }),
    field: "frontends.db.farm", message: 'frontends.db.farm: "web" is a HTTP farm; a TCP frontend needs a TCP farm' },
  { name: "LoadBalancer frontend naming a farm in another zone", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, frontends: { www: { type: "http", zone: "rbx", port: 80, farm: "web" } } }),
    field: "frontends.www.farm",
    message: 'frontends.www.farm: farm "web" is in zone gra, the frontend in rbx; use the same zone, or put the farm in "all"' },
  { name: "LoadBalancer certificate used by no HTTPS frontend", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, frontends: { www: { type: "http", zone: "gra", port: 80, farm: "web" } },
      certificates: { site: { fqdn: ["www.example.com"] } } }),
    field: "certificates.site",
    message: 'certificates.site: used by no HTTPS frontend; set certificate: "site" on an HTTP or TCP frontend, or remove it' },
  { name: "LoadBalancer frontend naming a missing certificate key", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { frontends: { tls: { type: "http", zone: "gra", port: 443, certificate: "site" } } }),
    field: "frontends.tls.certificate", message: 'frontends.tls.certificate: "site" is not a certificate of this load balancer (certificates: none)' },
  { name: "LoadBalancer certificate on a frontend with ssl: false", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { frontends: { tls: { type: "http", zone: "gra", port: 443, certificate: "site", ssl: false } },
      certificates: { site: { fqdn: ["www.example.com"] } } }),
    field: "frontends.tls.certificate",
    message: "frontends.tls.certificate: the frontend sets ssl: false, so it would never use the certificate; remove one of them" },
  { name: "LoadBalancer dedicated IP that is not attached", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { failoverIps: ["203.0.113.10"], frontends: { tls: { type: "tcp", zone: "gra", port: 443, dedicatedIpfo: ["203.0.113.11"] } } }),
    field: "frontends.tls.dedicatedIpfo",
    message: "frontends.tls.dedicatedIpfo: 203.0.113.11 is not attached to this load balancer; add it to failoverIps" },
  { name: "LoadBalancer route naming a missing frontend key", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, routes: { api: { frontend: "www", action: { type: "farm", farm: "web" } } } }),
    field: "routes.api.frontend", message: 'routes.api.frontend: "www" is not a frontend of this load balancer (frontends: none)' },
  { name: "LoadBalancer route to a farm of another protocol", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { web: WEB }, frontends: { db: { type: "tcp", zone: "gra", port: 5432 } },
      routes: { api: { frontend: "db", action: { type: "farm", farm: "web" } } } }),
    field: "routes.api.action.farm", message: 'routes.api.action.farm: "web" is a HTTP farm; a TCP route needs a TCP farm' },
  { name: "LoadBalancer route on a UDP frontend", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { frontends: { dns: { type: "udp", zone: "gra", port: 53 } }, routes: { any: { frontend: "dns", action: { type: "reject" } } } }),
    field: "routes.any.frontend", message: 'routes.any.frontend: "dns" is a UDP frontend; OVH routes only HTTP and TCP frontends' },
  { name: "LoadBalancer route rules as an array", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { frontends: { www: { type: "http", zone: "gra", port: 80 } },
      routes: { api: { frontend: "www", action: { type: "reject" }, rules: [{ field: "uri", match: "startswith", pattern: "/api" }] as never } } }),
    field: "routes.api.rules", message: /^routes\.api\.rules: rules by key are expected/ },
  { name: "LoadBalancer farm key with a space", resource: "LoadBalancer",
    build: (c) => loadBalancer(c, { farms: { "web farm": WEB } }),
    field: "farms.web farm", message: 'farms.web farm: keys are letters, digits, "_", "." and "-" (at most 63), not "web farm"' },
];

// ---- valid inputs naming objects the API does not have: refused at create, after GETs only ----------------------

export const missingReferenceCases: BadInputCase[] = [
  { name: "HttpFarmServer in a farm that does not exist", resource: "HttpFarmServer", build: (c) => httpServer(c, { farmId: 999999 }),
    field: "farmId", message: /^HttpFarmServer farmId: there is no HTTP farm 999999 on loadbalancer-\w+$/ },
  { name: "UdpFarmServer in a farm that does not exist", resource: "UdpFarmServer", build: (c) => udpServer(c, { farmId: 999999 }),
    field: "farmId", message: /^UdpFarmServer farmId: there is no UDP farm 999999 on loadbalancer-\w+$/ },
  { name: "TcpFarmServer in an HTTP farm", resource: "TcpFarmServer", build: (c) => tcpServer(c, { farmId: c.httpFarmId }),
    field: "farmId", message: /^TcpFarmServer farmId: there is no TCP farm \d+ on loadbalancer-\w+$/ },
  { name: "HttpFarmServer adopting a server that does not exist", resource: "HttpFarmServer",
    build: (c) => httpServer(c, { farmId: c.httpFarmId, adoptServerId: 999999 }),
    field: "adoptServerId", message: /^HttpFarmServer adoptServerId: there is no server 999999 in HTTP farm \d+ on loadbalancer-\w+$/ },
  { name: "TcpFarm adopting a farm that does not exist", resource: "TcpFarm", build: (c) => tcpFarm(c, { adoptFarmId: 999999 }),
    field: "adoptFarmId", message: /^TcpFarm adoptFarmId: there is no tcp farm 999999 on loadbalancer-\w+$/ },
  { name: "HttpFrontend adopting a frontend that does not exist", resource: "HttpFrontend", build: (c) => httpFrontend(c, { adoptFrontendId: 999999 }),
    field: "adoptFrontendId", message: /^HttpFrontend adoptFrontendId: there is no HTTP frontend 999999 on loadbalancer-\w+$/ },
  { name: "FailoverIpAttachment of an IP the account does not own", resource: "FailoverIpAttachment",
    build: (c) => failoverIp(c, { ip: "198.51.100.200" }),
    field: "ip", message: "FailoverIpAttachment: 198.51.100.200/32 is not an IP of this OVH account (GET /ip/{ip} answered 404)" },
  { name: "FailoverIpAttachment of an IP routed to another service, without takeOver", resource: "FailoverIpAttachment",
    build: (c) => failoverIp(c, { ip: "203.0.113.20" }),
    field: "takeOver", message: /^FailoverIpAttachment: 203\.0\.113\.20\/32 is routed to loadbalancer-\w+; .* Set takeOver: true to move it anyway/ },
];

// ---- a frontend's farm and certificate are checked by the API: one POST, refused, explained --------------------

export const refusedReferenceCases: BadInputCase[] = [
  { name: "HttpFrontend defaultFarmId naming no farm", resource: "HttpFrontend", build: (c) => httpFrontend(c, { defaultFarmId: 999999 }),
    field: "defaultFarmId", message: /^HttpFrontend defaultFarmId: there is no farm 999999 on loadbalancer-\w+; it must be a HTTP farm/ },
  { name: "TcpFrontend defaultFarmId naming an HTTP farm", resource: "TcpFrontend", build: (c) => tcpFrontend(c, { defaultFarmId: c.httpFarmId }),
    field: "defaultFarmId", message: /^TcpFrontend defaultFarmId: farm \d+ is a HTTP farm; a TCP frontend needs a TCP farm/ },
  { name: "HttpFrontend defaultSslId naming no certificate", resource: "HttpFrontend", build: (c) => httpFrontend(c, { ssl: true, defaultSslId: 999999 }),
    field: "defaultSslId", message: /^HttpFrontend defaultSslId: there is no certificate 999999 on loadbalancer-\w+/ },
];

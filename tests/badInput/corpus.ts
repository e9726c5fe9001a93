/**
 * The bad-input corpus (issue "Bad input corpus (tests)"): stack inputs that must never reach the OVH API. Each case
 * registers ONE bad resource, with literal ids instead of other resources' outputs, so that nothing else in its
 * program could write. `message` is the field and its CheckFailure reason as the engine prints them together (or a
 * pattern for it): the reason names the value and what is allowed (provider/models/fields.ts).
 *
 * Four tables (the last three in referenceCases.ts):
 * - `checkCases`: refused by `check()`, before any API call (not even a GET); more in unsafeCases.ts (inputs that
 *   look harmless) and familyCases.ts (routes, custom certificates).
 * - `componentCases`: a `LoadBalancer` whose parts do not hold together (a frontend naming a missing farm key, a
 *   certificate no HTTPS frontend uses, a dedicated IP that is not attached). Only the whole configuration can tell,
 *   so the component refuses it in its constructor (sdk/loadBalancerModel.ts), before anything is registered;
 *   `message` is the problem as the error lists it.
 * - `missingReferenceCases`: valid inputs that name an object the API does not have. `check()` cannot know that (it
 *   makes no call), so the create refuses them, after GETs only and before anything is written.
 * - `refusedReferenceCases`: a frontend's `defaultFarmId`/`defaultSslId` is checked by the API itself (the provider
 *   sends the POST and explains a 400, docs/resources.md "Frontends"), so one POST goes out and is refused; nothing is written.
 */
import * as iplb from "../../sdk";

export interface CorpusContext {
  serviceName: string;
  /** An HTTP farm made out of band before the suite: a farm that exists, but of another protocol than TCP/UDP. */
  httpFarmId: number;
}

export interface BadInputCase {
  name: string;
  /** The class whose check (or create) refuses the input; its type token appears in the error. */
  resource: string;
  /** Registers one bad resource (and nothing that could write). */
  build: (ctx: CorpusContext) => void;
  /** The property of the failure. */
  field: string;
  /** The reason, exactly (string) or as a pattern; it names the field and the allowed values. */
  message: string | RegExp;
}

/** What an untyped JavaScript caller may pass where TypeScript would object. */
const untyped = (value: unknown): any => value;

const HTTP_BALANCES = "first, leastconn, roundrobin, source, uri";
const PROBE_TYPES = "http, mysql, oco, pgsql, smtp, tcp";
const ZONE_HINT = "is not a zone name (lower-case letters such as gra, or all)";
const PORT_ALLOWED = 'a port (1..49151), a range a-b or a comma-separated list of them, e.g. "80,443,8000-8010"';
const BLOCK_HINT = "is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32)";
const FAILOVER_HINT = "is not an IPv4 address or /32 block (one failover IP, e.g. 203.0.113.7)";
const HOST_NAME_HINT =
  "is not a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)";
const HTTP_SERVER_FIELDS =
  "serviceName, farmId, address, status, port, displayName, weight, backup, probe, ssl, chain, proxyProtocolVersion, onMarkedDown, cookie, adoptServerId";

// ---- one valid resource of each class, which each case spoils in one place ------------------------------------

export const httpFarm = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.HttpFarm("bad", { serviceName: ctx.serviceName, zone: "gra", port: 8080, ...over });
export const tcpFarm = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.TcpFarm("bad", { serviceName: ctx.serviceName, zone: "gra", port: 6379, ...over });
const udpFarm = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.UdpFarm("bad", { serviceName: ctx.serviceName, zone: "gra", port: 53, ...over });
const httpProbe = (ctx: CorpusContext, probe: Record<string, unknown>) => httpFarm(ctx, { probe: { type: "http", ...probe } });

const SERVER = { farmId: 100, address: "192.0.2.11", status: "active" };
export const httpServer = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.HttpFarmServer("bad", { serviceName: ctx.serviceName, ...SERVER, ...over } as iplb.HttpFarmServerArgs);
export const tcpServer = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.TcpFarmServer("bad", { serviceName: ctx.serviceName, ...SERVER, ...over } as iplb.TcpFarmServerArgs);
export const udpServer = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.UdpFarmServer("bad", { serviceName: ctx.serviceName, ...SERVER, ...over } as iplb.UdpFarmServerArgs);

export const httpFrontend = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.HttpFrontend("bad", { serviceName: ctx.serviceName, zone: "gra", port: 80, ...over });
export const tcpFrontend = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.TcpFrontend("bad", { serviceName: ctx.serviceName, zone: "gra", port: 443, ...over });
const udpFrontend = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.UdpFrontend("bad", { serviceName: ctx.serviceName, zone: "gra", port: 53, ...over });


export const failoverIp = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.FailoverIpAttachment("bad", { serviceName: ctx.serviceName, ip: "203.0.113.10", ...over });
const certificate = (ctx: CorpusContext, fqdn: unknown, over: Record<string, unknown> = {}) =>
  new iplb.FreeCertificate("bad", { serviceName: ctx.serviceName, fqdn: untyped(fqdn), ...over });

const settings = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.IpLoadBalancingSettings("bad", { serviceName: ctx.serviceName, ...over });
const names = (n: number) => Array.from({ length: n }, (_, i) => `host${i}.example.com`);


// ---- refused by check(), before any API call ------------------------------------------------------------------

export const checkCases: BadInputCase[] = [
  // Farms: enums per protocol, ports, zones, probes.
  { name: "HttpFarm balance outside the HTTP list", resource: "HttpFarm", build: (c) => httpFarm(c, { balance: "fastest" }),
    field: "balance", message: `balance: "fastest" is not one of ${HTTP_BALANCES}` },
  { name: "HttpFarm stickiness outside the HTTP list", resource: "HttpFarm", build: (c) => httpFarm(c, { stickiness: "session" }),
    field: "stickiness", message: 'stickiness: "session" is not one of cookie, sourceIp' },
  { name: "TcpFarm balance uri (HTTP only)", resource: "TcpFarm", build: (c) => tcpFarm(c, { balance: "uri" }),
    field: "balance", message: 'balance: "uri" is not one of first, leastconn, roundrobin, source' },
  { name: "TcpFarm stickiness cookie (HTTP only)", resource: "TcpFarm", build: (c) => tcpFarm(c, { stickiness: "cookie" }),
    field: "stickiness", message: 'stickiness: "cookie" is not one of sourceIp' },
  { name: "UdpFarm stickiness", resource: "UdpFarm", build: (c) => udpFarm(c, { stickiness: "sourceIp" }),
    field: "stickiness", message: "stickiness: UDP farms have no stickiness" },
  { name: "UdpFarm balance", resource: "UdpFarm", build: (c) => udpFarm(c, { balance: "roundrobin" }),
    field: "balance", message: "balance: UDP farms have no balance" },
  { name: "UdpFarm probe", resource: "UdpFarm", build: (c) => udpFarm(c, { probe: { type: "tcp" } }),
    field: "probe", message: "probe: UDP farms have no probe" },
  { name: "HttpFarm port 0", resource: "HttpFarm", build: (c) => httpFarm(c, { port: 0 }),
    field: "port", message: "port: 0 is out of range 1..49151" },
  { name: "TcpFarm port 49152", resource: "TcpFarm", build: (c) => tcpFarm(c, { port: 49152 }),
    field: "port", message: "port: 49152 is out of range 1..49151" },
  { name: "UdpFarm port as a string (untyped)", resource: "UdpFarm", build: (c) => udpFarm(c, { port: untyped("80") }),
    field: "port", message: 'port: "80" is not an integer (allowed: 1..49151)' },
  { name: "HttpFarm port 1.5", resource: "HttpFarm", build: (c) => httpFarm(c, { port: 1.5 }),
    field: "port", message: "port: 1.5 is not an integer (allowed: 1..49151)" },
  { name: "HttpFarm zone in capitals", resource: "HttpFarm", build: (c) => httpFarm(c, { zone: "GRA" }),
    field: "zone", message: `zone: "GRA" ${ZONE_HINT}` },
  { name: "TcpFarm zone empty", resource: "TcpFarm", build: (c) => tcpFarm(c, { zone: "" }),
    field: "zone", message: `zone: "" ${ZONE_HINT}` },
  { name: "HttpFarm probe type", resource: "HttpFarm", build: (c) => httpFarm(c, { probe: { type: "icmp" } }),
    field: "probe.type", message: `probe.type: "icmp" is not one of ${PROBE_TYPES}` },
  { name: "HttpFarm probe method", resource: "HttpFarm", build: (c) => httpProbe(c, { method: "POST" }),
    field: "probe.method", message: 'probe.method: "POST" is not one of GET, HEAD, OPTIONS' },
  { name: "HttpFarm probe match", resource: "HttpFarm", build: (c) => httpProbe(c, { match: "regex", pattern: "OK" }),
    field: "probe.match", message: 'probe.match: "regex" is not one of contains, default, matches, status' },
  { name: "TcpFarm probe match status (HTTP probes only)", resource: "TcpFarm",
    build: (c) => tcpFarm(c, { probe: { type: "tcp", match: "status", pattern: "200" } }),
    field: "probe.match", message: 'probe.match: "status" is not allowed for tcp probes (allowed: default, contains, matches)' },
  { name: "TcpFarm probe method on a tcp probe", resource: "TcpFarm", build: (c) => tcpFarm(c, { probe: { type: "tcp", method: "GET" } }),
    field: "probe.method", message: "probe.method: only http probes have a method (type is tcp)" },
  { name: "HttpFarm probe interval 29", resource: "HttpFarm", build: (c) => httpProbe(c, { interval: 29 }),
    field: "probe.interval", message: "probe.interval: 29 is out of range 30..3600" },
  { name: "TcpFarm probe interval 3601", resource: "TcpFarm", build: (c) => tcpFarm(c, { probe: { interval: 3601 } }),
    field: "probe.interval", message: "probe.interval: 3601 is out of range 30..3600" },
  { name: "HttpFarm probe negate without match", resource: "HttpFarm", build: (c) => httpProbe(c, { negate: true }),
    field: "probe.negate",
    message: "probe.negate: A probe can not negate without a match; set probe.match (http probes: default, contains, matches, status) or remove negate" },
  { name: "HttpFarm probe status match without pattern", resource: "HttpFarm", build: (c) => httpProbe(c, { match: "status" }),
    field: "probe.pattern",
    message: 'probe.pattern: a pattern is required when match is "status": comma-separated 3-digit status codes, e.g. "200" or "200,301"' },
  { name: "HttpFarm probe status pattern 2xx", resource: "HttpFarm", build: (c) => httpProbe(c, { match: "status", pattern: "2xx" }),
    field: "probe.pattern", message: 'probe.pattern: "2xx" is not a comma-separated list of 3-digit status codes' },

  // Servers.
  { name: "HttpFarmServer address 10.0.0.300", resource: "HttpFarmServer", build: (c) => httpServer(c, { address: "10.0.0.300" }),
    field: "address", message: 'address: "10.0.0.300" is not an IPv4 address' },
  { name: "TcpFarmServer address ::1 (IPv6)", resource: "TcpFarmServer", build: (c) => tcpServer(c, { address: "::1" }),
    field: "address", message: 'address: "::1" is not an IPv4 address' },
  { name: "UdpFarmServer address host.example (a host name)", resource: "UdpFarmServer", build: (c) => udpServer(c, { address: "host.example" }),
    field: "address", message: 'address: "host.example" is not an IPv4 address' },
  { name: "HttpFarmServer status up", resource: "HttpFarmServer", build: (c) => httpServer(c, { status: "up" }),
    field: "status", message: 'status: "up" is not one of active, inactive' },
  { name: "HttpFarmServer weight -1", resource: "HttpFarmServer", build: (c) => httpServer(c, { weight: -1 }),
    field: "weight", message: "weight: -1 is out of range 0..256" },
  { name: "TcpFarmServer weight 257", resource: "TcpFarmServer", build: (c) => tcpServer(c, { weight: 257 }),
    field: "weight", message: "weight: 257 is out of range 0..256" },
  { name: "HttpFarmServer weight as a string (untyped)", resource: "HttpFarmServer", build: (c) => httpServer(c, { weight: "5" }),
    field: "weight", message: 'weight: "5" is not an integer (allowed: 0..256)' },
  { name: "TcpFarmServer backup yes (untyped)", resource: "TcpFarmServer", build: (c) => tcpServer(c, { backup: "yes" }),
    field: "backup", message: 'backup: "yes" is not a boolean' },
  { name: "HttpFarmServer proxyProtocolVersion v3", resource: "HttpFarmServer", build: (c) => httpServer(c, { proxyProtocolVersion: "v3" }),
    field: "proxyProtocolVersion", message: 'proxyProtocolVersion: "v3" is not one of v1, v2, v2-ssl, v2-ssl-cn' },
  { name: "TcpFarmServer onMarkedDown drain", resource: "TcpFarmServer", build: (c) => tcpServer(c, { onMarkedDown: "drain" }),
    field: "onMarkedDown", message: 'onMarkedDown: "drain" is not one of shutdown-sessions' },
  { name: "TcpFarmServer cookie (HTTP only)", resource: "TcpFarmServer", build: (c) => tcpServer(c, { cookie: "web1" }),
    field: "cookie", message: "cookie: TCP farm servers have no cookie" },
  { name: "UdpFarmServer weight", resource: "UdpFarmServer", build: (c) => udpServer(c, { weight: 2 }),
    field: "weight", message: "weight: UDP farm servers have no weight" },
  { name: "HttpFarmServer farmId 0", resource: "HttpFarmServer", build: (c) => httpServer(c, { farmId: 0 }),
    field: "farmId", message: "farmId: 0 is less than 1" },
  { name: "TcpFarmServer farmId as a string (untyped)", resource: "TcpFarmServer", build: (c) => tcpServer(c, { farmId: "12" }),
    field: "farmId", message: 'farmId: "12" is not an integer (allowed: 1 or more)' },
  { name: "HttpFarmServer field typo weigth", resource: "HttpFarmServer", build: (c) => httpServer(c, { weigth: 5 }),
    field: "weigth", message: `weigth: unknown field; allowed fields: ${HTTP_SERVER_FIELDS}` },

  // Frontends.
  { name: "HttpFrontend port \"0\"", resource: "HttpFrontend", build: (c) => httpFrontend(c, { port: "0" }),
    field: "port", message: "port: 0 is out of range 1..49151" },
  { name: "TcpFrontend port range 80-70", resource: "TcpFrontend", build: (c) => tcpFrontend(c, { port: "80-70" }),
    field: "port", message: 'port: "80-70" is not a range: 80 is higher than 70' },
  { name: "HttpFrontend port 80,80", resource: "HttpFrontend", build: (c) => httpFrontend(c, { port: "80,80" }),
    field: "port", message: "port: 80 is listed twice; list each port once" },
  { name: "UdpFrontend port 49152", resource: "UdpFrontend", build: (c) => udpFrontend(c, { port: 49152 }),
    field: "port", message: "port: 49152 is out of range 1..49151" },
  { name: "HttpFrontend port [] (an empty list)", resource: "HttpFrontend", build: (c) => httpFrontend(c, { port: [] }),
    field: "port", message: `port: an empty list opens no port; give ${PORT_ALLOWED}` },
  { name: "HttpFrontend allowedSource with deniedSource", resource: "HttpFrontend",
    build: (c) => httpFrontend(c, { allowedSource: ["198.51.100.0/24"], deniedSource: ["198.51.100.7"] }),
    field: "deniedSource", message: "deniedSource: cannot be set together with allowedSource (the API takes one or the other); remove one of them" },
  { name: "TcpFrontend allowedSource 10.0.0.5/24 (not a network address)", resource: "TcpFrontend",
    build: (c) => tcpFrontend(c, { allowedSource: ["10.0.0.5/24"] }),
    field: "allowedSource", message: 'allowedSource: "10.0.0.5/24" is not a network address; the block is "10.0.0.0/24"' },
  { name: "HttpFrontend deniedSource 10.0.0.0/33", resource: "HttpFrontend", build: (c) => httpFrontend(c, { deniedSource: ["10.0.0.0/33"] }),
    field: "deniedSource", message: `deniedSource: "10.0.0.0/33" ${BLOCK_HINT}` },
  { name: "UdpFrontend dedicatedIpfo IPv6", resource: "UdpFrontend", build: (c) => udpFrontend(c, { dedicatedIpfo: ["2001:db8::7"] }),
    field: "dedicatedIpfo", message: `dedicatedIpfo: "2001:db8::7" ${BLOCK_HINT}` },
  { name: "TcpFrontend hsts (HTTP only)", resource: "TcpFrontend", build: (c) => tcpFrontend(c, { hsts: true }),
    field: "hsts", message: "hsts: TCP frontends have no hsts" },
  { name: "UdpFrontend ssl", resource: "UdpFrontend", build: (c) => udpFrontend(c, { ssl: true }),
    field: "ssl", message: "ssl: UDP frontends have no ssl" },
  { name: "HttpFrontend httpHeader not a list (untyped)", resource: "HttpFrontend", build: (c) => httpFrontend(c, { httpHeader: "X-Client-IP %ci" }),
    field: "httpHeader", message: 'httpHeader: "X-Client-IP %ci" is not a list of strings' },
  { name: "TcpFrontend defaultFarmId -1", resource: "TcpFrontend", build: (c) => tcpFrontend(c, { defaultFarmId: -1 }),
    field: "defaultFarmId", message: "defaultFarmId: -1 is less than 1" },

  // Failover IPs.
  { name: "FailoverIpAttachment ip 203.0.113.7/24", resource: "FailoverIpAttachment", build: (c) => failoverIp(c, { ip: "203.0.113.7/24" }),
    field: "ip", message: `ip: "203.0.113.7/24" ${FAILOVER_HINT}` },
  { name: "FailoverIpAttachment ip not-an-ip", resource: "FailoverIpAttachment", build: (c) => failoverIp(c, { ip: "not-an-ip" }),
    field: "ip", message: `ip: "not-an-ip" ${FAILOVER_HINT}` },
  { name: "FailoverIpAttachment ip IPv6", resource: "FailoverIpAttachment", build: (c) => failoverIp(c, { ip: "2001:db8::7" }),
    field: "ip", message: `ip: "2001:db8::7" ${FAILOVER_HINT}` },
  { name: "FailoverIpAttachment takeOver yes (untyped)", resource: "FailoverIpAttachment", build: (c) => failoverIp(c, { takeOver: "yes" }),
    field: "takeOver", message: 'takeOver: "yes" is not a boolean' },

  // Free certificates.
  { name: "FreeCertificate fqdn []", resource: "FreeCertificate", build: (c) => certificate(c, []),
    field: "fqdn", message: "fqdn: at least one name is required" },
  { name: "FreeCertificate wildcard", resource: "FreeCertificate", build: (c) => certificate(c, ["*.example.com"]),
    field: "fqdn[0]", message: 'fqdn[0]: "*.example.com" is a wildcard; OVH validates each name over HTTP, so list the names one by one' },
  { name: "FreeCertificate duplicate names", resource: "FreeCertificate", build: (c) => certificate(c, ["www.example.com", "WWW.example.com"]),
    field: "fqdn[1]", message: 'fqdn[1]: "WWW.example.com" repeats fqdn[0] (names are case-insensitive)' },
  { name: "FreeCertificate name with a space", resource: "FreeCertificate", build: (c) => certificate(c, ["exa mple.com"]),
    field: "fqdn[0]", message: `fqdn[0]: "exa mple.com" ${HOST_NAME_HINT}` },
  { name: "FreeCertificate 101 names", resource: "FreeCertificate", build: (c) => certificate(c, names(101)),
    field: "fqdn", message: "fqdn: 101 names, more than 100 (the most one certificate carries)" },
  { name: "FreeCertificate an IP address", resource: "FreeCertificate", build: (c) => certificate(c, ["203.0.113.7"]),
    field: "fqdn[0]", message: 'fqdn[0]: "203.0.113.7" is an IP address; free certificates are for host names' },
  { name: "FreeCertificate a single label", resource: "FreeCertificate", build: (c) => certificate(c, ["localhost"]),
    field: "fqdn[0]", message: 'fqdn[0]: "localhost" is not a fully qualified name (at least two labels, e.g. www.example.com)' },
  { name: "FreeCertificate checkDns not a boolean", resource: "FreeCertificate", build: (c) => certificate(c, ["www.example.com"], { checkDns: "no" }),
    field: "checkDns", message: 'checkDns: "no" is not a boolean' },

  // The service's own settings.
  { name: "IpLoadBalancingSettings displayName of 51 characters", resource: "IpLoadBalancingSettings", build: (c) => settings(c, { displayName: "x".repeat(51) }),
    field: "displayName", message: "displayName: is 51 characters long, more than 50" },
  { name: "IpLoadBalancingSettings displayName of two lines", resource: "IpLoadBalancingSettings", build: (c) => settings(c, { displayName: "a\nb" }),
    field: "displayName", message: "displayName: contains a control character (U+000A); one line of text is allowed" },
  { name: "IpLoadBalancingSettings sslConfiguration old", resource: "IpLoadBalancingSettings", build: (c) => settings(c, { sslConfiguration: "old" }),
    field: "sslConfiguration", message: 'sslConfiguration: "old" is not one of intermediate, modern' },
  { name: "IpLoadBalancingSettings serviceName with a slash", resource: "IpLoadBalancingSettings", build: (c) => settings(c, { serviceName: `${c.serviceName}/x` }),
    field: "serviceName", message: /^serviceName: "loadbalancer-[0-9a-f]+\/x" is not a service name/ },

  // Refresh batches.
  { name: "Refresh serviceName \"\"", resource: "RefreshStart", build: () => new iplb.Refresh("lb", { serviceName: "" }),
    field: "serviceName", message: "serviceName: a non-empty string is required" },
  { name: "a Refresh member with a bad balance (the batch writes nothing either)", resource: "HttpFarm",
    build: (c) => {
      const refresh = new iplb.Refresh("lb", { serviceName: c.serviceName });
      httpFarm(c, { balance: "fastest", refresh });
    },
    field: "balance", message: `balance: "fastest" is not one of ${HTTP_BALANCES}` },

  { name: "a LoadBalancer farm with a bad balance (its child's check)", resource: "HttpFarm",
    build: (c) => new iplb.LoadBalancer("lb", { serviceName: c.serviceName, farms: { web: { type: "http", zone: "gra", balance: untyped("fastest") } } }),
    field: "balance", message: `balance: "fastest" is not one of ${HTTP_BALANCES}` },

  // Wrong types from untyped JavaScript callers.
  { name: "HttpFarm serviceName as a number (untyped)", resource: "HttpFarm", build: (c) => httpFarm(c, { serviceName: 42 }),
    field: "serviceName", message: "serviceName: 42 is not a string" },
  { name: "TcpFarm displayName as an object (untyped)", resource: "TcpFarm", build: (c) => tcpFarm(c, { displayName: { name: "cache" } }),
    field: "displayName", message: "displayName: an object is not a string" },
  { name: "HttpFrontend zone as an array (untyped)", resource: "HttpFrontend", build: (c) => httpFrontend(c, { zone: ["gra"] }),
    field: "zone", message: `zone: an array ${ZONE_HINT}` },
  { name: "HttpFarm probe as a string (untyped)", resource: "HttpFarm", build: (c) => httpFarm(c, { probe: "http" }),
    field: "probe", message: 'probe: "http" is not an object' },
  { name: "FreeCertificate fqdn as a string (untyped)", resource: "FreeCertificate", build: (c) => certificate(c, "www.example.com"),
    field: "fqdn", message: 'fqdn: "www.example.com" is not a list of host names' },
  { name: "TcpFrontend port as an object (untyped)", resource: "TcpFrontend", build: (c) => tcpFrontend(c, { port: { from: 80 } }),
    field: "port", message: `port: an object is not ${PORT_ALLOWED}` },
  { name: "HttpFarmServer status null (required, untyped)", resource: "HttpFarmServer", build: (c) => httpServer(c, { status: null }),
    field: "status", message: "status: null is not one of active, inactive" },
  { name: "TcpFarmServer address null (required, untyped)", resource: "TcpFarmServer", build: (c) => tcpServer(c, { address: null }),
    field: "address", message: "address: null is not an IPv4 address" },
  { name: "UdpFarm port null (required for UDP, untyped)", resource: "UdpFarm", build: (c) => udpFarm(c, { port: null }),
    field: "port", message: "port: null is not an integer (allowed: 1..49151)" },
  { name: "HttpFarm zone null (required, untyped)", resource: "HttpFarm", build: (c) => httpFarm(c, { zone: null }),
    field: "zone", message: `zone: null ${ZONE_HINT}` },
  { name: "FailoverIpAttachment ip null (required, untyped)", resource: "FailoverIpAttachment", build: (c) => failoverIp(c, { ip: null }),
    field: "ip", message: `ip: null ${FAILOVER_HINT}` },
  { name: "FreeCertificate fqdn null (required, untyped)", resource: "FreeCertificate", build: (c) => certificate(c, null),
    field: "fqdn", message: "fqdn: null is not a list of host names" },
  { name: "HttpFarmServer ssl null (not nullable, untyped)", resource: "HttpFarmServer", build: (c) => httpServer(c, { ssl: null }),
    field: "ssl", message: "ssl: null is not a boolean" },
];

/**
 * Bad inputs of the families added by the issue "Everything the official providers manage on a load balancer": routes
 * (the actions availableRouteActions offers, per protocol) and custom certificates (every reason names the field and
 * never quotes the key). Each is refused by check(), naming the field, before any API call.
 */
import * as iplb from "../../sdk";
import type { BadInputCase, CorpusContext } from "./corpus";
const httpRoute = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.HttpRoute("bad", { serviceName: ctx.serviceName, action: { type: "farm", target: 100 }, ...over } as iplb.HttpRouteArgs);
const tcpRoute = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.TcpRoute("bad", { serviceName: ctx.serviceName, action: { type: "farm", target: 100 }, ...over } as iplb.TcpRouteArgs);
const httpRule = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.HttpRouteRule("bad", { serviceName: ctx.serviceName, routeId: 100, field: "host", match: "is", pattern: "a.example.com", ...over } as iplb.HttpRouteRuleArgs);
const tcpRule = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.TcpRouteRule("bad", { serviceName: ctx.serviceName, routeId: 100, field: "sni", match: "is", pattern: "a.example.com", ...over } as iplb.TcpRouteRuleArgs);
const pem = (file: string): string => require("fs").readFileSync(`${__dirname}/../fixtures/certs/${file}`, "utf8"); // www issued by ca; api self-signed
const ssl = (c: CorpusContext, over: Record<string, unknown>) => new iplb.SslCertificate("bad", { serviceName: c.serviceName, certificate: pem("www.pem"), key: pem("www.key"), chain: pem("ca.pem"), ...over });

export const familyCases: BadInputCase[] = [
  // Routes: the actions availableRouteActions offers, per protocol.
  { name: "HttpRoute action type forward", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "forward" } }),
    field: "action.type", message: 'action.type: "forward" is not one of farm, redirect, reject (HTTP routes)' },
  { name: "TcpRoute action redirect (HTTP only)", resource: "TcpRoute", build: (c) => tcpRoute(c, { action: { type: "redirect", target: "https://example.com" } }),
    field: "action.type", message: 'action.type: "redirect" is not one of farm, reject (TCP routes)' },
  { name: "TcpRoute reject with a status (HTTP only)", resource: "TcpRoute", build: (c) => tcpRoute(c, { action: { type: "reject", status: 403 } }),
    field: "action.status", message: "action.status: TCP actions take no status" },
  { name: "HttpRoute redirect status 200", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "redirect", target: "https://example.com", status: 200 } }),
    field: "action.status", message: "action.status: 200 is not a status of HTTP redirect actions (allowed: 301, 302, 303, 307, 308)" },
  { name: "HttpRoute reject status 404", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "reject", status: 404 } }),
    field: "action.status", message: "action.status: 404 is not a status of HTTP reject actions (allowed: 200, 400, 403, 405, 408, 429, 500, 502, 503, 504)" },
  { name: "HttpRoute farm action with a status", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "farm", target: 100, status: 302 } }),
    field: "action.status", message: "action.status: HTTP farm actions take no status" },
  { name: "HttpRoute farm action without target", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "farm" } }),
    field: "action.target", message: "action.target: HTTP farm actions need a target: a farm id (farmId)" },
  { name: "TcpRoute farm target not an id", resource: "TcpRoute", build: (c) => tcpRoute(c, { action: { type: "farm", target: "web" } }),
    field: "action.target", message: 'action.target: "web" is not a farm id (farmId of a farm, 1 or more)' },
  { name: "HttpRoute reject with a target", resource: "HttpRoute", build: (c) => httpRoute(c, { action: { type: "reject", target: "100" } }),
    field: "action.target", message: "action.target: HTTP reject actions take no target" },
  { name: "HttpRoute redirect target with CR/LF", resource: "HttpRoute",
    build: (c) => httpRoute(c, { action: { type: "redirect", target: "https://example.com\r\nSet-Cookie: a=1" } }),
    field: "action.target", message: "action.target: contains a control character (U+000D); one line of text is allowed" },

  // Route rules: the fields, matches and patterns availableRouteRules offers, per protocol.
  { name: "TcpRouteRule field host (HTTP only)", resource: "TcpRouteRule", build: (c) => tcpRule(c, { field: "host" }),
    field: "field", message: 'field: "host" is not one of source, protocol, sni (TCP route rules)' },
  { name: "HttpRouteRule match exists on host", resource: "HttpRouteRule", build: (c) => httpRule(c, { match: "exists", pattern: null }),
    field: "match", message: 'match: "exists" is not available for the HTTP rule field host (allowed: is, in, contains, startswith, endswith, matches)' },
  { name: "HttpRouteRule header without subField", resource: "HttpRouteRule", build: (c) => httpRule(c, { field: "header" }),
    field: "subField", message: "subField: the HTTP rule field header needs a subField (the header name)" },
  { name: "HttpRouteRule host with a subField", resource: "HttpRouteRule", build: (c) => httpRule(c, { subField: "Host" }),
    field: "subField", message: "subField: the HTTP rule field host takes no subField (only param, header, cookie do)" },
  { name: "HttpRouteRule is without pattern", resource: "HttpRouteRule", build: (c) => httpRule(c, { pattern: null }),
    field: "pattern", message: "pattern: a value is required for the is match" },
  { name: "HttpRouteRule method PATCH", resource: "HttpRouteRule", build: (c) => httpRule(c, { field: "method", match: "in", pattern: "GET,PATCH" }),
    field: "pattern", message: 'pattern: "PATCH" is not a value of the HTTP rule field method (allowed: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE)' },
  { name: "TcpRouteRule source not an address", resource: "TcpRouteRule", build: (c) => tcpRule(c, { field: "source", pattern: "10.0.0.300" }),
    field: "pattern", message: 'pattern: "10.0.0.300" is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32) for the TCP rule field source' },
  { name: "HttpRouteRule source block not a network", resource: "HttpRouteRule", build: (c) => httpRule(c, { field: "source", pattern: "10.1.2.3/16" }),
    field: "pattern", message: 'pattern: "10.1.2.3/16" is not a network address; the block is "10.1.0.0/16"' },
  { name: "HttpRouteRule exists with a pattern", resource: "HttpRouteRule", build: (c) => httpRule(c, { field: "cookie", subField: "sid", match: "exists" }),
    field: "pattern", message: "pattern: the exists match takes no pattern (it tests that the subField is present)" },
  { name: "HttpRouteRule pattern with CR/LF", resource: "HttpRouteRule", build: (c) => httpRule(c, { pattern: "a.example.com\r\nX: 1" }),
    field: "pattern", message: "pattern: contains a control character (U+000D); one line of text is allowed" },

  // Custom certificates: every reason names the field and never quotes the key.
  { name: "SslCertificate certificate not PEM", resource: "SslCertificate", build: (c) => ssl(c, { certificate: "hello" }), field: "certificate", message: /^certificate: is not a PEM encoded X\.509 certificate/ },
  { name: "SslCertificate certificate with its chain", resource: "SslCertificate", build: (c) => ssl(c, { certificate: pem("www.pem") + pem("ca.pem") }), field: "certificate", message: "certificate: holds 2 certificates; put the server's certificate here and the intermediates in `chain`" },
  { name: "SslCertificate key in the certificate field", resource: "SslCertificate", build: (c) => ssl(c, { certificate: pem("www.key") }), field: "certificate", message: "certificate: holds a private key; put it in `key`, never in `certificate`" },
  { name: "SslCertificate key of another certificate", resource: "SslCertificate", build: (c) => ssl(c, { key: pem("api.key") }), field: "key", message: "key: does not match the certificate (it is not the private key of the certificate's public key)" },
  { name: "SslCertificate key not PEM", resource: "SslCertificate", build: (c) => ssl(c, { key: "secret-but-not-a-key" }), field: "key", message: /^key: is not a PEM encoded private key/ },
  { name: "SslCertificate chain that did not issue it", resource: "SslCertificate", build: (c) => ssl(c, { chain: pem("api.pem") }), field: "chain", message: /^chain: certificate 1 of the chain \(CN=api\.example\.test\) did not issue the certificate/ },
  { name: "SslCertificate adoptSslId 0", resource: "SslCertificate", build: (c) => ssl(c, { adoptSslId: 0 }), field: "adoptSslId", message: "adoptSslId: 0 is less than 1" },
  { name: "HttpRoute weight 256", resource: "HttpRoute", build: (c) => httpRoute(c, { weight: 256 }), field: "weight", message: "weight: 256 is out of range 0..255" },
  { name: "SslCertificate chain not PEM", resource: "SslCertificate", build: (c) => ssl(c, { chain: "intermediate.pem" }), field: "chain", message: /^chain: is not a PEM certificate chain/ },
];

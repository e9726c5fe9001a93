/**
 * Bad inputs that look harmless to a type check but are not (issue "Closer to the real OVH service, and harder to
 * break", point 11): ids no JSON number carries exactly, text with control characters (CR/LF would inject a header or
 * a line into the balancer's configuration), bidirectional overrides or lone surrogates, pages of text for a name, a
 * redirection that is not an HTTP URL, addresses that name no one server, service names that are paths, and unknown
 * fields named like Object's methods. Each is refused by check(), naming the field, before any API call.
 */
import type { BadInputCase } from "./corpus";
import { httpFarm, httpFrontend, httpServer, tcpFarm, tcpServer } from "./corpus";

const BEYOND = "the largest integer sent exactly";
const ONE_LINE = "one line of text is allowed";
const SERVICE_HINT = 'is not a service name (letters, digits, "-", "_" and ".", not starting with "."; e.g. loadbalancer-ab12cd34)';

export const unsafeCases: BadInputCase[] = [
  { name: "HttpFarm vrackNetworkId 1e308", resource: "HttpFarm", build: (c) => httpFarm(c, { vrackNetworkId: 1e308 }),
    field: "vrackNetworkId", message: `vrackNetworkId: 1e+308 is beyond 9007199254740991, ${BEYOND}` },
  { name: "HttpFarmServer farmId 2^53", resource: "HttpFarmServer", build: (c) => httpServer(c, { farmId: 2 ** 53 }),
    field: "farmId", message: `farmId: 9007199254740992 is beyond 9007199254740991, ${BEYOND}` },
  { name: "TcpFarm adoptFarmId 1e308", resource: "TcpFarm", build: (c) => tcpFarm(c, { adoptFarmId: 1e308 }),
    field: "adoptFarmId", message: `adoptFarmId: 1e+308 is beyond 9007199254740991, ${BEYOND}` },
  { name: "HttpFrontend httpHeader with CR/LF (header injection)", resource: "HttpFrontend",
    build: (c) => httpFrontend(c, { httpHeader: ["X-Ok 1\r\nX-Injected: 1"] }),
    field: "httpHeader", message: `httpHeader: contains a control character (U+000D); ${ONE_LINE}` },
  { name: "HttpFarmServer cookie with CR/LF", resource: "HttpFarmServer", build: (c) => httpServer(c, { cookie: "a\r\nSet-Cookie: b" }),
    field: "cookie", message: `cookie: contains a control character (U+000D); ${ONE_LINE}` },
  { name: "HttpFrontend redirectLocation javascript:", resource: "HttpFrontend", build: (c) => httpFrontend(c, { redirectLocation: "javascript:alert(1)" }),
    field: "redirectLocation", message: 'redirectLocation: "javascript:alert(1)" is not an http:// or https:// URL' },
  { name: "HttpFrontend redirectLocation with a line feed", resource: "HttpFrontend",
    build: (c) => httpFrontend(c, { redirectLocation: "https://example.com/\nX-Injected: 1" }),
    field: "redirectLocation", message: `redirectLocation: contains a control character (U+000A); ${ONE_LINE}` },
  { name: "TcpFarm displayName with NUL", resource: "TcpFarm", build: (c) => tcpFarm(c, { displayName: "cache\u0000" }),
    field: "displayName", message: `displayName: contains a control character (U+0000); ${ONE_LINE}` },
  { name: "HttpFarm displayName of 100,000 characters", resource: "HttpFarm", build: (c) => httpFarm(c, { displayName: "x".repeat(100_000) }),
    field: "displayName", message: "displayName: is 100000 characters long, more than 255" },
  { name: "HttpFrontend displayName with a bidirectional override", resource: "HttpFrontend",
    build: (c) => httpFrontend(c, { displayName: "www\u202Egnp.exe" }),
    field: "displayName", message: `displayName: contains a bidirectional override (U+202E); ${ONE_LINE}` },
  { name: "HttpFarmServer displayName with a lone surrogate", resource: "HttpFarmServer", build: (c) => httpServer(c, { displayName: "web\uD800" }),
    field: "displayName", message: `displayName: contains a lone surrogate (U+D800); ${ONE_LINE}` },
  { name: "TcpFarmServer address 0.0.0.0", resource: "TcpFarmServer", build: (c) => tcpServer(c, { address: "0.0.0.0" }),
    field: "address", message: 'address: "0.0.0.0" is not the address of one server' },
  { name: "HttpFarmServer address 255.255.255.255", resource: "HttpFarmServer", build: (c) => httpServer(c, { address: "255.255.255.255" }),
    field: "address", message: 'address: "255.255.255.255" is not the address of one server' },
  { name: "HttpFarm serviceName ..", resource: "HttpFarm", build: (c) => httpFarm(c, { serviceName: ".." }),
    field: "serviceName", message: `serviceName: ".." ${SERVICE_HINT}` },
  { name: "TcpFarm serviceName with a path", resource: "TcpFarm", build: (c) => tcpFarm(c, { serviceName: "lb/../x" }),
    field: "serviceName", message: `serviceName: "lb/../x" ${SERVICE_HINT}` },
  { name: "HttpFarm unknown field constructor", resource: "HttpFarm", build: (c) => httpFarm(c, { constructor: "x" }),
    field: "constructor", message: /^constructor: unknown field; allowed fields: serviceName, zone, port,/ },
  { name: "TcpFarm unknown field toString", resource: "TcpFarm", build: (c) => tcpFarm(c, { toString: "x" }),
    field: "toString", message: /^toString: unknown field; allowed fields: serviceName, zone, port,/ },
];

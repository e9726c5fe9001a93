// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const zone = config.get("zone") ?? "gra";
const webServers = config.requireObject<string[]>("webServers");
const apiServers = config.requireObject<string[]>("apiServers");
const apiHost = config.get("apiHost") ?? "api.example.com";
const apiPathPrefix = config.get("apiPathPrefix") ?? "/api/";

// Pulumi runs the program in this folder, so a relative path in the config is relative to it.
const pem = (file: string) => fs.readFileSync(path.resolve(file), "utf8");
const chainFile = config.get("chainFile");

function hostPort(spec: string): { address: string; port: number } {
  const [address, port] = spec.split(":");
  return { address, port: Number(port) };
}

// One batch for every object below that OVH stages: the first `up` makes them live with one refresh per zone (and so
// does any later `up`), instead of one refresh per group of steps the engine happens to run together. Every member
// must be created in this synchronous part of the program (sdk/refresh.ts).
const apply = new iplb.Refresh("lb", { serviceName });

const probe = { type: "http", method: "GET", url: "/health", match: "status", pattern: "200" } as const;

/** An HTTP farm and its servers, named `<name>-1`, `<name>-2`... */
function farm(name: string, port: number, servers: string[]) {
  const created = new iplb.HttpFarm(name, { serviceName, zone, port, displayName: name, probe, refresh: apply });
  const serverIds = servers.map((spec, i) => {
    const server = new iplb.HttpFarmServer(`${name}-${i + 1}`, {
      serviceName, farmId: created.farmId, ...hostPort(spec), status: "active", displayName: `${name}-${i + 1}`, probe: true, refresh: apply,
    });
    return [`${name}-${i + 1}`, server.serverId] as const;
  });
  return { farmId: created.farmId, serverIds: Object.fromEntries(serverIds) };
}

const web = farm("web", 8080, webServers);
const api = farm("api", 9000, apiServers);

// The certificate served on 443. It is no member of the batch: OVH does not stage certificates, the upload is live at
// once. The key is registered as a secret by the class, so the state only holds it encrypted.
const certificate = new iplb.SslCertificate("www", {
  serviceName,
  certificate: pem(config.require("certificateFile")),
  key: pem(config.require("keyFile")),
  ...(chainFile ? { chain: pem(chainFile) } : {}),
  displayName: "www",
});

// Plain HTTP: no farm, only the redirect route below.
const http = new iplb.HttpFrontend("http", { serviceName, zone, port: 80, displayName: "http", refresh: apply });

// HTTPS: TLS ends on the load balancer with the certificate above; whatever no route claims goes to the site.
const https = new iplb.HttpFrontend("https", {
  serviceName, zone, port: 443, displayName: "https", ssl: true, defaultSslId: certificate.sslId, hsts: true,
  defaultFarmId: web.farmId, refresh: apply,
});

// A route without rules matches every request of its frontend. The target is a template of the OVH routes guide
// ("Actions available", Redirection): `${host}` is the request's Host header (with its port, if the client sent
// one), `${path}` its path, `${arguments}` its query string with the `?`. 301: browsers may remember it.
const toHttps = new iplb.HttpRoute("to-https", {
  serviceName, frontendId: http.frontendId, displayName: "to-https",
  action: { type: "redirect", target: "https://${host}${path}${arguments}", status: 301 },
  refresh: apply,
});

// Two farm routes on HTTPS. Farm routes are evaluated by ascending weight, and routes of equal weight in the order
// they were created, which Pulumi does not fix (it creates independent resources side by side): distinct weights
// make the order part of the program. The host route comes first: every request for the API's host name goes to
// the api farm; for other names, only paths under the prefix do.
const apiByHost = new iplb.HttpRoute("api-by-host", {
  serviceName, frontendId: https.frontendId, displayName: "api-by-host", weight: 10,
  action: { type: "farm", target: api.farmId },
  refresh: apply,
});
const apiHostRule = new iplb.HttpRouteRule("api-host", {
  serviceName, routeId: apiByHost.routeId, field: "host", match: "is", pattern: apiHost, displayName: "api-host", refresh: apply,
});

const apiByPath = new iplb.HttpRoute("api-by-path", {
  serviceName, frontendId: https.frontendId, displayName: "api-by-path", weight: 20,
  action: { type: "farm", target: api.farmId },
  refresh: apply,
});
const apiPathRule = new iplb.HttpRouteRule("api-path", {
  serviceName, routeId: apiByPath.routeId, field: "uri", match: "startswith", pattern: apiPathPrefix, displayName: "api-path", refresh: apply,
});

export const farmIds = { web: web.farmId, api: api.farmId };
export const serverIds = { ...web.serverIds, ...api.serverIds };
export const frontendIds = { http: http.frontendId, https: https.frontendId };
export const sslId = certificate.sslId;
export const certificateSubject = certificate.subject;
export const certificateExpires = certificate.expireDate;
export const routeIds = { toHttps: toHttps.routeId, apiByHost: apiByHost.routeId, apiByPath: apiByPath.routeId };
export const ruleIds = { apiHost: apiHostRule.ruleId, apiPath: apiPathRule.ruleId };

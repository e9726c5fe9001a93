// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";

const config = new pulumi.Config();
const serviceName = config.require("serviceName");
const zone = config.get("zone") ?? "gra";
// The defaults are Pulumi.yaml's (the real CLI applies them); repeated for runners that do not read it.
const webServers = config.getObject<string[]>("webServers") ?? ["127.0.0.1:8080", "127.0.0.2:8080", "127.0.0.3:8080"];
const tcpServers = config.getObject<string[]>("tcpServers") ?? ["127.0.0.4:6379", "127.0.0.5:6379"];

function hostPort(spec: string): { address: string; port: number } {
  const [address, port] = spec.split(":");
  return { address, port: Number(port) };
}

// Web: cookie stickiness, so a visitor keeps hitting the same server, and an HTTP health check on /health.
const web = new iplb.HttpFarm("web", {
  serviceName,
  zone,
  port: 8080,
  displayName: "web",
  balance: "roundrobin",
  stickiness: "cookie",
  probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 },
});

const webMembers = webServers.map(
  (spec, i) =>
    new iplb.HttpFarmServer(`web-${i + 1}`, {
      serviceName,
      farmId: web.farmId,
      ...hostPort(spec),
      status: "active",
      displayName: `web-${i + 1}`,
      probe: true,
      // An explicit cookie keeps sessions sticky even if the server is re-created.
      cookie: `web${i + 1}`,
    }),
);

// Cache: TCP with source-IP stickiness.
const cache = new iplb.TcpFarm("cache", {
  serviceName,
  zone,
  port: 6379,
  displayName: "cache",
  balance: "leastconn",
  stickiness: "sourceIp",
  probe: { type: "tcp", interval: 30 },
});

const cacheMembers = tcpServers.map(
  (spec, i) =>
    new iplb.TcpFarmServer(`cache-${i + 1}`, {
      serviceName,
      farmId: cache.farmId,
      ...hostPort(spec),
      status: "active",
      displayName: `cache-${i + 1}`,
      probe: true,
    }),
);

// The ports clients connect to: HTTP on 80 to the web farm, TCP on 6379 to the cache farm. On the emulator started
// with its data plane (`npx ovh-iplb-emulator --data-plane`), each listens on 127.0.0.1 (10080 and 16379 by default).
const webFrontend = new iplb.HttpFrontend("web-frontend", { serviceName, zone, port: 80, displayName: "web", defaultFarmId: web.farmId });
const cacheFrontend = new iplb.TcpFrontend("cache-frontend", { serviceName, zone, port: 6379, displayName: "cache", defaultFarmId: cache.farmId });

export const webFarmId = web.farmId;
export const cacheFarmId = cache.farmId;
export const webServerIds = webMembers.map((s) => s.serverId);
export const cacheServerIds = cacheMembers.map((s) => s.serverId);
export const webFrontendId = webFrontend.frontendId;
export const cacheFrontendId = cacheFrontend.frontendId;
export const serverStates = pulumi
  .all([...webMembers, ...cacheMembers].map((s) => pulumi.all([s.displayName, s.serverState])))
  .apply((pairs) => Object.fromEntries(pairs.map(([name, state]) => [name ?? "?", state.map((st) => st.status)])));

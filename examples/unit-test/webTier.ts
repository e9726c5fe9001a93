// The web tier of the program (index.ts): a function of its settings, so that a unit test can build it with any.
// In your own project: import * as iplb from "pulumi-ovh-iplb";
import * as iplb from "../../sdk";

export interface WebTierArgs {
  serviceName: string;
  zone: string;
  servers: { address: string; port: number }[];
}

export interface WebTier {
  farm: iplb.HttpFarm;
  servers: iplb.HttpFarmServer[];
  frontend: iplb.HttpFrontend;
}

/** An HTTP farm (cookie stickiness, an HTTP probe of /health), one server per entry, a frontend on port 80. */
export function webTier(args: WebTierArgs): WebTier {
  const { serviceName, zone } = args;
  const farm = new iplb.HttpFarm("web", {
    serviceName,
    zone,
    balance: "roundrobin",
    stickiness: "cookie",
    probe: { type: "http", method: "GET", url: "/health", match: "status", pattern: "200", interval: 30 },
  });
  const servers = args.servers.map((s, i) =>
    new iplb.HttpFarmServer(`web-${i + 1}`, {
      serviceName, farmId: farm.farmId, address: s.address, port: s.port, status: "active", probe: true, cookie: `web${i + 1}`,
    }));
  const frontend = new iplb.HttpFrontend("http", { serviceName, zone, port: "80", defaultFarmId: farm.farmId });
  return { farm, servers, frontend };
}

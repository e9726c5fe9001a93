/**
 * Programs the policy tests capture: the repository's example programs, loaded from their files, and a small
 * builder for stacks of farms and servers.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import * as iplb from "../../sdk";
import { REPO_ROOT } from "../helpers/programRunner";
import type { PackConfig } from "./harness";

/**
 * The program of `examples/<name>/index.ts`, run from its source each time it is called. Jest caches a required
 * module (its body would run once per test file); this transpiles the file and runs its body in a fresh module that
 * shares this registry's `@pulumi/pulumi` and SDK, which is what the program's own imports name.
 */
export function exampleProgram(name: string): () => Record<string, unknown> {
  const file = path.join(REPO_ROOT, "examples", name, "index.ts");
  const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    fileName: file,
  }).outputText;
  const shared: Record<string, unknown> = { "@pulumi/pulumi": pulumi, "../../sdk": iplb, "pulumi-ovh-iplb": iplb };
  return () => {
    const module = { exports: {} as Record<string, unknown> };
    const requireShared = (id: string) => (id in shared ? shared[id] : require(id));
    new Function("exports", "require", "module", "__filename", "__dirname", js)(module.exports, requireShared, module, file, path.dirname(file));
    return module.exports;
  };
}

/** examples/bad-stack/policy-config.json: what `--policy-pack-config` gives the pack for that example. */
export const badStackConfig: PackConfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples/bad-stack/policy-config.json"), "utf8"));

/** What examples/bad-stack trips under its policy-config.json: `level policy resource`, sorted. */
export const BAD_STACK_VIOLATIONS = [
  "advisory iplb-frontend-default-farm-used site",
  "advisory iplb-route-rules-can-match old-domain-host",
  "advisory iplb-sticky-server-cookies shop-1",
  "advisory iplb-unique-natural-keys db",
  "mandatory iplb-backend-tls shop-1",
  "mandatory iplb-certificate-domains cert",
  "mandatory iplb-certificate-expired legacy",
  "mandatory iplb-failover-ip-allowed vip",
  "mandatory iplb-farm-health-probe shop",
  "mandatory iplb-farm-min-servers shop",
  "mandatory iplb-farm-stickiness db",
  "mandatory iplb-port-bounds db",
  "mandatory iplb-probe-interval-bounds db",
  "mandatory iplb-route-targets to-rbx",
  "mandatory iplb-server-address-allowed shop-1",
  "mandatory iplb-server-weight-bounds shop-2",
  "mandatory iplb-servers-probed shop-1",
];

export const SERVICE = "loadbalancer-policy";

export interface ServerSpec {
  name: string;
  address?: string;
  status?: "active" | "inactive";
  port?: number;
  weight?: number;
  backup?: boolean;
  probe?: boolean;
  ssl?: boolean;
  cookie?: string;
}

export interface FarmSpec {
  name: string;
  kind?: "http" | "tcp" | "udp";
  port?: number;
  displayName?: string;
  stickiness?: "cookie" | "sourceIp";
  /** Default: an HTTP probe on /health; "absent" leaves `probe` out. */
  probe?: iplb.ProbeArgs | null | "absent";
  servers?: ServerSpec[];
}

/** A server that passes every policy with the default config. */
export const goodServer = (name: string, extra: Partial<ServerSpec> = {}): ServerSpec =>
  ({ name, address: "10.0.0.10", status: "active", probe: true, cookie: name, ...extra });

/** Two good servers, `<farm>-1` and `<farm>-2`. */
export const twoGoodServers = (farm: string, extra: Partial<ServerSpec> = {}): ServerSpec[] =>
  [1, 2].map((i) => goodServer(`${farm}-${i}`, { address: `10.0.0.${i}`, ...extra }));

function server(kind: "http" | "tcp" | "udp", farmId: pulumi.Input<number>, s: ServerSpec): void {
  const { name, ...fields } = s;
  const args = { serviceName: SERVICE, farmId, address: "10.0.0.10", status: "active" as const, ...fields };
  if (kind === "udp") {
    new iplb.UdpFarmServer(name, { serviceName: SERVICE, farmId, address: args.address, status: args.status, port: s.port });
  } else if (kind === "tcp") {
    const { cookie: _cookie, ...tcp } = args;
    new iplb.TcpFarmServer(name, tcp);
  } else {
    new iplb.HttpFarmServer(name, args);
  }
}

/** Registers each farm (HTTP by default, with an HTTP probe unless given) and its servers (farmId = farm.farmId). */
export function farmsProgram(farms: FarmSpec[]): () => void {
  return () => {
    for (const f of farms) {
      const kind = f.kind ?? "http";
      const common = { serviceName: SERVICE, zone: "gra", displayName: f.displayName, port: f.port ?? 8080 };
      const probe = f.probe === undefined ? { type: "http" as const, url: "/health" } : f.probe === "absent" ? undefined : f.probe;
      const farm =
        kind === "udp" ? new iplb.UdpFarm(f.name, { ...common, port: f.port ?? 53 })
          : kind === "tcp" ? new iplb.TcpFarm(f.name, { ...common, stickiness: f.stickiness as "sourceIp" | undefined, probe })
            : new iplb.HttpFarm(f.name, { ...common, stickiness: f.stickiness, probe });
      for (const s of f.servers ?? twoGoodServers(f.name)) server(kind, farm.farmId, s);
    }
  };
}

/** Values computed from the farm's id: unknown in preview, known in the update. */
export function laterValues(): void {
  // A farm with one server is wrong whatever is unknown elsewhere.
  const solo = new iplb.TcpFarm("solo", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
  new iplb.TcpFarmServer("solo-1", { serviceName: SERVICE, farmId: solo.farmId, address: "10.0.1.1", status: "active", probe: true });
  const interval = solo.farmId.apply(() => 7200);
  // Only probe.interval is unknown (the ProbeArgs type has no Inputs inside; the SDK serializes them all the same).
  const web = new iplb.HttpFarm("web", { serviceName: SERVICE, zone: "gra", probe: { type: "http", interval: interval as unknown as number } });
  const later = <T>(value: T) => web.farmId.apply(() => value);
  for (const i of [1, 2]) new iplb.HttpFarmServer(`web-${i}`, { serviceName: SERVICE, farmId: web.farmId, address: `10.0.0.${i}`, status: "active", probe: true });
  new iplb.HttpFarmServer("web-3", { serviceName: SERVICE, farmId: web.farmId, address: later("203.0.113.5"), status: later("inactive" as const), probe: true });
  // One certain server and one whose status is unknown: the verdict hinges on it.
  const pair = new iplb.HttpFarm("pair", { serviceName: SERVICE, zone: "gra", probe: { type: "tcp" } });
  new iplb.HttpFarmServer("pair-1", { serviceName: SERVICE, farmId: pair.farmId, address: "10.0.2.1", status: "active", probe: true });
  new iplb.HttpFarmServer("pair-2", { serviceName: SERVICE, farmId: pair.farmId, address: "10.0.2.2", status: later("inactive" as const), probe: true });
}

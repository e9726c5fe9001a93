/**
 * `LoadBalancer`: the whole desired configuration of one IP Load Balancer in one place (farms with their servers,
 * frontends that name their farm and certificate by key, failover IPs, free certificates), applied with one `Refresh`
 * batch: one refresh per touched zone per deployment, removals included. The cross-references are checked before
 * anything is registered (sdk/loadBalancerModel.ts).
 *
 *   new iplb.LoadBalancer("lb", {
 *     serviceName,
 *     farms: { web: { type: "http", zone: "gra", port: 8080, servers: { a: { address: "10.0.0.1", status: "active" } } } },
 *     frontends: { www: { type: "http", zone: "gra", port: 80, farm: "web" } },
 *   });
 */
import * as pulumi from "@pulumi/pulumi";
import { messageOf } from "../provider/api/errors";
import type { FarmType } from "../provider/models/farm";
import type * as health from "../reads/healthRollup";
import * as model from "./loadBalancerModel";
import { FailoverIpAttachment } from "./failoverIpAttachment";
import { HttpFarmServer, TcpFarmServer, UdpFarmServer } from "./farmServers";
import type { HttpFarmServerArgs, TcpFarmServerArgs, UdpFarmServerArgs } from "./farmServers";
import { HttpFarm, TcpFarm, UdpFarm } from "./farms";
import type { HttpFarmArgs, TcpFarmArgs, UdpFarmArgs } from "./farms";
import { FreeCertificate } from "./freeCertificate";
import { functionOutput } from "./functionOutput";
import { getServerHealth } from "./functions";
import { HttpFrontend, TcpFrontend, UdpFrontend } from "./frontends";
import type { HttpFrontendArgs, TcpFrontendArgs, UdpFrontendArgs } from "./frontends";
import { Refresh } from "./refresh";

type Own<A> = Omit<A, "serviceName" | "refresh">;
type ServerOf<A> = Omit<A, "serviceName" | "refresh" | "farmId">;

/** A farm and its servers, keyed by name. The farm's `type` picks the class (`HttpFarm`, ...). */
export type LoadBalancerFarm =
  | ({ type: "http"; servers?: Record<string, ServerOf<HttpFarmServerArgs>> } & Own<HttpFarmArgs>)
  | ({ type: "tcp"; servers?: Record<string, ServerOf<TcpFarmServerArgs>> } & Own<TcpFarmArgs>)
  | ({ type: "udp"; servers?: Record<string, ServerOf<UdpFarmServerArgs>> } & Own<UdpFarmArgs>);

interface FrontendRefs {
  /** The key of the farm that receives the traffic (a farm of the same protocol). */
  farm?: string;
  /** Listen only on these failover IPs, each one listed in `failoverIps`. */
  dedicatedIpfo?: string[];
}

type FrontendOf<A> = Omit<A, "serviceName" | "refresh" | "defaultFarmId" | "defaultSslId" | "dedicatedIpfo"> & FrontendRefs;

/** A frontend; it names its farm and certificate by key. A `certificate` turns `ssl` on. */
export type LoadBalancerFrontend =
  | ({ type: "http"; certificate?: string } & FrontendOf<HttpFrontendArgs>)
  | ({ type: "tcp"; certificate?: string } & FrontendOf<TcpFrontendArgs>)
  | ({ type: "udp" } & FrontendOf<UdpFrontendArgs>);

export interface LoadBalancerArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: pulumi.Input<string>;
  farms?: Record<string, LoadBalancerFarm>;
  frontends?: Record<string, LoadBalancerFrontend>;
  /** Failover IPs to route to the load balancer (addresses or `/32` blocks), e.g. for `dedicatedIpfo`. */
  failoverIps?: string[];
  /** Free certificates, keyed by name, each used by at least one HTTPS frontend (`certificate: key`). */
  certificates?: Record<string, { fqdn: pulumi.Input<pulumi.Input<string>[]> }>;
}

type AnyFarm = HttpFarm | TcpFarm | UdpFarm;
type AnyServer = HttpFarmServer | TcpFarmServer | UdpFarmServer;
type AnyFrontend = HttpFrontend | TcpFrontend | UdpFrontend;

/** A server's health as the component reports it (reads/healthRollup.ts `rollUpServer`). */
export interface ServerHealthSummary {
  status: health.HealthStatus;
  reason: string;
}

export class LoadBalancer extends pulumi.ComponentResource {
  /** The batch that applies every child's changes together. */
  readonly refresh: Refresh;
  readonly farms: Record<string, AnyFarm> = {};
  readonly servers: Record<string, Record<string, AnyServer>> = {};
  readonly frontends: Record<string, AnyFrontend> = {};
  readonly failoverIpAttachments: Record<string, FailoverIpAttachment> = {};
  readonly certificates: Record<string, FreeCertificate> = {};

  /** `farmId` by farm key. */
  readonly farmIds: pulumi.Output<Record<string, number>>;
  /** `serverId` by farm key, then server key. */
  readonly serverIds: pulumi.Output<Record<string, Record<string, number>>>;
  /** `frontendId` by frontend key. */
  readonly frontendIds: pulumi.Output<Record<string, number>>;
  /** `sslId` by certificate key. */
  readonly certificateIds: pulumi.Output<Record<string, number>>;
  /**
   * Each server's health (OK / WARNING / CRITICAL / UNKNOWN and why), read from the API on every run once this run's
   * changes are live, by farm key then server key. Unknown in a preview until the server exists.
   */
  readonly health: pulumi.Output<Record<string, Record<string, ServerHealthSummary>>>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const farms = args.farms ?? {};
    const frontends = args.frontends ?? {};
    const failoverIps = args.failoverIps ?? [];
    const certificates = args.certificates ?? {};
    const problems = model.loadBalancerProblems({ farms, frontends, failoverIps, certificates });
    if (problems.length > 0) throw new Error(`LoadBalancer ${name}: ${problems.join("; ")}`);
    super("pulumi-ovh-iplb:index:LoadBalancer", name, {}, opts);

    const { serviceName } = args;
    const child = { parent: this };
    this.refresh = new Refresh(name, { serviceName }, child);
    const batch = { serviceName, refresh: this.refresh };

    for (const ip of failoverIps) {
      this.failoverIpAttachments[ip] = new FailoverIpAttachment(model.childNames.failoverIp(name, ip), { ...batch, ip }, child);
    }
    for (const [key, farm] of Object.entries(farms)) this.addFarm(name, key, farm, batch, child);
    const plainHttp: AnyFrontend[] = [];
    const withCertificate: [string, LoadBalancerFrontend][] = [];
    for (const [key, fe] of Object.entries(frontends)) {
      if ("certificate" in fe && fe.certificate !== undefined) withCertificate.push([key, fe]);
      else this.frontends[key] = this.addFrontend(name, key, fe, batch, child, undefined);
      if (fe.type === "http" && !("certificate" in fe && fe.certificate) && fe.ssl !== true) plainHttp.push(this.frontends[key]);
    }
    // OVH validates a free certificate's names through the HTTP frontends: they come first (FreeCertificate applies
    // what is staged before ordering), and the frontends that use the certificate after it.
    for (const [key, cert] of Object.entries(certificates)) {
      this.certificates[key] = new FreeCertificate(model.childNames.certificate(name, key), { serviceName, fqdn: cert.fqdn }, { parent: this, dependsOn: plainHttp });
    }
    for (const [key, fe] of withCertificate) {
      const sslId = this.certificates[(fe as { certificate: string }).certificate].sslId;
      this.frontends[key] = this.addFrontend(name, key, fe, batch, child, sslId);
    }
    this.refresh.seal();

    this.farmIds = byKey(this.farms, (f) => f.farmId);
    this.serverIds = pulumi.output(Object.fromEntries(Object.entries(this.servers).map(([k, s]) => [k, byKey(s, (x) => x.serverId)])));
    this.frontendIds = byKey(this.frontends, (f) => f.frontendId);
    this.certificateIds = byKey(this.certificates, (c) => c.sslId);
    const readAfter = [this.refresh.commit!]; // sealed above: every change is live once it is done
    this.health = pulumi.output(
      Object.fromEntries(Object.entries(this.servers).map(([k, s]) => [k, byKey(s, (x) => liveHealth(args.serviceName, farms[k].type, x, readAfter))])),
    ) as pulumi.Output<Record<string, Record<string, ServerHealthSummary>>>;
    this.registerOutputs({ farmIds: this.farmIds, serverIds: this.serverIds, frontendIds: this.frontendIds, certificateIds: this.certificateIds, health: this.health });
  }

  private addFarm(lb: string, key: string, farm: LoadBalancerFarm, batch: { serviceName: pulumi.Input<string>; refresh: Refresh }, opts: pulumi.CustomResourceOptions): void {
    const { type, servers = {}, ...rest } = farm;
    const made: AnyFarm =
      type === "http" ? new HttpFarm(model.childNames.farm(lb, key), { ...batch, ...(rest as Own<HttpFarmArgs>) }, opts)
      : type === "tcp" ? new TcpFarm(model.childNames.farm(lb, key), { ...batch, ...(rest as Own<TcpFarmArgs>) }, opts)
      : new UdpFarm(model.childNames.farm(lb, key), { ...batch, ...(rest as Own<UdpFarmArgs>) }, opts);
    this.farms[key] = made;
    this.servers[key] = {};
    for (const [serverKey, server] of Object.entries(servers)) {
      const serverName = model.childNames.server(lb, key, serverKey);
      const args = { ...batch, ...server, farmId: made.farmId };
      this.servers[key][serverKey] =
        type === "http" ? new HttpFarmServer(serverName, args as HttpFarmServerArgs, opts)
        : type === "tcp" ? new TcpFarmServer(serverName, args as TcpFarmServerArgs, opts)
        : new UdpFarmServer(serverName, args as UdpFarmServerArgs, opts);
    }
  }

  private addFrontend(
    lb: string, key: string, fe: LoadBalancerFrontend, batch: { serviceName: pulumi.Input<string>; refresh: Refresh },
    opts: pulumi.CustomResourceOptions, sslId: pulumi.Output<number> | undefined,
  ): AnyFrontend {
    const { type, farm, dedicatedIpfo, ...rest } = fe as LoadBalancerFrontend & { certificate?: string };
    delete (rest as { certificate?: string }).certificate;
    const refs = {
      ...(farm !== undefined ? { defaultFarmId: this.farms[farm].farmId } : {}),
      // The attachment's own output, so the frontend waits until the IP is routed here.
      ...(dedicatedIpfo !== undefined ? { dedicatedIpfo: dedicatedIpfo.map((ip) => this.attachmentOf(ip).ip) } : {}),
      ...(sslId !== undefined ? { defaultSslId: sslId, ssl: true } : {}),
    };
    const name = model.childNames.frontend(lb, key);
    const args = { ...batch, ...rest, ...refs };
    if (type === "http") return new HttpFrontend(name, args as HttpFrontendArgs, opts);
    if (type === "tcp") return new TcpFrontend(name, args as TcpFrontendArgs, opts);
    return new UdpFrontend(name, args as UdpFrontendArgs, opts);
  }

  private attachmentOf(ip: string): FailoverIpAttachment {
    const block = ip.includes("/") ? ip : `${ip}/32`;
    const found = Object.entries(this.failoverIpAttachments).find(([k]) => (k.includes("/") ? k : `${k}/32`) === block);
    return found![1]; // the cross-reference check guarantees it
  }
}

function byKey<T, V>(items: Record<string, T>, pick: (item: T) => pulumi.Output<V>): pulumi.Output<Record<string, V>> {
  const entries = Object.entries(items);
  return pulumi
    .all(entries.map(([, item]) => pick(item)))
    .apply((values) => Object.fromEntries(entries.map(([k], i) => [k, values[i]])) as Record<string, V>);
}

/**
 * A server's health read from the API on every run (`GET .../server/{id}`: its `serverState` of now), after the batch
 * made this run's changes live. Not the server resource's `serverState`: outputs change only when Pulumi writes or
 * refreshes a resource, so a server that went down since it was last written would still show what was true then.
 * A read that fails gives UNKNOWN with the reason: health is a report, it never fails the deployment.
 */
function liveHealth(serviceName: pulumi.Input<string>, farmType: FarmType, server: AnyServer, after: pulumi.Resource[]): pulumi.Output<ServerHealthSummary> {
  const args = pulumi.all([serviceName, server.farmId, server.serverId]);
  return functionOutput(args, { dependsOn: after }, async ([name, farmId, serverId]): Promise<ServerHealthSummary> => {
    try {
      const { status, reason } = await getServerHealth({ serviceName: name, farmType, farmId, serverId });
      return { status, reason };
    } catch (e) {
      return { status: "UNKNOWN", reason: `not read: ${messageOf(e)}` };
    }
  });
}

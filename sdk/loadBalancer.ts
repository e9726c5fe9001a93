/**
 * `LoadBalancer`: the whole desired configuration of one IP Load Balancer in one place (farms with their servers,
 * frontends that name their farm and certificate by key, routes with their rules that name their frontend and farm by
 * key, failover IPs, free and custom certificates), applied with one `Refresh` batch: one refresh per touched zone per
 * deployment, removals included. The cross-references are checked before anything is registered
 * (sdk/loadBalancerModel.ts); routes are built in sdk/loadBalancerRoutes.ts.
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
import { addRoutes } from "./loadBalancerRoutes";
import type { AnyRoute, AnyRouteRule, LoadBalancerRoute } from "./loadBalancerRoutes";
import { Refresh } from "./refresh";
import { SslCertificate } from "./sslCertificate";

export type { LoadBalancerRoute, LoadBalancerRouteAction, LoadBalancerRouteRule } from "./loadBalancerRoutes";

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

/** A frontend; it names its farm and certificate (free or custom) by key. A `certificate` turns `ssl` on. */
export type LoadBalancerFrontend =
  | ({ type: "http"; certificate?: string } & FrontendOf<HttpFrontendArgs>)
  | ({ type: "tcp"; certificate?: string } & FrontendOf<TcpFrontendArgs>)
  | ({ type: "udp" } & FrontendOf<UdpFrontendArgs>);

/** A free certificate (`FreeCertificate`): OVH orders and renews it for these names, validated through the HTTP frontends. */
export interface LoadBalancerFreeCertificate {
  /** 1 to 100 host names; the first is the subject. Another set of names replaces the certificate. */
  fqdn: pulumi.Input<pulumi.Input<string>[]>;
  certificate?: never;
  key?: never;
}

/** Your own certificate, uploaded (`SslCertificate`). */
export interface LoadBalancerCustomCertificate {
  /** The server's certificate, PEM encoded. Changing it replaces the certificate (the new one first). */
  certificate: pulumi.Input<string>;
  /** Its private key, PEM encoded, without a passphrase: made a Pulumi secret, never an output of the component. */
  key: pulumi.Input<string>;
  /**
   * The intermediate certificates, PEM encoded, issuer of `certificate` first. Changing it alone replaces the
   * certificate, deleting the old one first (OVH holds a certificate once), which OVH refuses while a frontend uses
   * it (SslCertificate).
   */
  chain?: pulumi.Input<string>;
  /** A name for people (the OVH console); updated in place. */
  displayName?: pulumi.Input<string>;
  fqdn?: never;
}

export type LoadBalancerCertificate = LoadBalancerFreeCertificate | LoadBalancerCustomCertificate;

export interface LoadBalancerArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). */
  serviceName: pulumi.Input<string>;
  farms?: Record<string, LoadBalancerFarm>;
  frontends?: Record<string, LoadBalancerFrontend>;
  /** Routes by key: each names its frontend (HTTP or TCP) and, for a `farm` action, its farm by key. */
  routes?: Record<string, LoadBalancerRoute>;
  /** Failover IPs to route to the load balancer (addresses or `/32` blocks), e.g. for `dedicatedIpfo`. */
  failoverIps?: string[];
  /**
   * Certificates by key, each used by at least one HTTPS or TLS frontend (`certificate: key`): free ones (`fqdn`) and
   * your own (`certificate`, `key`, `chain`) in one key space.
   */
  certificates?: Record<string, LoadBalancerCertificate>;
}

type AnyFarm = HttpFarm | TcpFarm | UdpFarm;
type AnyServer = HttpFarmServer | TcpFarmServer | UdpFarmServer;
type AnyFrontend = HttpFrontend | TcpFrontend | UdpFrontend;
type Batch = { serviceName: pulumi.Input<string>; refresh: Refresh };

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
  /** The free certificates (`fqdn`) by key. */
  readonly certificates: Record<string, FreeCertificate> = {};
  /** The custom certificates (`certificate`, `key`) by key. */
  readonly sslCertificates: Record<string, SslCertificate> = {};
  readonly routes: Record<string, AnyRoute> = {};
  /** By route key, then rule key. */
  readonly rules: Record<string, Record<string, AnyRouteRule>> = {};

  /** `farmId` by farm key. */
  readonly farmIds: pulumi.Output<Record<string, number>>;
  /** `serverId` by farm key, then server key. */
  readonly serverIds: pulumi.Output<Record<string, Record<string, number>>>;
  /** `frontendId` by frontend key. */
  readonly frontendIds: pulumi.Output<Record<string, number>>;
  /** `sslId` by certificate key, free and custom. */
  readonly certificateIds: pulumi.Output<Record<string, number>>;
  /** `routeId` by route key. */
  readonly routeIds: pulumi.Output<Record<string, number>>;
  /** `ruleId` by route key, then rule key. */
  readonly ruleIds: pulumi.Output<Record<string, Record<string, number>>>;
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
    const routes = args.routes ?? {};
    const problems = model.loadBalancerProblems({ farms, frontends, failoverIps, certificates, routes });
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
    this.addFrontendsAndCertificates(name, frontends, certificates, batch, child);
    const frontendRefs = Object.fromEntries(Object.entries(this.frontends).map(([k, f]) => [k, { type: frontends[k].type, frontendId: f.frontendId }]));
    const farmIds = Object.fromEntries(Object.entries(this.farms).map(([k, f]) => [k, f.farmId]));
    addRoutes(routes, { lb: name, batch, opts: child, frontends: frontendRefs, farmIds }, this);
    this.refresh.seal();

    this.farmIds = byKey(this.farms, (f) => f.farmId);
    this.serverIds = pulumi.output(Object.fromEntries(Object.entries(this.servers).map(([k, s]) => [k, byKey(s, (x) => x.serverId)])));
    this.frontendIds = byKey(this.frontends, (f) => f.frontendId);
    // In the args' order, whichever the kind.
    this.certificateIds = byKey(Object.fromEntries(Object.keys(certificates).map((k) => [k, this.certificates[k] ?? this.sslCertificates[k]])), (c) => c.sslId);
    this.routeIds = byKey(this.routes, (r) => r.routeId);
    this.ruleIds = pulumi.output(Object.fromEntries(Object.entries(this.rules).map(([k, r]) => [k, byKey(r, (x) => x.ruleId)])));
    const readAfter = [this.refresh.commit!]; // sealed above: every change is live once it is done
    this.health = pulumi.output(
      Object.fromEntries(Object.entries(this.servers).map(([k, s]) => [k, byKey(s, (x) => liveHealth(args.serviceName, farms[k].type, x, readAfter))])),
    ) as pulumi.Output<Record<string, Record<string, ServerHealthSummary>>>;
    this.registerOutputs({
      farmIds: this.farmIds, serverIds: this.serverIds, frontendIds: this.frontendIds, certificateIds: this.certificateIds,
      routeIds: this.routeIds, ruleIds: this.ruleIds, health: this.health,
    });
  }

  /**
   * Frontends without a certificate, then the certificates, then the frontends that use one. OVH validates a free
   * certificate's names through the HTTP frontends: they come first (FreeCertificate applies what is staged before
   * ordering). A custom certificate is uploaded as it is, so it waits for nothing.
   */
  private addFrontendsAndCertificates(
    lb: string, frontends: Record<string, LoadBalancerFrontend>, certificates: Record<string, LoadBalancerCertificate>, batch: Batch, opts: pulumi.CustomResourceOptions,
  ): void {
    const plainHttp: AnyFrontend[] = [];
    const withCertificate: [string, LoadBalancerFrontend, string][] = [];
    for (const [key, fe] of Object.entries(frontends)) {
      const certificate = "certificate" in fe ? fe.certificate : undefined;
      if (certificate !== undefined) {
        withCertificate.push([key, fe, certificate]);
        continue;
      }
      this.frontends[key] = this.addFrontend(lb, key, fe, batch, opts, undefined);
      if (fe.type === "http" && fe.ssl !== true) plainHttp.push(this.frontends[key]);
    }
    for (const [key, cert] of Object.entries(certificates)) {
      const name = model.childNames.certificate(lb, key);
      if (model.certificateKind(cert) === "custom") {
        this.sslCertificates[key] = new SslCertificate(name, { ...(cert as LoadBalancerCustomCertificate), serviceName: batch.serviceName }, opts);
      } else {
        const { fqdn } = cert as LoadBalancerFreeCertificate;
        this.certificates[key] = new FreeCertificate(name, { serviceName: batch.serviceName, fqdn }, { ...opts, dependsOn: plainHttp });
      }
    }
    for (const [key, fe, certificate] of withCertificate) {
      const sslId = (this.certificates[certificate] ?? this.sslCertificates[certificate]).sslId;
      this.frontends[key] = this.addFrontend(lb, key, fe, batch, opts, sslId);
    }
  }

  private addFarm(lb: string, key: string, farm: LoadBalancerFarm, batch: Batch, opts: pulumi.CustomResourceOptions): void {
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
    lb: string, key: string, fe: LoadBalancerFrontend, batch: Batch,
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

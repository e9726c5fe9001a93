/**
 * `HttpFrontend`, `TcpFrontend`, `UdpFrontend`: OVH IPLB frontends (the ports the load balancer listens on and the
 * farm they send traffic to). Every change is live when `pulumi up` returns. Changing `serviceName` replaces the
 * frontend; every other field, `zone` included, is updated in place, and removing a field clears it on the API.
 * Id: `serviceName/frontendId`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../provider/registry";
import { IplbResource } from "./resource";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, Refresh } from "./refresh";

/**
 * Ports to listen on, each 1..49151: a number (`80`), the API's string (`"80"`, `"8000-8010"`, `"80,443,8000-8010"`)
 * or a list of ports and ranges (`[80, 443, "8000-8010"]`). Lists become the API's comma string, in your order; the
 * order never causes a change (`"443,80"` is `"80,443"`). A port may appear only once (no overlapping ranges).
 */
export type FrontendPort = number | string | pulumi.Input<number | string>[];

interface FrontendCommonArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). Changing it replaces the frontend. */
  serviceName: pulumi.Input<string>;
  /** A zone of the load balancer (`gra`, `rbx`, ...) or `all` for every zone. Changed in place. */
  zone: pulumi.Input<string>;
  /** See `FrontendPort`. Reported back as the API's string. */
  port: pulumi.Input<FrontendPort>;
  /**
   * The farm that receives the traffic (`farm.farmId`): a farm of the same protocol whose zone is the frontend's or
   * `all`. None when absent (HTTP frontends may `redirectLocation` instead).
   */
  defaultFarmId?: pulumi.Input<number | null>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
  /** Keep the frontend but stop listening; false when absent. */
  disabled?: pulumi.Input<boolean>;
  /**
   * Listen only on these failover IPs (routed to the load balancer), e.g. `["203.0.113.7"]`; a bare address means
   * `/32`. Order and repeats do not matter. Absent, null or `[]`: every IP of the load balancer.
   */
  dedicatedIpfo?: pulumi.Input<pulumi.Input<string>[] | null>;
  /**
   * Take over the existing frontend with this id instead of creating one: its fields are updated to these args,
   * nothing is re-created. (`pulumi import` does not work for dynamic resources, pulumi/pulumi#16175.)
   */
  adoptFrontendId?: pulumi.Input<number>;
  /** Apply this frontend's changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

export interface TcpFrontendArgs extends FrontendCommonArgs {
  /** Terminate TLS on the load balancer; false when absent. */
  ssl?: pulumi.Input<boolean>;
  /** The certificate served (an `ssl` id of the load balancer); the load balancer's choice when absent. */
  defaultSslId?: pulumi.Input<number | null>;
  /**
   * Admit only these client blocks (`"198.51.100.0/24"`; a bare address means `/32`). Order does not matter.
   * Absent, null or `[]`: everyone. Cannot be set together with `deniedSource`.
   */
  allowedSource?: pulumi.Input<pulumi.Input<string>[] | null>;
  /** Refuse these client blocks; as `allowedSource`, and not together with it. */
  deniedSource?: pulumi.Input<pulumi.Input<string>[] | null>;
}

export interface HttpFrontendArgs extends TcpFrontendArgs {
  /** Send `Strict-Transport-Security`; false when absent. */
  hsts?: pulumi.Input<boolean>;
  /**
   * Header lines added to each request, in this order (the order is kept and compared), e.g.
   * `["X-Client-IP %ci", "X-Client-Port %cp"]` (`%ci` client IP, `%cp` client port). Absent, null or `[]`: none.
   */
  httpHeader?: pulumi.Input<pulumi.Input<string>[] | null>;
  /** Answer every request with a redirect to this URL (e.g. `https://example.com`) instead of using a farm. */
  redirectLocation?: pulumi.Input<string | null>;
}

export type UdpFrontendArgs = FrontendCommonArgs;

/** The frontend as the API reports it. */
abstract class FrontendBase extends IplbResource {
  /** From the resource id, so it is known in a preview whenever the frontend is not created or replaced (resource.ts). */
  readonly frontendId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly zone: pulumi.Output<string>;
  /** The API's string, e.g. `"80,443"`. */
  declare readonly port: pulumi.Output<string>;
  declare readonly defaultFarmId: pulumi.Output<number | null>;
  declare readonly displayName: pulumi.Output<string | null>;
  declare readonly disabled: pulumi.Output<boolean>;
  declare readonly dedicatedIpfo: pulumi.Output<string[] | null>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  protected constructor(kind: ProviderKind, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(kind, name, props, opts);
    this.frontendId = this.idPart(1);
  }
}

/** What HTTP and TCP frontends add. */
abstract class TlsFrontendBase extends FrontendBase {
  declare readonly ssl: pulumi.Output<boolean>;
  declare readonly defaultSslId: pulumi.Output<number | null>;
  declare readonly allowedSource: pulumi.Output<string[] | null>;
  declare readonly deniedSource: pulumi.Output<string[] | null>;
  /** Read-only: the vRack network and virtual router of the frontend, when the load balancer is in a vRack. */
  declare readonly vrackNetworkId: pulumi.Output<number | null>;
  declare readonly vrackVrouterId: pulumi.Output<number | null>;
}

/** Only `serviceName` replaces a frontend, so only it enters the batch's fingerprint. */
function frontendProps<A extends FrontendCommonArgs>(kind: string, name: string, args: A, opts: pulumi.CustomResourceOptions | undefined) {
  return joinBatch(kind, name, args, ["serviceName"], opts);
}

const OUTPUTS = {
  changeToken: undefined, serviceName: undefined, zone: undefined, port: undefined,
  defaultFarmId: undefined, displayName: undefined, disabled: undefined, dedicatedIpfo: undefined,
};
const TCP_OUTPUTS = {
  ...OUTPUTS, ssl: undefined, defaultSslId: undefined, allowedSource: undefined, deniedSource: undefined,
  vrackNetworkId: undefined, vrackVrouterId: undefined,
};
const HTTP_OUTPUTS = { ...TCP_OUTPUTS, hsts: undefined, httpHeader: undefined, redirectLocation: undefined };

export class HttpFrontend extends TlsFrontendBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:HttpFrontend";
  declare readonly hsts: pulumi.Output<boolean>;
  declare readonly httpHeader: pulumi.Output<string[] | null>;
  declare readonly redirectLocation: pulumi.Output<string | null>;

  constructor(name: string, args: HttpFrontendArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = frontendProps("HttpFrontend", name, args, opts);
    super("HttpFrontend", name, { ...HTTP_OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  /** A read-only reference to an existing frontend (`serviceName/frontendId`); Pulumi never changes or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): HttpFrontend {
    return new HttpFrontend(name, {} as HttpFrontendArgs, { ...opts, id });
  }
}

export class TcpFrontend extends TlsFrontendBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:TcpFrontend";

  constructor(name: string, args: TcpFrontendArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = frontendProps("TcpFrontend", name, args, opts);
    super("TcpFrontend", name, { ...TCP_OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TcpFrontend {
    return new TcpFrontend(name, {} as TcpFrontendArgs, { ...opts, id });
  }
}

export class UdpFrontend extends FrontendBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:UdpFrontend";

  constructor(name: string, args: UdpFrontendArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = frontendProps("UdpFrontend", name, args, opts);
    super("UdpFrontend", name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): UdpFrontend {
    return new UdpFrontend(name, {} as UdpFrontendArgs, { ...opts, id });
  }
}

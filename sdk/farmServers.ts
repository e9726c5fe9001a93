/**
 * `HttpFarmServer`, `TcpFarmServer`, `UdpFarmServer`: the servers of a farm. Every change is live when
 * `pulumi up` returns. Changing `serviceName`, `farmId` or `address` replaces the server; every other field is
 * updated in place, and removing a field clears it (`weight` back to 1, booleans to false). Id:
 * `serviceName/farmId/serverId`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../provider/registry";
import { IplbResource } from "./resource";
import type { ChangeToken } from "../provider/changes/batch";
import { joinBatch, Refresh } from "./refresh";
import type { OnMarkedDownAction, ProxyProtocolVersion, ServerState, ServerStatus } from "./types";

interface ServerCommonArgs {
  /** The IP Load Balancer. Changing it replaces the server. */
  serviceName: pulumi.Input<string>;
  /** The farm (`farm.farmId`), of the same protocol as this server class. Changing it replaces the server. */
  farmId: pulumi.Input<number>;
  /** IPv4 address of the server. Changing it replaces the server. */
  address: pulumi.Input<string>;
  /** `active` receives traffic; `inactive` is kept but takes none. */
  status: pulumi.Input<ServerStatus>;
  /** Port (1..49151); the farm's port when absent. */
  port?: pulumi.Input<number | null>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
  /** Take over the existing server with this id (in `farmId`) instead of creating one. */
  adoptServerId?: pulumi.Input<number>;
  /** Apply this server's changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

interface BalancedServerArgs extends ServerCommonArgs {
  /** Share of the traffic, 0..256; 1 when absent; 0 keeps the server out of balancing (backup duty only). */
  weight?: pulumi.Input<number | null>;
  /** Receives traffic only when every non-backup server is down. */
  backup?: pulumi.Input<boolean>;
  /** Run the farm's probe against this server (health checks run only when true). */
  probe?: pulumi.Input<boolean>;
  /** Speak TLS to the server (probes too). */
  ssl?: pulumi.Input<boolean>;
  /** PEM CA chain to verify the server's certificate when `ssl` is on. */
  chain?: pulumi.Input<string | null>;
  /** Send a PROXY protocol header: `v1`, `v2`, `v2-ssl`, `v2-ssl-cn`; none when absent. */
  proxyProtocolVersion?: pulumi.Input<ProxyProtocolVersion | null>;
  /** `shutdown-sessions` closes the server's sessions when it is marked down; nothing when absent. */
  onMarkedDown?: pulumi.Input<OnMarkedDownAction | null>;
}

export interface HttpFarmServerArgs extends BalancedServerArgs {
  /**
   * Cookie value for `cookie` stickiness. When absent the API generates one and it is left alone; set it so that
   * re-creating the server keeps its sticky sessions.
   */
  cookie?: pulumi.Input<string | null>;
}

export type TcpFarmServerArgs = BalancedServerArgs;
export type UdpFarmServerArgs = ServerCommonArgs;

abstract class ServerBase extends IplbResource {
  /** From the resource id, so it is known in a preview whenever the server is not created or replaced (resource.ts). */
  readonly serverId: pulumi.Output<number>;
  declare readonly farmId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly address: pulumi.Output<string>;
  declare readonly status: pulumi.Output<ServerStatus>;
  declare readonly port: pulumi.Output<number | null>;
  declare readonly displayName: pulumi.Output<string | null>;
  /** The zone of the server's farm. */
  declare readonly zone: pulumi.Output<string>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  protected constructor(kind: ProviderKind, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(kind, name, props, opts);
    this.serverId = this.idPart(2);
  }
}

const SERVER_REPLACE_FIELDS = ["serviceName", "farmId", "address"] as const;

/** Registers a server, joining its `Refresh` batch if it has one. */
function serverProps<A extends ServerCommonArgs>(kind: string, name: string, args: A, opts: pulumi.CustomResourceOptions | undefined) {
  return joinBatch(kind, name, args, [...SERVER_REPLACE_FIELDS], opts);
}

abstract class BalancedServerBase extends ServerBase {
  declare readonly weight: pulumi.Output<number | null>;
  declare readonly backup: pulumi.Output<boolean>;
  declare readonly probe: pulumi.Output<boolean>;
  declare readonly ssl: pulumi.Output<boolean>;
  declare readonly chain: pulumi.Output<string | null>;
  declare readonly proxyProtocolVersion: pulumi.Output<ProxyProtocolVersion | null>;
  declare readonly onMarkedDown: pulumi.Output<OnMarkedDownAction | null>;
  /** Health per load-balancer instance, as of the last `up` or `refresh`. Never causes a diff. */
  declare readonly serverState: pulumi.Output<ServerState[]>;
}

const OUTPUTS = { changeToken: undefined, farmId: undefined, serviceName: undefined, address: undefined, status: undefined, port: undefined, displayName: undefined, zone: undefined };
const BALANCED_OUTPUTS = { ...OUTPUTS, weight: undefined, backup: undefined, probe: undefined, ssl: undefined, chain: undefined, proxyProtocolVersion: undefined, onMarkedDown: undefined, serverState: undefined };

export class HttpFarmServer extends BalancedServerBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:HttpFarmServer";
  declare readonly cookie: pulumi.Output<string | null>;

  constructor(name: string, args: HttpFarmServerArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = serverProps("HttpFarmServer", name, args, opts);
    super("HttpFarmServer", name, { ...BALANCED_OUTPUTS, cookie: undefined, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  /** A read-only reference to an existing server (`serviceName/farmId/serverId`). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): HttpFarmServer {
    return new HttpFarmServer(name, {} as HttpFarmServerArgs, { ...opts, id });
  }
}

export class TcpFarmServer extends BalancedServerBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:TcpFarmServer";

  constructor(name: string, args: TcpFarmServerArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = serverProps("TcpFarmServer", name, args, opts);
    super("TcpFarmServer", name, { ...BALANCED_OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TcpFarmServer {
    return new TcpFarmServer(name, {} as TcpFarmServerArgs, { ...opts, id });
  }
}

export class UdpFarmServer extends ServerBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:UdpFarmServer";

  constructor(name: string, args: UdpFarmServerArgs, opts?: pulumi.CustomResourceOptions) {
    const batch = serverProps("UdpFarmServer", name, args, opts);
    super("UdpFarmServer", name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): UdpFarmServer {
    return new UdpFarmServer(name, {} as UdpFarmServerArgs, { ...opts, id });
  }
}

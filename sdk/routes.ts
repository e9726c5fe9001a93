/**
 * `HttpRoute`, `TcpRoute`: OVH IPLB routes (send what a frontend receives to a farm, redirect it, or reject it, when
 * every rule of the route matches; a route without rules always matches). Names as in the official OVH provider.
 * Every change is live when `pulumi up` returns, in the zone of the route's frontend (every zone without one).
 * Changing `serviceName` replaces the route; every other field, `frontendId` included, is updated in place, and
 * removing a field clears it on the API. Id: `serviceName/routeId`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ChangeToken } from "../provider/changes/batch";
import type { ProviderKind } from "../provider/registry";
import { joinBatch, Refresh } from "./refresh";
import { IplbResource } from "./resource";

/** HTTP redirect statuses (OVH routes guide). */
export type RouteRedirectStatus = 301 | 302 | 303 | 307 | 308;
/** HTTP reject statuses (OVH routes guide). */
export type RouteRejectStatus = 200 | 400 | 403 | 405 | 408 | 429 | 500 | 502 | 503 | 504;

/** What an HTTP route does when its rules match. */
export type HttpRouteAction =
  /** Send to this farm (`farm.farmId`): an HttpFarm in the frontend's zone or `all`. */
  | { type: "farm"; target: pulumi.Input<number | string> }
  /** Redirect to this URL template; `${protocol}`, `${domain}`, `${host}`, `${port}`, `${path}`, `${arguments}` are replaced (OVH routes guide). */
  | { type: "redirect"; target: pulumi.Input<string>; status?: pulumi.Input<RouteRedirectStatus | null> }
  /** Answer with this status and no backend. */
  | { type: "reject"; status?: pulumi.Input<RouteRejectStatus | null> };

/** What a TCP route does when its rules match: no redirect, and no status. */
export type TcpRouteAction = { type: "farm"; target: pulumi.Input<number | string> } | { type: "reject" };

interface RouteCommonArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). Changing it replaces the route. */
  serviceName: pulumi.Input<string>;
  /** The frontend whose traffic the route sees (`frontend.frontendId`, same protocol). None: every frontend's. */
  frontendId?: pulumi.Input<number | null>;
  /** Priority 0..255, 0 when absent; routes of higher weight are evaluated later, the first match acts. */
  weight?: pulumi.Input<number | null>;
  /** Human-readable name; it also lets an interrupted `up` recognise the route it made. */
  displayName?: pulumi.Input<string | null>;
  /** Take over the existing route with this id instead of creating one: it is updated to these args. */
  adoptRouteId?: pulumi.Input<number>;
  /** Apply this route's changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

export interface HttpRouteArgs extends RouteCommonArgs {
  action: pulumi.Input<HttpRouteAction>;
}

export interface TcpRouteArgs extends RouteCommonArgs {
  action: pulumi.Input<TcpRouteAction>;
}

/** A rule of the route, as the API lists it (rules are separate objects, ids ascending). */
export interface RouteRuleOutput {
  ruleId: number;
  field: string;
  match: string;
  negate: boolean;
  pattern: string | null;
  subField: string | null;
}

const OUTPUTS = {
  changeToken: undefined, serviceName: undefined, frontendId: undefined, action: undefined, weight: undefined,
  displayName: undefined, rules: undefined, status: undefined, zone: undefined,
};

/** The route as the API reports it. */
abstract class RouteBase extends IplbResource {
  /** From the resource id, so it is known in a preview whenever the route is not created or replaced. */
  readonly routeId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly frontendId: pulumi.Output<number | null>;
  /** Every key of the protocol's action, null when not set; a farm target as the API's string (`"12"`). */
  declare readonly action: pulumi.Output<{ type: string; target: string | null; status?: number | null }>;
  declare readonly weight: pulumi.Output<number>;
  declare readonly displayName: pulumi.Output<string | null>;
  declare readonly rules: pulumi.Output<RouteRuleOutput[]>;
  /** `ok` when the route is ready to operate (`creating`, `updating`, `deleting` while OVH processes a write). */
  declare readonly status: pulumi.Output<string>;
  /** The zone the route runs in: its frontend's, or `all`. */
  declare readonly zone: pulumi.Output<string | null>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  protected constructor(kind: ProviderKind, name: string, args: RouteCommonArgs & { action: unknown }, opts?: pulumi.CustomResourceOptions) {
    // Only `serviceName` replaces a route, so only it enters the batch's fingerprint.
    const batch = joinBatch(kind, name, args, ["serviceName"], opts);
    super(kind, name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
    this.routeId = this.idPart(1);
  }
}

export class HttpRoute extends RouteBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:HttpRoute";

  constructor(name: string, args: HttpRouteArgs, opts?: pulumi.CustomResourceOptions) {
    super("HttpRoute", name, args, opts);
  }

  /** A read-only reference to an existing route (`serviceName/routeId`); Pulumi never changes or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): HttpRoute {
    return new HttpRoute(name, {} as HttpRouteArgs, { ...opts, id });
  }
}

export class TcpRoute extends RouteBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:TcpRoute";

  constructor(name: string, args: TcpRouteArgs, opts?: pulumi.CustomResourceOptions) {
    super("TcpRoute", name, args, opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TcpRoute {
    return new TcpRoute(name, {} as TcpRouteArgs, { ...opts, id });
  }
}

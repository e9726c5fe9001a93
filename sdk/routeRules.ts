/**
 * `HttpRouteRule`, `TcpRouteRule`: the rules of an OVH IPLB route (a route acts when every one of its rules matches).
 * Names as in the official OVH provider. Every change is live when `pulumi up` returns, in the zone of the route
 * (its frontend's; every zone without one). Changing `serviceName` or `routeId` replaces the rule; every other field
 * is updated in place, and removing a field clears it on the API. Each rule is its own resource, so the order in which
 * the API lists a route's rules never shows as a change. Id: `serviceName/routeId/ruleId`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ChangeToken } from "../provider/changes/batch";
import type { ProviderKind } from "../provider/registry";
import { joinBatch, Refresh } from "./refresh";
import { IplbResource } from "./resource";

/** The matches availableRouteRules offers (not every field takes every match). */
export type RouteRuleMatch = "is" | "in" | "contains" | "startswith" | "endswith" | "matches" | "exists";
/** HTTP rule fields; `param`, `header` and `cookie` need a `subField` (its name). */
export type HttpRouteRuleField = "source" | "protocol" | "method" | "host" | "uri" | "param" | "header" | "cookie";
/** TCP rule fields (`sni`: the TLS server name). */
export type TcpRouteRuleField = "source" | "protocol" | "sni";

interface RouteRuleCommonArgs {
  /** The IP Load Balancer (`loadbalancer-xxxx`). Changing it replaces the rule. */
  serviceName: pulumi.Input<string>;
  /** The route the rule belongs to (`route.routeId`, same protocol). Changing it replaces the rule. */
  routeId: pulumi.Input<number>;
  /** The cookie, header or query parameter name, for exactly the fields that take one. */
  subField?: pulumi.Input<string | null>;
  /** How `pattern` is compared: `is`/`in` for source, protocol, method; `exists` (no pattern) for param, header, cookie. */
  match: pulumi.Input<RouteRuleMatch>;
  /** Invert the match. False when absent. */
  negate?: pulumi.Input<boolean | null>;
  /**
   * What to match: an IPv4 address or network block for `source`, one of the field's values for `protocol`/`method`,
   * a comma-separated list of them for `in`; text (a regular expression for `matches`) otherwise; none for `exists`.
   */
  pattern?: pulumi.Input<string | null>;
  /** Human-readable name. */
  displayName?: pulumi.Input<string | null>;
  /** Take over the existing rule of the route with this id instead of creating one: it is updated to these args. */
  adoptRuleId?: pulumi.Input<number>;
  /** Apply this rule's changes with the rest of the batch (one refresh per zone per deployment) instead of at once. */
  refresh?: Refresh;
}

export interface HttpRouteRuleArgs extends RouteRuleCommonArgs {
  field: pulumi.Input<HttpRouteRuleField>;
}

export interface TcpRouteRuleArgs extends RouteRuleCommonArgs {
  field: pulumi.Input<TcpRouteRuleField>;
}

const OUTPUTS = {
  changeToken: undefined, serviceName: undefined, routeId: undefined, field: undefined, subField: undefined, match: undefined,
  negate: undefined, pattern: undefined, displayName: undefined, zone: undefined,
};

/** The rule as the API reports it. */
abstract class RouteRuleBase extends IplbResource {
  /** From the resource id, so it is known in a preview whenever the rule is not created or replaced. */
  readonly ruleId: pulumi.Output<number>;
  declare readonly serviceName: pulumi.Output<string>;
  declare readonly routeId: pulumi.Output<number>;
  declare readonly field: pulumi.Output<string>;
  declare readonly subField: pulumi.Output<string | null>;
  declare readonly match: pulumi.Output<string>;
  declare readonly negate: pulumi.Output<boolean>;
  declare readonly pattern: pulumi.Output<string | null>;
  declare readonly displayName: pulumi.Output<string | null>;
  /** The zone the rule runs in: its route's. */
  declare readonly zone: pulumi.Output<string | null>;
  /** Changes whenever a batch member wrote something (used by `Refresh`). */
  declare readonly changeToken: pulumi.Output<ChangeToken | undefined>;

  protected constructor(kind: ProviderKind, name: string, args: RouteRuleCommonArgs & { field: unknown }, opts?: pulumi.CustomResourceOptions) {
    // `serviceName` and `routeId` replace a rule, so they enter the batch's fingerprint.
    const batch = joinBatch(kind, name, args, ["serviceName", "routeId"], opts);
    super(kind, name, { ...OUTPUTS, ...batch.args }, batch.opts);
    batch.joined(this);
    this.ruleId = this.idPart(2);
  }
}

export class HttpRouteRule extends RouteRuleBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:HttpRouteRule";

  constructor(name: string, args: HttpRouteRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super("HttpRouteRule", name, args, opts);
  }

  /** A read-only reference to an existing rule (`serviceName/routeId/ruleId`); Pulumi never changes or deletes it. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): HttpRouteRule {
    return new HttpRouteRule(name, {} as HttpRouteRuleArgs, { ...opts, id });
  }
}

export class TcpRouteRule extends RouteRuleBase {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/iplb:TcpRouteRule";

  constructor(name: string, args: TcpRouteRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super("TcpRouteRule", name, args, opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TcpRouteRule {
    return new TcpRouteRule(name, {} as TcpRouteRuleArgs, { ...opts, id });
  }
}

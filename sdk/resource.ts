/**
 * The base of every custom resource of this package: a dynamic resource served by this package's provider of the
 * same kind, registered without V8 stack traces for the SDK's internal promises.
 *
 * Why: while a resource is constructed, `@pulumi/pulumi` wraps four promises per property in `debuggablePromise`,
 * which reads `new Error().stack` for each (kept only for its "promise leak" report), plus one pre-allocated error
 * per registration. The language runtime installs `source-map-support`, so every one of those stacks is formatted and
 * source-mapped frame by frame: ~80 stacks for a server, about 15 ms of CPU per resource, 15 s of a 1000-resource
 * program (bench/README.md). With `Error.stackTraceLimit` at 0 for the synchronous part of the registration those
 * stacks are empty and cost nothing. The resource's source position (what the engine shows for it) is unaffected:
 * `Resource.callsites` raises the limit itself. The limit is restored before the constructor returns or throws.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../provider/registry";
import * as shim from "../provider/shim";

export abstract class IplbResource extends pulumi.dynamic.Resource {
  protected constructor(kind: ProviderKind, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(shim.providerFor(kind), name, props, opts, "iplb", kind);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  /**
   * Part `index` of this resource's id (`serviceName/farmId/serverId`) as a number: the farm, server, frontend and
   * certificate ids that other resources take as inputs. Why not the provider's output of the same name: in a preview
   * of an update the engine gets no outputs from the dynamic-provider host (it cannot preview), only the inputs
   * echoed, so an output that is not an input is unknown, and every dependent that takes it as a replace key
   * (a server's `farmId`) would preview a replacement that the update never does. The id of an updated resource is
   * known in a preview; it is unknown exactly when the object is created or replaced, as its dependents' inputs should be.
   */
  protected idPart(index: number): pulumi.Output<number> {
    return this.id.apply((id) => Number(id.split("/")[index]));
  }
}

/**
 * Pulumi's function conventions, for functions that run in the program process: `getX(args, opts)` takes plain values
 * and returns a Promise; `getXOutput(args, opts)` takes Inputs, waits for them and for `opts.dependsOn`, and returns an
 * Output. As with a real invoke, an unknown input or dependency during preview gives an unknown result instead of a
 * call (so a list read after `dependsOn: [attachment]` never shows the state before the attachment).
 */
import * as pulumi from "@pulumi/pulumi";

/** Resolves once every resource of `dependsOn` exists: its id (custom resources) or its urn (components). */
function dependencies(dependsOn: pulumi.InvokeOutputOptions["dependsOn"]): pulumi.Output<unknown[]> {
  return pulumi.output(dependsOn ?? []).apply((resolved) => {
    const list = (Array.isArray(resolved) ? resolved : [resolved]) as pulumi.Resource[];
    return pulumi.all(list.map((r) => (pulumi.CustomResource.isInstance(r) ? r.id : r.urn)));
  });
}

export function functionOutput<A, R>(args: pulumi.Output<A>, opts: pulumi.InvokeOutputOptions | undefined, call: (args: A) => Promise<R>): pulumi.Output<R> {
  return pulumi.all([args, dependencies(opts?.dependsOn)]).apply(([plainArgs]) => call(plainArgs as A));
}

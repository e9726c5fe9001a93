/**
 * `Refresh`: apply a whole deployment's changes to one load balancer with exactly one refresh per touched zone,
 * deletions included, instead of one refresh per group of operations the engine runs together.
 *
 *   const apply = new iplb.Refresh("lb", { serviceName });
 *   const web = new iplb.HttpFarm("web", { serviceName, zone: "gra", refresh: apply });
 *   new iplb.HttpFarmServer("web-1", { serviceName, farmId: web.farmId, address: "10.0.0.1", status: "active", refresh: apply });
 *
 * Members must be created in the same synchronous part of the program as the batch (or before `apply.seal()`), so
 * that the batch knows all of them. How it works: provider/changes/batch.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "../provider/changes/batch";
import { IplbResource } from "./resource";

export interface RefreshArgs {
  /** The IP Load Balancer whose changes this batch applies. */
  serviceName: pulumi.Input<string>;
}

/** What a member resource needs from its batch. */
export interface Membership {
  deferredTo: string;
  start: pulumi.Resource;
}

/** Registered before the members of a batch (see provider/changes/batch.ts). */
class RefreshStart extends IplbResource {
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts: pulumi.CustomResourceOptions) {
    super("RefreshStart", name, props, opts);
  }
}

/** Registered after the members of a batch. */
class RefreshCommit extends IplbResource {
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts: pulumi.CustomResourceOptions) {
    super("RefreshCommit", name, props, opts);
  }
}

export class Refresh extends pulumi.ComponentResource {
  /** Registered before every member; deleting an old one at the end of a run applies the deletions. */
  readonly start: pulumi.Resource;
  /** Registered after every member; applies creates and updates. Undefined until sealed. */
  commit?: pulumi.Resource;
  private readonly batchName: string;
  private readonly serviceName: pulumi.Input<string>;
  private readonly members: { resource: pulumi.CustomResource; identity: string; changeToken: pulumi.Output<unknown> }[] = [];
  private resolveFingerprint!: (fingerprint: string) => void;
  private sealed = false;

  constructor(name: string, args: RefreshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-ovh-iplb:index:Refresh", name, {}, opts);
    this.batchName = name;
    this.serviceName = args.serviceName;
    const fingerprint = new Promise<string>((resolve) => (this.resolveFingerprint = resolve));
    this.start = new RefreshStart(`${name}-start`, { serviceName: args.serviceName, batch: name, members: fingerprint }, { parent: this });
    setImmediate(() => this.seal());
  }

  /** Called by member constructors before they register. */
  membership(memberName: string, memberService: unknown): Membership {
    if (this.sealed) {
      throw new Error(
        `${memberName} joined Refresh "${this.batchName}" after it was sealed: create its members synchronously after it, or call seal() after the last one`,
      );
    }
    // A batch applies its own service only: a member of another service would never be refreshed. (Values that are
    // not plain yet, Outputs, cannot be compared here.)
    if (typeof memberService === "string" && typeof this.serviceName === "string" && memberService !== this.serviceName) {
      throw new Error(`${memberName}: serviceName "${memberService}" is not the service of its Refresh "${this.batchName}" ("${this.serviceName}")`);
    }
    return { deferredTo: this.batchName, start: this.start };
  }

  /** Called by member constructors once registered. `identity` changes whenever the member would be replaced. */
  add(resource: pulumi.CustomResource, identity: string, changeToken: pulumi.Output<unknown>): void {
    this.members.push({ resource, identity, changeToken });
  }

  /** Closes the batch: registers the start (with the members' fingerprint) and the commit. Idempotent. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    const fingerprint = batch.fingerprint(this.members.map((m) => m.identity));
    this.resolveFingerprint(fingerprint);
    this.commit = new RefreshCommit(
      `${this.batchName}-commit`,
      {
        serviceName: this.serviceName,
        batch: this.batchName,
        members: fingerprint,
        changes: pulumi.all(this.members.map((m) => m.changeToken)),
      },
      { parent: this, dependsOn: this.members.map((m) => m.resource) },
    );
    this.registerOutputs({});
  }
}

/**
 * What a member resource constructor does to join a batch: the extra input, the dependency on the start, and a
 * callback to run once the resource exists.
 */
export function joinBatch<A extends { refresh?: Refresh }>(
  kind: string,
  name: string,
  args: A,
  replaceFields: (keyof A & string)[],
  opts: pulumi.CustomResourceOptions | undefined,
): { args: Omit<A, "refresh"> & { [batch.MEMBER_OF]?: string }; opts: pulumi.CustomResourceOptions | undefined; joined(resource: pulumi.CustomResource & { changeToken: pulumi.Output<unknown> }): void } {
  const { refresh, ...rest } = args;
  if (!refresh) return { args: rest, opts, joined: () => undefined };
  const membership = refresh.membership(`${kind} ${name}`, (args as { serviceName?: unknown }).serviceName);
  const identity = batch.memberIdentity(kind, name, replaceFields.map((f) => args[f]));
  const dependsOn = opts?.dependsOn;
  const withStart: pulumi.Input<pulumi.Input<pulumi.Resource>[]> =
    dependsOn === undefined
      ? [membership.start]
      : Array.isArray(dependsOn)
        ? [...dependsOn, membership.start]
        : pulumi.output(dependsOn as pulumi.Input<pulumi.Resource>).apply((d) => [d, membership.start]);
  return {
    args: { ...rest, [batch.MEMBER_OF]: membership.deferredTo },
    opts: { ...opts, dependsOn: withStart },
    joined: (resource) => refresh.add(resource, identity, resource.changeToken),
  };
}

// The two shapes every policy of the pack takes. They do what each policy would otherwise repeat: match our resources
// by registered type (see resources.ts), merge the team's configuration over the defaults, and end every run with
// `Reader.finish()` so that unknown values during preview are reported the way @pulumi/policy expects (values.ts).
import type {
  EnforcementLevel, PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { Reader } from "./values";

/** A resource as a per-resource policy sees it: the inputs the program gave (after check), during preview and update. */
export interface ResourceView {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

interface PolicyBase<C> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  /** Defaults of every config key; the schema's `default`s are these values. */
  defaults: C;
  configSchema?: PolicyConfigSchema;
}

export interface ResourcePolicySpec<C> extends PolicyBase<C> {
  /** Registered types this policy applies to (resources.ts TYPES). */
  types: readonly string[];
  check(resource: ResourceView, config: C, read: Reader, report: (message: string) => void): void;
}

export interface StackPolicySpec<C> extends PolicyBase<C> {
  /** `report(message, resource)` attaches the violation to that resource's URN. */
  check(resources: readonly PolicyResource[], config: C, read: Reader, report: ReportViolation): void;
}

/**
 * The CLI fills in the schema's defaults before it configures the pack (pulumi/pulumi ReconcilePolicyPackConfig);
 * merging them here again keeps a policy correct when it runs without that step.
 */
function configOf<C>(args: { getConfig<T extends object>(): T }, defaults: C): C {
  return { ...defaults, ...args.getConfig<Partial<C> & object>() };
}

/** The schema with each property's `default` taken from `defaults`, so the two cannot drift apart. */
function schemaWithDefaults<C>(spec: PolicyBase<C>): PolicyConfigSchema | undefined {
  if (!spec.configSchema) return undefined;
  const properties = Object.fromEntries(
    Object.entries(spec.configSchema.properties).map(([key, schema]) => [
      key,
      key in (spec.defaults as object) ? { ...schema, default: (spec.defaults as Record<string, unknown>)[key] as never } : schema,
    ]),
  );
  return { ...spec.configSchema, properties };
}

export function resourcePolicy<C>(spec: ResourcePolicySpec<C>): ResourceValidationPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    configSchema: schemaWithDefaults(spec),
    validateResource: (args, reportViolation) => {
      if (!spec.types.includes(args.type)) return;
      const read = new Reader();
      const resource: ResourceView = { type: args.type, name: args.name, urn: args.urn, props: args.props };
      spec.check(resource, configOf(args, spec.defaults), read, (message) => reportViolation(message));
      read.finish();
    },
  };
}

export function stackPolicy<C>(spec: StackPolicySpec<C>): StackValidationPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    configSchema: schemaWithDefaults(spec),
    validateStack: (args, reportViolation) => {
      const read = new Reader();
      spec.check(args.resources, configOf(args, spec.defaults), read, reportViolation);
      read.finish();
    },
  };
}

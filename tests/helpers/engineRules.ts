/**
 * The vocabulary and rules the mini engine (miniEngine.ts) shares with tests: registrations, state and steps; how
 * values cross the wire (secrets, references), which outputs become secret, and the order deletions run in, each after
 * the Go engine.
 */
import { isDeepStrictEqual } from "util";
import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { ProviderBackend, Props } from "./hostDriver";

export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    inputs: Props;
    /** Every URN this resource depends on: dependsOn plus the property dependencies of its inputs. */
    dependencies?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
}
export interface ResourceState {
    urn: string; type: string; name: string; custom: boolean; id: string;
    inputs: Props; outputs: Props; dependencies: string[]; parent?: string; providerText?: string;
    /** Set by a partial create/update (ErrorResourceInitFailed); forces an update on the next run. */
    initErrors?: string[];
}
export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read";
export interface Step {
    op: StepOp; urn: string; type: string; name: string;
    /** Top-level keys whose values differ (inputs for up, outputs for refresh). */
    detailedDiff?: string[];
    replaces?: string[];
    id?: string;
    oldId?: string;
}
export interface ProviderCall { method: keyof ProviderBackend; urn: string; id?: string }
/** `error` is set when this registration failed or was skipped because an earlier step failed. */
export interface RegisterResult { id: string; outputs: Props; error?: Error }
export interface RunOptions { dryRun?: boolean; config?: Record<string, string>; secretKeys?: string[] }

export const isSecret = (v: any): boolean => !!v && typeof v === "object" && v[specialSigKey] === specialSecretSig;
export const secret = (value: unknown): Props => ({ [specialSigKey]: specialSecretSig, value });

/** What a provider that accepts neither secrets nor resources gets: markers stripped, references turned into ids. */
export function plain(v: any): any {
    if (Array.isArray(v)) return v.map(plain);
    if (!v || typeof v !== "object") return v;
    if (isSecret(v)) return plain(v.value);
    if (v[specialSigKey] === specialResourceSig) return v.id === "" ? unknownValue : v.id ?? v.urn;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

const containsSecrets = (v: any): boolean =>
    isSecret(v) || (!!v && typeof v === "object" && Object.values(v).some(containsSecrets));

/** provider_plugin.go annotateSecrets: an output is secret when the input with the same key held a secret. */
export function annotateSecrets(outs: Props, ins: Props, extra: string[] = []): Props {
    const marked = { ...outs };
    for (const key of Object.keys(marked)) {
        const secretIn = containsSecrets(ins[key]) || extra.includes(key);
        if (secretIn && !isSecret(marked[key])) marked[key] = secret(marked[key]);
    }
    return marked;
}

export const changedKeys = (a: Props, b: Props): string[] =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual(a[k], b[k])).sort();

/**
 * The engine's delete schedule (pkg/resource/deploy/step_generator.go `ScheduleDeletes`): over every condemned
 * resource (removed from the program, and old halves of replacements), repeatedly take those whose dependencies
 * (`dependencies` and `parent`) are no longer condemned, then reverse: dependents are deleted first, and each
 * antichain runs in parallel.
 */
export function deleteAntichains(resources: ResourceState[]): ResourceState[][] {
    const condemned = new Set(resources);
    const chains: ResourceState[][] = [];
    while (condemned.size > 0) {
        const urns = new Set([...condemned].map((r) => r.urn));
        const free = [...condemned].filter((r) => !(r.parent && urns.has(r.parent)) && !r.dependencies.some((d) => urns.has(d)));
        const chain = free.length > 0 ? free : [...condemned]; // a cycle cannot happen in a real state; never loop
        chain.forEach((r) => condemned.delete(r));
        chains.push(chain);
    }
    return chains.reverse();
}

/** The same schedule, flattened: one valid sequential order. */
export function deleteOrder(resources: ResourceState[]): ResourceState[] {
    return deleteAntichains(resources).flat();
}


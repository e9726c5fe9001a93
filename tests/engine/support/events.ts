/**
 * Reading what the engine reports: the steps and policy events of an `--event-log`, and the names in URNs.
 */
import * as fs from "fs";

/** One engine event of `--event-log` that says what happened to a resource. */
export interface StepEvent {
  op: string;
  urn: string;
  type: string;
  diffs?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
}

/** The resource steps of an event log (`resourcePreEvent`s, which name the operation), provider steps left out. */
export function stepsOf(eventLog: string): StepEvent[] {
  if (!fs.existsSync(eventLog)) return [];
  const steps: StepEvent[] = [];
  for (const line of fs.readFileSync(eventLog, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as { resourcePreEvent?: { metadata: StepEvent & { type: string } } };
    const m = event.resourcePreEvent?.metadata;
    if (m && !m.type.startsWith("pulumi:providers:")) steps.push({ op: m.op, urn: m.urn, type: m.type, diffs: m.diffs, detailedDiff: m.detailedDiff });
  }
  return steps;
}

/** One `policyEvent` of an event log, as `level policy resource` (the resource's name; "stack" for a stack policy). */
export type PolicyViolation = string;

export function policyViolationsOf(eventLog: string): PolicyViolation[] {
  if (!fs.existsSync(eventLog)) return [];
  const found: PolicyViolation[] = [];
  for (const line of fs.readFileSync(eventLog, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const e = (JSON.parse(line) as { policyEvent?: { resourceUrn?: string; policyName: string; enforcementLevel: string } }).policyEvent;
    if (e) found.push(`${e.enforcementLevel} ${e.policyName} ${e.resourceUrn ? nameOf(e.resourceUrn) : "stack"}`);
  }
  return [...new Set(found)].sort();
}

/** A step of `preview --json` (display/json.go's previewStep). */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  detailedDiff?: StepEvent["detailedDiff"];
}

/** The resource's type, from its URN (`urn:pulumi:stack::project::parent$type::name`). */
export const typeOf = (urn: string): string => urn.split("::")[2].split("$").pop()!;

/** The resource's name, the last part of its URN. */
export const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** `op name` for each step that is not `same`, sorted: what a run did, for comparing a preview with its update. */
export function changedSteps(steps: StepEvent[]): string[] {
  return steps.filter((s) => s.op !== "same" && !s.type.startsWith("pulumi:pulumi:Stack")).map((s) => `${s.op} ${nameOf(s.urn)}`).sort();
}

/**
 * What a run planned, to compare a preview with its update: `changedSteps` without the `create-replacement` and
 * `delete-replaced` halves of a replacement, which the update's event log reports beside its `replace` step and
 * `preview --json` does not.
 */
export function plannedSteps(steps: StepEvent[]): string[] {
  return changedSteps(steps.filter((s) => s.op !== "create-replacement" && s.op !== "delete-replaced"));
}

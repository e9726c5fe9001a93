/**
 * One deployment as the class tests check it: `pulumi preview --json`, then `pulumi up`, on an emulator in this
 * process. What the preview planned and wrote, what the up did, and every request the up sent.
 */
import type { Emulator, RequestLogEntry } from "../../../emulator";
import { writes } from "../../helpers/desiredState";
import { changedSteps, nameOf, plannedSteps, type TestStack } from "./stack";

export interface Deployment {
  /** The steps the preview planned, and those the up ran (same form: a preview must list exactly what the up does). */
  preview: string[];
  planned: string[];
  /** What the preview wrote (it must write nothing). */
  previewWrites: RequestLogEntry[];
  /** What `preview --json` said of each resource that changes: its fields (`diffReasons`), by name. */
  fields: Record<string, string[]>;
  /** The preview's diagnostics (the provider's drift notes among them). */
  notes: string[];
  /** The up's steps that changed something (`create web`, `update www`...). */
  steps: string[];
  requests: RequestLogEntry[];
}

export async function deploy(stack: TestStack, emu: Emulator, config: Record<string, string>, upArgs: string[] = []): Promise<Deployment> {
  await stack.setConfig(config);
  const before = emu.requests.length;
  const doc = await stack.preview();
  const preview = plannedSteps(doc.steps);
  const fields = Object.fromEntries(doc.steps.filter((st) => st.op !== "same").map((st) => [nameOf(st.urn), [...(st.diffs ?? [])].sort()]));
  const notes = (doc.diagnostics ?? []).map((n) => n.message);
  const previewWrites = writes(emu.requests.slice(before));
  const from = emu.requests.length;
  const { steps } = await stack.up(upArgs);
  return { preview, planned: plannedSteps(steps), previewWrites, fields, notes, steps: changedSteps(steps), requests: emu.requests.slice(from) };
}

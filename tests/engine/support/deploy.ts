/**
 * One deployment as the class tests check it: `pulumi preview --json`, then `pulumi up`, on an emulator in this
 * process. What the preview planned and wrote, what the up did, and every request the up sent.
 */
import type { Emulator, RequestLogEntry } from "../../../emulator";
import { writes } from "../../helpers/desiredState";
import { changedSteps, plannedSteps, type TestStack } from "./stack";

export interface Deployment {
  /** The steps the preview planned, and those the up ran (same form: a preview must list exactly what the up does). */
  preview: string[];
  planned: string[];
  /** What the preview wrote (it must write nothing). */
  previewWrites: RequestLogEntry[];
  /** The up's steps that changed something (`create web`, `update www`...). */
  steps: string[];
  requests: RequestLogEntry[];
}

export async function deploy(stack: TestStack, emu: Emulator, config: Record<string, string>, upArgs: string[] = []): Promise<Deployment> {
  await stack.setConfig(config);
  const before = emu.requests.length;
  const preview = plannedSteps((await stack.preview()).steps);
  const previewWrites = writes(emu.requests.slice(before));
  const from = emu.requests.length;
  const { steps } = await stack.up(upArgs);
  return { preview, planned: plannedSteps(steps), previewWrites, steps: changedSteps(steps), requests: emu.requests.slice(from) };
}

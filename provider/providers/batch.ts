/**
 * The two marker resources of a `Refresh` batch, `RefreshStart` and `RefreshCommit` (the protocol: changes/batch.ts).
 * They write nothing themselves; they make the members' writes live.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as batch from "../changes/batch";
import { goLiveAll } from "../changes/goLive";
import { configure, type Props, type ProviderThis, session } from "./session";

export const refreshStartProvider: pulumi.dynamic.ResourceProvider = {
  configure,
  check: async (_olds: Props, news: Props) => batch.checkMarker(news),
  diff: async (_id: string, olds: Props, news: Props) => batch.startDiff(olds, news),
  create: async (inputs: Props) => ({ id: batch.markerId(inputs.batch), outs: inputs }),
  update: async (_id: string, _olds: Props, news: Props) => ({ outs: news }),
  // Deleted after the members removed from the program (they depend on it): makes their deletions live.
  async delete(this: ProviderThis, _id: string, props: Props) {
    await goLiveAll(session(this), (props as batch.MarkerInputs).serviceName);
  },
};

export const refreshCommitProvider: pulumi.dynamic.ResourceProvider = {
  configure,
  check: async (_olds: Props, news: Props) => batch.checkMarker(news),
  diff: async (_id: string, olds: Props, news: Props) => batch.commitDiff(olds, news),
  async create(this: ProviderThis, inputs: Props) {
    await goLiveAll(session(this), (inputs as batch.MarkerInputs).serviceName, { force: batch.newRefreshAll([], inputs.changes) });
    return { id: batch.markerId(inputs.batch), outs: inputs };
  },
  async update(this: ProviderThis, _id: string, olds: Props, news: Props) {
    const { now, refreshAll } = batch.commitGoesLive(olds, news);
    if (now) await goLiveAll(session(this), (news as batch.MarkerInputs).serviceName, { force: refreshAll });
    return { outs: news };
  },
  async delete() {
    // Removing the batch removes its members too; the start, deleted after them, makes their deletions live.
  },
};

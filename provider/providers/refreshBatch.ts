/**
 * A `Refresh` batch: its members' writes are applied together, one refresh per touched zone per deployment,
 * deletions included. Two resources make it, because Pulumi runs creates and updates in dependency order but every
 * deletion at the end of the run:
 *
 * - `RefreshStart` is registered before every member (each member depends on it). Its `members` input fingerprints
 *   the batch: member names and the fields that force replacements. When that set changes, something may be deleted
 *   at the end of the run, so the start is replaced (create before delete): the engine deletes the old start after the
 *   members removed from the program, because they depend on it (pkg/resource/deploy/step_generator.go
 *   `ScheduleDeletes`). Deleting the old start applies every pending change: one refresh for the whole run.
 * - `RefreshCommit` depends on every member and receives their `changeToken`s. It updates when any member wrote,
 *   and then applies the pending changes, unless the fingerprint changed too: the old start will do it at the end.
 *
 * Applying means: every zone of the service with pending changes gets one refresh (refresh.ts `makeLive`). A member
 * whose write is not a staged change (a failover IP routed to the service) marks its token to be forced: the commit
 * then refreshes every zone, and does so itself even when the start is replaced (the old start only sees pending
 * changes), which costs a second refresh only when such a run also removes members.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as refresh from "../changes/refresh";
import * as lifecycle from "./lifecycle";

type Props = lifecycle.Props;

function checkBatch(news: Props, fields: string[]): { inputs: Props; failures: { property: string; reason: string }[] } {
  const failures = fields
    .filter((f) => typeof news[f] !== "string" || news[f] === "")
    .map((property) => ({ property, reason: `${property}: a non-empty string is required` }));
  return { inputs: news, failures };
}

/** Applies every pending change of the service (every zone when `force`), waiting for the refreshes. */
async function applyAll(self: lifecycle.ProviderThis, serviceName: string, force = false): Promise<void> {
  const s = lifecycle.session(self);
  // `all`: makeLive reads the service's zones side by side with the pending changes.
  await refresh.makeLive(s.api, serviceName, ["all"], s.flush.poll, force ? ["all"] : []);
}

const forcedToken = (t: unknown) => typeof t === "string" && t.startsWith(lifecycle.FORCE_PREFIX);

/** A member wrote something that needs a refresh `pendingChanges` cannot show. */
function forcedChange(olds: unknown, news: unknown): boolean {
  const before = new Set(Array.isArray(olds) ? olds : []);
  return Array.isArray(news) && news.some((t) => forcedToken(t) && !before.has(t));
}

function batchId(name: unknown): string {
  return `${String(name)}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export const refreshStartProvider: pulumi.dynamic.ResourceProvider = {
  configure: lifecycle.configure,
  async check(_olds: Props, news: Props) {
    return checkBatch(news, ["serviceName", "batch", "members"]);
  },
  async diff(_id: string, olds: Props, news: Props) {
    const replaces = ["serviceName", "members"].filter((f) => olds[f] !== news[f]);
    return { changes: replaces.length > 0 || olds.batch !== news.batch, replaces, deleteBeforeReplace: false };
  },
  async create(inputs: Props) {
    return { id: batchId(inputs.batch), outs: inputs };
  },
  async update(_id: string, _olds: Props, news: Props) {
    return { outs: news };
  },
  async delete(this: lifecycle.ProviderThis, _id: string, props: Props) {
    await applyAll(this, props.serviceName as string);
  },
};

export const refreshCommitProvider: pulumi.dynamic.ResourceProvider = {
  configure: lifecycle.configure,
  async check(_olds: Props, news: Props) {
    return checkBatch(news, ["serviceName", "batch", "members"]);
  },
  async diff(_id: string, olds: Props, news: Props) {
    const changed = ["serviceName", "batch", "members", "changes"].some((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
    return { changes: changed, replaces: [], deleteBeforeReplace: false };
  },
  async create(this: lifecycle.ProviderThis, inputs: Props) {
    await applyAll(this, inputs.serviceName as string, forcedChange([], inputs.changes));
    return { id: batchId(inputs.batch), outs: inputs };
  },
  async update(this: lifecycle.ProviderThis, _id: string, olds: Props, news: Props) {
    // A new fingerprint replaced the start: deleting the old one at the end of the run applies everything once.
    const force = forcedChange(olds.changes, news.changes);
    if (olds.members === news.members || olds.serviceName !== news.serviceName || force) {
      await applyAll(this, news.serviceName as string, force);
    }
    return { outs: news };
  },
  async delete() {
    // Removing the batch removes its members too; the start, deleted after them, applies their deletions.
  },
};

/**
 * The `Refresh` batch protocol, in one place: its members' writes go live together, one refresh per touched zone per
 * deployment, deletions included. The SDK builds a batch (sdk/refresh.ts), providers/batch.ts serves its two marker
 * resources, and every member's lifecycle follows the rules here. Two markers, because Pulumi runs creates and updates
 * in dependency order but every deletion at the end of the run:
 *
 * - The start (`RefreshStart`) is registered before every member (each member depends on it). Its `members` input
 *   fingerprints the batch: member names and the fields that force replacements. When that set changes, something may
 *   be deleted at the end of the run, so the start is replaced (create before delete): the engine deletes the old start
 *   after the members removed from the program, because they depend on it (pkg/resource/deploy/step_generator.go
 *   `ScheduleDeletes`). Deleting the old start makes every pending change live: one refresh for the whole run.
 * - The commit (`RefreshCommit`) depends on every member and receives their change tokens. It updates when any member
 *   wrote, and then makes the pending changes live, unless the fingerprint changed too: the old start will do it.
 *
 * A member carries the batch's name in `deferredTo` (the input name is kept: existing states hold it) and writes
 * without going live; whenever it wrote, it outputs a fresh change token, which is how the commit learns that it has
 * work to do. A member whose write is not a staged change (a failover IP routed to the service) marks its token
 * `refreshAll`: the commit then refreshes every zone, and does so itself even when the start is replaced (the old start
 * only sees pending changes), which costs a second refresh only when such a run also removes members.
 */
import { createHash } from "crypto";
import type { CheckFailure } from "../models/fields";

type Props = Record<string, unknown>;

/** The input of a member naming its batch. */
export const MEMBER_OF = "deferredTo";

/** True when these inputs (or outputs) belong to a batch member: its batch makes its writes live. */
export function isMember(props: Props): boolean {
  return typeof props[MEMBER_OF] === "string" && props[MEMBER_OF] !== "";
}

/** A member's check: the family validates its own fields; the batch's name is the protocol's. */
export function checkMember<I>(check: (news: Props) => { inputs: I; failures: CheckFailure[] }, news: Props): { inputs: I; failures: CheckFailure[] } {
  const { [MEMBER_OF]: batch, ...own } = news;
  const { inputs, failures } = check(own);
  if (batch === undefined) return { inputs, failures };
  const bad = typeof batch !== "string" || batch === "";
  return {
    inputs: { ...inputs, [MEMBER_OF]: batch },
    failures: bad ? [...failures, { property: MEMBER_OF, reason: `${JSON.stringify(batch)} is not the name of a Refresh batch` }] : failures,
  };
}

/** What a member outputs when it wrote: a fresh `write` each time, and whether the write needs every zone refreshed. */
export interface ChangeToken {
  write: string;
  refreshAll: boolean;
}

export function changeToken(refreshAll = false): ChangeToken {
  return { write: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, refreshAll };
}

/** States written by 0.1 hold tokens as strings, `force:`-prefixed when the write needed every zone refreshed. */
const LEGACY_REFRESH_ALL = "force:";

function refreshesAll(token: unknown): boolean {
  if (typeof token === "string") return token.startsWith(LEGACY_REFRESH_ALL);
  return typeof token === "object" && token !== null && (token as Partial<ChangeToken>).refreshAll === true;
}

/** True when a member's new token (in the commit's `changes`) asks for every zone to be refreshed. */
export function newRefreshAll(olds: unknown, news: unknown): boolean {
  const before = new Set((Array.isArray(olds) ? olds : []).map((t) => JSON.stringify(t)));
  return Array.isArray(news) && news.some((t) => refreshesAll(t) && !before.has(JSON.stringify(t)));
}

/** The markers' inputs: the service, the batch's name and the members' fingerprint (the commit: their tokens too). */
export const MARKER_FIELDS = ["serviceName", "batch", "members"] as const;
export type MarkerInputs = { serviceName: string; batch: string; members: string; changes?: unknown[] };

export function checkMarker(news: Props): { inputs: Props; failures: CheckFailure[] } {
  const failures = MARKER_FIELDS.filter((f) => typeof news[f] !== "string" || news[f] === "").map((property) => ({
    property,
    reason: "a non-empty string is required",
  }));
  return { inputs: news, failures };
}

/** The start is replaced when the service or the members' fingerprint changes (see the top of this file). */
export function startDiff(olds: Props, news: Props): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  const replaces = ["serviceName", "members"].filter((f) => olds[f] !== news[f]);
  return { changes: replaces.length > 0 || olds.batch !== news.batch, replaces, deleteBeforeReplace: false };
}

export function commitDiff(olds: Props, news: Props): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  const changes = ["serviceName", "batch", "members", "changes"].some((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
  return { changes, replaces: [], deleteBeforeReplace: false };
}

/**
 * Whether an updated commit makes the pending changes live itself (and with every zone refreshed): not when the
 * fingerprint changed, since deleting the old start at the end of the run does it once for everything, unless a
 * member's write needs every zone refreshed, which the old start cannot see.
 */
export function commitGoesLive(olds: Props, news: Props): { now: boolean; refreshAll: boolean } {
  const refreshAll = newRefreshAll(olds.changes, news.changes);
  return { now: olds.members === news.members || olds.serviceName !== news.serviceName || refreshAll, refreshAll };
}

/** A marker's resource id: the batch's name and a random part, so a replacement never reuses an id. */
export function markerId(batch: unknown): string {
  return `${String(batch)}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** What a member counts by in the fingerprint: plain values as they are, anything not yet known as `?`. */
function plain(value: unknown): unknown {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : "?";
}

/** A member's identity: changes whenever the member would be replaced (its kind, name or a replace field changed). */
export function memberIdentity(kind: string, name: string, replaceValues: unknown[]): string {
  return `${kind}:${name}:${JSON.stringify(replaceValues.map(plain))}`;
}

/** The batch's fingerprint: its members' identities, in any order. */
export function fingerprint(identities: string[]): string {
  return createHash("sha256").update([...identities].sort().join("\n")).digest("hex").slice(0, 32);
}

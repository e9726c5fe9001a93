/**
 * What a provider's `diff` tells the engine, so that `pulumi preview` names what changes.
 *
 * The dynamic-provider host of @pulumi/pulumi 3.248 forwards only `changes`, `replaces` and `deleteBeforeReplace`:
 * field names (`diffs`, `detailedDiff`) never reach the engine, which then shows `~ update` with no field. Two ways
 * remain to name them, and each case takes the one that is true:
 * - Only the program changed (the live object still is what the last `up` left): answer `changes: undefined`
 *   ("unknown"). The engine then diffs the old and new inputs itself and lists each changed field in the preview
 *   (`diffs`, `detailedDiff`), which here are exactly the fields the update will write.
 * - The live object was changed outside Pulumi (drift): an input diff cannot see that, so answer `changes: true` and
 *   name the drifted fields on the host's standard error, which the engine shows as a diagnostic of the preview and
 *   the update. Field names only: a value could be sensitive.
 * - A replacement is always answered explicitly (an "unknown" answer cannot carry it).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The part of a model's diff this needs. */
export interface FieldDiff {
  changes: boolean;
  replaces: string[];
  diffs: string[];
}

export interface DiffReport {
  /** The program against the live object. */
  desired: FieldDiff;
  /** What the last `up` left (the old outputs) against the live object; undefined when the object is gone. */
  drift?: FieldDiff;
  /** `HttpFarmServer loadbalancer-x/12/34`: names the object in the drift note. */
  what: string;
  deleteBeforeReplace?: boolean;
}

export function engineDiff(r: DiffReport, note: (line: string) => void = stderrNote): pulumi.dynamic.DiffResult {
  if (!r.desired.changes) return { changes: false };
  const drifted = r.drift?.changes ? r.drift.diffs : [];
  if (drifted.length > 0) {
    note(`pulumi-ovh-iplb: ${r.what} was changed outside Pulumi (${drifted.join(", ")}); this update sets it back to what the program declares`);
  }
  if (r.desired.replaces.length > 0 || drifted.length > 0) {
    return { changes: true, replaces: r.desired.replaces, deleteBeforeReplace: r.deleteBeforeReplace ?? false };
  }
  return { changes: undefined };
}

function stderrNote(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * The `Refresh` batch protocol's pure rules (provider/changes/batch.ts): change tokens as data, read alike from states
 * written by 0.1 (string tokens, `force:`-prefixed), membership checks, and when the commit makes changes live itself.
 * The whole protocol against the emulator: tests/program/refreshBatch.test.ts, and under the real engine
 * tests/engine/deployments.test.ts.
 */
import * as batch from "../../provider/changes/batch";

describe("change tokens", () => {
  it("are data: a fresh write each time, and whether the write needs every zone refreshed", () => {
    const a = batch.changeToken();
    const b = batch.changeToken(true);
    expect(a).toEqual({ write: expect.stringMatching(/^[0-9a-z]+-[0-9a-z]+$/), refreshAll: false });
    expect(b.refreshAll).toBe(true);
    expect(a.write).not.toBe(b.write);
  });

  it("ask the commit to refresh every zone only for a new token that says so", () => {
    const plain = batch.changeToken();
    const routed = batch.changeToken(true);
    expect(batch.newRefreshAll([], [plain])).toBe(false);
    expect(batch.newRefreshAll([], [plain, routed])).toBe(true);
    // The same token again (the member did not write this run) is not new.
    expect(batch.newRefreshAll([plain, routed], [plain, routed])).toBe(false);
  });

  it("read states written by 0.1, whose tokens are strings with a force: prefix", () => {
    expect(batch.newRefreshAll(["lq2x-ab"], ["lq2x-ab", "force:lq2y-cd"])).toBe(true);
    expect(batch.newRefreshAll(["force:lq2y-cd"], ["force:lq2y-cd"])).toBe(false);
    expect(batch.newRefreshAll(["lq2x-ab"], ["lq2x-ab", batch.changeToken()])).toBe(false);
  });
});

describe("membership", () => {
  const check = (news: Record<string, unknown>) => ({ inputs: news, failures: [] });

  it("keeps the batch's name out of the family's check and back in the inputs", () => {
    const seen: Record<string, unknown>[] = [];
    const result = batch.checkMember((news) => (seen.push(news), check(news)), { serviceName: "lb", deferredTo: "lb-batch" });
    expect(seen).toEqual([{ serviceName: "lb" }]);
    expect(result).toEqual({ inputs: { serviceName: "lb", deferredTo: "lb-batch" }, failures: [] });
    expect(batch.isMember(result.inputs)).toBe(true);
    expect(batch.isMember({ serviceName: "lb" })).toBe(false);
  });

  it("refuses a batch name that is not a non-empty string", () => {
    expect(batch.checkMember(check, { deferredTo: "" }).failures).toEqual([
      { property: "deferredTo", reason: '"" is not the name of a Refresh batch' },
    ]);
  });
});

describe("the commit", () => {
  const olds = { serviceName: "lb", batch: "b", members: "f1", changes: [batch.changeToken()] };

  it("makes changes live itself when the members' fingerprint is unchanged", () => {
    expect(batch.commitGoesLive(olds, { ...olds, changes: [batch.changeToken()] })).toEqual({ now: true, refreshAll: false });
  });

  it("leaves it to the replaced start when the fingerprint changed, unless a write needs every zone refreshed", () => {
    expect(batch.commitGoesLive(olds, { ...olds, members: "f2", changes: [batch.changeToken()] })).toEqual({ now: false, refreshAll: false });
    expect(batch.commitGoesLive(olds, { ...olds, members: "f2", changes: [batch.changeToken(true)] })).toEqual({ now: true, refreshAll: true });
  });

  it("fingerprints the members in any order", () => {
    const a = batch.memberIdentity("HttpFarm", "web", ["lb", "gra"]);
    const b = batch.memberIdentity("HttpFarmServer", "web-1", ["lb", { unknown: true }, "192.0.2.1"]);
    expect(b).toBe('HttpFarmServer:web-1:["lb","?","192.0.2.1"]');
    expect(batch.fingerprint([a, b])).toBe(batch.fingerprint([b, a]));
    expect(batch.fingerprint([a])).not.toBe(batch.fingerprint([a, b]));
  });
});

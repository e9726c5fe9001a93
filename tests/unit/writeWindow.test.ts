/**
 * When a write window closes (provider/changes/writeWindow.ts): every write that began has joined, and none
 * began for `quietMs`, counted from the last begin. Against an in-memory API that records when it was asked, with
 * nothing pending (so closing is only the reads that decide there is nothing to post).
 * Not proven here: the refreshes themselves (tests/provider/liveChanges.test.ts, against the emulator).
 */
import type { ApiClient } from "../../provider/api/client";
import * as writeWindow from "../../provider/changes/writeWindow";

const OPTIONS: writeWindow.WindowOptions = { quietMs: 150, maxWaitMs: 5000, poll: { timeoutMs: 1000 } };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nothing pending, no refresh running; remembers when `pendingChanges` was read (one read per flush). */
function quietApi(): { api: ApiClient; flushes: number[] } {
  const flushes: number[] = [];
  const api: ApiClient = {
    get: async <T>(path: string) => {
      if (path.endsWith("/pendingChanges")) flushes.push(Date.now());
      return [] as unknown as T;
    },
    post: async () => {
      throw new Error("nothing should be posted");
    },
    put: async () => undefined,
    delete: async () => undefined,
  };
  return { api, flushes };
}

let n = 0;
const key = () => `test|batching-${++n}`;

describe("closing a write window", () => {
  it("flushes as the operation joins when its write took longer than quietMs", async () => {
    const { api, flushes } = quietApi();
    const k = key();
    const op = writeWindow.beginWrite(k, "lb-1");
    await sleep(200); // the write
    const joined = Date.now();
    await op.goLive(api, ["gra"], OPTIONS);
    expect(flushes).toHaveLength(1);
    expect(flushes[0] - joined).toBeLessThan(100);
  });

  it("waits quietMs after the last begin for operations still to come, and flushes them together", async () => {
    const { api, flushes } = quietApi();
    const k = key();
    const first = writeWindow.beginWrite(k, "lb-1");
    const firstLive = first.goLive(api, ["gra"], OPTIONS);
    await sleep(60);
    const secondBegan = Date.now();
    const second = writeWindow.beginWrite(k, "lb-1");
    await Promise.all([firstLive, second.goLive(api, ["gra"], OPTIONS)]);
    expect(flushes).toHaveLength(1);
    expect(flushes[0] - secondBegan).toBeGreaterThanOrEqual(OPTIONS.quietMs - 5);
  });

  it("holds the batch for an operation that began and has not joined, then flushes when it ends without a write", async () => {
    const { api, flushes } = quietApi();
    const k = key();
    const writing = writeWindow.beginWrite(k, "lb-1");
    const joined = writeWindow.beginWrite(k, "lb-1");
    const live = joined.goLive(api, ["gra"], OPTIONS);
    await sleep(400);
    expect(flushes).toEqual([]);
    writing.release();
    await live;
    expect(flushes).toHaveLength(1);
  });
});

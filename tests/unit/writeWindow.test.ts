/**
 * When a write window closes (provider/changes/writeWindow.ts): every write that began has joined, and none
 * began for `quietMs`, counted from the last begin. Against an in-memory API that records when it was asked, with
 * nothing pending (so closing is only the reads that decide there is nothing to post).
 * Not proven here: the refreshes themselves (tests/provider/liveChanges.test.ts, against the emulator).
 */
import type { ApiClient } from "../../provider/api/client";
import * as writeWindow from "../../provider/changes/writeWindow";

const OPTIONS: writeWindow.WindowOptions = { quietMs: 150, maxWaitMs: 5000, poll: { timeoutMs: 1000 } };

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

// On jest's clock (Date.now and timers faked): the moments are exact, whatever the machine's load.
beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

describe("closing a write window", () => {
  it("closes as the write joins when its write took longer than quietMs", async () => {
    const { api, flushes } = quietApi();
    const write = writeWindow.beginWrite(key(), "lb-1");
    await jest.advanceTimersByTimeAsync(200); // the write
    const joined = Date.now();
    await write.goLive(api, ["gra"], OPTIONS);
    expect(flushes).toEqual([joined]);
  });

  it("waits quietMs after the last begin for writes still to come, and makes them live together", async () => {
    const { api, flushes } = quietApi();
    const k = key();
    const firstLive = writeWindow.beginWrite(k, "lb-1").goLive(api, ["gra"], OPTIONS);
    await jest.advanceTimersByTimeAsync(60);
    const secondBegan = Date.now();
    const secondLive = writeWindow.beginWrite(k, "lb-1").goLive(api, ["gra"], OPTIONS);
    await jest.advanceTimersByTimeAsync(OPTIONS.quietMs - 1);
    expect(flushes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all([firstLive, secondLive]);
    expect(flushes).toEqual([secondBegan + OPTIONS.quietMs]);
  });

  it("holds the window for a write that began and has not joined, then closes when it is released", async () => {
    const { api, flushes } = quietApi();
    const k = key();
    const writing = writeWindow.beginWrite(k, "lb-1");
    const live = writeWindow.beginWrite(k, "lb-1").goLive(api, ["gra"], OPTIONS);
    await jest.advanceTimersByTimeAsync(400);
    expect(flushes).toEqual([]);
    const released = Date.now();
    writing.release();
    await live;
    expect(flushes).toEqual([released]);
  });
});

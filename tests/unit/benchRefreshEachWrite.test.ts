/**
 * The benchmark's naive provider (provider/config.ts `refreshEachWrite`, provider/changes/writeWindow.ts): with it,
 * every write posts a refresh of its own zones, even when nothing is pending there any more, one after the other;
 * without it, writes side by side share one. Against an in-memory API that records each refresh it was asked for
 * and answers tasks as done at once, on jest's clock.
 * Not proven here: what the real API or the emulator does with those refreshes (bench/sessions.ts measures that).
 */
import type { ApiClient } from "../../provider/api/client";
import { POLL_DEFAULTS, refreshEachWrite } from "../../provider/config";
import * as writeWindow from "../../provider/changes/writeWindow";

const WINDOW = { quietMs: 150, maxWaitMs: 5000, poll: { timeoutMs: 60_000 } };

/** `pending` zones have staged changes until a refresh of them is posted; every task is done when read. */
function recordingApi(pending: string[]): { api: ApiClient; posted: (string | undefined)[]; at: Record<string, number> } {
  const posted: (string | undefined)[] = [];
  const at: Record<string, number> = {};
  let staged = new Set(pending);
  let nextTask = 1;
  const api: ApiClient = {
    get: async <T>(path: string) => {
      if (path.endsWith("/pendingChanges")) return [...staged].map((zone) => ({ zone, number: 1 })) as unknown as T;
      if (/\/task\/\d+$/.test(path)) return { id: Number(path.split("/").pop()), action: "refreshIplb", status: "done", zones: [] } as unknown as T;
      return [] as unknown as T; // running refreshes: none
    },
    post: async <T>(_path: string, body?: object) => {
      const zone = (body as { zone?: string } | undefined)?.zone;
      posted.push(zone);
      at[zone ?? "all"] = Date.now();
      staged = new Set([...staged].filter((z) => z !== zone));
      return { id: nextTask++, action: "refreshIplb", status: "todo", zones: zone ? [zone] : [] } as unknown as T;
    },
    put: async () => undefined,
    delete: async () => undefined,
  };
  return { api, posted, at };
}

let n = 0;
const key = () => `test|naive-${++n}`;

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => {
  jest.useRealTimers();
  delete process.env.OVH_IPLB_REFRESH_EACH_WRITE;
});

/** Three writes begun side by side on gra, each joining once written; resolves when all are live. */
async function threeWrites(api: ApiClient, options: writeWindow.WindowOptions): Promise<void> {
  const k = key();
  const writes = [0, 1, 2].map(() => writeWindow.beginWrite(k, "lb-1"));
  const live = Promise.all(writes.map((w) => w.goLive(api, ["gra"], options)));
  await jest.advanceTimersByTimeAsync(60_000);
  await live;
}

describe("the naive provider of the benchmark (refreshEachWrite)", () => {
  it("is read from OVH_IPLB_REFRESH_EACH_WRITE, on only for `true`", () => {
    expect(refreshEachWrite({ OVH_IPLB_REFRESH_EACH_WRITE: "true" })).toBe(true);
    for (const off of [undefined, "", "1", "false", "TRUE"]) expect(refreshEachWrite({ OVH_IPLB_REFRESH_EACH_WRITE: off })).toBe(false);
  });

  it("shares one refresh among writes side by side when off", async () => {
    const { api, posted } = recordingApi(["gra"]);
    await threeWrites(api, { ...WINDOW, refreshEachWrite: false });
    expect(posted).toEqual(["gra"]);
  });

  it("posts one refresh per write when on, even after an earlier refresh applied every change", async () => {
    const { api, posted } = recordingApi(["gra"]);
    await threeWrites(api, { ...WINDOW, refreshEachWrite: true });
    expect(posted).toEqual(["gra", "gra", "gra"]);
  });

  it("takes the host's environment when the window's options leave it unset", async () => {
    process.env.OVH_IPLB_REFRESH_EACH_WRITE = "true";
    const { api, posted } = recordingApi(["gra"]);
    await threeWrites(api, WINDOW);
    expect(posted).toEqual(["gra", "gra", "gra"]);
  });

  it("lets a shared window close without waiting for a naive write beside it", async () => {
    const { api, posted, at } = recordingApi(["gra", "rbx"]);
    const k = key();
    const began = Date.now();
    const naive = writeWindow.beginWrite(k, "lb-1");
    const shared = writeWindow.beginWrite(k, "lb-1").goLive(api, ["rbx"], { ...WINDOW, refreshEachWrite: false });
    const alone = naive.goLive(api, ["gra"], { ...WINDOW, refreshEachWrite: true });
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all([shared, alone]);
    expect([...posted].sort()).toEqual(["gra", "rbx"]);
    // The window closed quietMs after the begins (not maxWaitMs: the naive write left it as it joined), and its
    // refresh went out once the naive one's task was seen done, at the first poll.
    expect(at).toEqual({ gra: began, rbx: began + POLL_DEFAULTS.minIntervalMs });
  });
});

/**
 * provider/api/rateGate.ts: nothing is paced before a 429; after one, the calls of the process go one `spacingMs`
 * apart until `60 x spacingMs` pass without another; gates of other settings are not affected. On jest's fake clock:
 * the order of the turns is what is asserted, never how long anything took.
 */
import { rateGate } from "../../provider/api/rateGate";

/** Starts `n` turns at once; returns the order in which they were granted, as fake time advances. */
async function grantOrder(gate: ReturnType<typeof rateGate>, n: number, stepMs: number, steps: number): Promise<number[][]> {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void gate.turn().then(() => granted.push(i));
  const seen: number[][] = [];
  for (let s = 0; s < steps; s++) {
    await jest.advanceTimersByTimeAsync(stepMs);
    seen.push([...granted]);
  }
  return seen;
}

describe("rateGate", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it("lets every call through at once before any 429", async () => {
    const seen = await grantOrder(rateGate("calm", 1000), 5, 0, 1);
    expect(seen[0]).toHaveLength(5);
  });

  it("after a 429, grants one call per spacing, in order", async () => {
    const gate = rateGate("limited", 1000);
    gate.limited();
    const seen = await grantOrder(gate, 3, 1000, 3);
    expect(seen.map((s) => s.length)).toEqual([1, 2, 3]);
    expect(seen[2]).toEqual([0, 1, 2]);
  });

  it("stops pacing once 60 spacings pass without a 429", async () => {
    const gate = rateGate("recovers", 10);
    gate.limited();
    await jest.advanceTimersByTimeAsync(60 * 10);
    const seen = await grantOrder(gate, 4, 0, 1);
    expect(seen[0]).toHaveLength(4);
  });

  it("is shared by the clients of the same settings, not by others", async () => {
    rateGate("shared", 1000).limited();
    const paced = await grantOrder(rateGate("shared", 1000), 2, 0, 1);
    const other = await grantOrder(rateGate("other", 1000), 2, 0, 1);
    expect(paced[0].length).toBeLessThan(2);
    expect(other[0]).toHaveLength(2);
  });
});

/**
 * A rate limit as an API enforces one (the emulator's `throttle`: a bucket refilled at a steady rate, 429 when empty):
 * creates sent side by side all succeed, each farm once. After the first 429 the provider paces every call of the
 * process (provider/api/rateGate.ts) and keeps sending a rate-limited call (it was not processed) instead of giving up
 * after its attempts, as each call retrying on its own back-off did. Counts only: no timing is asserted.
 */
import { configured, Props, Provider, requestsSince, mark, stagedFarms, withEmulator } from "./support";
import type { Emulator } from "../helpers/emulator";

let emu: Emulator;
let http: Provider;

describe("creates side by side under a rate limit", () => {
  withEmulator({ refreshSeconds: 0.05 }, async (started) => {
    emu = started.emu;
    // 50 ms back-off base: calls paced 100 ms apart, as fast as the bucket below refills (10 a second).
    http = await configured("HttpFarm", emu, { "ovh-iplb:retryBaseMs": "50" });
  });

  it("all succeed, each farm created once, though the limit refused many calls", async () => {
    const from = mark(emu);
    emu.faults.throttle = { perMinute: 600, burst: 2 };
    const names = Array.from({ length: 20 }, (_, i) => `paced-${i}`);
    const results = await Promise.allSettled(names.map((displayName) => http.create({ serviceName: emu.serviceName, zone: "gra", displayName } as Props)));
    emu.faults.throttle = { perMinute: 0, burst: 0 };
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(requestsSince(emu, from).filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const created = stagedFarms(emu, "http").map((f) => f.displayName).filter((n) => names.includes(n as string));
    expect(created.sort()).toEqual([...names].sort());
  });
});

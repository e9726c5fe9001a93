/**
 * Injected faults, as a client sees them, and the request log. Each test arms a fault on a fresh emulator so
 * counted faults cannot leak between tests. The refresh outcomes use one staged HTTP farm (the farms family).
 */
import type { OvhClient } from "ovh";
import type { EmulatorOptions } from "../../emulator";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { rawRequest } from "../helpers/rawRequest";

async function withEmulator(options: EmulatorOptions, body: (emu: Emulator, client: OvhClient) => Promise<void>): Promise<void> {
  const emu = await startTestEmulator(options);
  try {
    const client = ovhClient(emu);
    await client.requestPromised("GET", "/ipLoadbalancing"); // syncs the client's clock, so /auth/time takes no fault
    await body(emu, client);
  } finally {
    await emu.close();
  }
}

const timed = async (p: Promise<unknown>) => {
  const start = Date.now();
  await p.catch(() => undefined);
  return Date.now() - start;
};

describe("emulator faults", () => {
  it("adds latencyMs to every answer", () =>
    withEmulator({}, async (emu, client) => {
      emu.faults.latencyMs = 250;
      const delayed = await timed(client.requestPromised("GET", svcPath(emu)));
      expect(delayed).toBeGreaterThanOrEqual(245);
      expect(emu.requests[emu.requests.length - 1].durationMs).toBeGreaterThanOrEqual(245);
    }));

  it("makes a latency spike beyond the client timeout surface as a network error, then answers normally", () =>
    withEmulator({}, async (emu) => {
      const client = ovhClient(emu, { timeout: 200 });
      await client.requestPromised("GET", "/ipLoadbalancing");
      emu.faults.latencySpikes = { count: 1, ms: 1000 };
      const err = await rejection(client.requestPromised("GET", svcPath(emu)));
      // node-ovh aborts the request on socket timeout and rejects with the Error itself (it has no errno), no status.
      expect(err.error).toMatchObject({ code: "ECONNRESET", message: "socket hang up" });
      await expect(client.requestPromised("GET", svcPath(emu))).resolves.toMatchObject({ serviceName: emu.serviceName });
    }));

  it("answers an errorBurst of N 503s, then serves", () =>
    withEmulator({}, async (emu, client) => {
      emu.faults.errorBurst = { count: 3, status: 503 };
      for (let i = 0; i < 3; i++) {
        expect(await rejection(client.requestPromised("GET", svcPath(emu)))).toEqual({ error: 503, message: "Service temporarily unavailable" });
      }
      await expect(client.requestPromised("GET", svcPath(emu))).resolves.toMatchObject({ serviceName: emu.serviceName });
      expect(emu.requests.slice(-4).map((r) => r.status)).toEqual([503, 503, 503, 200]);
    }));

  it("draws errorRate failures from a seeded generator, so a seed repeats its pattern", async () => {
    const pattern = async (randomSeed: number) => {
      let outcomes = "";
      await withEmulator({ randomSeed }, async (emu, client) => {
        emu.faults.errorRate = 0.5;
        for (let i = 0; i < 24; i++) {
          outcomes += await client.requestPromised("GET", svcPath(emu)).then(() => ".", (e: { error: number }) => (e.error === 500 || e.error === 503 ? "x" : "?"));
        }
      });
      return outcomes;
    };
    const first = await pattern(42);
    expect(first).not.toContain("?");
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await pattern(42)).toBe(first);
    expect(await pattern(7)).not.toBe(first);
  });

  it("answers 429 with a Retry-After header", () =>
    withEmulator({}, async (emu, client) => {
      emu.faults.rateLimit = { count: 2, retryAfterSeconds: 7 };
      expect(await rejection(client.requestPromised("GET", svcPath(emu)))).toEqual({ error: 429, message: "Too many requests" });
      const raw = await rawRequest(emu, { method: "GET", path: svcPath(emu) });
      expect(raw.status).toBe(429);
      expect(raw.headers["retry-after"]).toBe("7");
      expect(raw.body).toEqual({ class: "Client::TooManyRequests", message: "Too many requests" });
      expect((await rawRequest(emu, { method: "GET", path: svcPath(emu) })).status).toBe(200);
    }));

  it("hits only the listed methods", () =>
    withEmulator({}, async (emu, client) => {
      emu.faults.methods = ["PUT"];
      emu.faults.errorBurst = { count: 1, status: 500 };
      await expect(client.requestPromised("GET", svcPath(emu))).resolves.toMatchObject({ serviceName: emu.serviceName });
      expect(emu.faults.errorBurst.count).toBe(1);
      expect(await rejection(client.requestPromised("PUT", svcPath(emu), { displayName: "x" }))).toEqual({ error: 500, message: "Internal server error" });
      await expect(client.requestPromised("PUT", svcPath(emu), { displayName: "x" })).resolves.toBeNull();
    }));

  describe("refreshOutcome", () => {
    const stageFarm = (emu: Emulator, client: OvhClient) =>
      client.requestPromised("POST", svcPath(emu, "/http/farm"), { zone: "gra", port: 8080 }) as Promise<{ farmId: number }>;
    const status = async (emu: Emulator, client: OvhClient, id: number) =>
      ((await client.requestPromised("GET", svcPath(emu, `/task/${id}`))) as { status: string }).status;

    it("`error` ends the task in error, keeps the running config and the pending changes", () =>
      withEmulator({ faults: { refreshOutcome: "error" } }, async (emu, client) => {
        await stageFarm(emu, client);
        const t = (await client.requestPromised("POST", svcPath(emu, "/refresh"), { zone: "gra" })) as { id: number };
        await eventually(async () => (await status(emu, client, t.id)) === "error", 30_000, "task error");
        await expect(client.requestPromised("GET", svcPath(emu, `/task/${t.id}`))).resolves.toMatchObject({ status: "error", doneDate: expect.any(String) });
        expect(emu.running("gra").farms).toEqual({});
        await expect(client.requestPromised("GET", svcPath(emu, "/pendingChanges"))).resolves.toEqual([{ zone: "gra", number: 1 }]);
      }));

    it("`never` leaves the task doing", () =>
      withEmulator({ refreshSeconds: 0.2, faults: { refreshOutcome: "never" } }, async (emu, client) => {
        await stageFarm(emu, client);
        const t = (await client.requestPromised("POST", svcPath(emu, "/refresh"))) as { id: number };
        await eventually(async () => (await status(emu, client, t.id)) === "doing", 30_000, "task doing");
        await new Promise((r) => setTimeout(r, 600));
        expect(await status(emu, client, t.id)).toBe("doing");
        expect(emu.running("gra").farms).toEqual({});
      }));
  });

  it("logs every request with method, path, query, body, status and time", () =>
    withEmulator({}, async (emu, client) => {
      const before = emu.requests.length;
      const startedAt = Date.now();
      await client.requestPromised("GET", svcPath(emu, "/task"), { action: "refreshIplb" });
      await client.requestPromised("PUT", svcPath(emu), { displayName: "logged" });
      await rejection(client.requestPromised("GET", svcPath(emu, "/zone/nowhere")));
      const entries = emu.requests.slice(before);
      expect(entries).toEqual([
        { method: "GET", path: svcPath(emu, "/task"), query: { action: "refreshIplb" }, body: undefined, status: 200, time: expect.any(String), durationMs: expect.any(Number) },
        { method: "PUT", path: svcPath(emu), query: {}, body: { displayName: "logged" }, status: 200, time: expect.any(String), durationMs: expect.any(Number) },
        { method: "GET", path: svcPath(emu, "/zone/nowhere"), query: {}, body: undefined, status: 404, time: expect.any(String), durationMs: expect.any(Number) },
      ]);
      // Each entry is stamped when its request arrived: between the first call and now, in order.
      const times = entries.map((e) => Date.parse(e.time));
      expect(times[0]).toBeGreaterThanOrEqual(startedAt);
      expect(times[2]).toBeLessThanOrEqual(Date.now());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }));
});

/**
 * pulumi-ovh-iplb/testing, `waitFor` (testing/wait.ts): the bounded wait under waitUntilLive and waitForServer, for a
 * user's own conditions. The timeouts here end waits on conditions that can never hold; none is a timing threshold.
 */
import { waitFor, WaitTimeoutError } from "../../testing";

describe("waitFor", () => {
  it("resolves with the condition's first truthy value, checking it again until then", async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls === 3 ? { at: calls } : undefined), { intervalMs: 1 })).toEqual({ at: 3 });
    expect(calls).toBe(3);
  });

  it("rejects at once with the condition's own error", async () => {
    let calls = 0;
    await expect(waitFor(() => { calls++; throw new Error("broken"); })).rejects.toThrow("broken");
    expect(calls).toBe(1);
  });

  it("gives up after timeoutMs with a WaitTimeoutError naming what it waited for and what it saw last", async () => {
    const failure = await waitFor(() => false, { timeoutMs: 50, what: "the moon" }, () => "still cheese").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    expect(failure).toMatchObject({ message: "timed out after 50 ms waiting for the moon: still cheese", timeoutMs: 50 });
  });
});

/**
 * `POST .../freeCertificate` (ovh-iplb-api.md 8): an `orderFreeCertificate` task that ends by adding a `built`
 * certificate when every name resolves to the load balancer (emulator option `routedFqdns` / `emu.routeFqdn`), and in
 * `error` with nothing delivered otherwise (OVH's order guide: the names must point to the load balancer for the order
 * to be finalized); a delivered certificate turns `built_not_routed` when a name stops resolving there
 * (`emu.unrouteFqdn`, OVH's FAQ) and `built` again when it resolves again; and the `certificateOutcome` fault.
 * Not proven: the real DCV, how long OVH takes, or when OVH notices that DNS moved.
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";

interface Task {
  id: number;
  action: string;
  status: string;
  zones: string[];
  doneDate: string | null;
}

describe("emulator free certificate orders", () => {
  let emu: Emulator;
  let client: OvhClient;
  const order = (fqdn: unknown) => client.requestPromised("POST", svcPath(emu, "/freeCertificate"), { fqdn }) as Promise<Task>;
  const task = (id: number) => client.requestPromised("GET", svcPath(emu, `/task/${id}`)) as Promise<Task>;
  const list = (query: Record<string, string> = {}) => client.requestPromised("GET", svcPath(emu, "/ssl"), query) as Promise<number[]>;
  const ended = async (id: number): Promise<Task> =>
    (await eventually(async () => {
      const t = await task(id);
      return t.status === "done" || t.status === "error" ? t : undefined;
    }, 60_000, `task ${id} ended`)) as Task; // a bound far past the orders' 5 s, so a loaded machine still sees the end

  beforeEach(async () => {
    // Orders take 5 s, so that "nothing delivered before the task ends" is seen on a loaded machine too (at the
    // default 0.3 s, a busy CI machine listed after the order had ended).
    emu = await startTestEmulator({ routedFqdns: ["shop.example.test", "*.apps.example.test"], certificateSeconds: 5 });
    client = ovhClient(emu);
  });
  afterEach(() => emu.close());

  it("delivers a built certificate for names routed to the load balancer", async () => {
    const created = await order(["shop.example.test", "api.apps.example.test"]);
    expect(created).toMatchObject({ action: "orderFreeCertificate", status: "todo", zones: ["gra", "rbx"], doneDate: null });
    expect(await list()).toEqual([]);
    expect(await ended(created.id)).toMatchObject({ status: "done" });
    const ids = await list({ type: "built" });
    expect(ids.length).toBe(1);
    const ssl = (await client.requestPromised("GET", svcPath(emu, `/ssl/${ids[0]}`))) as Record<string, unknown>;
    expect(ssl).toEqual({
      id: ids[0],
      type: "built",
      displayName: null,
      subject: "/CN=shop.example.test",
      san: ["shop.example.test", "api.apps.example.test"],
      serial: expect.stringMatching(/^[0-9A-F]{36}$/),
      fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/),
      expireDate: expect.stringMatching(/\+00:00$/),
    });
    const days = (Date.parse(ssl.expireDate as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
  });

  it("ends the order in error and delivers nothing when one name does not resolve to the load balancer", async () => {
    const created = await order(["shop.example.test", "elsewhere.example.test"]);
    expect(await ended(created.id)).toMatchObject({ status: "error", doneDate: expect.any(String) });
    expect(await list()).toEqual([]);
  });

  it("turns a delivered certificate built_not_routed when a name stops resolving here, and built when it resolves again", async () => {
    const created = await order(["shop.example.test", "api.apps.example.test"]);
    expect(await ended(created.id)).toMatchObject({ status: "done" });
    const [id] = await list({ type: "built" });
    const ssl = () => client.requestPromised("GET", svcPath(emu, `/ssl/${id}`)) as Promise<{ type: string; san: string[] }>;
    // A name under a routed wildcard moves away on its own; the other names stay routed.
    emu.unrouteFqdn("api.apps.example.test");
    expect(await ssl()).toMatchObject({ type: "built_not_routed", san: ["shop.example.test", "api.apps.example.test"] });
    expect(await list({ type: "built_not_routed" })).toEqual([id]);
    emu.routeFqdn("api.apps.example.test");
    expect((await ssl()).type).toBe("built");
    emu.unrouteFqdn("shop.example.test");
    expect((await ssl()).type).toBe("built_not_routed");
    // An order for the moved name now fails, while other names under the wildcard still validate.
    const [moved, other] = await Promise.all([order(["shop.example.test"]), order(["web.apps.example.test"])]);
    expect(await ended(moved.id)).toMatchObject({ status: "error" });
    expect(await ended(other.id)).toMatchObject({ status: "done" });
  });

  it("fails an order whose name stops resolving before the task completes", async () => {
    const created = await order(["shop.example.test"]);
    emu.unrouteFqdn("shop.example.test");
    expect(await ended(created.id)).toMatchObject({ status: "error" });
    expect(await list()).toEqual([]);
  });

  it("decides routing when the task completes (routeFqdn after ordering counts)", async () => {
    const created = await order(["late.example.test"]);
    emu.routeFqdn("late.example.test");
    expect(await ended(created.id)).toMatchObject({ status: "done" });
    expect((await list({ type: "built" })).length).toBe(1);
  });

  it("ends the task in error and delivers nothing under the certificateOutcome fault", async () => {
    emu.faults.certificateOutcome = "error";
    const created = await order(["shop.example.test"]);
    expect(await ended(created.id)).toMatchObject({ status: "error" });
    expect(await list()).toEqual([]);
  });

  it("keeps the task doing forever under certificateOutcome never", async () => {
    emu.faults.certificateOutcome = "never";
    const created = await order(["shop.example.test"]);
    await eventually(async () => (await task(created.id)).status === "doing", 30_000, "doing");
    await new Promise((r) => setTimeout(r, 300));
    expect((await task(created.id)).status).toBe("doing");
    expect(await list()).toEqual([]);
  });

  it.each([
    [undefined, "[fqdn] Property is mandatory"],
    [[], "[fqdn] At least one FQDN is required"],
    ["shop.example.test", "[fqdn] Given data (shop.example.test) is not valid for type string[]"],
    [["localhost"], "[fqdn] Given data (localhost) is not a valid fully qualified domain name"],
    [["*.example.test"], "[fqdn] Given data (*.example.test) is not a valid fully qualified domain name"],
    [["bad_name.example.test"], "[fqdn] Given data (bad_name.example.test) is not a valid fully qualified domain name"],
    [["-x.example.test"], "[fqdn] Given data (-x.example.test) is not a valid fully qualified domain name"],
    [[42], "[fqdn] Given data (42) is not a valid fully qualified domain name"],
  ])("answers 400 to fqdn %j", async (fqdn, message) => {
    expect(await rejection(order(fqdn))).toEqual({ error: 400, message });
    expect(await client.requestPromised("GET", svcPath(emu, "/task"), { action: "orderFreeCertificate" })).toEqual([]);
  });
});

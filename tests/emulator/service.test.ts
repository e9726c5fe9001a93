/**
 * The service object and its read-only views (ovh-iplb-api.md section 4), through the official `ovh` client.
 * Exact field sets are the fidelity test's job; here we check values and behaviour.
 */
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import type { OvhClient } from "ovh";
import { expectSchemaViolations } from "../helpers/schemaReferee";

describe("emulator service", () => {
  let emu: Emulator;
  let client: OvhClient;
  const get = (suffix = "") => client.requestPromised("GET", svcPath(emu, suffix));
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.6 });
    client = ovhClient(emu);
  });
  afterAll(() => emu.close());

  it("lists the account's load balancers", async () => {
    const names = (await client.requestPromised("GET", "/ipLoadbalancing")) as string[];
    expect(names).toContain(emu.serviceName);
    expect(names.every((n) => /^loadbalancer-[0-9a-f]{32}$/.test(n))).toBe(true);
  });

  it("returns the service with its zones and nullable fields present", async () => {
    await expect(get()).resolves.toMatchObject({
      serviceName: emu.serviceName,
      zone: ["gra", "rbx"],
      state: "ok",
      displayName: null,
      sslConfiguration: null,
      ipv6: null,
    });
  });

  it("updates displayName and sslConfiguration with PUT (200, null body)", async () => {
    await expect(client.requestPromised("PUT", svcPath(emu), { displayName: "front door", sslConfiguration: "modern" })).resolves.toBeNull();
    await expect(get()).resolves.toMatchObject({ displayName: "front door", sslConfiguration: "modern" });
  });

  it("rejects an sslConfiguration outside the enum", async () => {
    const err = await rejection(client.requestPromised("PUT", svcPath(emu), { sslConfiguration: "legacy" }));
    expect(err.error).toBe(400);
    expect(err.message).toBe("[sslConfiguration] Given data (legacy) does not belong to the SslConfigurationEnum enumeration");
  });

  it("accepts a read-only field sent unchanged and rejects one that changes", async () => {
    await expectSchemaViolations(emu, ["body.offer: read-only in ipLoadbalancing.Ip"], () =>
      expect(client.requestPromised("PUT", svcPath(emu), { offer: "iplb-lb1", displayName: "same offer" })).resolves.toBeNull(),
    );
    const err = await rejection(client.requestPromised("PUT", svcPath(emu), { offer: "iplb-lb2" }));
    expect(err).toEqual({ error: 400, message: "[offer] This property is read-only" });
    await expect(get()).resolves.toMatchObject({ offer: "iplb-lb1", displayName: "same offer" });
  });

  it("lists zones and returns each one", async () => {
    await expect(get("/zone")).resolves.toEqual(["gra", "rbx"]);
    await expect(get("/zone/gra")).resolves.toEqual({ name: "gra", state: "active" });
    const err = await rejection(get("/zone/waw"));
    expect(err).toEqual({ error: 404, message: "The requested object (name = waw) does not exist" });
  });

  it("returns the NAT subnets of every zone", async () => {
    const nat = (await get("/natIp")) as { zone: string; ip: string[] }[];
    expect(nat.map((n) => n.zone)).toEqual(["gra", "rbx"]);
    for (const n of nat) expect(n.ip).toEqual([expect.stringMatching(/^198\.51\.100\.\d+\/27$/)]);
  });

  it("reports instances `reload` while a refresh is doing, then `running`", async () => {
    const states = () => get("/instancesState") as Promise<{ zone: string; state: string; internalId: number }[]>;
    const before = await states();
    expect(before.map((s) => [s.zone, s.state])).toEqual([["gra", "running"], ["gra", "running"], ["rbx", "running"], ["rbx", "running"]]);
    const task = (await client.requestPromised("POST", svcPath(emu, "/refresh"), { zone: "gra" })) as { id: number };
    await eventually(async () => ((await get(`/task/${task.id}`)) as { status: string }).status === "doing", 30_000, "task doing");
    const during = await states();
    expect(during.map((s) => [s.zone, s.state])).toEqual([["gra", "reload"], ["gra", "reload"], ["rbx", "running"], ["rbx", "running"]]);
    await eventually(async () => ((await get(`/task/${task.id}`)) as { status: string }).status === "done", 30_000, "task done");
    expect((await states()).every((s) => s.state === "running")).toBe(true);
  });

  it("has no pending changes on a fresh service", async () => {
    await expect(get("/pendingChanges")).resolves.toEqual([]);
  });

  it("reports an empty, healthy status", async () => {
    const zero = { total: 0, status: { ok: 0, warn: 0, error: 0, unknown: 0 } };
    await expect(get("/status")).resolves.toEqual({ farms: zero, frontends: zero, servers: zero, service: { status: "ok" } });
  });

  it("lists the available farm probes with their options", async () => {
    const probes = (await get("/availableFarmProbes")) as { type: string; port: boolean; method: string[] | null }[];
    expect(probes.map((p) => p.type).sort()).toEqual(["http", "mysql", "oco", "pgsql", "smtp", "tcp"]);
    expect(probes.find((p) => p.type === "oco")).toMatchObject({ port: false, method: null });
    expect(probes.find((p) => p.type === "http")).toMatchObject({ port: true, method: ["GET", "HEAD", "OPTIONS"] });
  });

  it.each(["", "/zone", "/natIp", "/pendingChanges", "/status", "/task"])("answers 404 for an unknown service on GET %s", async (suffix) => {
    const err = await rejection(client.requestPromised("GET", `/ipLoadbalancing/loadbalancer-unknown${suffix}`));
    expect(err).toEqual({ error: 404, message: "This service does not exist" });
  });
});

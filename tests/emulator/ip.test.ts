/**
 * `/ip` (ovh-iplb-api.md 7) and `GET .../failover` through the official client, on the seeded account: parked
 * 203.0.113.10-11, 203.0.113.12 routed to the main IPLB, .20 to another IPLB, .21 to a dedicated server.
 * Proves: filters, URL-encoded blocks, description updates, destinations, move/park tasks (todo -> doing -> done) with
 * `routedTo` and `/failover` in sync, the 400/404/409 answers and the `ipTaskOutcome` fault. Not proven: real routing.
 */
import type { OvhClient } from "ovh";
import { Emulator, eventually, ovhClient, rejection, startTestEmulator, svcPath } from "../helpers/emulator";
import { expectSchemaViolations } from "../helpers/schemaReferee";

const OTHER = "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const DEDICATED = "ns3012345.ip-198-51-100.eu";
const enc = (block: string) => encodeURIComponent(block);

interface IpTask {
  taskId: number;
  function: string;
  status: string;
  startDate: string;
  doneDate: string | null;
  lastUpdate: string | null;
  comment: string | null;
  destination: { serviceName: string } | null;
}

describe("emulator /ip and failover IPs", () => {
  let emu: Emulator;
  let client: OvhClient;
  const ip = (block: string) => client.requestPromised("GET", `/ip/${enc(block)}`) as Promise<Record<string, unknown>>;
  const failover = () => client.requestPromised("GET", svcPath(emu, "/failover")) as Promise<string[]>;
  const move = (block: string, body: Record<string, unknown>) => client.requestPromised("POST", `/ip/${enc(block)}/move`, { ...body }) as Promise<IpTask>;
  const park = (block: string) => client.requestPromised("POST", `/ip/${enc(block)}/park`) as Promise<IpTask>;
  const task = (block: string, id: number) => client.requestPromised("GET", `/ip/${enc(block)}/task/${id}`) as Promise<IpTask>;
  const ended = async (block: string, id: number): Promise<IpTask> =>
    (await eventually(async () => {
      const t = await task(block, id);
      return ["done", "ovhError", "customerError", "cancelled"].includes(t.status) ? t : undefined;
    }, 5000, `ip task ${id}`)) as IpTask;

  beforeEach(async () => {
    emu = await startTestEmulator({ ipTaskSeconds: 0.3 });
    client = ovhClient(emu);
  });
  afterEach(() => emu.close());

  it("lists blocks with the schema's filters", async () => {
    const all = ["203.0.113.10/32", "203.0.113.11/32", "203.0.113.12/32", "203.0.113.20/32", "203.0.113.21/32"];
    const list = (query: Record<string, string> = {}) => client.requestPromised("GET", "/ip", query);
    expect(await list()).toEqual(all);
    expect(await list({ type: "failover" })).toEqual(all);
    expect(await list({ type: "vps" })).toEqual([]);
    expect(await list({ "routedTo.serviceName": emu.serviceName })).toEqual(["203.0.113.12/32"]);
    expect(await list({ "routedTo.serviceName": "loadbalancer-%" })).toEqual(["203.0.113.12/32", "203.0.113.20/32"]);
    expect(await list({ ip: "203.0.113.20/32" })).toEqual(["203.0.113.20/32"]);
    await expectSchemaViolations(emu, ['query parameter ip: "203.0.113.21" is not a valid ip-block'], async () => expect(await list({ ip: "203.0.113.21" })).toEqual(["203.0.113.21/32"]));
    expect(await list({ description: "parked%" })).toEqual(["203.0.113.10/32", "203.0.113.11/32"]);
    expect(await list({ version: "4", isAdditionalIp: "true" })).toEqual(all);
    expect(await list({ version: "6" })).toEqual([]);
    expect(await list({ isAdditionalIp: "false" })).toEqual([]);
    expect(await list({ campus: "gra" })).toEqual(all);
    expect(await rejection(list({ type: "nope" }))).toEqual({ error: 400, message: "[type] Given data (nope) does not belong to the ip.IpTypeEnum enumeration" });
  });

  it("reads a block by its URL-encoded path, or by the bare address of a /32", async () => {
    const data = await ip("203.0.113.12/32");
    expect(data).toMatchObject({ ip: "203.0.113.12/32", type: "failover", routedTo: { serviceName: emu.serviceName }, version: 4, isAdditionalIp: true });
    await expectSchemaViolations(emu, ['path parameter ip: "203.0.113.12" is not a valid ip-block'], async () => expect(await client.requestPromised("GET", "/ip/203.0.113.12")).toEqual(data));
    expect(await rejection(ip("203.0.113.99/32"))).toEqual({ error: 404, message: "This service does not exist" });
    expect(await rejection(client.requestPromised("GET", "/ip/not-an-ip"))).toEqual({ error: 400, message: "[ip] Given data (not-an-ip) is not valid for type ipBlock" });
    // node-ovh encodes nothing: an unencoded block is another path (node-ovh issue #44).
    await expectSchemaViolations(emu, ["GET /ip/203.0.113.12/32: no such path in the official schema"], async () =>
      expect(await rejection(client.requestPromised("GET", "/ip/203.0.113.12/32"))).toEqual({ error: 404, message: "Got an invalid (or empty) URL: /ip/203.0.113.12/32" }),
    );
  });

  it("updates the description only", async () => {
    expect(await client.requestPromised("PUT", `/ip/${enc("203.0.113.10/32")}`, { description: "front door" })).toBeNull();
    expect((await ip("203.0.113.10/32")).description).toBe("front door");
    const ro = await rejection(client.requestPromised("PUT", `/ip/${enc("203.0.113.10/32")}`, { routedTo: { serviceName: emu.serviceName } }));
    expect(ro).toEqual({ error: 400, message: "[routedTo] This property is read-only" });
    const whole = await ip("203.0.113.10/32");
    // The whole object as read (with `iam`, which the PUT model ip.Ip lacks), re-sent: the emulator tolerates it, the
    // schema refuses its read-only fields and `iam`.
    await expectSchemaViolations(emu, ["read-only in ip.Ip, must not be sent", "body.iam: unknown field, not in ip.Ip"], async () =>
      expect(await client.requestPromised("PUT", `/ip/${enc("203.0.113.10/32")}`, { ...whole, description: "again" })).toBeNull(),
    );
    expect(await ip("203.0.113.10/32")).toEqual({ ...whole, description: "again" });
  });

  it("lists the other IPLBs and servers as destinations", async () => {
    expect(await client.requestPromised("GET", `/ip/${enc("203.0.113.12/32")}/move`)).toEqual({
      cloudProject: [],
      dedicatedCloud: [],
      dedicatedServer: [{ service: DEDICATED, nexthop: null }],
      hostingReseller: [],
      ipLoadbalancing: [{ service: OTHER, nexthop: null }],
      vps: [],
    });
    const parked = (await client.requestPromised("GET", `/ip/${enc("203.0.113.10/32")}/move`)) as { ipLoadbalancing: unknown[] };
    expect(parked.ipLoadbalancing).toEqual([{ service: OTHER, nexthop: null }, { service: emu.serviceName, nexthop: null }].sort((a, b) => a.service.localeCompare(b.service)));
  });

  it("moves a parked IP: task todo -> doing -> done, then routedTo and /failover agree", async () => {
    expect(await failover()).toEqual(["203.0.113.12/32"]);
    const created = await move("203.0.113.10/32", { to: emu.serviceName });
    expect(created).toEqual({
      taskId: expect.any(Number),
      function: "genericMoveFloatingIp",
      status: "todo",
      startDate: expect.stringMatching(/\+00:00$/),
      doneDate: null,
      lastUpdate: expect.any(String),
      comment: null,
      destination: { serviceName: emu.serviceName },
    });
    await eventually(async () => (await task("203.0.113.10/32", created.taskId)).status === "doing", 30_000, "doing");
    expect((await ip("203.0.113.10/32")).routedTo).toEqual({ serviceName: null });
    const done = await ended("203.0.113.10/32", created.taskId);
    expect(done).toMatchObject({ status: "done", comment: null, doneDate: expect.any(String) });
    expect((await ip("203.0.113.10/32")).routedTo).toEqual({ serviceName: emu.serviceName });
    expect(await failover()).toEqual(["203.0.113.10/32", "203.0.113.12/32"]);
    expect(await client.requestPromised("GET", `/ip/${enc("203.0.113.10/32")}/task`)).toEqual([created.taskId]);
    expect(await client.requestPromised("GET", `/ip/${enc("203.0.113.10/32")}/task`, { function: "genericMoveFloatingIp", status: "done" })).toEqual([created.taskId]);
    expect(await client.requestPromised("GET", `/ip/${enc("203.0.113.10/32")}/task`, { status: "doing" })).toEqual([]);
  });

  it("moves an IP away from another IPLB and parks it, keeping both /failover lists in sync", async () => {
    const otherFailover = () => client.requestPromised("GET", `/ipLoadbalancing/${OTHER}/failover`);
    expect(await otherFailover()).toEqual(["203.0.113.20/32"]);
    await ended("203.0.113.20/32", (await move("203.0.113.20/32", { to: emu.serviceName })).taskId);
    expect(await otherFailover()).toEqual([]);
    expect(await failover()).toEqual(["203.0.113.12/32", "203.0.113.20/32"]);
    const parking = await park("203.0.113.20/32");
    expect(parking).toMatchObject({ function: "genericMoveFloatingIp", status: "todo", destination: null });
    await ended("203.0.113.20/32", parking.taskId);
    expect((await ip("203.0.113.20/32")).routedTo).toEqual({ serviceName: null });
    expect(await failover()).toEqual(["203.0.113.12/32"]);
    expect(await rejection(park("203.0.113.20/32"))).toEqual({ error: 400, message: "203.0.113.20/32 is already parked" });
  });

  it("answers 400 to a move to an unknown service or to where the IP already is", async () => {
    const unknown = await rejection(move("203.0.113.10/32", { to: "loadbalancer-ffffffffffffffffffffffffffffffff" }));
    expect(unknown).toEqual({ error: 400, message: "[to] Given data (loadbalancer-ffffffffffffffffffffffffffffffff) is not a destination available for 203.0.113.10/32 (see GET /ip/{ip}/move)" });
    expect((await rejection(move("203.0.113.12/32", { to: emu.serviceName }))).error).toBe(400);
    expect(await rejection(move("203.0.113.10/32", {}))).toEqual({ error: 400, message: "[to] Property is mandatory" });
    expect(await client.requestPromised("GET", `/ip/${enc("203.0.113.10/32")}/task`)).toEqual([]);
  });

  it("answers 409 to a second move or a park while a task is running", async () => {
    const first = await move("203.0.113.11/32", { to: OTHER });
    const again = await rejection(move("203.0.113.11/32", { to: emu.serviceName }));
    expect(again.error).toBe(409);
    expect(again.message).toMatch(new RegExp(`^A task is already in progress on 203\\.0\\.113\\.11/32 \\(task ${first.taskId}, genericMoveFloatingIp (todo|doing)\\)$`));
    expect((await rejection(park("203.0.113.11/32"))).error).toBe(409);
    await ended("203.0.113.11/32", first.taskId);
    expect((await ip("203.0.113.11/32")).routedTo).toEqual({ serviceName: OTHER });
  });

  it("ends in ovhError with a comment and no move under the ipTaskOutcome fault", async () => {
    emu.faults.ipTaskOutcome = "error";
    const created = await move("203.0.113.10/32", { to: emu.serviceName });
    const failed = await ended("203.0.113.10/32", created.taskId);
    expect(failed).toMatchObject({ status: "ovhError", doneDate: expect.any(String) });
    expect(failed.comment).toBe(`Unable to route 203.0.113.10/32 to ${emu.serviceName}: internal error while updating the routing, please retry`);
    expect((await ip("203.0.113.10/32")).routedTo).toEqual({ serviceName: null });
    expect(await failover()).toEqual(["203.0.113.12/32"]);
    emu.faults.ipTaskOutcome = "done";
    await ended("203.0.113.10/32", (await move("203.0.113.10/32", { to: emu.serviceName })).taskId);
    expect(await failover()).toEqual(["203.0.113.10/32", "203.0.113.12/32"]);
  });

  it("keeps a task doing under ipTaskOutcome never", async () => {
    emu.faults.ipTaskOutcome = "never";
    const created = await park("203.0.113.12/32");
    await eventually(async () => (await task("203.0.113.12/32", created.taskId)).status === "doing", 30_000, "doing");
    await new Promise((r) => setTimeout(r, 500));
    expect((await task("203.0.113.12/32", created.taskId)).status).toBe("doing");
    expect(await failover()).toEqual(["203.0.113.12/32"]);
  });

  it("answers 404 for unknown tasks and services", async () => {
    expect(await rejection(task("203.0.113.10/32", 424242))).toEqual({ error: 404, message: "The requested object (taskId = 424242) does not exist" });
    expect(await rejection(client.requestPromised("GET", "/ipLoadbalancing/loadbalancer-nope/failover"))).toEqual({ error: 404, message: "This service does not exist" });
  });
});

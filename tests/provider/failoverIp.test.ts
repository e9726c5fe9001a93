/**
 * The FailoverIpAttachment provider method by method against the emulator, whose seed has 203.0.113.10 and .11 parked,
 * .12 routed to the main load balancer, .20 routed to another load balancer and .21 to a dedicated server.
 * Each test uses its own IP, or puts the one it used back, so the order of the tests does not matter.
 * Not proven here: the real host and serialization (tests/host/), and a program run (tests/program/).
 * Not provable on the emulator: an IP the load balancer does not list after a done move (confirmListed's error path).
 */
import type { OvhClient } from "ovh";
import { failoverIpModel } from "../../provider/models/failoverIp";
import { Emulator, eventually } from "../helpers/emulator";
import { calls, configured, failureOf, mark, Props, Provider, refreshesSince, writesSince, failedProperties, withEmulator } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
const OTHER_LB = "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const DEDICATED = "ns3012345.ip-198-51-100.eu";

let emu: Emulator;
let client: OvhClient;
let provider: Provider;
let svc: string;

const routedTo = (block: string) => (emu.store.ip(block)?.data.routedTo as { serviceName: string | null }).serviceName;
const failoverList = async () => (await client.requestPromised("GET", `/ipLoadbalancing/${svc}/failover`)) as string[];
const encoded = (block: string) => `/ip/${encodeURIComponent(block)}`;
const inputs = (ip: string, extra: Props = {}): Props => ({ serviceName: svc, ip, ...extra, __provider: PROVIDER_TEXT });

/** Routes (or parks, with null) an IP out of band, as the console would, and waits for the task. */
async function routeOutOfBand(block: string, to: string | null): Promise<void> {
  const path = to === null ? `${encoded(block)}/park` : `${encoded(block)}/move`;
  const task = (await client.requestPromised("POST", path, to === null ? undefined : { to })) as { taskId: number };
  await eventually(() => emu.store.ip(block)?.tasks[task.taskId]?.status === "done", 30_000, `ip task ${task.taskId}`);
}

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ ipTaskSeconds: 0.05, refreshSeconds: 0.05 }, async (started) => {
    ({ emu, client, svc } = started);
    provider = await configured("FailoverIpAttachment", emu);
  });

describe("FailoverIpAttachment check", () => {
  withOwnEmulator();
  // The messages themselves are the model's (tests/unit/failoverIp.test.ts): here, the wiring.
  it("answers with the model's failures, every one at once, without any API call", async () => {
    const news = { serviceName: "", ip: "203.0.113.0/28", takeOver: 1 };
    const from = mark(emu);
    const result = await provider.check({}, news);
    expect(result).toEqual(failoverIpModel.check(news));
    expect(failedProperties(result)).toEqual(["serviceName", "ip", "takeOver"]);
    expect(emu.requests.length).toBe(from);
  });
});

describe("FailoverIpAttachment create", () => {
  withOwnEmulator();
  // Needed between these tests: "fails fast ... when the move fails" leaves moves failing, and the next test moves .11.
  afterEach(() => {
    emu.faults.ipTaskOutcome = "done";
  });
  it("moves a parked IP, waits for the task, checks the load balancer lists it, then refreshes every zone once", async () => {
    const from = mark(emu);
    const { id, outs } = await provider.create(inputs("203.0.113.10"));
    expect(id).toBe(`${svc}/203.0.113.10/32`);
    expect(outs).toEqual({
      serviceName: svc, ip: "203.0.113.10/32", routedTo: svc, __provider: PROVIDER_TEXT,
      lastTask: { taskId: expect.any(Number), function: "genericMoveFloatingIp", status: "done", comment: null },
    });
    expect(routedTo("203.0.113.10/32")).toBe(svc);
    expect(await failoverList()).toContain("203.0.113.10/32");
    // The block reaches the API URL-encoded; one move, then one refresh without a zone (every zone), forced although
    // nothing was pending.
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", "/ip/203.0.113.10%2F32/move", { to: svc }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, undefined],
    ]);
    const sequence = calls(emu, from);
    expect(sequence.indexOf(`GET /ipLoadbalancing/${svc}/failover`)).toBeGreaterThan(sequence.indexOf("POST /ip/203.0.113.10%2F32/move"));
    expect(sequence.indexOf(`POST /ipLoadbalancing/${svc}/refresh`)).toBeGreaterThan(sequence.indexOf(`GET /ipLoadbalancing/${svc}/failover`));
    const refreshTask = Object.values(emu.store.service(svc)!.tasks).filter((t) => t.action === "refreshIplb").pop();
    expect(refreshTask?.status).toBe("done");
  });

  it("adopts an IP routed to the service already: no move, only the refresh that puts it to use", async () => {
    const from = mark(emu);
    const { outs } = await provider.create(inputs("203.0.113.12/32"));
    expect(outs).toMatchObject({ ip: "203.0.113.12/32", routedTo: svc, lastTask: null });
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /ipLoadbalancing/${svc}/refresh`]);
  });

  it.each([
    ["203.0.113.20", OTHER_LB],
    ["203.0.113.21", DEDICATED],
  ])("refuses %s, routed to another service, naming it, and moves nothing", async (ip, other) => {
    const from = mark(emu);
    const error = await failureOf(provider.create(inputs(ip)));
    expect(error.message).toBe(
      `FailoverIpAttachment: ${ip}/32 is routed to ${other}; moving it to ${svc} would cut ${other} off from it. ` +
        "Set takeOver: true to move it anyway, or park it first (POST /ip/{ip}/park)",
    );
    expect(writesSince(emu, from)).toEqual([]);
    expect(routedTo(`${ip}/32`)).toBe(other);
  });

  it("takes an IP from another service when takeOver is set", async () => {
    const { outs } = await provider.create(inputs("203.0.113.21", { takeOver: true }));
    expect(outs).toMatchObject({ routedTo: svc, takeOver: true, lastTask: { status: "done" } });
    expect(routedTo("203.0.113.21/32")).toBe(svc);
    await routeOutOfBand("203.0.113.21/32", DEDICATED);
  });

  it("fails clearly for an IP the account does not own, before any write", async () => {
    const from = mark(emu);
    const error = await failureOf(provider.create(inputs("203.0.113.99")));
    expect(error.message).toBe("FailoverIpAttachment: 203.0.113.99/32 is not an IP of this OVH account (GET /ip/{ip} answered 404)");
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("fails fast with the task's comment when the move fails, and refreshes nothing", async () => {
    emu.faults.ipTaskOutcome = "error";
    const from = mark(emu);
    const error = await failureOf(provider.create(inputs("203.0.113.11")));
    expect(error.message).toMatch(
      new RegExp(
        `^FailoverIpAttachment: Routing 203\\.0\\.113\\.11/32 to ${svc} failed: OVH task \\d+ \\(genericMoveFloatingIp\\) on 203\\.0\\.113\\.11/32 ` +
          `ended with status ovhError: Unable to route 203\\.0\\.113\\.11/32 to ${svc}: internal error while updating the routing, please retry$`,
      ),
    );
    expect((error.cause as Error).name).toBe("TaskFailedError");
    expect(error.id).toBeUndefined();
    expect(routedTo("203.0.113.11/32")).toBeNull();
    expect(refreshesSince(emu, from)).toEqual([]);
  });

  it("keeps a routed IP in the state (init error) when the refresh fails, and the retried update finishes without moving it again", async () => {
    emu.faults.refreshOutcome = "error";
    const error = await failureOf(provider.create(inputs("203.0.113.11")));
    expect(error.name).toBe("ResourceInitError");
    expect(error.id).toBe(`${svc}/203.0.113.11/32`);
    expect(error.message).toMatch(/^FailoverIpAttachment .*: 203\.0\.113\.11\/32 is routed to .* but not in use yet: OVH task \d+ \(refreshIplb\)/);
    expect(error.properties).toMatchObject({ ip: "203.0.113.11/32", routedTo: svc, lastTask: { status: "done" } });
    expect(routedTo("203.0.113.11/32")).toBe(svc);

    emu.faults.refreshOutcome = "done";
    const from = mark(emu);
    const props = error.properties as Props;
    const { outs } = await provider.update(error.id as string, props, inputs("203.0.113.11"));
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /ipLoadbalancing/${svc}/refresh`]);
    expect(outs.lastTask).toEqual(props.lastTask);
    await provider.delete(error.id as string, outs);
  });
});

describe("FailoverIpAttachment diff, read and update", () => {
  withOwnEmulator();
  const block = "203.0.113.10/32";
  const id = () => `${svc}/${block}`;
  let outs: Props;
  beforeAll(async () => {
    await routeOutOfBand(block, svc); // parked in the seed
    outs = (await provider.read(id(), {})).props;
  });

  it("finds no change while the IP is routed here", async () => {
    expect(await provider.diff(id(), outs, inputs("203.0.113.10"))).toEqual({ changes: false });
  });

  it("replaces on another IP (create first) and on another service (park first)", async () => {
    expect(await provider.diff(id(), outs, inputs("203.0.113.11"))).toMatchObject({ changes: true, replaces: ["ip"], deleteBeforeReplace: false });
    expect(await provider.diff(id(), outs, { ...inputs("203.0.113.10"), serviceName: OTHER_LB })).toMatchObject({
      changes: true, replaces: ["serviceName"], deleteBeforeReplace: true,
    });
  });

  it("shows an IP moved elsewhere out of band as drift; read reports where it is; update moves it back and refreshes", async () => {
    await routeOutOfBand(block, OTHER_LB);
    // The host forwards no field names; the drift note names `routedTo` on the host's stderr (engineDiff.ts).
    expect(await provider.diff(id(), outs, inputs("203.0.113.10"))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await provider.read(id(), outs)).props).toMatchObject({ routedTo: OTHER_LB });

    const from = mark(emu);
    const updated = await provider.update(id(), outs, inputs("203.0.113.10"));
    expect(updated.outs).toMatchObject({ routedTo: svc, lastTask: { function: "genericMoveFloatingIp", status: "done" } });
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", "/ip/203.0.113.10%2F32/move", { to: svc }],
      ["POST", `/ipLoadbalancing/${svc}/refresh`, undefined],
    ]);
    expect(routedTo(block)).toBe(svc);
  });

  it("reads an IP gone from the account as gone (empty id)", async () => {
    expect(await provider.read(`${svc}/203.0.113.99/32`, {})).toEqual({ id: "", props: {} });
  });
});

describe("FailoverIpAttachment delete", () => {
  withOwnEmulator();
  it("parks the IP, waits for the task, and refreshes", async () => {
    const { id, outs } = await provider.create(inputs("203.0.113.11"));
    const from = mark(emu);
    await provider.delete(id, outs);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /ip/203.0.113.11%2F32/park",
      `POST /ipLoadbalancing/${svc}/refresh`,
    ]);
    expect(routedTo("203.0.113.11/32")).toBeNull();
    expect(await failoverList()).not.toContain("203.0.113.11/32");
  });

  it("leaves alone an IP routed to another service since, or parked already", async () => {
    const from = mark(emu);
    await provider.delete(`${svc}/203.0.113.20/32`, {});
    await provider.delete(`${svc}/203.0.113.11/32`, {});
    await provider.delete(`${svc}/203.0.113.99/32`, {});
    expect(writesSince(emu, from)).toEqual([]);
    expect(routedTo("203.0.113.20/32")).toBe(OTHER_LB);
  });

  it("fails with the task's comment when parking fails, the IP still routed here", async () => {
    const { id, outs } = await provider.create(inputs("203.0.113.11"));
    emu.faults.ipTaskOutcome = "error";
    const error = await failureOf(provider.delete(id, outs));
    expect(error.message).toMatch(/^FailoverIpAttachment: Parking 203\.0\.113\.11\/32 failed: OVH task \d+ \(genericMoveFloatingIp\) .* ovhError: Unable to park/);
    expect(routedTo("203.0.113.11/32")).toBe(svc);
    emu.faults.ipTaskOutcome = "done";
    await provider.delete(id, outs);
    expect(routedTo("203.0.113.11/32")).toBeNull();
  });
});

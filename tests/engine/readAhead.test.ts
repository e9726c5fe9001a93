/**
 * The read-ahead of diffs (provider/api/readAhead.ts) under the real engine, which asks for diffs one at a time: with
 * two farms of eight servers, each command reads every object once (plus one listing per collection), an unchanged
 * `up` writes nothing, and drift is never hidden: neither on a server read ahead (not one of the first read one by
 * one) nor when it is made between a preview and the `up` (a new command reads again).
 */
import type { Emulator, RequestLogEntry } from "../../emulator";
import { DIRECT_READS } from "../../provider/api/readAhead";
import { startTestEmulator } from "../helpers/emulator";
import { Desired, expectLiveEquals, writeKinds, writes } from "../helpers/desiredState";
import { outOfBand } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { changedSteps, nameOf, TestStack } from "./support/stack";
import { e2eStack } from "./support/e2e";

const SERVERS = 8;

const farm = (name: string, zone: string, port: number, octet: number): Desired["farms"][number] => ({
  name, type: "http", zone, port,
  servers: Array.from({ length: SERVERS }, (_, i) => ({ name: `${name}-${i + 1}`, address: `192.0.2.${octet + i}`, port: 80 })),
});
const STACK: Desired = { farms: [farm("web", "gra", 80, 10), farm("api", "rbx", 8080, 40)] };

/** GETs of one object (a path ending with an id), by path: how often each object was read. */
function objectReads(requests: RequestLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) if (r.method === "GET" && /\/(farm|server)\/\d+$/.test(r.path)) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  return counts;
}

const listings = (requests: RequestLogEntry[]) => requests.filter((r) => r.method === "GET" && /\/(farm|server)$/.test(r.path)).length;

/** A console user's change: the server's weight, made live in its farm's zone. */
async function driftWeight(emu: Emulator, name: string, weight: number): Promise<void> {
  const svc = emu.store.service(emu.serviceName)!;
  const server = Object.values(svc.staged.servers).find((s) => s.data.displayName === name)!;
  await outOfBand(emu).requestPromised("PUT", serverPath(emu, name), { weight });
  await outOfBand(emu).requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/refresh`, { zone: svc.staged.farms[server.farmId].data.zone });
}

function serverPath(emu: Emulator, name: string): string {
  const svc = emu.store.service(emu.serviceName)!;
  const server = Object.values(svc.staged.servers).find((s) => s.data.displayName === name)!;
  return `/ipLoadbalancing/${emu.serviceName}/http/farm/${server.farmId}/server/${server.data.serverId}`;
}

describeWithCli("diffs read ahead under the real engine", (bin) => {
  let emu: Emulator;
  let stack: TestStack;
  beforeAll(async () => {
    emu = await startTestEmulator({ refreshSeconds: 0.1 });
    stack = await e2eStack(bin, emu, STACK);
    await stack.up();
    expectLiveEquals(emu, STACK);
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.close();
  });

  it("a preview reads each object once, plus one listing per collection, and writes nothing", async () => {
    const from = emu.requests.length;
    const doc = await stack.preview();
    const requests = emu.requests.slice(from);
    expect(doc.steps.filter((s) => s.op !== "same")).toEqual([]);
    const reads = objectReads(requests);
    expect(reads.size).toBe(2 + 2 * SERVERS);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    // The servers were read ahead (two farms: read one by one): one listing of each farm's servers.
    expect(listings(requests)).toBe(2);
    expect(writes(requests)).toEqual([]);
  });

  it("an unchanged up (its preview, then the update) reads each object once per command, writes and refreshes nothing", async () => {
    const from = emu.requests.length;
    const { steps } = await stack.up();
    const requests = emu.requests.slice(from);
    expect(changedSteps(steps)).toEqual([]);
    expect([...objectReads(requests).values()].every((n) => n === 2)).toBe(true);
    expect(writes(requests)).toEqual([]);
  });

  it(`drift on a server read ahead (after the first ${DIRECT_READS}) shows in the preview, and the up sets it back`, async () => {
    const target = `api-${SERVERS}`;
    await driftWeight(emu, target, 7);
    const doc = await stack.preview();
    expect(doc.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${nameOf(s.urn)}`)).toEqual([`update ${target}`]);
    expect((doc.diagnostics ?? []).map((d) => d.message).join("\n")).toMatch(/was changed outside Pulumi \(weight\)/);
    const from = emu.requests.length;
    const { steps } = await stack.up();
    expect(changedSteps(steps)).toEqual([`update ${target}`]);
    expect(writeKinds(emu.requests.slice(from))).toEqual(["PUT server"]);
    expectLiveEquals(emu, STACK);
  });

  it("drift made after a preview is seen by the up that follows (each command reads again)", async () => {
    expect((await stack.preview()).steps.filter((s) => s.op !== "same")).toEqual([]);
    const target = `web-${SERVERS - 1}`;
    await driftWeight(emu, target, 3);
    const { steps } = await stack.up();
    expect(changedSteps(steps)).toEqual([`update ${target}`]);
    expectLiveEquals(emu, STACK);
  });
});

/**
 * Every resource class under the real engine (tests/fixtures/programs/classes): HTTP, TCP and UDP farms and servers,
 * a frontend of each protocol, a failover IP and a free certificate; then a weight set to 0, a replacement (an
 * address), a cleared field, a renamed frontend, a farm removed with its server and frontend, an adopted frontend;
 * then no change; then destroy. Under the default `--parallel`, 1 and 64: after each `up` the emulator runs what the
 * program says with nothing pending, each preview lists exactly the steps of its `up` and writes nothing, the only
 * replacement is the server whose address changed, and an unchanged `up` writes and refreshes nothing.
 */
import type { Emulator } from "../../emulator";
import { startTestEmulator } from "../helpers/emulator";
import { pending, writes } from "../helpers/desiredState";
import { emulatorSettings, outOfBand } from "../provider/support";
import { describeWithCli } from "./support/cli";
import { deploy } from "./support/deploy";
import { TestStack } from "./support/stack";
import * as path from "path";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "classes");
const PROJECT = "iplb-classes";
const NAME = "www.example.com";
const IP = "203.0.113.10/32";

/** What the load balancer runs in gra and rbx, by display name. */
function live(emu: Emulator): string[] {
  const out: string[] = [];
  for (const zone of ["gra", "rbx"]) {
    const running = emu.running(zone);
    const farmName = (id: unknown) => Object.values(running.farms).find((f) => f.data.farmId === id)?.data.displayName ?? "-";
    for (const f of Object.values(running.farms)) out.push(`${zone} ${f.type} farm ${f.data.displayName} :${f.data.port} stickiness=${f.data.stickiness ?? "-"}`);
    for (const s of Object.values(running.servers)) out.push(`${zone} ${s.type} server ${s.data.displayName} in ${farmName(s.farmId)} ${s.data.address}:${s.data.port} w${s.data.weight ?? 1}`);
    for (const f of Object.values(running.frontends)) {
      const ips = ((f.data.dedicatedIpfo as string[] | null) ?? []).join(",") || "-";
      out.push(`${zone} ${f.type} frontend ${f.data.displayName} :${f.data.port} to ${farmName(f.data.defaultFarmId)} on ${ips}`);
    }
  }
  return out.sort();
}

const FIRST = [
  "gra http farm web :80 stickiness=cookie",
  "gra http server web-1 in web 192.0.2.11:80 w1",
  "gra http server web-2 in web 192.0.2.12:80 w1",
  "gra tcp farm db :5432 stickiness=-",
  "gra tcp server db-1 in db 192.0.2.21:5432 w1",
  `gra http frontend www :80 to web on ${IP}`,
  "gra tcp frontend dbfe :5432 to db on -",
  "rbx udp farm dns :53 stickiness=-",
  "rbx udp server dns-1 in dns 192.0.2.31:53 w1",
  "rbx udp frontend dnsfe :53 to dns on -",
].sort();

const SECOND = [
  "gra http farm web :80 stickiness=-",
  "gra http server web-1 in web 192.0.2.11:80 w0",
  "gra http server web-2 in web 192.0.2.99:80 w1",
  "gra tcp farm db :5432 stickiness=-",
  "gra tcp server db-1 in db 192.0.2.21:5432 w1",
  `gra http frontend www-2 :80 to web on ${IP}`,
  "gra tcp frontend dbfe :5432 to db on -",
  "gra tcp frontend legacy :8443 to db on -",
].sort();

const PARALLEL: (number | undefined)[] = [undefined, 1, 64];

for (const parallel of PARALLEL) {
  const args = parallel === undefined ? [] : ["--parallel", String(parallel)];
  describeWithCli(`every resource class (${parallel === undefined ? "default --parallel" : `--parallel ${parallel}`})`, (bin) => {
    let emu: Emulator;
    let stack: TestStack;
    const deployed = (config: Record<string, string>) => deploy(stack, emu, config, args);

    beforeAll(async () => {
      emu = await startTestEmulator({ refreshSeconds: 0.1, routedFqdns: [NAME] });
      stack = await TestStack.create({ bin, projectDir: PROGRAM, config: { ...emulatorSettings(emu), [`${PROJECT}:serviceName`]: emu.serviceName } });
    });
    afterAll(async () => {
      stack?.dispose();
      await emu?.close();
    });

    it("creates every class: live when `up` returns, the IP routed, the certificate built, as previewed", async () => {
      const d = await deployed({ [`${PROJECT}:stage`]: "first" });
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toEqual([]);
      expect(d.steps).toHaveLength(12);
      expect(d.steps.every((s) => s.startsWith("create "))).toBe(true);
      expect(live(emu)).toEqual(FIRST);
      expect(pending(emu)).toEqual([]);
      expect((emu.store.ip(IP)?.data.routedTo as { serviceName: string } | null)?.serviceName).toBe(emu.serviceName);
      expect(Object.values(emu.store.service(emu.serviceName)!.ssl).map((c) => [c.type, c.san])).toEqual([["built", [NAME]]]);
    });

    it("weight 0, a replacement, a cleared field, a rename, a farm removed, a frontend adopted: live, as previewed, no other replace", async () => {
      const made = (await outOfBand(emu).requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/tcp/frontend`, {
        zone: "gra", port: "8443", displayName: "made in the console",
      })) as { frontendId: number };
      const d = await deployed({ [`${PROJECT}:stage`]: "second", [`${PROJECT}:adoptFrontendId`]: String(made.frontendId) });
      expect(d.preview).toEqual(d.planned);
      expect(d.previewWrites).toEqual([]);
      expect(d.steps.filter((s) => !s.startsWith("delete ")).sort()).toEqual([
        "create legacy", "create-replacement web-2", "delete-replaced web-2", "replace web-2", "update web", "update web-1", "update www",
      ].sort());
      expect(d.steps.filter((s) => s.startsWith("delete ")).sort()).toEqual(["delete dns", "delete dns-1", "delete dnsfe"]);
      // Adopted: updated in place, never posted.
      const frontendWrites = d.requests.filter((r) => r.method !== "GET" && /\/frontend(\/\d+)?$/.test(r.path)).map((r) => r.method).sort();
      expect(frontendWrites).toEqual(["DELETE", "PUT", "PUT"]);
      expect(live(emu)).toEqual(SECOND);
      expect(pending(emu)).toEqual([]);
    });

    it("unchanged: previews nothing, writes nothing, refreshes nothing", async () => {
      const d = await deployed({});
      expect(d.preview).toEqual([]);
      expect(d.steps).toEqual([]);
      expect(writes(d.requests)).toEqual([]);
      expect(live(emu)).toEqual(SECOND);
    });

    it("destroy leaves nothing: no farm, server or frontend staged or running, nothing pending, the IP parked", async () => {
      await stack.destroy(args);
      const svc = emu.store.service(emu.serviceName)!;
      expect([Object.keys(svc.staged.farms), Object.keys(svc.staged.servers), Object.keys(svc.staged.frontends)]).toEqual([[], [], []]);
      expect(live(emu)).toEqual([]);
      expect(pending(emu)).toEqual([]);
      expect((emu.store.ip(IP)?.data.routedTo as { serviceName?: string | null } | null)?.serviceName ?? null).toBeNull();
    });
  });
}

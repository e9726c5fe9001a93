/**
 * The FreeCertificate provider method by method against the emulator, where `*.example.com` and `example.com` resolve to
 * the load balancer (`routedFqdns`) and every other name does not (its orders end `built_not_routed`).
 * Not proven here: that the engine creates the new certificate before deleting the old one on a replace (the provider
 * only answers deleteBeforeReplace: false; tests/program/failoverAndCertificates.test.ts shows the order of the calls).
 */
import type { OvhClient } from "ovh";
import { freeCertificateModel } from "../../provider/models/freeCertificate";
import { Emulator, eventually } from "../helpers/emulator";
import { calls, configured, failureOf, mark, Props, Provider, writesSince, failedProperties, withEmulator } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";

let emu: Emulator;
let client: OvhClient;
let provider: Provider;
let svc: string;

const inputs = (fqdn: unknown, extra: Props = {}): Props => ({ serviceName: svc, fqdn, ...extra, __provider: PROVIDER_TEXT });
const sslIds = () => Object.keys(emu.store.service(svc)!.ssl).map(Number);
const sslOf = (id: number) => emu.store.service(svc)!.ssl[id];

/** Orders a certificate out of band (the console) and waits until it exists; returns its id. */
async function orderOutOfBand(fqdn: string[]): Promise<number> {
  const before = new Set(sslIds());
  const task = (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/freeCertificate`, { fqdn })) as { id: number };
  await eventually(() => emu.store.service(svc)!.tasks[task.id]?.status === "done", 30_000, `order ${task.id}`);
  return sslIds().find((id) => !before.has(id)) as number;
}

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator({ certificateSeconds: 0.05, routedFqdns: ["*.example.com", "example.com"] }, async (started) => {
    ({ emu, client, svc } = started);
    provider = await configured("FreeCertificate", emu);
  });

describe("FreeCertificate check", () => {
  withOwnEmulator();
  // The messages themselves are the model's (tests/unit/freeCertificate.test.ts): here, the wiring.
  it("answers with the model's failures, every bad name by index, without any API call", async () => {
    const from = mark(emu);
    const news = inputs(["www.example.com", "*.example.com", "WWW.EXAMPLE.COM", "192.0.2.1"]);
    const result = await provider.check({}, news);
    expect(result).toEqual(freeCertificateModel.check(news));
    expect(failedProperties(result)).toEqual(["fqdn[1]", "fqdn[2]", "fqdn[3]"]);
    expect(failedProperties(await provider.check({}, inputs([])))).toEqual(["fqdn"]);
    expect(emu.requests.length).toBe(from);
  });
});

describe("FreeCertificate create", () => {
  withOwnEmulator();
  it("orders the names (lower-case), waits for the task, and outputs the new certificate", async () => {
    const from = mark(emu);
    const { id, outs } = await provider.create(inputs(["WWW.example.com", "example.com"]));
    const created = sslIds().filter((n) => `${svc}/${n}` === id);
    expect(created).toHaveLength(1);
    const ssl = sslOf(created[0]);
    expect(outs).toEqual({
      serviceName: svc, fqdn: ["WWW.example.com", "example.com"], __provider: PROVIDER_TEXT,
      sslId: created[0], type: "built", subject: "/CN=www.example.com", san: ["www.example.com", "example.com"],
      fingerprint: ssl.fingerprint, serial: ssl.serial, expireDate: ssl.expireDate,
    });
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", `/ipLoadbalancing/${svc}/freeCertificate`, { fqdn: ["www.example.com", "example.com"] }],
    ]);
    // The certificates are listed before the order, so one that existed is never taken for it.
    const sequence = calls(emu, from);
    const order = sequence.indexOf(`POST /ipLoadbalancing/${svc}/freeCertificate`);
    expect(sequence.indexOf(`GET /ipLoadbalancing/${svc}/ssl`)).toBeGreaterThanOrEqual(0);
    expect(sequence.indexOf(`GET /ipLoadbalancing/${svc}/ssl`)).toBeLessThan(order);
    expect(sequence).toContain(`GET /ipLoadbalancing/${svc}/ssl/${created[0]}`);
  });

  it("makes staged changes live before ordering (OVH validates the names through the HTTP frontends), and only then", async () => {
    const farm = (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/http/farm`, { zone: "gra", port: 80 })) as { farmId: number };
    await client.requestPromised("POST", `/ipLoadbalancing/${svc}/http/frontend`, { zone: "gra", port: "80", defaultFarmId: farm.farmId });
    const from = mark(emu);
    await provider.create(inputs(["shop.example.com"]));
    const writes = writesSince(emu, from).map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([`POST /ipLoadbalancing/${svc}/refresh`, `POST /ipLoadbalancing/${svc}/freeCertificate`]);
    expect(Object.values(emu.running("gra").frontends).map((f) => f.data.defaultFarmId)).toContain(farm.farmId);
  });

  it("never takes a certificate that existed before the order, even one with the same names", async () => {
    const existing = await orderOutOfBand(["api.example.com"]);
    const { outs } = await provider.create(inputs(["api.example.com"]));
    expect(outs.sslId).not.toBe(existing);
    expect(outs.sslId).toBeGreaterThan(existing);
    expect(sslOf(existing)).toMatchObject({ id: existing, san: ["api.example.com"] });
  });

  it("gives two orders for the same names, made at once, one certificate each", async () => {
    const [a, b] = await Promise.all([provider.create(inputs(["twin.example.com"])), provider.create(inputs(["twin.example.com"]))]);
    expect(a.outs.sslId).not.toBe(b.outs.sslId);
  });

  it("deletes a built_not_routed certificate and fails with the DNS prerequisite", async () => {
    const before = sslIds();
    const from = mark(emu);
    const error = await failureOf(provider.create(inputs(["shop.example.com", "shop.example.net"])));
    expect(error.message).toMatch(
      new RegExp(`^FreeCertificate: OVH issued certificate (\\d+) on ${svc} for shop\\.example\\.com, shop\\.example\\.net as built_not_routed: `),
    );
    expect(error.message).toContain("not every name points to the load balancer's address 192.0.2.10 (or a failover IP routed to it)");
    expect(error.message).toContain("be served by an HTTP frontend on port 80");
    expect(error.message).toContain("The certificate was deleted; fix DNS and run `pulumi up` again.");
    const orphanId = Number(/certificate (\d+)/.exec(error.message)![1]);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ipLoadbalancing/${svc}/freeCertificate`,
      `DELETE /ipLoadbalancing/${svc}/ssl/${orphanId}`,
    ]);
    expect(sslIds()).toEqual(before);
  });

  it("fails with the task and the usual cause when the order fails", async () => {
    emu.faults.certificateOutcome = "error";
    const before = sslIds();
    const error = await failureOf(provider.create(inputs(["fail.example.com"])));
    expect(error.message).toMatch(
      new RegExp(
        `^FreeCertificate: ordering a certificate on ${svc} for fail\\.example\\.com failed: OVH task \\d+ \\(orderFreeCertificate\\) on ${svc} ended with status error`,
      ),
    );
    expect(error.message).toMatch(/The usual cause is a name that does not resolve to the load balancer or has no HTTP frontend on port 80/);
    expect(sslIds()).toEqual(before);
  });
});

describe("FreeCertificate diff, read, update and delete", () => {
  withOwnEmulator();
  let id: string;
  let outs: Props;
  beforeAll(async () => ({ id, outs } = await provider.create(inputs(["a.example.com", "b.example.com"]))));

  it("finds no change for the same names in another order or case", async () => {
    const from = mark(emu);
    expect(await provider.diff(id, outs, inputs(["B.example.com", "a.example.com"]))).toEqual({
      changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {},
    });
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("replaces on other names, new certificate first", async () => {
    expect(await provider.diff(id, outs, inputs(["a.example.com"]))).toEqual({
      changes: true, replaces: ["fqdn"], deleteBeforeReplace: false, detailedDiff: { fqdn: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("reads the certificate, and updates nothing (no write)", async () => {
    const from = mark(emu);
    expect((await provider.read(id, outs)).props).toEqual(outs);
    expect((await provider.update(id, outs, inputs(["b.example.com", "a.example.com"]))).outs).toEqual({ ...outs, fqdn: ["b.example.com", "a.example.com"] });
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("shows a certificate that became built_not_routed as drift, replaced by up", async () => {
    // OVH changes the type itself when a name stops pointing to the load balancer; the emulator never does, so this
    // test plays OVH's part on the stored certificate.
    const sslId = outs.sslId as number;
    sslOf(sslId).type = "built_not_routed";
    try {
      expect((await provider.read(id, outs)).props).toMatchObject({ type: "built_not_routed" });
      expect(await provider.diff(id, outs, inputs(["a.example.com", "b.example.com"]))).toMatchObject({ changes: true, replaces: ["type"] });
    } finally {
      sslOf(sslId).type = "built";
    }
  });

  it("deletes the certificate; a second delete (404) counts as done; gone, it reads empty and diffs as a replacement", async () => {
    const sslId = outs.sslId as number;
    const from = mark(emu);
    await provider.delete(id, outs);
    await provider.delete(id, outs);
    expect(writesSince(emu, from).map((r) => [r.method, r.status])).toEqual([["DELETE", 200], ["DELETE", 404]]);
    expect(sslIds()).not.toContain(sslId);
    expect(await provider.read(id, outs)).toEqual({ id: "", props: {} });
    expect(await provider.diff(id, outs, inputs(["a.example.com", "b.example.com"]))).toMatchObject({ changes: true, replaces: ["sslId"] });
  });
});

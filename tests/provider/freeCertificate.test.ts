/**
 * The FreeCertificate provider method by method against the emulator, where `*.example.com` and `example.com` resolve to
 * the load balancer (`routedFqdns`) and every other name does not: their orders end in `error`, as OVH's do, and a
 * delivered certificate turns `built_not_routed` when a name stops resolving there (`emu.unrouteFqdn`). The DNS
 * pre-check (`checkDns`) asks a replaced resolver (`dnsResolver`): no test asks real DNS.
 * Not proven here: that the engine creates the new certificate before deleting the old one on a replace (the provider
 * only answers deleteBeforeReplace: false; tests/program/failoverAndCertificates.test.ts shows the order of the calls);
 * that the notes on stderr reach the preview (tests/engine/ show the host's stderr as diagnostics).
 */
import type { OvhClient } from "ovh";
import { freeCertificateModel } from "../../provider/models/freeCertificate";
import { dnsResolver } from "../../provider/providers/freeCertificate";
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
/** The seeded load balancer's IPv4 and its routed failover IP, as GET the service and GET .../failover report them. */
const WHERE = () => `the load balancer ${svc}: 192.0.2.10, or a failover IP routed to it (203.0.113.12/32)`;

/** What the provider writes on the host's stderr (the notes the engine shows with the preview and the update). */
function captureNotes(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

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

  it("fails with the DNS prerequisite, the names and the load balancer's addresses when OVH ends the order in error", async () => {
    const before = sslIds();
    const from = mark(emu);
    const error = await failureOf(provider.create(inputs(["shop.example.com", "shop.example.net"])));
    expect(error.message).toMatch(
      new RegExp(`^FreeCertificate: ordering a certificate on ${svc} for shop\\.example\\.com, shop\\.example\\.net failed: OVH task \\d+ \\(orderFreeCertificate\\) on ${svc} ended with status error`),
    );
    expect(error.message).toContain(
      `OVH completes a free certificate order, and renews the certificate, only when every name (shop.example.com, shop.example.net) resolves (DNS A record) to ${WHERE()}, and an HTTP frontend on port 80 answers it`,
    );
    expect(error.message).toMatch(/Check each name's A record \(e\.g\. `dig \+short A shop\.example\.com`\), fix DNS, and run `pulumi up` again\.$/);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /ipLoadbalancing/${svc}/freeCertificate`]);
    expect(sslIds()).toEqual(before);
  });

  it("deletes a certificate that turned built_not_routed before it was read, and fails with the DNS prerequisite", async () => {
    emu.routeFqdn("moving.example.net");
    // DNS moves away once the order is done, when the provider lists the new certificates: OVH delivered it, then the
    // name stopped validating (the emulator turns it built_not_routed at once).
    const before = sslIds();
    const from = mark(emu);
    const stop = emu.onRequest((log) => {
      const last = log[log.length - 1];
      const ordered = log.slice(from).some((r) => r.method === "POST" && r.path.endsWith("/freeCertificate"));
      if (ordered && last.method === "GET" && last.path === `/ipLoadbalancing/${svc}/ssl`) emu.unrouteFqdn("moving.example.net");
    });
    const error = await failureOf(provider.create(inputs(["moving.example.net"]))).finally(stop);
    expect(error.message).toMatch(new RegExp(`^FreeCertificate: OVH issued certificate (\\d+) on ${svc} for moving\\.example\\.net as built_not_routed: `));
    expect(error.message).toContain("not every name points to the load balancer's address 192.0.2.10 (or a failover IP routed to it)");
    expect(error.message).toContain("The certificate was deleted; fix DNS and run `pulumi up` again.");
    const orphanId = Number(/certificate (\d+)/.exec(error.message)![1]);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ipLoadbalancing/${svc}/freeCertificate`,
      `DELETE /ipLoadbalancing/${svc}/ssl/${orphanId}`,
    ]);
    expect(sslIds()).toEqual(before);
  });

  it("fails with the task and the DNS prerequisite when the order fails for another reason", async () => {
    emu.faults.certificateOutcome = "error";
    const before = sslIds();
    try {
      const error = await failureOf(provider.create(inputs(["fail.example.com"])));
      expect(error.message).toMatch(
        new RegExp(
          `^FreeCertificate: ordering a certificate on ${svc} for fail\\.example\\.com failed: OVH task \\d+ \\(orderFreeCertificate\\) on ${svc} ended with status error`,
        ),
      );
      expect(error.message).toContain(`every name (fail.example.com) resolves (DNS A record) to ${WHERE()}`);
      expect(sslIds()).toEqual(before);
    } finally {
      emu.faults.certificateOutcome = "done";
    }
  });
});

describe("FreeCertificate DNS pre-check (checkDns)", () => {
  withOwnEmulator();
  afterEach(() => jest.restoreAllMocks());
  const answers = (table: Record<string, string[] | string>) =>
    jest.spyOn(dnsResolver, "resolve4").mockImplementation(async (name: string) => {
      const answer = table[name];
      if (typeof answer === "string") throw Object.assign(new Error(`queryA ${answer} ${name}`), { code: answer });
      return answer;
    });

  it("is off by default against the emulator (a URL endpoint): no name is resolved", async () => {
    const resolve4 = answers({});
    await provider.create(inputs(["off.example.com"]));
    expect(resolve4).not.toHaveBeenCalled();
  });

  it("fails before ordering, naming each name's A records and the load balancer's addresses", async () => {
    answers({ "www.example.com": ["192.0.2.10"], "shop.example.com": ["198.51.100.7"], "new.example.com": "ENOTFOUND" });
    const from = mark(emu);
    const fqdn = ["www.example.com", "shop.example.com", "new.example.com"];
    const error = await failureOf(provider.create(inputs(fqdn, { checkDns: true })));
    expect(error.message).toBe(
      "FreeCertificate: checkDns: not every name resolves to the load balancer (shop.example.com -> 198.51.100.7; " +
        "new.example.com -> no A record), so nothing was ordered. OVH completes a free certificate order, and renews the " +
        `certificate, only when every name (${fqdn.join(", ")}) resolves (DNS A record) to ${WHERE()}, and an HTTP frontend ` +
        "on port 80 answers it: it validates each name with an HTTP request to http://<name>/. Fix DNS and run `pulumi up` " +
        "again; if these names resolve differently where `pulumi` runs than on the Internet (split-horizon DNS), set " +
        "checkDns: false on this FreeCertificate.",
    );
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("orders when every name points to the load balancer or a failover IP routed to it; a resolver failure is left to OVH", async () => {
    const resolve4 = answers({ "lb.example.com": ["192.0.2.10"], "vip.example.com": ["203.0.113.12"], "slow.example.com": "ETIMEOUT" });
    const notes = captureNotes();
    try {
      const { outs } = await provider.create(inputs(["lb.example.com", "vip.example.com", "slow.example.com"], { checkDns: true }));
      expect(outs).toMatchObject({ type: "built", checkDns: true });
    } finally {
      notes.restore();
    }
    expect(resolve4.mock.calls.map(([name]) => name).sort()).toEqual(["lb.example.com", "slow.example.com", "vip.example.com"]);
    expect(notes.lines.join("")).toContain("checkDns: slow.example.com could not be resolved here; OVH's validation will tell");
  });

  it("is refused by check unless a boolean", async () => {
    expect(failedProperties(await provider.check({}, inputs(["www.example.com"], { checkDns: "yes" })))).toEqual(["checkDns"]);
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

  it("shows a certificate that became built_not_routed as drift, explained with the DNS prerequisite, replaced by up", async () => {
    const sslId = outs.sslId as number;
    emu.unrouteFqdn("b.example.com"); // DNS moved away: OVH can no longer validate the name
    const notes = captureNotes();
    try {
      expect((await provider.read(id, outs)).props).toMatchObject({ type: "built_not_routed" });
      expect(await provider.diff(id, outs, inputs(["a.example.com", "b.example.com"]))).toMatchObject({ changes: true, replaces: ["type"] });
    } finally {
      notes.restore();
      emu.routeFqdn("b.example.com");
    }
    const explained =
      `pulumi-ovh-iplb: FreeCertificate ${svc}/${sslId}: OVH reports the certificate as built_not_routed: a name of it stopped ` +
      "pointing to the load balancer, so OVH can no longer validate or renew it. OVH completes a free certificate order, and " +
      `renews the certificate, only when every name (a.example.com, b.example.com) resolves (DNS A record) to ${WHERE()}, and ` +
      "an HTTP frontend on port 80 answers it: it validates each name with an HTTP request to http://<name>/. `pulumi up` " +
      "orders a new certificate (it fails until DNS is fixed) and deletes this one.\n";
    expect(notes.lines).toEqual([explained, explained]); // once by read (refresh), once by diff (preview, up)
    expect(sslOf(sslId).type).toBe("built"); // routed again
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

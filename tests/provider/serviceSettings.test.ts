/**
 * The IpLoadBalancingSettings provider against the emulator: it adopts an existing service (never orders one), PUTs only
 * the declared fields, shows drift, puts back what it found on delete, and explains an unknown service.
 * Not proven here: the real host (tests/host/) and whether the real API clears a field PUT to null (the schema says
 * both fields are nullable; the emulator accepts it).
 */
import type { OvhClient } from "ovh";
import { Emulator } from "../helpers/emulator";
import { apiFor } from "../helpers/liveObjects";
import { configured, mark, Props, Provider, withEmulator, writesSince } from "./support";

const PROVIDER_TEXT = "exports.handler = __shim;";
let emu: Emulator;
let client: OvhClient;
let provider: Provider;
let svc: string;

const info = () => emu.store.service(svc)!.info as Record<string, unknown>;
const inputs = (extra: Props = {}): Props => ({ serviceName: svc, ...extra, __provider: PROVIDER_TEXT });
const pending = async () => (await client.requestPromised("GET", `/ipLoadbalancing/${svc}/pendingChanges`)) as unknown[];

describe("IpLoadBalancingSettings", () => {
  withEmulator({}, async (started) => {
    ({ emu, client, svc } = started);
    provider = await configured("IpLoadBalancingSettings", emu);
  });
  // Each test starts from the seed's service: no display name, no SSL configuration.
  // (Through the package's client: node-ovh drops top-level nulls, ovh-iplb-api.md 2.)
  afterEach(() => apiFor(emu).put(`/ipLoadbalancing/${svc}`, { displayName: null, sslConfiguration: null }));

  it("adopts the service: one PUT of the declared field only, no order, no refresh, nothing staged", async () => {
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}`, { sslConfiguration: "intermediate" });
    const from = mark(emu);
    const { id, outs } = await provider.create(inputs({ displayName: "web" }));
    expect(id).toBe(svc);
    expect(writesSince(emu, from).map((r) => [r.method, r.path, r.body])).toEqual([["PUT", `/ipLoadbalancing/${svc}`, { displayName: "web" }]]);
    expect(outs).toMatchObject({ displayName: "web", sslConfiguration: "intermediate", foundDisplayName: null, foundSslConfiguration: "intermediate", ipv4: "192.0.2.10" });
    expect(outs).not.toHaveProperty("metricsToken");
    expect(info().sslConfiguration).toBe("intermediate");
    expect(await pending()).toEqual([]);
    await provider.delete(id, outs as Props);
  });

  it("outside a batch the PUT goes live now; a batch member leaves what is staged to its batch, with a new change token", async () => {
    // Something staged by another resource of the deployment (a batch member's farm), not live yet.
    await client.requestPromised("POST", `/ipLoadbalancing/${svc}/http/farm`, { zone: "gra", port: 80, displayName: "staged" });
    const from = mark(emu);
    const member = inputs({ displayName: "web", deferredTo: "lb" });
    const { id, outs } = await provider.create(member);
    expect(writesSince(emu, from).map((r) => r.method)).toEqual(["PUT"]);
    expect((await pending()).length).toBeGreaterThan(0);
    expect(outs).toMatchObject({ changeToken: { write: expect.any(String), refreshAll: false } });
    const { outs: same } = await provider.update(id, outs as Props, member);
    expect((same as Props).changeToken).toEqual((outs as Props).changeToken);
    await provider.delete(id, outs as Props);
    expect((await pending()).length).toBeGreaterThan(0);
    // Not a member: its write goes live, and with it what is staged.
    const alone = await provider.create(inputs({ displayName: "web" }));
    expect(writesSince(emu, from).filter((r) => r.path.endsWith("/refresh")).map((r) => r.body)).toEqual([{ zone: "gra" }]);
    expect(await pending()).toEqual([]);
    await provider.delete(alone.id, alone.outs as Props);
    for (const farmId of Object.keys(emu.store.service(svc)!.staged.farms)) await client.requestPromised("DELETE", `/ipLoadbalancing/${svc}/http/farm/${farmId}`);
    await client.requestPromised("POST", `/ipLoadbalancing/${svc}/refresh`, {});
  });

  it("writes nothing when the service already is as declared", async () => {
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}`, { displayName: "same" });
    const from = mark(emu);
    const { id, outs } = await provider.create(inputs({ displayName: "same" }));
    expect(writesSince(emu, from)).toEqual([]);
    await provider.delete(id, outs as Props);
    expect(writesSince(emu, from)).toEqual([]);
    expect(info().displayName).toBe("same");
  });

  it("shows drift in diff and the update sets the declared value back, sending only the changed field", async () => {
    const { id, outs } = await provider.create(inputs({ displayName: "web", sslConfiguration: "modern" }));
    expect(await provider.diff(id, outs as Props, inputs({ displayName: "web", sslConfiguration: "modern" }))).toEqual({ changes: false });
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}`, { displayName: "console" });
    const news = inputs({ displayName: "web", sslConfiguration: "modern" });
    expect(await provider.diff(id, outs as Props, news)).toMatchObject({ changes: true, replaces: [] });
    const from = mark(emu);
    const { outs: updated } = await provider.update(id, outs as Props, news);
    expect(writesSince(emu, from).map((r) => r.body)).toEqual([{ displayName: "web" }]);
    expect(updated).toMatchObject({ displayName: "web", foundDisplayName: null, foundSslConfiguration: null });
    await provider.delete(id, updated as Props);
  });

  it("a program change is left to the engine's input diff; another serviceName replaces", async () => {
    const { id, outs } = await provider.create(inputs({ displayName: "web" }));
    expect(await provider.diff(id, outs as Props, inputs({ displayName: "api" }))).toEqual({ changes: undefined });
    expect(await provider.diff(id, outs as Props, { ...inputs(), serviceName: "loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0" })).toMatchObject({ changes: true, replaces: ["serviceName"] });
    await provider.delete(id, outs as Props);
  });

  it("delete puts back what was found (null included) and leaves undeclared fields alone", async () => {
    const { id, outs } = await provider.create(inputs({ displayName: "web", sslConfiguration: "modern" }));
    expect(info()).toMatchObject({ displayName: "web", sslConfiguration: "modern" });
    const { outs: updated } = await provider.update(id, outs as Props, inputs({ displayName: "web" }));
    expect(info().sslConfiguration).toBeNull();
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}`, { sslConfiguration: "modern" });
    const from = mark(emu);
    await provider.delete(id, updated as Props);
    expect(writesSince(emu, from).map((r) => r.body)).toEqual([{ displayName: null }]);
    expect(info()).toMatchObject({ displayName: null, sslConfiguration: "modern" });
  });

  it("read reports the live service and keeps what was found and declared", async () => {
    const { id, outs } = await provider.create(inputs({ displayName: "web" }));
    await client.requestPromised("PUT", `/ipLoadbalancing/${svc}`, { displayName: "console" });
    const read = await provider.read(id, outs as Props);
    expect(read.props).toMatchObject({ displayName: "console", foundDisplayName: null, declaredInputs: { serviceName: svc, displayName: "web" } });
    await provider.delete(id, read.props as Props);
    expect(info().displayName).toBeNull();
  });

  it("an unknown service fails the create, naming the services the credentials see, and writes nothing", async () => {
    const from = mark(emu);
    await expect(provider.create(inputs({ serviceName: "loadbalancer-nope" }))).rejects.toThrow(
      /There is no IP Load Balancer named "loadbalancer-nope" for these credentials \(they see: loadbalancer-0f1e2d3c4b5a69788796a5b4c3d2e1f0, loadbalancer-a1b2/,
    );
    expect(writesSince(emu, from)).toEqual([]);
  });
});

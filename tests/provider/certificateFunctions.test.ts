/**
 * The reads of reads/ (getFailoverIps, getSslCertificates, getSslCertificate) against the emulator,
 * and the program-side settings they use (sdk/programSettings.ts).
 * Not proven here: the getXOutput variants and `dependsOn` in a real program (tests/program/failoverAndCertificates.test.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { OvhClient } from "ovh";
import * as failoverIps from "../../reads/failoverIps";
import * as settings from "../../sdk/programSettings";
import * as sslCertificates from "../../reads/sslCertificates";
import { Emulator, eventually } from "../helpers/emulator";
import { emulatorSettings, failureOf, withEmulator } from "./support";

let emu: Emulator;
let client: OvhClient;
let svc: string;

/** A client as a program gets it: from its stack config. */
function programClient() {
  pulumi.runtime.setAllConfig(emulatorSettings(emu), ["ovh:applicationSecret", "ovh:consumerKey"]);
  return settings.programClient({});
}

async function order(fqdn: string[]): Promise<void> {
  const task = (await client.requestPromised("POST", `/ipLoadbalancing/${svc}/freeCertificate`, { fqdn })) as { id: number };
  await eventually(() => emu.store.service(svc)!.tasks[task.id]?.status === "done", 30_000, `order ${task.id}`);
}

/** Each describe gets an emulator of its own (support.ts, withEmulator): nothing leaks between them. */
const withOwnEmulator = () =>
  withEmulator(
    { certificateSeconds: 0.05, routedFqdns: ["www.example.com"] },
    async (started) => {
      ({ emu, client, svc } = started);
      await order(["www.example.com"]);
      // OVH completes an order only for names that point to the load balancer; built_not_routed comes when DNS moves
      // away after delivery (tests/emulator/freeCertificate.test.ts).
      emu.routeFqdn("api.example.net");
      await order(["api.example.net"]);
      emu.unrouteFqdn("api.example.net");
    },
    () => pulumi.runtime.setAllConfig({}, []),
  );

describe("program settings", () => {
  withOwnEmulator();
  it("read the stack config first, then the OVH_* variables", () => {
    pulumi.runtime.setAllConfig({ "ovh:applicationKey": "from-config" }, []);
    const lookup = settings.programLookup({ OVH_APPLICATION_KEY: "from-env", OVH_CONSUMER_KEY: "ck-env" });
    expect(lookup("applicationKey")).toBe("from-config");
    expect(lookup("consumerKey")).toBe("ck-env");
    expect(lookup("endpoint")).toBeUndefined();
  });

  it("name every missing credential by key and variable, never by value", () => {
    pulumi.runtime.setAllConfig({ "ovh:applicationKey": "k-123" }, []);
    expect(() => settings.programConfig({})).toThrow(
      "OVH credentials are missing: set ovh:applicationSecret (or OVH_APPLICATION_SECRET), ovh:consumerKey (or OVH_CONSUMER_KEY). Use `pulumi config set --secret` for the secret ones.",
    );
  });
});

describe("getFailoverIps", () => {
  withOwnEmulator();
  it("lists the blocks routed to the load balancer, sorted", async () => {
    expect(await failoverIps.getFailoverIps(programClient(), { serviceName: svc })).toEqual({ serviceName: svc, ips: ["203.0.113.12/32"] });
  });

  it("refuses a missing service name before any call", async () => {
    const from = emu.requests.length;
    const error = await failureOf(failoverIps.getFailoverIps(programClient(), { serviceName: "" }));
    expect(error.message).toBe("getFailoverIps: serviceName: must not be empty");
    expect(emu.requests.length).toBe(from);
  });
});

describe("getSslCertificates and getSslCertificate", () => {
  withOwnEmulator();
  it("lists every certificate with its fields, by id, and filters by type", async () => {
    const all = await sslCertificates.getSslCertificates(programClient(), { serviceName: svc });
    expect(all.certificates.map((c) => [c.type, c.san])).toEqual([["built", ["www.example.com"]], ["built_not_routed", ["api.example.net"]]]);
    expect(Object.keys(all.certificates[0]).sort()).toEqual(["displayName", "expireDate", "fingerprint", "id", "san", "serial", "subject", "type"]);
    const built = await sslCertificates.getSslCertificates(programClient(), { serviceName: svc, type: "built" });
    expect(built).toEqual({ serviceName: svc, type: "built", certificates: [all.certificates[0]] });
  });

  it("reads one certificate, and fails naming an id that does not exist", async () => {
    const [first] = (await sslCertificates.getSslCertificates(programClient(), { serviceName: svc })).certificates;
    expect(await sslCertificates.getSslCertificate(programClient(), { serviceName: svc, id: first.id })).toEqual({ serviceName: svc, ...first });
    const error = await failureOf(sslCertificates.getSslCertificate(programClient(), { serviceName: svc, id: 99999 }));
    expect(error.message).toBe(`getSslCertificate: there is no certificate 99999 on ${svc}`);
  });

  it("refuses bad arguments with every reason at once", async () => {
    const error = await failureOf(sslCertificates.getSslCertificates(programClient(), { serviceName: svc, type: "paid" as never }));
    expect(error.message).toBe('getSslCertificates: type: "paid" is not one of built, built_not_routed, custom');
    const one = await failureOf(sslCertificates.getSslCertificate(programClient(), { serviceName: "", id: 0 }));
    expect(one.message).toBe("getSslCertificate: serviceName: must not be empty; id: 0 is less than 1");
  });
});

/**
 * pulumi-ovh-iplb/testing, the fast layer (testing/mocks.ts): this package's resources under `pulumi.runtime.setMocks`,
 * with no emulator, no CLI and no API call. Proves the ids (so every farmId/serverId a program passes on resolves),
 * the provider's real check() (failures recorded with its exact message, defaults in the outputs), `__provider` left
 * out, config, and the answers for functions and other packages' resources. Not proven: anything the API or the
 * engine decides (diffs, replacements, going live): that is the emulator's layer.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iplb from "../../sdk";
import { IplbMocks, setIplbMocks, valueOf } from "../../testing";

const serviceName = "loadbalancer-unit";

describe("setIplbMocks", () => {
  it("gives ids in the provider's format, so the ids resources take from each other resolve", async () => {
    const mocks = await setIplbMocks();
    const farm = new iplb.HttpFarm("web", { serviceName, zone: "gra", port: 8080 });
    const servers = ["127.0.0.2", "127.0.0.3"].map((address, i) =>
      new iplb.HttpFarmServer(`web-${i + 1}`, { serviceName, farmId: farm.farmId, address, status: "active" }));
    const frontend = new iplb.HttpFrontend("http", { serviceName, zone: "gra", port: "80", defaultFarmId: farm.farmId });
    // Numbered in registration order: the farm first (the others wait for its id), then as their inputs resolve.
    expect(await valueOf(farm.farmId)).toBe(1);
    const serverIds = await Promise.all(servers.map((s) => valueOf(s.serverId)));
    const frontendId = await valueOf(frontend.frontendId);
    expect([...serverIds, frontendId].sort((a, b) => a - b)).toEqual([2, 3, 4]);
    expect(await Promise.all(servers.map((s) => valueOf(s.farmId)))).toEqual([1, 1]);
    expect(await valueOf(frontend.defaultFarmId)).toBe(1);
    expect(["web", "web-1", "web-2", "http"].map((name) => [mocks.named(name)?.kind, mocks.named(name)?.id])).toEqual([
      ["HttpFarm", `${serviceName}/1`],
      ["HttpFarmServer", `${serviceName}/1/${serverIds[0]}`],
      ["HttpFarmServer", `${serviceName}/1/${serverIds[1]}`],
      ["HttpFrontend", `${serviceName}/${frontendId}`],
    ]);
    expect(mocks.ofKind("HttpFarmServer").map((r) => r.inputs.address).sort()).toEqual(["127.0.0.2", "127.0.0.3"]);
    expect(mocks.resources.every((r) => !("__provider" in r.inputs))).toBe(true);
    expect(mocks.failures()).toEqual([]);
  });

  it("runs the provider's check(): a bad input is recorded with its message, as preview would report it", async () => {
    const mocks = await setIplbMocks();
    const farm = new iplb.HttpFarm("web", { serviceName, zone: "gra", balance: "fastest" as iplb.HttpBalance });
    await valueOf(farm.farmId);
    expect(mocks.failures()).toEqual(['web: balance: "fastest" is not one of first, leastconn, roundrobin, source, uri']);
    expect(mocks.named("web")?.failures).toEqual([{ property: "balance", reason: '"fastest" is not one of first, leastconn, roundrobin, source, uri' }]);
  });

  it("records no failure with check: false", async () => {
    const mocks = await setIplbMocks({ check: false });
    await valueOf(new iplb.HttpFarm("web", { serviceName, zone: "gra", balance: "fastest" as iplb.HttpBalance }).farmId);
    expect(mocks.failures()).toEqual([]);
  });

  it("sets the stack config, unqualified keys in the project's namespace", async () => {
    await setIplbMocks({ project: "shop", config: { serviceName, "other:key": "v" } });
    expect(new pulumi.Config().require("serviceName")).toBe(serviceName);
    expect(new pulumi.Config("other").require("key")).toBe("v");
  });

  it("answers other packages' resources with `<name>-id` and their inputs, or as told", async () => {
    class Pet extends pulumi.CustomResource {
      declare readonly length: pulumi.Output<number>;
      constructor(name: string, length: number) {
        super("random:index/randomPet:RandomPet", name, { length });
      }
    }
    const mocks = await setIplbMocks();
    expect(await valueOf(new Pet("pet", 2).id)).toBe("pet-id");
    expect(await valueOf(new Pet("pet2", 3).length)).toBe(3);
    const told = await setIplbMocks({ otherResource: () => ({ id: "fixed", state: { length: 9 } }) });
    expect(await valueOf(new Pet("pet3", 3).length)).toBe(9);
    expect([mocks.named("pet")?.kind, told.named("pet3")?.id]).toEqual(["RandomPet", "fixed"]);
  });

  it("fails a function call nobody answers, naming it, and answers it with `call`", async () => {
    const mocks = await setIplbMocks({ call: (args) => ({ token: args.token }) });
    expect(mocks.call({ token: "x:y:z", inputs: {} })).toEqual({ token: "x:y:z" });
    expect(() => new IplbMocks().call({ token: "x:y:z", inputs: {} })).toThrow("no mock answers the function x:y:z: pass setIplbMocks({ call })");
  });
});

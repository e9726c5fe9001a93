import type { ApiClient } from "../../provider/api/client";
import { carries, createOnce, CreateOnce, mapLimited, MAX_RECOVERY_READS, NATURAL_KEYS, pickTwin } from "../../provider/changes/adoptOrCreate";

type Obj = Record<string, unknown>;
const everything = () => true;

describe("pickTwin (which object an interrupted create left, to take over instead of posting)", () => {
  const server: Obj = { address: "192.0.2.11", port: 80, status: "active", weight: 1 };
  const twin = (over: Obj = {}, id = 7): Obj => ({ serverId: id, backendId: 3, ...server, cookie: "abc", ...over });

  it("takes the one server with the same address and port that is exactly as declared", () => {
    const candidates = [twin({}, 7), twin({ address: "192.0.2.12" }, 8)];
    expect(pickTwin("server", server, candidates, everything)).toBe(candidates[0]);
  });

  it("takes nothing when two objects match: nothing tells which is whose", () => {
    expect(pickTwin("server", server, [twin({}, 7), twin({}, 8)], everything)).toBeUndefined();
  });

  it.each([
    ["another port", { port: 8080 }],
    ["no port (the farm's)", { port: null }],
    ["another address", { address: "192.0.2.99" }],
  ])("takes no server with %s", (_what, over) => {
    expect(pickTwin("server", server, [twin(over)], everything)).toBeUndefined();
  });

  it("takes nothing the family's diff would change (declares() says no)", () => {
    const candidate = twin({ weight: 5 });
    expect(pickTwin("server", server, [candidate], (o) => o.weight === 1)).toBeUndefined();
    expect(pickTwin("server", server, [candidate], () => true)).toBe(candidate);
  });

  it("takes a farm only when the program names it (displayName), and only in the same zone", () => {
    const farm = { zone: "gra", port: 80, displayName: "web" };
    const sameFarm = { farmId: 4, ...farm, balance: null };
    expect(pickTwin("farm", farm, [sameFarm], everything)).toBe(sameFarm);
    expect(pickTwin("farm", { zone: "gra", port: 80 }, [{ farmId: 4, zone: "gra", port: 80, displayName: null }], everything)).toBeUndefined();
    expect(pickTwin("farm", farm, [{ ...sameFarm, zone: "rbx" }], everything)).toBeUndefined();
    expect(pickTwin("farm", farm, [{ ...sameFarm, displayName: "api" }], everything)).toBeUndefined();
  });

  it("takes a frontend of the same zone and port, named or not", () => {
    const frontend = { zone: "gra", port: "80,443", defaultFarmId: 4 };
    const same = { frontendId: 9, ...frontend, displayName: null };
    expect(pickTwin("frontend", frontend, [same], everything)).toBe(same);
    expect(pickTwin("frontend", frontend, [{ ...same, port: "443,80" }], everything)).toBeUndefined();
  });

  it("keys every family on fields the create body carries, and names its id field", () => {
    expect(NATURAL_KEYS).toEqual({
      farm: { idField: "farmId", fields: ["zone", "displayName"], requires: ["displayName"] },
      server: { idField: "serverId", fields: ["address", "port"], requires: [] },
      frontend: { idField: "frontendId", fields: ["zone", "port"], requires: [] },
      route: { idField: "routeId", fields: ["frontendId", "displayName"], requires: ["displayName"] },
      routeRule: { idField: "ruleId", fields: ["field", "subField", "match", "pattern", "negate"], requires: [] },
      vrackNetwork: { idField: "vrackNetworkId", fields: ["subnet", "vlan"], requires: [] },
    });
  });
});

describe("carries (is this the object our POST made?)", () => {
  it("compares every sent field, null and absent alike, nested objects key by key", () => {
    const object = { zone: "gra", displayName: null, probe: { type: "http", url: "/", negate: false, port: null } };
    expect(carries(object, { zone: "gra", probe: { url: "/", type: "http" } })).toBe(true);
    expect(carries(object, { zone: "gra", displayName: undefined })).toBe(true);
    expect(carries(object, { zone: "rbx" })).toBe(false);
    expect(carries(object, { probe: { type: "tcp" } })).toBe(false);
  });
});

/**
 * An in-memory collection of servers behind the ApiClient interface. `holdPosts` makes a POST create its object, then
 * wait for `release()` before answering: the moment when the object exists but its creator does not know its id yet.
 */
function fakeCollection(collection: string) {
  const objects = new Map<number, Obj>();
  let next = 1;
  let held: (() => void)[] = [];
  const state = { holdPosts: false, posts: 0 };
  const api: ApiClient = {
    get: async <T>(path: string) => (path === collection ? [...objects.keys()] : objects.get(Number(path.split("/").pop()))) as T,
    post: async <T>(_path: string, body?: object) => {
      state.posts++;
      const made = { serverId: next++, ...body };
      objects.set(made.serverId, made);
      if (state.holdPosts) await new Promise<void>((r) => held.push(r));
      return made as T;
    },
    put: async () => undefined,
    delete: async () => undefined,
  };
  const release = () => {
    held.forEach((r) => r());
    held = [];
  };
  return { api, objects, state, release };
}

function serverSpec(api: ApiClient, collection: string, body: Obj): CreateOnce<Obj> {
  return {
    collection, body, naturalKey: "server",
    get: (id) => api.get<Obj>(`${collection}/${id}`),
    matches: (o) => carries(o, body),
    declares: (o) => carries(o, body),
  };
}

describe("createOnce", () => {
  const body = { address: "192.0.2.11", port: 80, status: "active" };

  it("takes over the one twin an interrupted deployment left, without posting, and only once", async () => {
    const c = fakeCollection("/a/server");
    c.objects.set(40, { serverId: 40, ...body });
    expect(await createOnce(c.api, serverSpec(c.api, "/a/server", body), 0)).toEqual({ serverId: 40, ...body });
    expect(c.state.posts).toBe(0);
    // A second resource declaring the same server gets its own: the twin is claimed.
    expect(await createOnce(c.api, serverSpec(c.api, "/a/server", body), 0)).toEqual({ serverId: 1, ...body });
    expect(c.state.posts).toBe(1);
  });

  it("never takes over what this process created", async () => {
    const c = fakeCollection("/b/server");
    const first = await createOnce(c.api, serverSpec(c.api, "/b/server", body), 0);
    const second = await createOnce(c.api, serverSpec(c.api, "/b/server", body), 0);
    expect([first.serverId, second.serverId, c.state.posts]).toEqual([1, 2, 2]);
  });

  it("never takes over an object a concurrent create of this process is still posting", async () => {
    const c = fakeCollection("/c/server");
    c.state.holdPosts = true;
    const slow = createOnce(c.api, serverSpec(c.api, "/c/server", body), 0);
    await new Promise((r) => setImmediate(r));
    expect([...c.objects.keys()]).toEqual([1]); // made, but its creator has no answer yet
    c.state.holdPosts = false;
    const fast = await createOnce(c.api, serverSpec(c.api, "/c/server", body), 0);
    c.release();
    expect([(await slow).serverId, fast.serverId, c.state.posts]).toEqual([1, 2, 2]);
  });

  it("takes over nothing for a family without a natural key", async () => {
    const c = fakeCollection("/d/server");
    c.objects.set(40, { serverId: 40, ...body });
    const { naturalKey: _key, ...spec } = serverSpec(c.api, "/d/server", body);
    expect((await createOnce(c.api, spec, 0)).serverId).toBe(1);
  });
});

describe("a recovery's reads", () => {
  it("are at most MAX_RECOVERY_READS in flight, however long the listing", async () => {
    const body = { address: "192.0.2.11", port: 80, status: "active" };
    let inFlight = 0;
    let most = 0;
    const get = async (id: number): Promise<Obj> => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { serverId: id, address: `192.0.2.${id}`, port: 80, status: "active" };
    };
    const ids = Array.from({ length: 40 }, (_, i) => 100 + i);
    const api = { get: async () => ids, post: async () => ({ serverId: 1, ...body }), put: async () => undefined, delete: async () => undefined } as unknown as ApiClient;
    await createOnce(api, { collection: "/e/server", body, naturalKey: "server", get, matches: (o) => carries(o, body), declares: () => true }, 0);
    expect(most).toBe(MAX_RECOVERY_READS);
  });

  it("keep the listing's order in their results", async () => {
    expect(await mapLimited([3, 1, 2], 2, async (n) => n * 10)).toEqual([30, 10, 20]);
  });
});

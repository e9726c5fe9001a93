import type { ApiClient } from "../../provider/api/client";
import * as errors from "../../provider/api/errors";
import { diffReader as reader, DIRECT_READS, MAX_IN_FLIGHT, kindOf } from "../../provider/api/readAhead";

/** An API of HTTP farms and their servers, answering at once (or when `hold` is released), recording every GET. */
class FakeApi implements ApiClient {
  readonly gets: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  hold?: Promise<void>;
  failListings = false;

  constructor(readonly objects: Map<string, unknown>) {}

  async get<T>(path: string): Promise<T> {
    this.gets.push(path);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Only item reads wait for `hold`; listings answer at once.
      if (/\/\d+$/.test(path)) await this.hold;
      const listed = [...this.objects.keys()].filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1));
      const ids = [...new Set(listed.map((rest) => rest.split("/")[0]))].filter((id) => /^\d+$/.test(id)).map(Number);
      if (this.objects.has(path)) return this.objects.get(path) as T;
      if (ids.length > 0 || path.endsWith("/farm") || path.endsWith("/server")) {
        if (this.failListings) throw new errors.OvhApiError({ method: "GET", path, status: 503, apiMessage: "Service unavailable" });
        return ids as T;
      }
      throw new errors.OvhApiError({ method: "GET", path, status: 404, apiMessage: "The requested object does not exist" });
    } finally {
      this.inFlight--;
    }
  }
  post = () => Promise.reject(new Error("no writes here"));
  put = () => Promise.reject(new Error("no writes here"));
  delete = () => Promise.reject(new Error("no writes here"));
}

const base = "/ipLoadbalancing/lb/http/farm";
const server = (farm: number, id: number) => `${base}/${farm}/server/${id}`;

/** `farms` farms of `servers` servers each. */
function service(farms: number, servers: number): Map<string, unknown> {
  const objects = new Map<string, unknown>();
  for (let f = 1; f <= farms; f++) {
    objects.set(`${base}/${f}`, { farmId: f, zone: "gra" });
    for (let s = 1; s <= servers; s++) objects.set(server(f, s), { serverId: s, weight: 1 });
  }
  return objects;
}

/** Lets every promise that can settle settle (nothing here waits for time or I/O). */
const settled = () => new Promise<void>((r) => setImmediate(r));

/** A reader in a configuration of its own: what a new host process (a new command) gets from configure(). */
const diffReader = (api: ApiClient) => reader(api, {}, "emulator|lb");

/** Asks for DIRECT_READS servers of farm 1, which are read one by one. */
async function readDirectly(r: ApiClient): Promise<void> {
  for (let s = 1; s <= DIRECT_READS; s++) await r.get(server(1, s));
}

describe("kindOf (an item's collection, and its kind: the collection, ids as *)", () => {
  it("names servers of every farm as one kind", () => {
    expect(kindOf(server(3, 7))).toEqual({ collection: `${base}/3/server`, kind: `${base}/*/server` });
    expect(kindOf(`${base}/3`)).toEqual({ collection: base, kind: base });
  });

  it("leaves paths that are not items alone", () => {
    expect(kindOf(`${base}/3/server`)).toBeUndefined();
    expect(kindOf("/ipLoadbalancing/lb")).toBeUndefined();
  });
});

describe("diffReader (diffs answered from one parallel read of their collections)", () => {
  it(`reads up to ${DIRECT_READS} objects of a kind one by one: a stack that manages a few pays no listing`, async () => {
    const api = new FakeApi(service(2, 3));
    await readDirectly(diffReader(api));
    expect(api.gets).toEqual([server(1, 1), server(1, 2), server(1, 3)]);
  });

  it("then reads each farm's servers ahead when the first of them is asked for, and answers from that read", async () => {
    const api = new FakeApi(service(3, 4));
    const r = diffReader(api);
    await readDirectly(r);
    expect(await r.get(server(2, 1))).toEqual({ serverId: 1, weight: 1 });
    // 3 direct + farm 2's listing + its 4 servers; farm 3 is not read until asked for.
    expect(api.gets.length).toBe(DIRECT_READS + 1 + 4);
    expect(api.gets.some((p) => p.startsWith(`${base}/3/`))).toBe(false);
    for (let f = 1; f <= 3; f++) for (let s = 1; s <= 4; s++) if ((f > 1 || s > DIRECT_READS) && !(f === 2 && s === 1)) expect(await r.get(server(f, s))).toEqual({ serverId: s, weight: 1 });
    // Each of the 12 servers read once, plus one listing per farm read ahead (farms 1 to 3).
    expect(api.gets.length).toBe(12 + 3);
    expect(new Set(api.gets).size).toBe(api.gets.length);
  });

  it("answers each object once: a second read of it goes to the API and sees a change made since", async () => {
    const objects = service(1, 5);
    const api = new FakeApi(objects);
    const r = diffReader(api);
    await readDirectly(r);
    await r.get(server(1, 4));
    objects.set(server(1, 4), { serverId: 4, weight: 9 });
    const before = api.gets.length;
    expect(await r.get(server(1, 4))).toEqual({ serverId: 4, weight: 9 });
    expect(api.gets.slice(before)).toEqual([server(1, 4)]);
  });

  it("keeps nothing from one configuration (one command) to the next, and reads directly without one", async () => {
    const objects = service(1, 6);
    const api = new FakeApi(objects);
    const r = diffReader(api);
    await readDirectly(r);
    await r.get(server(1, 4)); // reads 5 and 6 ahead
    objects.set(server(1, 5), { serverId: 5, weight: 9 });
    expect(await diffReader(api).get(server(1, 5))).toEqual({ serverId: 5, weight: 9 });
    const before = api.gets.length;
    const unconfigured = reader(api, undefined, "emulator|lb");
    for (let s = 1; s <= 6; s++) await unconfigured.get(server(1, s));
    expect(api.gets.slice(before)).toEqual([1, 2, 3, 4, 5, 6].map((s) => server(1, s)));
  });

  it("reports an object deleted before it was read ahead as gone (404), like a direct read", async () => {
    const objects = service(1, 6);
    const api = new FakeApi(objects);
    const r = diffReader(api);
    await readDirectly(r);
    objects.delete(server(1, 6));
    await r.get(server(1, 4));
    expect(await errors.unlessGone(r.get(server(1, 6)))).toBeUndefined();
  });

  it("reads directly an object the listings did not have (created since) and when the listings fail", async () => {
    const objects = service(1, 4);
    const api = new FakeApi(objects);
    const r = diffReader(api);
    await readDirectly(r);
    await r.get(server(1, 4));
    objects.set(server(1, 5), { serverId: 5, weight: 1 });
    expect(await r.get(server(1, 5))).toEqual({ serverId: 5, weight: 1 });

    const failing = new FakeApi(service(2, 4));
    failing.failListings = true;
    const other = diffReader(failing);
    await readDirectly(other);
    expect(await other.get(server(2, 2))).toEqual({ serverId: 2, weight: 1 });
  });

  it(`keeps at most ${MAX_IN_FLIGHT} reads in flight, and starts at once the one a diff waits for`, async () => {
    const api = new FakeApi(service(1, MAX_IN_FLIGHT * 3));
    const r = diffReader(api);
    await readDirectly(r);
    let release!: () => void;
    api.hold = new Promise<void>((resolve) => (release = resolve));
    const second = r.get(server(1, DIRECT_READS + 1));
    await settled();
    expect(api.inFlight).toBe(MAX_IN_FLIGHT);
    const last = r.get(server(1, MAX_IN_FLIGHT * 3));
    await settled();
    expect(api.inFlight).toBe(MAX_IN_FLIGHT + 1);
    expect(api.gets[api.gets.length - 1]).toBe(server(1, MAX_IN_FLIGHT * 3));
    release();
    expect(await second).toEqual({ serverId: DIRECT_READS + 1, weight: 1 });
    expect(await last).toEqual({ serverId: MAX_IN_FLIGHT * 3, weight: 1 });
    expect(api.maxInFlight).toBe(MAX_IN_FLIGHT + 1);
  });

  it("never reads ahead GETs with a query (listings by address)", async () => {
    const api = new FakeApi(service(1, 3));
    const r = diffReader(api);
    for (let k = 0; k <= DIRECT_READS; k++) await r.get(`${base}/1/server`, { address: "10.0.0.1" });
    expect(api.gets).toEqual(Array(DIRECT_READS + 1).fill(`${base}/1/server`));
  });
});

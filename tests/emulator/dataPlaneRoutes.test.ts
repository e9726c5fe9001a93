/**
 * HTTP routes carrying traffic (emulator/dataplane/routing.ts), made with the official client as the OVH routes guide
 * shows them: host and path routes to other farms, a two-rule route (method and regex), cookie, param, header and
 * source rules, negation, a redirect with the guide's variables, rejects with their status; redirect/reject routes
 * before farm routes, lower weights first; a staged route changes nothing until the refresh. Backends on 127.0.14.x.
 */
import { httpBackend, TestBackend } from "../helpers/backends";
import { get, Lb, startLb } from "../helpers/dataPlane";

const WEB = "127.0.14.1";
const API = "127.0.14.2";
const ADMIN = "127.0.14.3";

type Rule = { field: string; match: string; pattern?: string; subField?: string; negate?: boolean };

describe("data plane: HTTP routes", () => {
  let lb: Lb;
  let backends: TestBackend[];
  let port: number;
  let frontendId: number;
  const farms: Record<string, number> = {};

  beforeAll(async () => {
    backends = await Promise.all([WEB, API, ADMIN].map((address) => httpBackend(address)));
    lb = await startLb({ dataPlane: { basePort: 14000 } });
    for (const [i, name] of ["web", "api", "admin"].entries()) {
      farms[name] = await lb.farm("http");
      await lb.server("http", farms[name], backends[i]);
    }
    frontendId = await lb.frontend("http", { port: "80", defaultFarmId: farms.web });
    await lb.refresh();
    port = lb.port(80);
  });
  afterAll(async () => {
    await lb.emu.close();
    await Promise.all(backends.map((b) => b.stop()));
  });

  async function route(action: Record<string, unknown>, rules: Rule[], weight?: number): Promise<number> {
    const { routeId } = await lb.call<{ routeId: number }>("POST", "/http/route", { frontendId, action, ...(weight === undefined ? {} : { weight }) });
    for (const rule of rules) await lb.call("POST", `/http/route/${routeId}/rule`, { ...rule });
    return routeId;
  }
  const host = (name: string) => ({ headers: { Host: name } });
  const body = async (path: string, options = {}) => (await get(port, path, options)).body.trim().replace(/^200 from /, "");

  it("routes nothing differently until the refresh, then by host, path and the lower weight first", async () => {
    await route({ type: "farm", target: String(farms.api) }, [{ field: "host", match: "is", pattern: "api.example.test" }], 10);
    await route({ type: "farm", target: String(farms.admin) }, [{ field: "uri", match: "startswith", pattern: "/admin" }], 5);
    expect(await body("/", host("api.example.test"))).toBe(WEB); // staged
    await lb.refresh();
    expect(await body("/", host("api.example.test:8080"))).toBe(API); // host without its port
    expect(await body("/admin/users", host("www.example.test"))).toBe(ADMIN);
    expect(await body("/admin", host("api.example.test"))).toBe(ADMIN); // weight 5 before weight 10
    expect(await body("/", host("www.example.test"))).toBe(WEB); // no route: the default farm
  });

  it("applies a route only when all its rules match, and reads cookies, params, headers and negation", async () => {
    await route({ type: "farm", target: String(farms.admin) }, [{ field: "method", match: "is", pattern: "POST" }, { field: "uri", match: "matches", pattern: "^/.*/batch-analytics$" }], 1);
    await route({ type: "farm", target: String(farms.api) }, [{ field: "cookie", subField: "PreprodOptIn", match: "exists" }], 2);
    await route({ type: "farm", target: String(farms.api) }, [{ field: "param", subField: "v", match: "in", pattern: "2, 3" }], 3);
    await route({ type: "farm", target: String(farms.admin) }, [{ field: "header", subField: "X-Team", match: "is", pattern: "ops", negate: true }, { field: "uri", match: "endswith", pattern: ".ops" }], 4);
    await lb.refresh();
    expect(await body("/x/batch-analytics", { method: "POST" })).toBe(ADMIN);
    expect(await body("/x/batch-analytics", { method: "GET" })).toBe(WEB);
    expect(await body("/", { headers: { Cookie: "a=1; PreprodOptIn=yes" } })).toBe(API);
    expect(await body("/?v=3&v=1")).toBe(API);
    expect(await body("/?v=1&v=3")).toBe(WEB); // the first occurrence counts
    expect(await body("/report.ops")).toBe(ADMIN);
    expect(await body("/report.ops", { headers: { "X-Team": "ops" } })).toBe(WEB);
  });

  it("evaluates redirects and rejects before farm routes, with the guide's variables and statuses", async () => {
    await route({ type: "redirect", status: 301, target: "https://${domain}/new${path}${arguments}?from=${protocol}&port=${port}&host=${host}" }, [{ field: "uri", match: "startswith", pattern: "/old" }], 200);
    await route({ type: "reject", status: 429 }, [{ field: "header", subField: "X-Block", match: "exists" }], 201);
    await route({ type: "reject" }, [{ field: "source", match: "in", pattern: "127.0.14.200, 127.0.14.208/29" }], 202);
    await route({ type: "redirect", target: "https://${host}${path}" }, [{ field: "protocol", match: "is", pattern: "https" }], 203); // never on a plain frontend
    await lb.refresh();
    const moved = await get(port, "/old/page?id=7", host("api.example.test:81"));
    expect(moved).toMatchObject({ status: 301, headers: { location: `https://api.example.test/new/old/page?id=7?from=http&port=${port}&host=api.example.test:81` } });
    const limited = await get(port, "/admin", { headers: { "X-Block": "1" } }); // the /admin farm route (weight 5) comes after
    expect(limited.status).toBe(429);
    expect(limited.body).toBe("<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n");
    expect((await get(port, "/", { from: "127.0.14.200" })).status).toBe(403); // the guide's default status
    expect((await get(port, "/", { from: "127.0.14.213" })).status).toBe(403);
    expect((await get(port, "/", { from: "127.0.14.201" })).status).toBe(200);
  });
});

/**
 * TLS frontends (emulator/dataplane/tls.ts, certificates.ts): a free certificate ordered through the API is a real
 * certificate under the data plane's CA, the very one the API describes (fingerprint, san); a custom certificate
 * uploaded through the API is served with its chain (its key never comes back from the API); the client's SNI picks
 * among the service's certificates; HSTS and X-Forwarded-Proto on HTTPS; a TCP frontend terminates TLS too and routes
 * on `sni`. Clients verify every certificate (no `rejectUnauthorized: false`). Backends on 127.0.16.x.
 */
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import * as tls from "tls";
import { echoHttpBackend, Lb, namedTcpBackend, startLb } from "../helpers/dataPlane";
import { eventually } from "../helpers/emulator";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certs", name), "utf8");

interface Ssl {
  id: number;
  type: string;
  san: string[];
  fingerprint: string;
}

interface Seen {
  status: number;
  headers: Record<string, unknown>;
  body: { server: string; headers: Record<string, string> };
  fingerprint: string;
}

/** An HTTPS GET through a frontend, verifying the certificate against `ca` for `servername`. */
function httpsGet(port: number, servername: string, ca: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: "127.0.0.1", port, path: "/", servername, ca, agent: false, headers: { Host: servername } }, (res) => {
      const fingerprint = (res.socket as tls.TLSSocket).getPeerCertificate().fingerprint;
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Seen["body"], fingerprint }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("data plane: TLS frontends", () => {
  let lb: Lb;
  let echo: Awaited<ReturnType<typeof echoHttpBackend>>;
  let free: Ssl;
  let custom: Ssl;
  let farmId: number;

  beforeAll(async () => {
    echo = await echoHttpBackend("127.0.16.1");
    lb = await startLb({ dataPlane: { basePort: 16000 } });
    lb.emu.routeFqdn("shop.example.test");
    const order = await lb.call<{ id: number }>("POST", "/freeCertificate", { fqdn: ["shop.example.test"] });
    await eventually(async () => (await lb.call<{ status: string }>("GET", `/task/${order.id}`)).status === "done", 30_000, "the certificate order");
    const [freeId] = await lb.call<number[]>("GET", "/ssl", { type: "built" });
    free = await lb.call<Ssl>("GET", `/ssl/${freeId}`);
    custom = await lb.call<Ssl>("POST", "/ssl", { certificate: fixture("www.pem"), key: fixture("www.key"), chain: fixture("ca.pem") });
    farmId = await lb.farm("http");
    await lb.server("http", farmId, echo);
  });
  afterAll(async () => {
    await lb.emu.close();
    await echo.close();
  });

  it("serves a free certificate issued under the data plane's CA, the one the API describes, with HSTS", async () => {
    await lb.frontend("http", { port: "443", ssl: true, hsts: true, defaultSslId: free.id, defaultFarmId: farmId });
    await lb.refresh();
    const seen = await httpsGet(lb.port(443), "shop.example.test", lb.emu.dataPlane!.caPem);
    expect(seen.status).toBe(200);
    expect(seen.fingerprint).toBe(free.fingerprint);
    expect(free.san).toEqual(["shop.example.test"]);
    expect(seen.headers["strict-transport-security"]).toBe("max-age=15768000");
    expect(seen.body.headers["x-forwarded-proto"]).toBe("https");
  });

  it("serves an uploaded custom certificate with its chain, picks by SNI among the service's certificates, and never returns the key", async () => {
    await lb.frontend("http", { port: "8443", ssl: true, defaultSslId: custom.id, defaultFarmId: farmId });
    await lb.refresh();
    const port = lb.port(8443);
    const www = await httpsGet(port, "www.example.test", fixture("ca.pem"));
    expect([www.status, www.fingerprint]).toEqual([200, custom.fingerprint]);
    const shop = await httpsGet(port, "shop.example.test", lb.emu.dataPlane!.caPem);
    expect(shop.fingerprint).toBe(free.fingerprint);
    expect(www.headers["strict-transport-security"]).toBeUndefined(); // hsts is off on this frontend
    expect(Object.keys(await lb.call("GET", `/ssl/${custom.id}`)).sort()).toEqual(["displayName", "expireDate", "fingerprint", "id", "san", "serial", "subject", "type"]);
    expect(JSON.stringify(lb.emu.store.data)).not.toContain("PRIVATE KEY");
  });

  it("terminates TLS on a TCP frontend and routes on the SNI name", async () => {
    const [a, b] = await Promise.all([namedTcpBackend("127.0.16.11"), namedTcpBackend("127.0.16.12")]);
    try {
      const tcpFarm = await lb.farm("tcp");
      await lb.server("tcp", tcpFarm, a);
      const shopFarm = await lb.farm("tcp");
      await lb.server("tcp", shopFarm, b);
      const frontendId = await lb.frontend("tcp", { port: "993", ssl: true, defaultSslId: custom.id, defaultFarmId: tcpFarm });
      const { routeId } = await lb.call<{ routeId: number }>("POST", "/tcp/route", { frontendId, action: { type: "farm", target: String(shopFarm) } });
      await lb.call("POST", `/tcp/route/${routeId}/rule`, { field: "sni", match: "endswith", pattern: "shop.example.test" });
      await lb.refresh();
      const line = (servername: string, ca: string) => new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: lb.port(993), servername, ca }, () => socket.once("data", (d) => (resolve(d.toString().trim()), socket.destroy())));
        socket.on("error", reject);
      });
      expect(await line("www.example.test", fixture("ca.pem"))).toBe("127.0.16.11");
      expect(await line("shop.example.test", lb.emu.dataPlane!.caPem)).toBe("127.0.16.12");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

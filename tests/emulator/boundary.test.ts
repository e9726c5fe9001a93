/**
 * The emulator as a security boundary (it holds credentials and answers on a port): only the API's unauthenticated
 * routes go unsigned, the state file is private and written whole, a corrupt one is named, close() closes every
 * connection, and a restart on the same state file keeps the port the stack config points at.
 */
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { Emulator, ovhClient, startTestEmulator, svcPath } from "../helpers/emulator";
import { rawRequest } from "../helpers/rawRequest";

describe("unsigned requests", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ serviceName: "authlb-test" });
  });
  afterAll(() => emu.close());

  it("are refused on every path but the API's open ones, even one that contains /auth (a service named authlb-test)", async () => {
    const farms = `/ipLoadbalancing/${emu.serviceName}/http/farm`;
    const write = await rawRequest(emu, { method: "POST", path: farms, body: JSON.stringify({ zone: "gra" }), unsigned: true });
    expect(write).toMatchObject({ status: 403, body: { message: "Invalid application key" } });
    // node-ovh itself never signs such a path (the real API refuses it too), so the state is read directly.
    expect(emu.store.service(emu.serviceName)?.staged.farms).toEqual({});
    const read = await rawRequest(emu, { method: "GET", path: `/ipLoadbalancing/${emu.serviceName}`, unsigned: true });
    expect(read.status).toBe(403);
  });

  it("still get /auth/time, which the API serves without credentials", async () => {
    const res = await rawRequest(emu, { method: "GET", path: "/auth/time", unsigned: true });
    expect(res.status).toBe(200);
    expect(typeof res.body).toBe("number");
  });
});

describe("the state file", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "iplb-boundary-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is readable by its owner only (it holds the credentials), and written whole: no temporary file is left", async () => {
    const stateFile = path.join(dir, "state.json");
    const emu = await startTestEmulator({ stateFile });
    try {
      await ovhClient(emu).requestPromised("POST", svcPath(emu, "/http/farm"), { zone: "gra" });
    } finally {
      await emu.close();
    }
    expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).credentials.consumerKey).toBe(emu.consumerKey);
  });

  it("that is corrupt fails the start with a message naming it", async () => {
    const stateFile = path.join(dir, "corrupt.json");
    fs.writeFileSync(stateFile, '{"version": 1, "services": {');
    await expect(startTestEmulator({ stateFile })).rejects.toThrow(
      new RegExp(`^ovh-iplb-emulator: cannot read the state file ${stateFile.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: .*JSON.*; fix it or delete it to start from the seed$`),
    );
  });

  it("keeps the port across restarts, so the endpoint in a stack's config stays right", async () => {
    const stateFile = path.join(dir, "port.json");
    const first = await startTestEmulator({ stateFile });
    const port = first.port;
    await first.close();
    const second = await startTestEmulator({ stateFile });
    try {
      expect(second.port).toBe(port);
      await expect(ovhClient(second).requestPromised("GET", "/ipLoadbalancing")).resolves.toContain(second.serviceName);
    } finally {
      await second.close();
    }
  });
});

describe("close()", () => {
  it("closes kept-alive connections too: a client holding one gets no more answers", async () => {
    const emu = await startTestEmulator();
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(emu.caFile) });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = https.request({ host: emu.host, port: emu.port, path: `${emu.basePath}/auth/time`, agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      expect(await get()).toBe(200);
      const sockets = Object.values(agent.freeSockets).flat();
      expect(sockets).toHaveLength(1);
      const closed = new Promise<void>((resolve) => sockets[0]!.once("close", () => resolve()));
      await emu.close();
      await closed;
      await expect(get()).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });
});

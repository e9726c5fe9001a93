/**
 * `npx ovh-iplb-emulator --data-plane` as a user runs it (a child process): the JSON line carries `dataPlane` (port
 * table, control surface), a frontend made with the official client listens after the refresh at base port + its
 * port, a request goes through it, and the control surface shows the table and the counters. Also the flags' parsing.
 * The section "See your traffic locally" of docs/emulator.md follows these steps.
 */
import { spawn } from "child_process";
import * as https from "https";
import * as path from "path";
import ovh = require("ovh");
import { parseCliArgs } from "../../emulator/cli";
import { httpBackend } from "../helpers/backends";
import { get } from "../helpers/dataPlane";
import { eventually, trustEmulatorCa } from "../helpers/emulator";

const BIN = path.join(__dirname, "..", "..", "bin", "ovh-iplb-emulator.js");
const BASE = 17000;

const fetchJson = (url: string) => new Promise<Record<string, any>>((resolve, reject) => https.get(url, (res) => {
  let text = "";
  res.on("data", (c) => (text += c));
  res.on("end", () => resolve(JSON.parse(text)));
}).on("error", reject));

describe("ovh-iplb-emulator --data-plane", () => {
  it("prints the data plane in its JSON line and carries a request through a refreshed frontend", async () => {
    const backend = await httpBackend("127.0.17.1");
    const child = spawn(process.execPath, [BIN, "--data-plane", "--data-plane-base-port", String(BASE), "--refresh-seconds", "0.1"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      const info = JSON.parse(await eventually(() => (out.includes("\n") ? out.split("\n")[0] : ""), 30_000, "the JSON line")) as Record<string, any>;
      const origin = `https://127.0.0.1:${info.port}`;
      expect(info.dataPlane).toEqual({ ports: {}, url: `${origin}/_emulator/data-plane`, caUrl: `${origin}/_emulator/data-plane/ca.pem` });
      trustEmulatorCa(info.caFile);
      const client = ovh({ appKey: info.applicationKey, appSecret: info.applicationSecret, consumerKey: info.consumerKey, host: info.host, port: info.port, basePath: info.basePath });
      const svc = `/ipLoadbalancing/${info.serviceName}`;
      const { farmId } = (await client.requestPromised("POST", `${svc}/http/farm`, { zone: "gra" })) as { farmId: number };
      await client.requestPromised("POST", `${svc}/http/farm/${farmId}/server`, { address: backend.address, port: backend.port, status: "active" });
      await client.requestPromised("POST", `${svc}/http/frontend`, { zone: "gra", port: "80", defaultFarmId: farmId });
      const task = (await client.requestPromised("POST", `${svc}/refresh`)) as { id: number };
      await eventually(async () => ((await client.requestPromised("GET", `${svc}/task/${task.id}`)) as { status: string }).status === "done", 30_000, "the refresh");
      const port80 = async () => (await fetchJson(info.dataPlane.url)).ports["gra:80"] as Record<string, unknown> | undefined;
      expect(await eventually(port80, 30_000, "gra:80 in the control surface")).toMatchObject({ port: BASE + 80, requested: BASE + 80 });
      expect(await get(BASE + 80)).toMatchObject({ status: 200, body: "200 from 127.0.17.1\n" });
      const after = await fetchJson(info.dataPlane.url);
      expect(after.servers.find((s: { zone: string }) => s.zone === "gra")).toMatchObject({ address: "127.0.17.1", requests: 1, status: "UP" });
    } finally {
      child.kill("SIGTERM");
      await exited;
      await backend.stop();
    }
  });

  it("turns the data plane on with any of its flags, and refuses a bad mapping", () => {
    expect(parseCliArgs(["--data-plane"])).toMatchObject({ options: { dataPlane: true } });
    expect(parseCliArgs(["--data-plane-base-port", "20000"])).toMatchObject({ options: { dataPlane: { basePort: 20000 } } });
    expect(parseCliArgs(["--data-plane-port", "gra:80=18080", "--data-plane-port", "rbx:443=18443"])).toMatchObject({
      options: { dataPlane: { ports: { "gra:80": 18080, "rbx:443": 18443 } } },
    });
    expect(parseCliArgs([])).not.toHaveProperty("options.dataPlane");
    expect(() => parseCliArgs(["--data-plane-port", "gra=18080"])).toThrow("--data-plane-port must be ZONE:PORT=LOCAL_PORT (e.g. gra:80=18080)");
    expect(() => parseCliArgs(["--data-plane-base-port", "70000"])).toThrow("--data-plane-base-port must be an integer in 0..65535");
  });
});

/**
 * Starts bench/emulatorProcess.ts as a child process and talks to it over IPC; also makes the out-of-band changes of
 * the drift scenario with the official `ovh` client, as someone using the console or another tool would.
 */
/// <reference path="../provider/api/ovh.d.ts" />
import { fork, ChildProcess } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import ovh = require("ovh");
import type { EmulatorInfo, EmulatorOptions } from "../emulator";
import type { LiveView, LoggedRequest, Reply, Request } from "./emulatorProcess";

type Op = Request extends infer R ? (R extends { op: infer O } ? O : never) : never;

export class EmulatorClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private count = 0;

  private constructor(private readonly child: ChildProcess, readonly info: EmulatorInfo) {}

  /** `nodeOptions`: more flags for the emulator's node (e.g. `--expose-gc` to measure live memory). */
  static async start(options: EmulatorOptions, nodeOptions: string[] = []): Promise<EmulatorClient> {
    const child = fork(path.join(__dirname, "emulatorProcess.ts"), [], {
      execArgv: [...nodeOptions, "-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const client = new EmulatorClient(child, undefined as never);
    child.on("message", (reply: Reply) => client.settle(reply));
    child.on("exit", (code) => client.failAll(new Error(`emulator process exited (${code})`)));
    const info = (await client.request({ op: "start", options })) as EmulatorInfo;
    Object.assign(client, { info });
    // For the out-of-band client: node-ovh passes no agent, so the CA goes on the global agent.
    https.globalAgent.options.ca = fs.readFileSync(info.caFile);
    return client;
  }

  private request(req: { op: Op } & Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...req, id });
    });
  }

  private settle(reply: Reply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.error) w.reject(new Error(reply.error));
    else w.resolve(reply.result);
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /** The emulator's process id (for its CPU time). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The requests received since the last call (or since the start). */
  async drain(): Promise<LoggedRequest[]> {
    const entries = (await this.request({ op: "since", from: this.count })) as LoggedRequest[];
    this.count += entries.length;
    return entries;
  }

  live(zones: string[]): Promise<LiveView> {
    return this.request({ op: "live", zones }) as Promise<LiveView>;
  }

  /** The data plane's port table (`zone:port` -> where it listens), once its listeners settled; empty without one. */
  dataPlane(): Promise<Record<string, { port: number; type: string; frontendId: number }>> {
    return this.request({ op: "dataPlane" }) as Promise<Record<string, { port: number; type: string; frontendId: number }>>;
  }

  /** The emulator process's `process.memoryUsage()` (after a collection when it runs with `--expose-gc`). */
  memory(): Promise<NodeJS.MemoryUsage> {
    return this.request({ op: "memory" }) as Promise<NodeJS.MemoryUsage>;
  }

  /** The official client, signed with the emulator's credentials. */
  ovh(): ovh.OvhClient {
    const { info } = this;
    return ovh({ appKey: info.applicationKey, appSecret: info.applicationSecret, consumerKey: info.consumerKey, host: info.host, port: info.port, basePath: info.basePath });
  }

  /** Changes a server's weight outside Pulumi and makes it live, as a console user would. */
  async driftWeight(farmId: number, serverId: number, zone: string, weight: number): Promise<void> {
    const client = this.ovh();
    const base = `/ipLoadbalancing/${this.info.serviceName}`;
    await client.requestPromised("PUT", `${base}/http/farm/${farmId}/server/${serverId}`, { weight });
    const task = (await client.requestPromised("POST", `${base}/refresh`, { zone })) as { id: number };
    for (;;) {
      const t = (await client.requestPromised("GET", `${base}/task/${task.id}`)) as { status: string };
      if (t.status === "done") return;
      if (t.status !== "todo" && t.status !== "doing") throw new Error(`drift refresh ended ${t.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    await this.request({ op: "close" }).catch(() => undefined);
    await exited;
  }
}

/**
 * The emulator in a process of its own, as the real API is on another machine: its TLS and request handling then
 * never delay the engine's event loop (and the other way round). Forked by bench/emulatorClient.ts, it answers over
 * the IPC channel:
 *   start -> the emulator's JSON line (EmulatorInfo)
 *   since -> the request log after a position     live -> the running configuration and the pending changes
 *   dataPlane -> the data plane's port table once its listeners settled    memory -> this process's memory use
 */
import { startEmulator, Emulator, EmulatorOptions, RequestLogEntry } from "../emulator";

export interface LiveServer {
  farm: string;
  address: string;
  weight: number;
}

/** What a refresh made live, by display name: what the runner compares with the program. */
export interface LiveView {
  farms: Record<string, { zone: string; port: number }>;
  servers: Record<string, LiveServer>;
  pending: number;
}

export type Request =
  | { id: number; op: "start"; options: EmulatorOptions }
  | { id: number; op: "since"; from: number }
  | { id: number; op: "live"; zones: string[] }
  | { id: number; op: "dataPlane" }
  | { id: number; op: "memory" }
  | { id: number; op: "close" };

export type Reply = { id: number; result?: unknown; error?: string };

/** One request of the log, without what the report never needs. */
export type LoggedRequest = Pick<RequestLogEntry, "method" | "path" | "status" | "time" | "durationMs"> & { zone?: string };

function liveView(emu: Emulator, zones: string[]): LiveView {
  const view: LiveView = { farms: {}, servers: {}, pending: 0 };
  for (const zone of zones) {
    const running = emu.running(zone);
    const farmNames = new Map<number, string>();
    for (const [id, farm] of Object.entries(running.farms)) {
      farmNames.set(Number(id), String(farm.data.displayName));
      view.farms[String(farm.data.displayName)] = { zone, port: farm.data.port as number };
    }
    for (const server of Object.values(running.servers)) {
      view.servers[String(server.data.displayName)] = {
        farm: farmNames.get(server.farmId) ?? `?${server.farmId}`,
        address: String(server.data.address),
        weight: (server.data.weight as number | null) ?? 1,
      };
    }
  }
  view.pending = emu.store.pendingChanges(emu.store.service(emu.serviceName)!).reduce((n, p) => n + p.number, 0);
  return view;
}

function logged(r: RequestLogEntry): LoggedRequest {
  const zone = r.method === "POST" && r.path.endsWith("/refresh") ? ((r.body as { zone?: string } | undefined)?.zone ?? "all") : undefined;
  return { method: r.method, path: r.path, status: r.status, time: r.time, durationMs: r.durationMs, ...(zone ? { zone } : {}) };
}

let emu: Emulator | undefined;

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case "start": {
      emu = await startEmulator(req.options);
      const { requests, faults, store, running, routeFqdn, close, ...info } = emu;
      void [requests, faults, store, running, routeFqdn, close];
      return info;
    }
    case "since":
      return emu!.requests.slice(req.from).map(logged);
    case "live":
      return liveView(emu!, req.zones);
    case "dataPlane":
      await emu!.dataPlane?.settled();
      return emu!.dataPlane?.table() ?? {};
    case "memory":
      // After a full collection when the process runs with --expose-gc (bench/dataPlane.ts): live memory, not garbage.
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    case "close":
      await emu?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on("message", (req: Request) => {
  handle(req).then(
    (result) => process.send!({ id: req.id, result } satisfies Reply),
    (e: unknown) => process.send!({ id: req.id, error: (e as Error)?.stack ?? String(e) } satisfies Reply),
  );
});
process.on("disconnect", () => process.exit(0));

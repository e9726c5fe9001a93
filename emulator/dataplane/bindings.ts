/**
 * Which (zone, port) pairs listen: every port of every enabled HTTP or TCP frontend of the **running** configuration of
 * each zone (what the last refresh made live; a staged frontend listens only after the refresh that applies it).
 *
 * - `port` is one port, a range or a comma list (ovh-iplb-api.md 9): each port is one listener. A frontend whose list
 *   expands past MAX_PORTS_PER_FRONTEND listens on its first MAX_PORTS_PER_FRONTEND ports only (a local emulator
 *   opening thousands of sockets for `1-49151` helps nobody); `unserved` in the control surface says so.
 * - `zone: "all"` frontends are in the running configuration of every zone (store.ts `configForZone`): one listener per zone.
 * - `disabled: true` ("Disable frontend", schema) listens nowhere. UDP frontends are not served (dataplane/index.ts).
 * - Two frontends on the same zone and port: the lower id listens, the other is listed in `unserved`. On OVH they
 *   can differ by `dedicatedIpfo` (one address each); the emulator has one address, 127.0.0.1, and ignores dedicatedIpfo.
 */
import type { Config, Protocol } from "../store";

export const MAX_PORTS_PER_FRONTEND = 64;

export interface Binding {
  /** `zone:port`, the key of the port table. */
  key: string;
  zone: string;
  /** The frontend's port (OVH side). */
  port: number;
  frontendId: number;
  type: Exclude<Protocol, "udp">;
}

export interface Unserved {
  zone: string;
  frontendId: number;
  reason: string;
}

/** `"80,443,8000-8010"` -> [80, 443, 8000, ..., 8010], at most `limit` ports; `more` = whether some were cut. */
export function expandPorts(spec: string, limit = MAX_PORTS_PER_FRONTEND): { ports: number[]; more: boolean } {
  const ports: number[] = [];
  for (const part of spec.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const [low, high] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let p = low; p <= high; p++) {
      if (ports.length === limit) return { ports, more: true };
      ports.push(p);
    }
  }
  return { ports, more: false };
}

/** The listeners the running configurations ask for, by key, and the frontends (or ports) that get none, with why. */
export function wantedBindings(running: Record<string, Config | undefined>, zones: readonly string[]): { bindings: Map<string, Binding>; unserved: Unserved[] } {
  const bindings = new Map<string, Binding>();
  const unserved: Unserved[] = [];
  for (const zone of zones) {
    const frontends = Object.entries(running[zone]?.frontends ?? {}).sort(([a], [b]) => Number(a) - Number(b));
    for (const [id, fe] of frontends) {
      const frontendId = Number(id);
      if (fe.type === "udp") {
        unserved.push({ zone, frontendId, reason: "UDP frontends carry no traffic in the emulator" });
        continue;
      }
      if (fe.data.disabled === true) continue;
      const { ports, more } = expandPorts(String(fe.data.port ?? ""));
      if (more) unserved.push({ zone, frontendId, reason: `only the first ${MAX_PORTS_PER_FRONTEND} ports of "${String(fe.data.port)}" listen` });
      for (const port of ports) {
        const key = `${zone}:${port}`;
        const taken = bindings.get(key);
        if (taken) unserved.push({ zone, frontendId, reason: `port ${port} is served by frontend ${taken.frontendId}` });
        else bindings.set(key, { key, zone, port, frontendId, type: fe.type });
      }
    }
  }
  return { bindings, unserved };
}

/**
 * The stacks the benchmark deploys: N HTTP farms of M servers each, spread over one or two zones, applied operation
 * by operation or in one `Refresh` batch. The program (bench/program) and the runner both build the stack from the
 * same small `StackSpec`, so the spec (not thousands of servers) is what travels in the stack config.
 */

export interface StackSpec {
  farms: number;
  serversPerFarm: number;
  /** Zones the farms go to, in turn: farm i is in zones[i % zones.length]. */
  zones: string[];
  /** Apply the whole run with one `Refresh` batch instead of operation by operation. */
  batch: boolean;
  /** Server weight by server name; 1 (absent) otherwise. */
  weights?: Record<string, number>;
  /** Names of servers left out of the program. */
  removed?: string[];
  /**
   * A stack that carries traffic on the emulator's data plane (bench/sessions.ts): servers on loopback, answered by
   * the bench's backends, farms sticky by source address, and an HTTP frontend per farm on the farm's port.
   */
  traffic?: boolean;
}

export interface BenchServer {
  name: string;
  address: string;
  port: number;
  weight?: number;
}

export interface BenchFarm {
  name: string;
  zone: string;
  port: number;
  servers: BenchServer[];
  /** Traffic stacks only. */
  stickiness?: "sourceIp";
  frontend?: { name: string; port: number };
}

export const farmName = (i: number): string => `farm-${i}`;
export const serverName = (farm: number, server: number): string => `farm-${farm}-server-${server}`;

/**
 * 10.farm.high.low: unique per stack, and never probed (the emulator only health-checks 127.0.0.0/8). A traffic
 * stack's are 127.(100 + farm).high.low instead: probed, and answered by the bench's backends.
 */
function address(farm: number, server: number, traffic = false): string {
  return `${traffic ? `127.${100 + (farm % 150)}` : `10.${farm % 256}`}.${Math.floor(server / 256) % 256}.${(server % 256) + 1}`;
}

/** Every farm and server of `spec`, in registration order, removed servers left out. */
export function buildStack(spec: StackSpec): BenchFarm[] {
  const removed = new Set(spec.removed ?? []);
  const farms: BenchFarm[] = [];
  for (let i = 0; i < spec.farms; i++) {
    const servers: BenchServer[] = [];
    for (let j = 0; j < spec.serversPerFarm; j++) {
      const name = serverName(i, j);
      if (removed.has(name)) continue;
      const weight = spec.weights?.[name];
      servers.push({ name, address: address(i, j, spec.traffic), port: 8080, ...(weight !== undefined ? { weight } : {}) });
    }
    const traffic = spec.traffic ? { stickiness: "sourceIp" as const, frontend: { name: `${farmName(i)}-fe`, port: 8000 + i } } : {};
    farms.push({ name: farmName(i), zone: spec.zones[i % spec.zones.length], port: 8000 + i, servers, ...traffic });
  }
  return farms;
}

/** Every server name of the full stack (nothing removed), farm by farm. */
export function allServerNames(spec: Pick<StackSpec, "farms" | "serversPerFarm">): string[] {
  const names: string[] = [];
  for (let i = 0; i < spec.farms; i++) for (let j = 0; j < spec.serversPerFarm; j++) names.push(serverName(i, j));
  return names;
}

/**
 * `fraction` of the servers (at least one), spread evenly over the stack: with 10% of 1000 servers, every tenth.
 * Never every server of a farm unless the farm has a single one.
 */
export function spreadSample(names: string[], fraction: number): string[] {
  const count = Math.max(1, Math.round(names.length * fraction));
  const picked: string[] = [];
  for (let k = 0; k < count; k++) picked.push(names[Math.floor(((k + 0.5) * names.length) / count)]);
  return picked;
}

/** Resources of a deployed stack: farms, servers and frontends, plus the batch's start and commit. */
export function resourceCount(spec: StackSpec): { farms: number; servers: number; frontends: number; batch: number; total: number } {
  const stack = buildStack(spec);
  const servers = stack.reduce((n, f) => n + f.servers.length, 0);
  const frontends = stack.filter((f) => f.frontend).length;
  const batch = spec.batch ? 2 : 0;
  return { farms: stack.length, servers, frontends, batch, total: stack.length + servers + frontends + batch };
}

/** Every server of the full stack (nothing removed) with its address, for the backends of a traffic stack. */
export function serverAddresses(spec: StackSpec): { address: string; port: number }[] {
  return buildStack({ ...spec, removed: [] }).flatMap((f) => f.servers.map(({ address, port }) => ({ address, port })));
}

export interface StackShape {
  farms: number;
  serversPerFarm: number;
  zones: number;
}

/** `1x3`, `5x20`, ... as written on the command line. */
export function parseSize(text: string): Pick<StackShape, "farms" | "serversPerFarm"> {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`--sizes: "${text}" is not FARMSxSERVERS (e.g. 5x20)`);
  return { farms: Number(m[1]), serversPerFarm: Number(m[2]) };
}

export const sizeLabel = (s: Pick<StackShape, "farms" | "serversPerFarm">): string => `${s.farms}x${s.serversPerFarm}`;

/** Zone names for a stack over `n` zones, among the emulated service's zones. */
export function stackZones(n: number, serviceZones: string[]): string[] {
  if (n < 1 || n > serviceZones.length) throw new Error(`--zones: ${n} is not between 1 and ${serviceZones.length} (the service's zones: ${serviceZones.join(", ")})`);
  return serviceZones.slice(0, n);
}

/**
 * The shapes of the emulator's state (store.ts changes it): services with their staged and running configuration,
 * tasks, certificates, and the account's IP blocks. Plain JSON objects, so `--state-file` can save and restore it whole.
 */
export type Protocol = "http" | "tcp" | "udp";
export const PROTOCOLS: readonly Protocol[] = ["http", "tcp", "udp"];

/** API model fields of an object, exactly as GET returns them (minus computed fields such as serverState). */
export type Model = Record<string, unknown>;

export interface StoredFarm { type: Protocol; data: Model }
export interface StoredServer { type: Protocol; farmId: number; data: Model }
export interface StoredFrontend { type: Protocol; data: Model }
/** An http or tcp route with its rules (`data` without the computed `rules` and `status`). */
export interface StoredRoute { type: Protocol; data: Model; rules: Record<string, Model> }
export type Zoned = StoredFarm | StoredFrontend | StoredRoute;

export interface Config {
  farms: Record<string, StoredFarm>;
  servers: Record<string, StoredServer>;
  frontends: Record<string, StoredFrontend>;
  routes?: Record<string, StoredRoute>; // absent from configurations saved before routes existed: use `routesOf`
}

export type TaskStatus = "todo" | "doing" | "done" | "error" | "blocked" | "cancelled";

export interface IplbTask {
  id: number;
  action: string;
  status: TaskStatus;
  progress: number;
  zones: string[];
  creationDate: string;
  doneDate: string | null;
  /** Emulator-only: what the task does when it completes (never served). */
  payload?: Record<string, unknown>;
}

export interface IpTask {
  taskId: number;
  function: string;
  status: "init" | "todo" | "doing" | "done" | "cancelled" | "customerError" | "ovhError";
  startDate: string;
  doneDate: string | null;
  lastUpdate: string | null;
  comment: string | null;
  destination: { serviceName: string } | null;
  /** Emulator-only. */
  payload?: Record<string, unknown>;
}

/**
 * The vRack a service is attached to (seed option `vrack`) and the private networks described on it. Networks are
 * service-level objects, not staged per zone (handlers/vrack.ts says why).
 */
export interface VrackState {
  /** The vRack's name as the vRack product names it (`pn-12345`). */
  name: string;
  /** `networkCreationRules`: the smallest natIp block, and how many networks may be described in all. */
  minNatIps: number;
  maxNetworks: number;
  /** `ipLoadbalancing.VrackNetwork.VrackNetwork` fields but the computed `farmId`, by id. */
  networks: Record<string, Model>;
}

export interface ServiceState {
  /** `ipLoadbalancing.IpWithIAM` fields. */
  info: Model;
  zones: Record<string, { name: string; state: string }>;
  natIp: { zone: string; ip: string[] }[];
  staged: Config;
  running: Record<string, Config>;
  pending: Record<string, number>;
  ssl: Record<string, Model>;
  tasks: Record<string, IplbTask>;
  /** Absent: not attached to a vRack (and in state files saved before vRack existed). */
  vrack?: VrackState;
}

export interface IpRecord {
  /** `ip.Ip` fields (ip, type, routedTo, description, ...). */
  data: Model;
  tasks: Record<string, IpTask>;
}

export interface StoreData {
  version: 1;
  nextId: number;
  services: Record<string, ServiceState>;
  ips: Record<string, IpRecord>;
}

export const emptyConfig = (): Config => ({ farms: {}, servers: {}, frontends: {}, routes: {} });
export const routesOf = (config: Config): Record<string, StoredRoute> => (config.routes ??= {});

/** A task as the API serves it: `payload` is the emulator's own and never leaves it. */
export function withoutPayload<T extends { payload?: unknown }>(task: T): Omit<T, "payload"> {
  const { payload, ...rest } = task;
  void payload;
  return rest;
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** OVH datetimes carry an offset (`2025-01-31T10:00:00+00:00`), never a `Z`. */
export function isoNow(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/**
 * The emulator's state: services with their staged and running configuration, tasks, certificates, and the account's
 * IP blocks. Plain JSON objects, so `--state-file` can save and restore it whole. This module owns the staged/running
 * rules (ovh-iplb-api.md section 10) and the layout: handlers describe the API models and change the state through the
 * verbs below, each of which counts the pending changes it makes and tells `onChange` (the state file's saver).
 */
export type Protocol = "http" | "tcp" | "udp";
export const PROTOCOLS: readonly Protocol[] = ["http", "tcp", "udp"];

/** API model fields of an object, exactly as GET returns them (minus computed fields such as serverState). */
export type Model = Record<string, unknown>;

export interface StoredFarm { type: Protocol; data: Model }
export interface StoredServer { type: Protocol; farmId: number; data: Model }
export interface StoredFrontend { type: Protocol; data: Model }

export interface Config {
  farms: Record<string, StoredFarm>;
  servers: Record<string, StoredServer>;
  frontends: Record<string, StoredFrontend>;
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

export const emptyConfig = (): Config => ({ farms: {}, servers: {}, frontends: {} });

export class Store {
  constructor(public data: StoreData, private readonly onChange: () => void = () => undefined) {}

  /** Something outside the verbs below changed the state in place (a task's progress, a service's info). */
  changed(): void {
    this.onChange();
  }

  addFarm(svc: ServiceState, type: Protocol, data: Model): void {
    svc.staged.farms[data.farmId as number] = { type, data };
    this.stage(svc, [data.zone as string]);
  }

  updateFarm(svc: ServiceState, farm: StoredFarm, changes: Model): void {
    Object.assign(farm.data, changes);
    this.stage(svc, [farm.data.zone as string]);
  }

  /** Deletes the farm with its servers: one change in the farm's zone. */
  removeFarm(svc: ServiceState, farmId: number): void {
    const zone = this.farmZone(svc, farmId);
    delete svc.staged.farms[farmId];
    for (const [serverId, server] of Object.entries(svc.staged.servers)) {
      if (server.farmId === farmId) delete svc.staged.servers[serverId];
    }
    this.stage(svc, [zone]);
  }

  addServer(svc: ServiceState, type: Protocol, farmId: number, data: Model): void {
    svc.staged.servers[data.serverId as number] = { type, farmId, data };
    this.stage(svc, [this.farmZone(svc, farmId)]);
  }

  updateServer(svc: ServiceState, server: StoredServer, changes: Model): void {
    Object.assign(server.data, changes);
    this.stage(svc, [this.farmZone(svc, server.farmId)]);
  }

  removeServer(svc: ServiceState, serverId: number): void {
    const server = svc.staged.servers[serverId];
    delete svc.staged.servers[serverId];
    this.stage(svc, [this.farmZone(svc, server.farmId)]);
  }

  addFrontend(svc: ServiceState, type: Protocol, data: Model): void {
    svc.staged.frontends[data.frontendId as number] = { type, data };
    this.stage(svc, [data.zone as string]);
  }

  /** A frontend moved to another zone is a change in both: it leaves one and joins the other. */
  updateFrontend(svc: ServiceState, frontend: StoredFrontend, changes: Model): void {
    const before = frontend.data.zone as string;
    Object.assign(frontend.data, changes);
    this.stage(svc, [before, frontend.data.zone as string]);
  }

  removeFrontend(svc: ServiceState, frontendId: number): void {
    const zone = svc.staged.frontends[frontendId].data.zone as string;
    delete svc.staged.frontends[frontendId];
    this.stage(svc, [zone]);
  }

  /** Certificates are not staged: they exist as soon as they are added. */
  addSsl(svc: ServiceState, id: number, ssl: Model): void {
    svc.ssl[id] = ssl;
    this.onChange();
  }

  removeSsl(svc: ServiceState, id: number): void {
    delete svc.ssl[id];
    this.onChange();
  }

  addTask(svc: ServiceState, task: IplbTask): void {
    svc.tasks[task.id] = task;
    this.onChange();
  }

  /** Where a failover IP is routed: a service, or parked (null). */
  routeIp(record: IpRecord, serviceName: string | null): void {
    record.data.routedTo = { serviceName };
    this.onChange();
  }

  addIpTask(record: IpRecord, task: IpTask): void {
    record.tasks[task.taskId] = task;
    this.onChange();
  }

  /** One pending change in every zone these objects' zones cover (`all`: every zone), each zone counted once. */
  private stage(svc: ServiceState, zones: string[]): void {
    for (const zone of new Set(zones.flatMap((z) => this.zonesOf(svc, z)))) svc.pending[zone] = (svc.pending[zone] ?? 0) + 1;
    this.onChange();
  }

  nextId(): number {
    return this.data.nextId++;
  }

  service(serviceName: string): ServiceState | undefined {
    return Object.prototype.hasOwnProperty.call(this.data.services, serviceName)
      ? this.data.services[serviceName]
      : undefined;
  }

  serviceZones(svc: ServiceState): string[] {
    return svc.info.zone as string[];
  }

  /** Zones a staged object lives in: its own zone, or every zone of the service for `all`. */
  zonesOf(svc: ServiceState, zone: string): string[] {
    return zone === "all" ? this.serviceZones(svc) : [zone];
  }

  farmZone(svc: ServiceState, farmId: number): string {
    const farm = svc.staged.farms[farmId];
    return farm ? (farm.data.zone as string) : "all";
  }

  pendingChanges(svc: ServiceState): { zone: string; number: number }[] {
    return Object.entries(svc.pending)
      .filter(([, n]) => n > 0)
      .map(([zone, number]) => ({ zone, number }));
  }

  /** The part of the staged configuration that runs in `zone`: objects of that zone or of `all`. */
  configForZone(svc: ServiceState, zone: string): Config {
    const inZone = (z: unknown) => z === zone || z === "all";
    const out = emptyConfig();
    for (const [id, f] of Object.entries(svc.staged.farms)) if (inZone(f.data.zone)) out.farms[id] = clone(f);
    for (const [id, s] of Object.entries(svc.staged.servers)) if (out.farms[s.farmId]) out.servers[id] = clone(s);
    for (const [id, f] of Object.entries(svc.staged.frontends)) if (inZone(f.data.zone)) out.frontends[id] = clone(f);
    return out;
  }

  /** What a refresh does when it completes: the zone runs the configuration captured when the task started. */
  applyZone(svc: ServiceState, zone: string, snapshot: Config, appliedChanges: number): void {
    svc.running[zone] = snapshot;
    svc.pending[zone] = Math.max(0, (svc.pending[zone] ?? 0) - appliedChanges);
  }

  ip(block: string): IpRecord | undefined {
    return Object.prototype.hasOwnProperty.call(this.data.ips, block) ? this.data.ips[block] : undefined;
  }

  toJSON(): StoreData {
    return this.data;
  }
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** OVH datetimes carry an offset (`2025-01-31T10:00:00+00:00`), never a `Z`. */
export function isoNow(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

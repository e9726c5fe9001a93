/**
 * Changes to the emulator's state (its shapes: state.ts): services with their staged and running configuration,
 * tasks, certificates, and the account's IP blocks. This module owns the staged/running rules (ovh-iplb-api.md
 * section 10): handlers describe the API models and change the state through the verbs below, each of which counts
 * the pending changes it makes and tells `onChange` (the state file's saver).
 */
import {
  clone, Config, emptyConfig, IplbTask, IpRecord, IpTask, Model, Protocol, routesOf, ServiceState, StoreData, StoredFarm, StoredFrontend,
  StoredRoute, StoredServer, VrackState, Zoned,
} from "./state";

export * from "./state";

export class Store {
  constructor(public data: StoreData, private readonly onChange: () => void = () => undefined) {}

  addFarm(svc: ServiceState, type: Protocol, data: Model): void {
    this.addZoned(svc, svc.staged.farms, data.farmId as number, { type, data });
  }

  /** A farm's zone cannot change (the API refuses it), so this is one change in that zone. */
  updateFarm(svc: ServiceState, farm: StoredFarm, changes: Model): void {
    this.updateZoned(svc, farm, changes);
  }

  /** Deletes the farm with its servers: one change in the farm's zone. */
  removeFarm(svc: ServiceState, farmId: number): void {
    for (const [serverId, server] of Object.entries(svc.staged.servers)) {
      if (server.farmId === farmId) delete svc.staged.servers[serverId];
    }
    this.removeZoned(svc, svc.staged.farms, farmId);
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
    this.addZoned(svc, svc.staged.frontends, data.frontendId as number, { type, data });
  }

  /** A frontend moved to another zone is a change in both: it leaves one and joins the other. */
  updateFrontend(svc: ServiceState, frontend: StoredFrontend, changes: Model): void {
    this.updateZoned(svc, frontend, changes);
  }

  removeFrontend(svc: ServiceState, frontendId: number): void {
    this.removeZoned(svc, svc.staged.frontends, frontendId);
  }

  addRoute(svc: ServiceState, type: Protocol, data: Model): void {
    this.addZoned(svc, routesOf(svc.staged), data.routeId as number, { type, data, rules: {} });
  }

  /** A route moved to a frontend of another zone is a change in both. */
  updateRoute(svc: ServiceState, route: StoredRoute, changes: Model): void {
    this.updateZoned(svc, route, changes);
  }

  /** Deletes the route with its rules: one change in the route's zone. */
  removeRoute(svc: ServiceState, routeId: number): void {
    this.removeZoned(svc, routesOf(svc.staged), routeId);
  }

  /** A rule added, changed or deleted (`write` does it on the route's rules) is one change in its route's zone. */
  writeRules(svc: ServiceState, route: StoredRoute, write: (rules: Record<string, Model>) => void): void {
    write(route.rules);
    this.stage(svc, [this.zoneOfItem(svc, route)]);
  }

  /** Certificates are not staged: they exist as soon as they are added. */
  addSsl(svc: ServiceState, id: number, ssl: Model): void {
    svc.ssl[id] = ssl;
    this.onChange();
  }

  updateSsl(ssl: Model, changes: Model): void {
    this.assign(ssl, changes);
  }

  removeSsl(svc: ServiceState, id: number): void {
    delete svc.ssl[id];
    this.onChange();
  }

  /** The service's own fields (`displayName`, ...); not staged, like certificates. */
  updateService(svc: ServiceState, changes: Model): void {
    this.assign(svc.info, changes);
  }

  /** vRack networks are not staged (handlers/vrack.ts): they exist as soon as they are added. */
  addVrackNetwork(vrack: VrackState, id: number, network: Model): void {
    vrack.networks[id] = network;
    this.onChange();
  }

  updateVrackNetwork(network: Model, changes: Model): void {
    this.assign(network, changes);
  }

  removeVrackNetwork(vrack: VrackState, id: number): void {
    delete vrack.networks[id];
    this.onChange();
  }

  addTask(svc: ServiceState, task: IplbTask): void {
    svc.tasks[task.id] = task;
    this.onChange();
  }

  /** A task's progress (status, dates, comment), IPLB and `/ip` tasks alike. */
  updateTask<T extends IplbTask | IpTask>(task: T, changes: Partial<T>): void {
    this.assign(task, changes);
  }

  /** Where a failover IP is routed: a service, or parked (null). */
  routeIp(record: IpRecord, serviceName: string | null): void {
    record.data.routedTo = { serviceName };
    this.onChange();
  }

  routedTo(record: IpRecord): string | null {
    return (record.data.routedTo as { serviceName: string | null } | null)?.serviceName ?? null;
  }

  /** The block's own fields (`description`); routing goes through `routeIp`. */
  updateIp(record: IpRecord, changes: Model): void {
    this.assign(record.data, changes);
  }

  addIpTask(record: IpRecord, task: IpTask): void {
    record.tasks[task.taskId] = task;
    this.onChange();
  }

  private assign<T extends object>(target: T, changes: Partial<T>): void {
    Object.assign(target, changes);
    this.onChange();
  }

  private addZoned<T extends Zoned>(svc: ServiceState, table: Record<string, T>, id: number, item: T): void {
    table[id] = item;
    this.stage(svc, [this.zoneOfItem(svc, item)]);
  }

  /** A change in the zone before and after the write. */
  private updateZoned(svc: ServiceState, item: Zoned, changes: Model): void {
    const before = this.zoneOfItem(svc, item);
    Object.assign(item.data, changes);
    this.stage(svc, [before, this.zoneOfItem(svc, item)]);
  }

  private removeZoned(svc: ServiceState, table: Record<string, Zoned>, id: number): void {
    const zone = this.zoneOfItem(svc, table[id]);
    delete table[id];
    this.stage(svc, [zone]);
  }

  /** Farms and frontends carry their own zone, a route its frontend's (`all` without one); servers their farm's. */
  zoneOfItem(svc: ServiceState, item: Zoned): string {
    if (!("rules" in item)) return item.data.zone as string;
    const frontend = item.data.frontendId === null ? undefined : svc.staged.frontends[item.data.frontendId as number];
    return frontend ? (frontend.data.zone as string) : "all";
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
    return Object.prototype.hasOwnProperty.call(this.data.services, serviceName) ? this.data.services[serviceName] : undefined;
  }

  serviceZones(svc: ServiceState): string[] {
    return svc.info.zone as string[];
  }

  /** Zones a staged object lives in: its own zone, or every zone of the service for `all`. */
  zonesOf(svc: ServiceState, zone: string): string[] {
    return zone === "all" ? this.serviceZones(svc) : [zone];
  }

  farmZone(svc: ServiceState, farmId: number): string {
    return (svc.staged.farms[farmId]?.data.zone as string | undefined) ?? "all";
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
    for (const [id, r] of Object.entries(routesOf(svc.staged))) if (inZone(this.zoneOfItem(svc, r))) routesOf(out)[id] = clone(r);
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


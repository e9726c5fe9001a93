// How routes relate to the frontend they listen on, the farm their action sends to, and their rules, among a stack's
// resources (what stack policies see).
//
// References are ids (`frontendId: https.frontendId`, `action: { type: "farm", target: api.farmId }`,
// `routeId: route.routeId`), Outputs unknown in the preview that creates their target. As for servers and farms
// (resources.ts `relate`), the engine's property dependencies say which resource each input came from, in every
// preview and update; only when an input came from no single resource of the right kind (a literal id) is it matched
// by value against the outputs (`frontendId`, `farmId`, `routeId`) and `serviceName`. Whatever is not known that way
// is not related: policies judge only what they can see. Relations peek at values (values.ts), so that an unknown
// id never makes a policy report that it could not run.
import type { PolicyResource } from "@pulumi/policy";
import { farmProtocol, frontendProtocol, routeProtocol, ruleProtocol } from "./resources";
import { num, Reader, UNKNOWN } from "./values";

/** A number, or the API's string of one (a farm target is `"12"`); undefined otherwise. */
function idOf(value: unknown): number | undefined {
  return num(value) ?? (typeof value === "string" && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : undefined);
}

/** Where a reference may point: `kinds` by dependency; by value, those of `sameId` whose output `idKey` is the id. */
interface Targets {
  kinds: readonly PolicyResource[];
  sameId: readonly PolicyResource[];
  idKey: string;
}

/** The one resource that `r`'s input `key` (whose value is `value`) refers to, or undefined. */
function referenced(r: PolicyResource, key: string, value: unknown, targets: Targets, read: Reader): PolicyResource | undefined {
  const deps = (r.propertyDependencies?.[key] ?? []).filter((d) => targets.kinds.includes(d));
  if (deps.length > 0) return deps.length === 1 ? deps[0] : undefined;
  const id = idOf(value);
  const serviceName = read.peek(r.props, "serviceName");
  if (id === undefined || typeof serviceName !== "string") return undefined;
  const found = targets.sameId.filter((x) => idOf(read.peek(x.props, targets.idKey)) === id && read.peek(x.props, "serviceName") === serviceName);
  return found.length === 1 ? found[0] : undefined;
}

const byName = (a: PolicyResource, b: PolicyResource) => a.name.localeCompare(b.name);

export class Routing {
  readonly frontends: PolicyResource[];
  readonly farms: PolicyResource[];
  readonly routes: PolicyResource[];
  readonly rules: PolicyResource[];
  private ruleRoutes?: Map<PolicyResource, PolicyResource | undefined>;

  constructor(resources: readonly PolicyResource[], private readonly read: Reader) {
    // Sorted by name: the engine lists resources in the order they registered, which varies from run to run.
    this.frontends = resources.filter((r) => frontendProtocol(r.type) !== undefined).sort(byName);
    this.farms = resources.filter((r) => farmProtocol(r.type) !== undefined).sort(byName);
    this.routes = resources.filter((r) => routeProtocol(r.type) !== undefined).sort(byName);
    this.rules = resources.filter((r) => ruleProtocol(r.type) !== undefined).sort(byName);
  }

  /** The frontend the route listens on; frontend ids are per protocol in the API, so a literal id names one of the route's. */
  frontendOf(route: PolicyResource): PolicyResource | undefined {
    const ofProtocol = this.frontends.filter((f) => frontendProtocol(f.type) === routeProtocol(route.type));
    const targets = { kinds: this.frontends, sameId: ofProtocol, idKey: "frontendId" };
    return referenced(route, "frontendId", this.read.peek(route.props, "frontendId"), targets, this.read);
  }

  /** true when the route has no frontend: it then sees the traffic of every frontend of its protocol. */
  onEveryFrontend(route: PolicyResource): boolean {
    const frontendId = this.read.peek(route.props, "frontendId");
    return (frontendId === undefined || frontendId === null) && !(route.propertyDependencies?.frontendId ?? []).length;
  }

  /** The farm the route's `farm` action sends to. */
  farmOf(route: PolicyResource): PolicyResource | undefined {
    const action = this.read.peek(route.props, "action");
    if (action === UNKNOWN || this.read.peek(action, "type") !== "farm") return undefined;
    return referenced(route, "action", this.read.peek(action, "target"), this.farmTargets(), this.read);
  }

  /** The farm a frontend sends what no route takes to (its defaultFarmId). */
  defaultFarmOf(frontend: PolicyResource): PolicyResource | undefined {
    return referenced(frontend, "defaultFarmId", this.read.peek(frontend.props, "defaultFarmId"), this.farmTargets(), this.read);
  }

  /** Farm ids are unique per service, whatever the protocol (provider/providers/route.ts findFarm). */
  private farmTargets(): Targets {
    return { kinds: this.farms, sameId: this.farms, idKey: "farmId" };
  }

  /** The route a rule belongs to. */
  routeOf(rule: PolicyResource): PolicyResource | undefined {
    this.ruleRoutes ??= new Map(this.rules.map((r) => {
      const ofProtocol = this.routes.filter((x) => routeProtocol(x.type) === ruleProtocol(r.type));
      const targets = { kinds: this.routes, sameId: ofProtocol, idKey: "routeId" };
      return [r, referenced(r, "routeId", this.read.peek(r.props, "routeId"), targets, this.read)];
    }));
    return this.ruleRoutes.get(rule);
  }

  /** The rules that belong to the route. */
  rulesOf(route: PolicyResource): PolicyResource[] {
    return this.rules.filter((r) => this.routeOf(r) === route);
  }

  /** Rules whose route is not known, and may be this one: their routeId is unknown, and may come from it. */
  maybeRulesOf(route: PolicyResource): PolicyResource[] {
    return this.rules.filter((r) => {
      if (this.routeOf(r) !== undefined || this.read.peek(r.props, "routeId") !== UNKNOWN) return false;
      const deps = r.propertyDependencies?.routeId ?? [];
      return deps.length === 0 || deps.includes(route);
    });
  }
}

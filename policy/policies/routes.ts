// Route policies: stack policies, because a route's frontend, farm and rules are other resources (routing.ts).
// - iplb-route-targets (mandatory): what the provider would refuse only when `pulumi up` creates the route (it reads
//   the frontend and the farm then, providers/route.ts), said in the preview instead: a frontend or a farm of the
//   other protocol, another load balancer's, or a farm whose zone does not cover the frontend's.
// - iplb-route-rules-can-match (advisory): a rule, or rules of one route together, that no request satisfies, so the
//   route never acts (ruleLogic.ts says which cases, and why they are certain).
// - iplb-frontend-default-farm-used (advisory): a frontend's default farm behind a route that takes every request.
import type { EnforcementLevel, PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { ALL_ZONES } from "../../provider/models/zones";
import { stackPolicy } from "./define";
import { farmProtocol, frontendProtocol, label, Protocol, routeProtocol, ruleProtocol } from "./resources";
import { Routing } from "./routing";
import { alwaysMatches, conflict, describeRule, neverMatches, Rule } from "./ruleLogic";
import { Reader, Unknown, UNKNOWN } from "./values";

const CLASS_PREFIX: Readonly<Record<Protocol, string>> = { http: "Http", tcp: "Tcp", udp: "Udp" };
const PROTOCOL_LABEL: Readonly<Record<Protocol, string>> = { http: "HTTP", tcp: "TCP", udp: "UDP" };

/** What is wrong with a route's reference to its frontend or farm: its protocol, or its load balancer. */
function referenceProblem(route: PolicyResource, target: PolicyResource, kind: "Frontend" | "Farm", read: Reader): string | undefined {
  const protocol = routeProtocol(route.type) as Protocol;
  const theirs = (kind === "Frontend" ? frontendProtocol : farmProtocol)(target.type) as Protocol;
  const field = kind === "Frontend" ? "frontendId" : "action.target";
  if (theirs !== protocol) {
    const what = kind === "Frontend" ? "listens on" : "sends to";
    return (
      `${label(route)} ${what} ${label(target)}: ${PROTOCOL_LABEL[protocol]} routes only work with ${PROTOCOL_LABEL[protocol]} ` +
      `${kind.toLowerCase()}s, and OVH refuses it when \`pulumi up\` creates the route. Set ${field} to the ${kind.toLowerCase()}Id of ` +
      `${protocol === "http" ? "an" : "a"} ${CLASS_PREFIX[protocol]}${kind}${theirs === "udp" ? "" : `, or make it a ${CLASS_PREFIX[theirs]}Route`}.`
    );
  }
  const [mine, other] = [read.get(route.props, "serviceName"), read.get(target.props, "serviceName")];
  if (typeof mine !== "string" || typeof other !== "string" || mine === other) return undefined;
  return (
    `${label(route)} is on load balancer ${mine}, but its ${field} names ${label(target)} of load balancer ${other}: OVH ` +
    `looks the ${kind.toLowerCase()} up on ${mine} and refuses the route. Use a ${kind.toLowerCase()} of ${mine}.`
  );
}

/** A farm in another zone than the route's frontend (a farm in `all` serves every zone; a frontend in `all` needs one). */
function zoneProblem(route: PolicyResource, frontend: PolicyResource, farm: PolicyResource, read: Reader): string | undefined {
  const [frontendZone, farmZone] = [read.get(frontend.props, "zone"), read.get(farm.props, "zone")];
  if (typeof frontendZone !== "string" || typeof farmZone !== "string" || farmZone === ALL_ZONES || farmZone === frontendZone) return undefined;
  const use = frontendZone === ALL_ZONES ? `zone ${ALL_ZONES}` : `${frontendZone} or ${ALL_ZONES}`;
  return (
    `${label(route)} sends to ${label(farm)} in zone ${farmZone}, but listens on ${label(frontend)} in zone ${frontendZone}: a farm ` +
    `serves only its own zone (every zone in zone ${ALL_ZONES}), and OVH refuses the route when \`pulumi up\` creates it. Send it ` +
    `to a farm in ${use}${frontendZone === ALL_ZONES ? "" : `, or listen on a frontend in ${farmZone}`}.`
  );
}

interface RoutingPolicySpec {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  check(routing: Routing, read: Reader, report: ReportViolation): void;
}

/** A stack policy without config, on the stack's routes, rules, frontends and farms. */
function routingPolicy(spec: RoutingPolicySpec): StackValidationPolicy {
  const { check, ...named } = spec;
  return stackPolicy<Record<string, never>>({
    ...named,
    defaults: {},
    check: (resources, _config, read, report) => check(new Routing(resources, read), read, report),
  });
}

export const routeTargets = routingPolicy({
  name: "iplb-route-targets",
  description: "Each route's frontend and target farm are of the route's protocol and load balancer, and the farm's zone is the frontend's or all.",
  enforcementLevel: "mandatory",
  check: (routing, read, report) => {
    for (const route of routing.routes) {
      const frontend = routing.frontendOf(route);
      const farm = routing.farmOf(route);
      const frontendProblem = frontend && referenceProblem(route, frontend, "Frontend", read);
      const farmProblem = farm && referenceProblem(route, farm, "Farm", read);
      const problems = [frontendProblem, farmProblem];
      if (frontend && farm && !frontendProblem && !farmProblem) problems.push(zoneProblem(route, frontend, farm, read));
      for (const problem of problems) if (problem) report(problem, route.urn);
    }
  },
});

type Get = (obj: unknown, key: string) => unknown;

/** A rule resource's values, UNKNOWN when one is not known yet, undefined when they are not a rule check() passes. */
function ruleValues(rule: PolicyResource, get: Get): Rule | Unknown | undefined {
  const v = Object.fromEntries(["field", "subField", "match", "negate", "pattern"].map((k) => [k, get(rule.props, k)]));
  if (Object.values(v).includes(UNKNOWN)) return UNKNOWN;
  if (typeof v.field !== "string" || typeof v.match !== "string") return undefined;
  const text = (x: unknown) => (typeof x === "string" && x !== "" ? x : null);
  const protocol = ruleProtocol(rule.type) as "http" | "tcp";
  return { protocol, field: v.field, subField: text(v.subField), match: v.match.toLowerCase(), negate: v.negate === true, pattern: text(v.pattern) };
}

/** `HttpRouteRule "api-host" (route "api")`. */
const ruleLabel = (rule: PolicyResource, route: PolicyResource | undefined) => `${label(rule)}${route ? ` (route "${route.name}")` : ""}`;

/** Rules of one route: by the route resource, else by the service and route id they name (a route of another stack). */
function byRoute(routing: Routing, rules: PolicyResource[], read: Reader): Map<PolicyResource | string, PolicyResource[]> {
  const groups = new Map<PolicyResource | string, PolicyResource[]>();
  for (const rule of rules) {
    const [serviceName, routeId] = [read.peek(rule.props, "serviceName"), read.peek(rule.props, "routeId")];
    const literal = typeof serviceName === "string" && typeof routeId === "number" ? `${rule.type} ${serviceName}/${routeId}` : undefined;
    const key = routing.routeOf(rule) ?? literal;
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  return groups;
}

export const routeRulesCanMatch = routingPolicy({
  name: "iplb-route-rules-can-match",
  description: "No route has a rule, or a set of rules, that no request can satisfy (a route acts only when all its rules match).",
  enforcementLevel: "advisory",
  check: (routing, read, report) => {
    const values = new Map<PolicyResource, Rule>();
    for (const rule of routing.rules) {
      const r = ruleValues(rule, (obj, key) => read.get(obj, key));
      if (r === UNKNOWN || r === undefined) continue;
      values.set(rule, r);
      const why = neverMatches(r);
      if (!why) continue;
      report(
        `${ruleLabel(rule, routing.routeOf(rule))} can never match (${describeRule(r)}): ${why}. A route acts only when all its ` +
          `rules match, so its route never acts. Fix the pattern, or remove the rule.`,
        rule.urn,
      );
    }
    for (const [route, rules] of byRoute(routing, [...values.keys()], read)) {
      const found = conflict(rules.map((r) => values.get(r) as Rule));
      if (!found) continue;
      const listed = found.rules.map((r) => `"${rules.find((x) => values.get(x) === r)?.name}" (${describeRule(r)})`);
      report(
        `${typeof route === "string" ? `The route of rules ${listed.join(", ")}` : `${label(route)}, with rules ${listed.join(", ")},`} can ` +
          `never match: ${found.why}. A route acts only when every one of its rules matches: remove the rule that does not ` +
          `belong, or make one route per value to accept either.`,
        typeof route === "string" ? rules[0].urn : route.urn,
      );
    }
  },
});

/** Routes that see the frontend's traffic: those on it, and those without a frontend (all frontends of their protocol). */
function routesSeeing(frontend: PolicyResource, routing: Routing, read: Reader): PolicyResource[] {
  const serviceName = read.peek(frontend.props, "serviceName");
  return routing.routes.filter((route) =>
    routing.frontendOf(route) === frontend ||
    (routing.onEveryFrontend(route) && routeProtocol(route.type) === frontendProtocol(frontend.type) &&
      typeof serviceName === "string" && read.peek(route.props, "serviceName") === serviceName));
}

/** Why the route takes every request of its frontend; undefined when it may not (rules not known count as selective). */
function takesEverything(route: PolicyResource, routing: Routing, read: Reader): string | undefined {
  const rules = routing.rulesOf(route);
  const listed = read.peek(route.props, "rules");
  // Rules the API lists beyond this stack's were made elsewhere; rules whose route is not known yet may be its own.
  if (routing.maybeRulesOf(route).length > 0 || (Array.isArray(listed) && listed.length > rules.length)) return undefined;
  if (rules.length === 0) return "has no rules, so it matches every request";
  const peeked = rules.map((r) => ruleValues(r, (obj, key) => read.peek(obj, key)));
  const reasons = peeked.map((r) => (r === UNKNOWN ? UNKNOWN : r && alwaysMatches(r)));
  if (reasons.some((x) => x === undefined)) return undefined;
  if (reasons.includes(UNKNOWN)) {
    // The verdict hinges on those values: read them, so that the pack reports it could not judge (values.ts).
    rules.forEach((r, i) => reasons[i] === UNKNOWN && ruleValues(r, (obj, key) => read.get(obj, key)));
    return undefined;
  }
  const each = rules.map((r, i) => `rule "${r.name}" (${describeRule(peeked[i] as Rule)}) always matches: ${reasons[i] as string}`);
  return `matches every request (${each.join("; ")})`;
}

export const frontendDefaultFarmUsed = routingPolicy({
  name: "iplb-frontend-default-farm-used",
  description: "A frontend's default farm is not hidden behind a route that takes every request.",
  enforcementLevel: "advisory",
  check: (routing, read, report) => {
    for (const frontend of routing.frontends) {
      const defaultFarmId = read.peek(frontend.props, "defaultFarmId");
      if (defaultFarmId === undefined || defaultFarmId === null) continue;
      for (const route of routesSeeing(frontend, routing, read)) {
        const why = takesEverything(route, routing, read);
        if (!why) continue;
        const farm = routing.defaultFarmOf(frontend);
        report(
          `${label(frontend)} never sends anything to its default farm${farm ? ` (${label(farm)})` : ""}: ${label(route)} ${why}, ` +
            `and OVH applies routes before the default farm. Remove defaultFarmId, or give route "${route.name}" rules that select ` +
            `only the requests it should take.`,
          frontend.urn,
        );
        break;
      }
    }
  },
});

/**
 * The official schema as referee of what clients send (STYLE.md section 1): every request an emulator of the test
 * suite receives is matched to an operation of iploadbalancing.json or ip.json and judged on its path parameters,
 * query parameters and JSON body. The emulator's own validator is hand-written from the same schema; the referee is
 * the independent reading, so a request the emulator lets through but the real API would refuse fails the suite.
 *
 * What is judged: every request an emulator started by `startTestEmulator` logs, except those the emulator answered
 * 400. A 400 means the emulator itself refused the request's content (validation, signature, clock), and whoever sent
 * it saw that refusal: a test sending bad input on purpose expects it, and a provider request refused that way comes
 * back as the provider's error, which its test either expects or fails on. Everything else is judged, 404/409/403/429
 * and 5xx included: a request to a path the schema does not have that the emulator answers 404 would otherwise look
 * like "deleted" to the provider, a silent bug. A test that sends, on purpose, schema-breaking requests the emulator
 * does not answer 400 (an unknown path, a non-integer id, a read-only field re-sent in a PUT) wraps them in
 * `expectSchemaViolations`, naming the violations it expects.
 */
import type { Emulator, RequestLogEntry } from "../../emulator";
import { Document, loadDocuments, Operation, operations, requestConformance, requestSchema, schemaDecision } from "./openapi";

type Json = Record<string, any>;

export interface JudgedRequest {
  method: string;
  /** As received, `/1.0` (or `/v1`) base included or not, still URL-encoded, without the query string. */
  path: string;
  query?: Record<string, string>;
  /** Parsed JSON body, undefined when none was sent. */
  body?: unknown;
}

/** Routes outside the two documents that clients legitimately call: node-ovh's clock sync and credential requests. */
const AUTH_ROUTES = new Set(["GET /auth/time", "POST /auth/credential"]);
const BASE_PATHS = ["/1.0", "/v1"];

/**
 * Provider requests that break the schema, allowed for now so that the suite stays green while the lead fixes them.
 * Each entry: the rule, and a predicate on the request and its violation. Remove an entry with its fix. Empty: the
 * provider, program, faults, host, badInput, cli and policy suites sent nothing the schema refuses when it was written.
 */
// TODO lead: provider violation (entries here, each with its exact request and rule)
export const KNOWN_PROVIDER_VIOLATIONS: readonly { rule: string; matches: (req: JudgedRequest, violation: string) => boolean }[] = [];

interface Template {
  path: string;
  segments: string[];
  literals: number;
  methods: Map<string, Operation>;
}

export interface Referee {
  judge(req: JudgedRequest): string[];
}

/** A referee over the given documents (tests pass a loaded set; the suite-wide hook uses the shared folder). */
export function createReferee(docs: Document[]): Referee {
  const templates = new Map<string, Template>();
  for (const op of operations(docs)) {
    let t = templates.get(op.path);
    if (!t) {
      const segments = op.path.split("/").slice(1);
      t = { path: op.path, segments, literals: segments.filter((s) => !s.startsWith("{")).length, methods: new Map() };
      templates.set(op.path, t);
    }
    t.methods.set(op.method, op);
  }
  const all = [...templates.values()];

  const match = (segments: string[]): { template: Template; params: Record<string, string> } | undefined => {
    let best: { template: Template; params: Record<string, string> } | undefined;
    for (const t of all) {
      if (t.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = t.segments.every((s, i) => (s.startsWith("{") ? ((params[s.slice(1, -1)] = segments[i]), segments[i] !== "") : s === segments[i]));
      // Literal segments win over parameters (`/ipLoadbalancing/availableZones` is not a service named so).
      if (fits && (!best || t.literals > best.template.literals)) best = { template: t, params };
    }
    return best;
  };

  return {
    judge(req) {
      const method = req.method.toUpperCase();
      const base = BASE_PATHS.find((b) => req.path === b || req.path.startsWith(b + "/"));
      const apiPath = base ? req.path.slice(base.length) : req.path;
      if (AUTH_ROUTES.has(`${method} ${apiPath}`)) return [];
      let segments: string[];
      try {
        segments = apiPath.split("/").slice(1).map(decodeURIComponent);
      } catch {
        return [`${method} ${req.path}: the path is not valid URL encoding`];
      }
      const found = match(segments);
      if (!found) return [`${method} ${req.path}: no such path in the official schema`];
      const op = found.template.methods.get(method as Operation["method"]);
      if (!op) return [`${method} ${req.path}: ${found.template.path} has no ${method} in the official schema (only ${[...found.template.methods.keys()].join(", ")})`];
      const where = `${method} ${found.template.path}`;
      return [
        ...parameterProblems(op, "path", found.params),
        ...parameterProblems(op, "query", req.query ?? {}),
        ...bodyProblems(op, req.body),
      ].map((p) => `${where}: ${p}`);
    },
  };
}

/** A parameter's text judged as the typed value the schema declares (`farmId` "abc" is not an integer). */
function parameterProblems(op: Operation, location: "path" | "query", given: Record<string, string>): string[] {
  const declared = ((op.op.parameters ?? []) as Json[]).filter((p) => p.in === location);
  const problems: string[] = [];
  for (const name of Object.keys(given)) {
    if (!declared.some((p) => p.name === name)) problems.push(`${location} parameter ${name}: not a parameter of this operation`);
  }
  for (const p of declared) {
    const text = given[p.name];
    if (text === undefined) {
      if (p.required) problems.push(`${location} parameter ${p.name}: required, not sent`);
      continue;
    }
    const schema = (p.schema ?? {}) as Json;
    problems.push(...requestConformance(op.doc, schema, typed(op.doc, schema, text), `${location} parameter ${p.name}`));
  }
  return problems;
}

/** Integers and booleans travel as text in a URL; anything else that does not parse is left as text to fail. */
function typed(doc: Document, schema: Json, text: string): unknown {
  const type = schema.$ref ? doc.schemas[String(schema.$ref).replace("#/components/schemas/", "")]?.type : schema.type;
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

function bodyProblems(op: Operation, body: unknown): string[] {
  const schema = requestSchema(op);
  if (!schema) return body === undefined ? [] : [`body: sent, but the operation takes none`];
  // node-ovh sends no body at all for `{}` (or for an object whose fields are all null/undefined: it drops them),
  // so an absent body is the empty object, still subject to `required`.
  return requestConformance(op.doc, schema, body === undefined ? {} : body, "body");
}

// ---- suite-wide: the emulators of this test file ------------------------------------------------------------------

interface Watched {
  /** Requests seen by the listener and not judged yet (the answer's status is known only once answered). */
  pending: RequestLogEntry[];
  seen: number;
  /** While `expectSchemaViolations` runs: the requests arriving meanwhile, judged by it instead. */
  capture?: RequestLogEntry[];
}

const watched = new Map<Emulator, Watched>();
let shared: Referee | undefined | null;

/** The referee over ../shared, or null when the schemas are missing outside CI (then nothing is judged). */
export function sharedReferee(): Referee | null {
  if (shared === undefined) {
    const decision = schemaDecision();
    shared = decision.run ? createReferee(loadDocuments(decision.dir)) : null;
    if (!decision.run) console.warn(`schema referee: off, ${decision.why}`);
  }
  return shared;
}

/**
 * Feeds every request `emu` receives to the referee. Called by `startTestEmulator`; `refereeSetup.ts` reports after
 * each test, and `stop` (closing the emulator) reports what arrived since (cleanup in `afterAll` runs after the
 * setup's hooks).
 */
export function watchEmulator(emu: Emulator): { stop(): string[] } {
  const w: Watched = { pending: [], seen: 0 };
  watched.set(emu, w);
  const unlisten = emu.onRequest((log) => {
    for (; w.seen < log.length; w.seen++) (w.capture ?? w.pending).push(log[w.seen]);
  });
  return {
    stop() {
      unlisten();
      watched.delete(emu);
      return drain(w);
    },
  };
}

/** The referee's lines for one logged request, each followed by the request itself. */
function judgeEntry(referee: Referee, e: RequestLogEntry): string[] {
  const req: JudgedRequest = { method: e.method, path: e.path, query: e.query, body: e.body };
  const query = Object.keys(e.query).length ? "?" + new URLSearchParams(e.query).toString() : "";
  const body = e.body === undefined ? "" : " body " + JSON.stringify(e.body).slice(0, 300);
  return referee
    .judge(req)
    .filter((v) => !KNOWN_PROVIDER_VIOLATIONS.some((k) => k.matches(req, v)))
    .map((v) => `${v}\n    request: ${e.method} ${e.path}${query} -> ${e.status || "unanswered"}${body}`);
}

function drain(w: Watched): string[] {
  // Requests still in flight keep their turn until answered. One never answered (the emulator closed under it) is not
  // judged: its body may not even have been read, and its sender got a broken connection, not an answer.
  const ready = w.pending.filter((e) => e.status !== 0);
  w.pending = w.pending.filter((e) => !ready.includes(e));
  const referee = sharedReferee();
  if (!referee) return [];
  // 400: the emulator itself refused the content, and the sender saw it (module comment).
  return ready.filter((e) => e.status !== 400).flatMap((e) => judgeEntry(referee, e));
}

/** Violations among the answered requests of every watched emulator, not reported before. */
export function drainViolations(): string[] {
  return [...watched.values()].flatMap((w) => drain(w));
}

export function violationReport(violations: string[], when: string): string {
  return `the official schema refuses ${violations.length} request(s) sent ${when} (tests/helpers/schemaReferee.ts):\n  - ${violations.join("\n  - ")}`;
}

/**
 * For a test that sends what the schema refuses on purpose and the emulator accepts or answers other than 400 (a
 * read-only field re-sent unchanged, as terraform does; an unknown path; an id that is not an integer): the requests
 * `emu` receives while `send` runs are judged here instead of failing the suite. Each violation must contain one of
 * the `expected` fragments and each fragment must be found, so a marker covers exactly what it names and fails once
 * it covers nothing. Only for tests where the test itself is the one sender. Without the schemas (outside CI) it only
 * runs `send`.
 */
export async function expectSchemaViolations<T>(emu: Emulator, expected: readonly string[], send: () => Promise<T>): Promise<T> {
  const w = watched.get(emu);
  if (!w) throw new Error("expectSchemaViolations: this emulator was not started by startTestEmulator");
  if (w.capture) throw new Error("expectSchemaViolations: already capturing for this emulator");
  if (expected.length === 0) throw new Error("expectSchemaViolations: name at least one expected violation");
  const captured: RequestLogEntry[] = [];
  w.capture = captured;
  let result: T;
  try {
    result = await send();
  } finally {
    w.capture = undefined;
  }
  const referee = sharedReferee();
  if (!referee) return result;
  const violations = captured.flatMap((e) => judgeEntry(referee, e));
  // Fragments match the violation itself, not the request printed under it.
  const rule = (v: string) => v.split("\n")[0];
  const unexpected = violations.filter((v) => !expected.some((f) => rule(v).includes(f)));
  const missing = expected.filter((f) => !violations.some((v) => rule(v).includes(f)));
  if (unexpected.length > 0 || missing.length > 0) {
    const sent = captured.map((e) => `${e.method} ${e.path} -> ${e.status}`).join(", ") || "nothing";
    throw new Error(
      `expectSchemaViolations: sent ${sent}` +
        (missing.length ? `\n  expected but not found: ${missing.map((m) => JSON.stringify(m)).join(", ")}` : "") +
        (unexpected.length ? `\n  not expected:\n  - ${unexpected.join("\n  - ")}` : ""),
    );
  }
  return result;
}

/**
 * The official schema judges the emulator (STYLE.md section 1). Three parts, each path its own test:
 * 1. routes: every schema path is served by the router or listed in emulator/scope.ts, and every route is in the schema;
 * 2. answers: with one object of every family created, every in-scope GET (and the create POSTs) answers exactly the
 *    schema's fields, types, nullability, enums and date-times; lists must be non-empty so their items are checked;
 *    vRack calls are checked on a load balancer attached to a vRack (vrackFixtures.ts), where they answer;
 * 3. model specs: emulator/models/*.ts name exactly the schema's fields, writability, nullability and enums.
 * The schemas live in the shared workspace (../shared/ovh-api-schemas) and are never copied into the repo; in a
 * clone without them the suite is skipped, except under CI=true where it fails. Answers in states other than the
 * default ones (failed and blocked tasks, error bodies...) are in answerShapes.test.ts. Not proven: semantics beyond shape (that is each family's own test file).
 */
import * as fs from "fs";
import * as path from "path";
import type { OvhClient } from "ovh";
import { registerRoutes } from "../../emulator/handlers";
import { Router } from "../../emulator/router";
import type { Runtime } from "../../emulator/runtime";
import { OUT_OF_SCOPE, outOfScopeReason } from "../../emulator/scope";
import { Emulator, ovhClient, startTestEmulator } from "../helpers/emulator";
import { concretePath, createFixtures, Fixtures, ROUTED_FQDN } from "../helpers/fidelityFixtures";
import { createVrackFixtures, VRACK_PATHS, VrackFixtures } from "../helpers/vrackFixtures";
import type { ModelSpec } from "../../emulator/validate";
import { compareFields, compareSpec, discoverModelSpecs } from "../helpers/modelSpecs";
import { conformance, loadDocuments, operations, resolve, responseSchema, schemaDecision } from "../helpers/openapi";

const MODELS_DIR = path.join(__dirname, "../../emulator/models");

// Outside CI a clone without the schemas skips this file; under CI=true `schemaDecision` throws, failing it.
const decision = schemaDecision();
if (!decision.run) {
  const why = `fidelity: skipped, ${decision.why}`;
  console.warn(why);
  it.skip(why, () => undefined);
} else {
  const docs = loadDocuments(decision.dir);
  const ops = operations(docs);
  const routes = registerRoutes(new Router<Runtime>()).list();
  const served = new Set(routes.map((r) => `${r.method} ${r.pattern}`));
  const schemaPaths = [...new Set(ops.map((o) => o.path))];
  const inScope = ops.filter((o) => !outOfScopeReason(o.path));
  // vRack calls answer only on a load balancer attached to a vRack, where farms need a vrackNetworkId: their own block.
  const isVrack = (o: { path: string }) => o.path.includes("/vrack/");
  const gets = inScope.filter((o) => o.method === "GET" && !isVrack(o));
  const posts = inScope.filter((o) => o.method === "POST" && responseSchema(o) && !isVrack(o));
  const vrackOps = inScope.filter((o) => isVrack(o) && (o.method === "GET" || (o.method === "POST" && responseSchema(o))));

  describe("fidelity: the checker itself", () => {
    const ipl = docs[0];
    const task = { $ref: "#/components/schemas/ipLoadbalancing.Task.Task" };
    const good = { id: 1, action: "refreshIplb", status: "done", progress: 100, zones: ["gra"], creationDate: "2025-01-31T10:00:00+01:00", doneDate: null };

    it("accepts a conforming object and reports each kind of difference", () => {
      expect(conformance(ipl, task, good)).toEqual([]);
      const { zones, ...missing } = good;
      void zones;
      expect(conformance(ipl, task, { ...missing, extra: 1, id: "1", status: "finished", creationDate: "yesterday", progress: null })).toEqual([
        "$.extra: extra field, not in ipLoadbalancing.Task.Task",
        "$.creationDate: \"yesterday\" is not a valid date-time",
        "$.id: expected integer, got string \"1\"",
        "$.progress: expected integer, got null null",
        "$.status: \"finished\" is not one of ipLoadbalancing.TaskStatusEnum (blocked, cancelled, doing, done, error, todo)",
        "$.zones: missing (array)",
      ]);
    });

    it("reports spec differences: names, writability, nullability, types and enums", () => {
      const udpFarm = resolve(ipl, ipl.schemas["ipLoadbalancing.backendUdp.BackendUdp"]).properties!;
      const spec: ModelSpec = {
        displayName: { type: "integer", nullable: true },
        farmId: { type: "integer" },
        port: { type: "integer", nullable: true },
        zone: { type: "string", readOnly: true, enum: ["gra"] },
        extra: { type: "boolean" },
      };
      expect(compareFields(ipl, spec, udpFarm, "")).toEqual([
        "extra: in the spec, not in the schema",
        "displayName: spec type integer, schema string",
        "farmId: read-only in the schema, writable in the spec",
        "port: not nullable in the schema, nullable in the spec",
        "vrackNetworkId: in the schema (integer), missing from the spec",
        "zone: enum gra in the spec, none in the schema (inline)",
      ]);
    });
  });

  describe("fidelity: routes against the schema", () => {
    test.each(schemaPaths)("%s is served or listed in scope.ts", (p) => {
      if (outOfScopeReason(p)) {
        expect(routes.filter((r) => r.pattern === p).map((r) => `${r.method} ${r.pattern} is served but listed out of scope`)).toEqual([]);
        return;
      }
      const missing = ops.filter((o) => o.path === p && !served.has(`${o.method} ${p}`)).map((o) => `${o.method} ${p} is not served`);
      expect(missing).toEqual([]);
    });

    it("serves no route the schema does not have", () => {
      const known = new Set(ops.map((o) => `${o.method} ${o.path}`));
      expect([...served].filter((r) => !known.has(r))).toEqual([]);
    });

    it("lists in scope.ts only schema paths, each once", () => {
      const listed = OUT_OF_SCOPE.flatMap((g) => g.paths);
      expect(listed.filter((p) => !schemaPaths.includes(p))).toEqual([]);
      expect(listed.filter((p, i) => listed.indexOf(p) !== i)).toEqual([]);
    });
  });

  describe("fidelity: answers against the schema", () => {
    let emu: Emulator;
    let client: OvhClient;
    let fx: Fixtures;
    beforeAll(async () => {
      emu = await startTestEmulator({ routedFqdns: [ROUTED_FQDN] });
      client = ovhClient(emu);
      fx = await createFixtures(emu, client);
    }, 60000);
    afterAll(() => emu?.close());

    test.each(gets.map((o) => [o.path, o] as const))("GET %s", async (_p, op) => {
      const url = concretePath(op.path, emu, fx);
      const answer = await client.requestPromised("GET", url).catch((e: { error: unknown; message: unknown }) => {
        throw new Error(`GET ${url} -> ${String(e.error)} ${String(e.message)}`);
      });
      const schema = responseSchema(op)!;
      const problems = conformance(op.doc, schema, answer);
      if (resolve(op.doc, schema).type === "array" && Array.isArray(answer) && answer.length === 0) {
        problems.push("$: empty list, so its item type was not checked (the fixtures should have created an item)");
      }
      expect(problems).toEqual([]);
    });

    test.each(posts.map((o) => [o.path, o] as const))("POST %s (create answer)", (_p, op) => {
      const key = `POST ${op.path}`;
      if (!(key in fx.created)) throw new Error(`not called: ${JSON.stringify(fx.failures)}`);
      expect(conformance(op.doc, responseSchema(op)!, fx.created[key])).toEqual([]);
    });
  });

  describe("fidelity: vRack answers against the schema (a load balancer attached to a vRack)", () => {
    let emu: Emulator;
    let fx: VrackFixtures;
    beforeAll(async () => {
      emu = await startTestEmulator({ vrack: { name: "pn-12345" } });
      fx = await createVrackFixtures(emu, ovhClient(emu));
    }, 60000);
    afterAll(() => emu?.close());

    it("covers every in-scope vRack GET and create", () => {
      expect(vrackOps.map((o) => `${o.method} ${o.path}`).sort()).toEqual(Object.keys(VRACK_PATHS).sort());
    });

    test.each(vrackOps.map((o) => [`${o.method} ${o.path}`, o] as const))("%s", (key, op) => {
      if (!(key in fx.answers)) throw new Error(`not called: ${JSON.stringify(fx.failures)}`);
      const answer = fx.answers[key];
      const problems = conformance(op.doc, responseSchema(op)!, answer);
      if (Array.isArray(answer) && answer.length === 0) problems.push("$: empty list, so its item type was not checked");
      expect(problems).toEqual([]);
    });
  });

  describe("fidelity: emulator model specs against the schema", () => {
    const found = fs.existsSync(MODELS_DIR) ? discoverModelSpecs(MODELS_DIR) : [];
    if (found.length === 0) {
      it.skip("model specs: emulator/models has no ModelTable or X_SCHEMA_MODEL/X_SPEC export yet; enable once written", () => undefined);
      return;
    }
    const docFor = (model: string) => docs.find((d) => d.schemas[model]) ?? docs[0];
    test.each(found.map((f) => [f.label, f.schemaModel, f] as const))("%s matches %s", (_l, model, spec) => {
      expect(compareSpec(docFor(model), ops, spec)).toEqual([]);
    });

    it("compares the vRack models too", () => {
      expect(found.filter((f) => f.label.startsWith("models/vrack.ts")).map((f) => f.schemaModel).sort()).toEqual([
        "ipLoadbalancing.VrackNetwork.VrackNetwork", "ipLoadbalancing.VrackNetworkCreationRules",
      ]);
    });
  });
}

/**
 * The schema referee itself (tests/helpers/schemaReferee.ts), on requests written here: it must accept what node-ovh
 * sends for a valid call and name each kind of violation, so the suite-wide hook can fail a test; then the hook's
 * wiring through `startTestEmulator` (reported after a test, at close, and by `expectSchemaViolations`). Also the skip
 * decision: outside CI a clone without ../shared skips schema checks, under CI=true it fails.
 */
import * as os from "os";
import * as path from "path";
import { ovhClient, rejection, startTestEmulator } from "../helpers/emulator";
import { loadDocuments, schemaDecision } from "../helpers/openapi";
import { createReferee, drainViolations, expectSchemaViolations, Referee } from "../helpers/schemaReferee";

const SVC = "loadbalancer-a1b2c3d4e5f60718293a4b5c6d7e8f90";
const FARM = "/ipLoadbalancing/{serviceName}/http/farm";

describe("schema decision", () => {
  const missing = path.join(os.tmpdir(), "no-such-dir", "ovh-api-schemas");

  it("skips, with the reason, when the schemas are missing outside CI", () => {
    const decision = schemaDecision(missing, {});
    expect(decision).toEqual({ run: false, why: expect.stringContaining(missing) });
    expect(schemaDecision(missing, { CI: "false" }).run).toBe(false);
  });

  it("throws under CI=true when the schemas are missing, instead of skipping", () => {
    expect(() => schemaDecision(missing, { CI: "true" })).toThrow(/^CI=true: the official OVH schemas \(iploadbalancing\.json, ip\.json\) are not in .*refusing to skip/);
  });
});

const decision = schemaDecision();
if (!decision.run) {
  console.warn(`schema referee tests: skipped, ${decision.why}`);
  it.skip(decision.why, () => undefined);
} else {
  describe("schema referee", () => {
    let referee: Referee;
    beforeAll(() => (referee = createReferee(loadDocuments(decision.dir))));
    const judge = (method: string, p: string, body?: unknown, query: Record<string, string> = {}) => referee.judge({ method, path: p, query, body });

    it("accepts valid requests as node-ovh sends them, with or without the base path", () => {
      expect(judge("POST", `/1.0/ipLoadbalancing/${SVC}/http/farm`, { zone: "gra", port: 80, balance: "roundrobin", probe: { type: "http", url: "/", port: null } })).toEqual([]);
      expect(judge("PUT", `/ipLoadbalancing/${SVC}/http/farm/12`, { port: null, displayName: "web" })).toEqual([]);
      expect(judge("GET", `/ipLoadbalancing/${SVC}/task`, undefined, { action: "refreshIplb", status: "doing" })).toEqual([]);
      expect(judge("POST", `/ipLoadbalancing/${SVC}/refresh`)).toEqual([]);
      expect(judge("POST", `/ip/${encodeURIComponent("203.0.113.10/32")}/move`, { to: SVC })).toEqual([]);
      expect(judge("GET", "/1.0/auth/time")).toEqual([]);
      expect(judge("POST", "/auth/credential", { accessRules: [] })).toEqual([]);
    });

    it("names a wrong type, an unknown field, an enum miss and a missing required field in a body", () => {
      expect(judge("POST", `/ipLoadbalancing/${SVC}/http/farm`, { port: "80", colour: "blue", balance: "fastest", probe: { interval: "often" } })).toEqual([
        `POST ${FARM}: body.zone: required by the schema, not sent`,
        `POST ${FARM}: body.port: expected integer, got string "80"`,
        `POST ${FARM}: body.colour: unknown field, not in the schema`,
        `POST ${FARM}: body.balance: "fastest" is not one of ipLoadbalancing.BalanceHTTPEnum (first, leastconn, roundrobin, source, uri)`,
        `POST ${FARM}: body.probe.interval: expected integer nullable, got string "often"`,
      ]);
    });

    it("names a read-only field, a null where the schema allows none, and a body where the operation takes none", () => {
      expect(judge("PUT", `/ipLoadbalancing/${SVC}/http/farm/12`, { zone: "gra", farmId: 12 })).toEqual([
        `PUT ${FARM}/{farmId}: body.zone: read-only in ipLoadbalancing.backendHttp.BackendHttp, must not be sent`,
        `PUT ${FARM}/{farmId}: body.farmId: read-only in ipLoadbalancing.backendHttp.BackendHttp, must not be sent`,
      ]);
      expect(judge("PUT", `/ipLoadbalancing/${SVC}/http/farm/12/server/3`, { ssl: null })).toEqual([
        `PUT ${FARM}/{farmId}/server/{serverId}: body.ssl: null, but boolean is not nullable`,
      ]);
      expect(judge("DELETE", `/ipLoadbalancing/${SVC}/http/farm/12`, { force: true })).toEqual([`DELETE ${FARM}/{farmId}: body: sent, but the operation takes none`]);
    });

    it("names an unknown path, an unknown method and a bad path parameter", () => {
      expect(judge("GET", `/ipLoadbalancing/${SVC}/http/farms`)).toEqual([`GET /ipLoadbalancing/${SVC}/http/farms: no such path in the official schema`]);
      expect(judge("GET", "/1.0/ip/203.0.113.10/32")).toEqual(["GET /1.0/ip/203.0.113.10/32: no such path in the official schema"]);
      expect(judge("PATCH", `/ipLoadbalancing/${SVC}/http/farm/12`)).toEqual([`PATCH /ipLoadbalancing/${SVC}/http/farm/12: ${FARM}/{farmId} has no PATCH in the official schema (only DELETE, GET, PUT)`]);
      expect(judge("GET", `/ipLoadbalancing/${SVC}/http/farm/web`)).toEqual([`GET ${FARM}/{farmId}: path parameter farmId: expected integer, got string "web"`]);
      expect(judge("GET", "/ip/203.0.113.10")).toEqual(['GET /ip/{ip}: path parameter ip: "203.0.113.10" is not a valid ip-block']);
    });

    it("names an unknown query parameter, a query value of the wrong type and an enum miss in a query", () => {
      expect(judge("GET", `/ipLoadbalancing/${SVC}/http/farm`, undefined, { zone: "gra", zones: "gra", vrackNetworkId: "seven" })).toEqual([
        `GET ${FARM}: query parameter zones: not a parameter of this operation`,
        `GET ${FARM}: query parameter vrackNetworkId: expected integer, got string "seven"`,
      ]);
      expect(judge("GET", `/ipLoadbalancing/${SVC}/task`, undefined, { status: "finished" })).toEqual([
        'GET /ipLoadbalancing/{serviceName}/task: query parameter status: "finished" is not one of ipLoadbalancing.TaskStatusEnum (blocked, cancelled, doing, done, error, todo)',
      ]);
    });

    it("prefers a literal path segment over a parameter", () => {
      // `/ipLoadbalancing/availableZones` is its own path, not a service named "availableZones".
      expect(judge("GET", "/ipLoadbalancing/availableZones", undefined, { serviceName: "x" })).toEqual([
        "GET /ipLoadbalancing/availableZones: query parameter serviceName: not a parameter of this operation",
      ]);
    });
  });

  describe("schema referee, suite-wide hook", () => {
    // Each test here consumes what it provokes (drainViolations, close, expectSchemaViolations), so refereeSetup's
    // afterEach finds nothing left.
    it("reports a request an emulator accepted against the schema, and not one it answered 400", async () => {
      const emu = await startTestEmulator();
      try {
        const client = ovhClient(emu);
        await client.requestPromised("GET", "/ip/203.0.113.12"); // a bare address: the emulator tolerates it
        expect(await rejection(client.requestPromised("POST", `/ipLoadbalancing/${emu.serviceName}/http/farm`, { zone: 5 }))).toMatchObject({ error: 400 });
        const reported = drainViolations();
        expect(reported).toHaveLength(1);
        expect(reported[0]).toMatch(/^GET \/ip\/\{ip\}: path parameter ip: "203\.0\.113\.12" is not a valid ip-block\n {4}request: GET \/ip\/203\.0\.113\.12 -> 200$/);
        expect(drainViolations()).toEqual([]);
      } finally {
        await emu.close();
      }
    });

    it("fails close() with what arrived since the last report (requests of afterAll cleanup)", async () => {
      const emu = await startTestEmulator();
      await ovhClient(emu).requestPromised("GET", `/ipLoadbalancing/${emu.serviceName}/http/farm`, { zones: "gra" });
      await expect(emu.close()).rejects.toThrow(/query parameter zones: not a parameter of this operation/);
    });

    it("expectSchemaViolations takes the violations it names, and fails on one it does not name or one it does not find", async () => {
      const emu = await startTestEmulator();
      try {
        const client = ovhClient(emu);
        const unknownPath = () => rejection(client.requestPromised("GET", "/ipLoadbalancing/nope/nothing"));
        await expect(expectSchemaViolations(emu, ["no such path in the official schema"], unknownPath)).resolves.toMatchObject({ error: 404 });
        await expect(expectSchemaViolations(emu, ["read-only"], unknownPath)).rejects.toThrow(
          /expected but not found: "read-only"\n {2}not expected:\n {2}- GET \/ipLoadbalancing\/nope\/nothing: no such path/,
        );
        await expect(expectSchemaViolations(emu, ["no such path"], () => client.requestPromised("GET", "/ipLoadbalancing"))).rejects.toThrow(
          /sent GET \/ipLoadbalancing -> 200\n {2}expected but not found: "no such path"$/,
        );
        expect(drainViolations()).toEqual([]);
      } finally {
        await emu.close();
      }
    });
  });
}

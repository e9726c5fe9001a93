import * as probe from "../../provider/models/probe";
import { UNKNOWN } from "../../provider/models/fields";

const fail = (property: string, reason: string) => ({ property, reason });
const DEFAULT_PROBE = {
  type: "tcp", port: null, interval: 30, method: null, url: null, match: "default", pattern: null, negate: false, forceSsl: false,
};

describe("checkProbe", () => {
  it.each([
    ["an empty probe (the default tcp probe)", {}],
    ["an http status probe", { type: "http", method: "HEAD", url: "www.example.com/health", match: "status", pattern: "200,204" }],
    ["a negated tcp contains probe", { type: "tcp", match: "contains", pattern: "OK", negate: true }],
    ["a regex match", { type: "http", match: "matches", pattern: "^ok$", forceSsl: true }],
    ["a mysql probe on its own port", { type: "mysql", port: 3306, interval: 3600 }],
    ["an oco probe", { type: "oco" }],
    ["every field null", { type: null, port: null, interval: null, method: null, url: null, match: null, pattern: null, negate: null, forceSsl: null }],
    ["values unknown during preview", { type: UNKNOWN, port: UNKNOWN, match: UNKNOWN, pattern: UNKNOWN }],
  ])("accepts %s", (_what, value) => {
    expect(probe.checkProbe("probe", value)).toEqual([]);
  });

  it.each([
    ["a type users may not send", { type: "internal" }, "probe.type", '"internal" is not one of http, mysql, oco, pgsql, smtp, tcp'],
    ["an interval under 30 s", { interval: 10 }, "probe.interval", "10 is out of range 30..3600"],
    ["an interval over an hour", { interval: 4000 }, "probe.interval", "4000 is out of range 30..3600"],
    ["port 0", { port: 0 }, "probe.port", "0 is out of range 1..49151"],
    ["a port given as a string", { port: "80" }, "probe.port", '"80" is not an integer (allowed: 1..49151)'],
    ["the internal method", { type: "http", method: "internal" }, "probe.method", '"internal" is not one of GET, HEAD, OPTIONS'],
    ["a method on a tcp probe", { type: "tcp", method: "GET" }, "probe.method", "only http probes have a method (type is tcp)"],
    ["a url on a probe without type (tcp)", { url: "/health" }, "probe.url", "only http probes have a url (type is tcp)"],
    ["status matching on tcp", { type: "tcp", match: "status", pattern: "200" }, "probe.match", '"status" is not allowed for tcp probes (allowed: default, contains, matches)'],
    ["contains on smtp", { type: "smtp", match: "contains", pattern: "220" }, "probe.match", '"contains" is not allowed for smtp probes (allowed: default)'],
    ["a port on oco", { type: "oco", port: 80 }, "probe.port", "oco probes always use port 79"],
    ["contains without a pattern", { type: "http", match: "contains" }, "probe.pattern", 'a pattern is required when match is "contains": the text the answer must contain'],
    ["matches with an empty pattern", { match: "matches", pattern: "" }, "probe.pattern", 'a pattern is required when match is "matches": a regular expression the answer must match'],
    ["status without a pattern", { type: "http", match: "status" }, "probe.pattern", 'a pattern is required when match is "status": comma-separated 3-digit status codes, e.g. "200" or "200,301"'],
    ["status codes that are not 3 digits", { type: "http", match: "status", pattern: "2xx" }, "probe.pattern", '"2xx" is not a comma-separated list of 3-digit status codes'],
    ["status codes with spaces", { type: "http", match: "status", pattern: "200, 301" }, "probe.pattern", '"200, 301" is not a comma-separated list of 3-digit status codes'],
    ["a pattern without a match", { pattern: "OK" }, "probe.pattern", "is only used with match contains, matches or status"],
    ["negate without a match", { negate: true }, "probe.negate", "A probe can not negate without a match; set probe.match (tcp probes: default, contains, matches) or remove negate"],
    ["negate without a match on http", { type: "http", negate: true }, "probe.negate", "A probe can not negate without a match; set probe.match (http probes: default, contains, matches, status) or remove negate"],
    ["forceSsl as a string", { forceSsl: "yes" }, "probe.forceSsl", '"yes" is not a boolean'],
    ["an unknown field", { timeout: 5 }, "probe.timeout", "unknown field; allowed fields: type, port, interval, method, url, match, pattern, negate, forceSsl"],
  ])("rejects %s", (_what, value, property, reason) => {
    expect(probe.checkProbe("probe", value)).toEqual([fail(property, reason)]);
  });

  it.each([
    ["a string", "tcp", '"tcp" is not an object'],
    ["an array", [{ type: "tcp" }], "an array is not an object"],
  ])("rejects a probe given as %s", (_what, value, reason) => {
    expect(probe.checkProbe("probe", value)).toEqual([fail("probe", reason)]);
  });

  it("reports every rule a probe breaks at once", () => {
    expect(probe.checkProbe("probe", { type: "tcp", method: "GET", url: "/", negate: true })).toEqual([
      fail("probe.method", "only http probes have a method (type is tcp)"),
      fail("probe.url", "only http probes have a url (type is tcp)"),
      fail("probe.negate", "A probe can not negate without a match; set probe.match (tcp probes: default, contains, matches) or remove negate"),
    ]);
  });

  it("checks the rules between fields only once every field has a valid type", () => {
    expect(probe.checkProbe("probe", { type: "sctp", interval: 5, method: "GET" })).toEqual([
      fail("probe.type", '"sctp" is not one of http, mysql, oco, pgsql, smtp, tcp'),
      fail("probe.interval", "5 is out of range 30..3600"),
    ]);
  });
});

describe("effectiveProbe", () => {
  it.each([null, undefined, {}])("treats %p as the API's default tcp probe", (value) => {
    expect(probe.effectiveProbe(value, 80)).toEqual(DEFAULT_PROBE);
  });

  it("equals the default probe as the API reports it, with the farm port filled in", () => {
    const reported = { ...DEFAULT_PROBE, port: 80 };
    expect(probe.effectiveProbe(reported, 80)).toEqual(DEFAULT_PROBE);
  });

  it("fills in OPTIONS and / for an http probe, as the service runs it (the OVH probes guide)", () => {
    expect(probe.effectiveProbe({ type: "http" }, null)).toEqual({ ...DEFAULT_PROBE, type: "http", method: "OPTIONS", url: "/" });
    expect(probe.effectiveProbe({ type: "http", url: "" }, null).url).toBe("/");
  });

  it("ignores the port of oco probes and the pattern of default matches", () => {
    expect(probe.effectiveProbe({ type: "oco", port: 79, pattern: "x" }, 80)).toEqual({ ...DEFAULT_PROBE, type: "oco" });
  });

  it("keeps a port that differs from the farm port", () => {
    expect(probe.effectiveProbe({ port: 8080 }, 80).port).toBe(8080);
  });
});

describe("probeBody", () => {
  it("sends every field, null where unset, so a PUT replaces the whole probe", () => {
    expect(probe.probeBody({ type: "http", url: "/health" })).toEqual({
      type: "http", port: null, interval: null, method: null, url: "/health", match: null, pattern: null, forceSsl: false,
    });
  });

  it("sends negate only together with a match (the API refuses negate alone)", () => {
    expect(probe.probeBody({ negate: false })).not.toHaveProperty("negate");
    expect(probe.probeBody({ match: "contains", pattern: "OK", negate: true })).toMatchObject({ match: "contains", negate: true });
    expect(probe.probeBody({ match: "default" })).toMatchObject({ match: "default", negate: false });
  });
});

describe("probeOutput", () => {
  it("is null when the API reports no probe", () => {
    expect(probe.probeOutput(null)).toBeNull();
  });

  it("has every probe field, null where the API left one out", () => {
    expect(probe.probeOutput({ type: "tcp", interval: 30 })).toEqual({
      type: "tcp", port: null, interval: 30, method: null, url: null, match: null, pattern: null, negate: null, forceSsl: null,
    });
  });
});

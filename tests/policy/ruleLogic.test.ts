/**
 * What route rules can match (policy/policies/ruleLogic.ts), on rule values alone: exact reasons for the rules that
 * never or always match, and which rules of one route contradict. What this does not prove: how OVH's HAProxy really
 * compares values (case, several occurrences of a header); the cases are chosen so that either way the verdict holds.
 */
import { alwaysMatches, conflict, neverMatches, regexProblem, Rule } from "../../policy/policies/ruleLogic";

const rule = (field: string, match: string, pattern: string | null, more: Partial<Rule> = {}): Rule =>
  ({ protocol: "http", field, subField: null, match, negate: false, pattern, ...more });
const not = (r: Rule): Rule => ({ ...r, negate: true });
const header = (name: string, match: string, pattern: string | null, negate = false): Rule => ({ ...rule("header", match, pattern), subField: name, negate });

describe("regexProblem", () => {
  it.each([
    ["^/api/(v1|v2", "a ( opens a group that never closes"],
    ["/api/v1)", "the ) at position 8 closes a group that was never opened"],
    ["[a-z", "the [ at position 1 opens a character class that never closes"],
    ["[]", "the [ at position 1 opens a character class that never closes"],
    ["/path\\", "it ends with a lone backslash"],
    ["*.example.com", "the * at position 1 repeats nothing (a glob such as *.example.com is written .*\\.example\\.com)"],
    ["a|+b", "the + at position 3 repeats nothing (a glob such as *.example.com is written .*\\.example\\.com)"],
  ])("refuses %s: %s", (pattern, reason) => {
    expect(regexProblem(pattern)).toBe(reason);
  });

  it.each(["^/api/(v1|v2)/", ".*\\.example\\.com$", "[]a]", "[^]a]", "[\\]]", "(?i)^/API", "(?P<id>\\d+)", "(*UTF)x", "a++", "\\(", "^*"])(
    "accepts %s (or leaves it to the engine)", (pattern) => {
      expect(regexProblem(pattern)).toBeUndefined();
    });
});

describe("neverMatches", () => {
  it.each<[string, Rule, string]>([
    ["a host with a scheme", rule("host", "is", "https://a.example.com"), "a Host header holds a host name and maybe a port, never a scheme, a path or a space"],
    ["a host with a path", rule("host", "endswith", "example.com/"), "a Host header holds a host name and maybe a port, never a scheme, a path or a space"],
    ["a path without /", rule("uri", "startswith", "api/"), "a request's path always starts with /"],
    ["an SNI with a port", { ...rule("sni", "is", "a.example.com:443"), protocol: "tcp" }, "a TLS server name is a bare host name: no scheme, port, path or space"],
    ["an SNI that is an IP", { ...rule("sni", "in", "203.0.113.7"), protocol: "tcp" }, "RFC 6066 (section 3) forbids an IP address as the TLS server name, so clients send none"],
    ["an empty in list", rule("host", "in", " , "), "its in list holds no value"],
    ["a negated rule on every source", not(rule("source", "in", "0.0.0.0/1,128.0.0.0/1")), "it is negated, and every client address is in it"],
    ["a negated rule on every method", not(rule("method", "in", "GET,HEAD,POST,PUT,DELETE,CONNECT,OPTIONS,TRACE")),
      "it is negated, and it lists every method (GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE)"],
    ["a broken expression, negated or not", not(rule("uri", "matches", "^/(a|b")), "its pattern is no regular expression: a ( opens a group that never closes"],
  ])("flags %s", (_what, r, reason) => {
    expect(neverMatches(r)).toBe(reason);
  });

  it.each<[string, Rule]>([
    ["a host and port", rule("host", "is", "a.example.com:8080")],
    ["a path", rule("uri", "is", "/health")],
    ["OPTIONS *", rule("uri", "is", "*")],
    ["an absolute URI", rule("uri", "startswith", "http://a.example.com/")],
    ["a list with one possible value", rule("uri", "in", "api, /api")],
    ["an absent header", header("X-Debug", "exists", null, true)],
    ["a path that merely contains no /", rule("uri", "contains", "api")],
  ])("does not flag %s", (_what, r) => {
    expect(neverMatches(r)).toBeUndefined();
  });
});

describe("alwaysMatches", () => {
  it.each<[string, Rule, string]>([
    ["every source", rule("source", "is", "0.0.0.0/0"), "every client address is in it"],
    ["any path", rule("uri", "matches", "^.*$"), "the expression matches any path"],
    ["every protocol", rule("protocol", "in", "http,https,tcp,tls"), "it lists every protocol (http, https, tcp, tls)"],
    ["a negated impossible host", not(rule("host", "is", "http://a.example.com")), "it is negated, and a Host header holds a host name and maybe a port, never a scheme, a path or a space"],
  ])("knows %s", (_what, r, reason) => {
    expect(alwaysMatches(r)).toBe(reason);
  });

  it.each<[string, Rule]>([
    ["a private source", rule("source", "in", "10.0.0.0/8")],
    ["every path starting with / (OPTIONS * and proxy-form requests do not)", rule("uri", "startswith", "/")],
    ["some methods", rule("method", "in", "GET,HEAD")],
    ["any host (some requests have none)", rule("host", "matches", ".*")],
    ["a present header", header("X-Env", "exists", null)],
  ])("does not claim %s", (_what, r) => {
    expect(alwaysMatches(r)).toBeUndefined();
  });
});

describe("conflict", () => {
  it.each<[string, Rule[], string]>([
    ["two hosts", [rule("host", "is", "a.example.com"), rule("host", "is", "b.example.com")], "a request has one host, and no host satisfies all of them"],
    ["a host outside a list", [rule("host", "in", "a.example.com,b.example.com"), rule("host", "endswith", ".example.org")], "a request has one host, and no host satisfies all of them"],
    ["a method and its negation", [rule("method", "is", "POST"), not(rule("method", "in", "POST,PUT"))], "a request has one method, and no method satisfies all of them"],
    ["two path prefixes", [rule("uri", "startswith", "/api/"), rule("uri", "startswith", "/admin/")], "a request has one uri, and no uri satisfies all of them"],
    ["a prefix and its negation", [rule("uri", "startswith", "/api/v1"), not(rule("uri", "startswith", "/api"))], "a request has one uri, and no uri satisfies all of them"],
    ["disjoint networks", [rule("source", "in", "10.0.0.0/8"), rule("source", "is", "192.168.0.0/16")], "no client address is admitted by all of them"],
    ["a network inside an excluded one", [rule("source", "is", "10.1.0.0/16"), not(rule("source", "is", "10.0.0.0/8"))], "no client address is admitted by all of them"],
    ["a header absent and present", [header("X-Env", "exists", null, true), header("x-env", "is", "prod")], "the header x-env cannot be both absent and present"],
  ])("finds %s", (_what, rules, why) => {
    expect(conflict(rules)?.why).toBe(why);
  });

  it.each<[string, Rule[]]>([
    ["a host and a path", [rule("host", "is", "a.example.com"), rule("uri", "startswith", "/api")]],
    ["hosts that differ only in case", [rule("host", "is", "A.example.com"), rule("host", "is", "a.example.com")]],
    ["a case-different negation", [rule("host", "is", "a.example.com"), not(rule("host", "is", "A.EXAMPLE.COM"))]],
    ["nested prefixes", [rule("uri", "startswith", "/api"), rule("uri", "startswith", "/api/v1")]],
    ["methods left after a negation", [rule("method", "in", "GET,HEAD"), not(rule("method", "is", "GET"))]],
    ["a network minus part of it", [rule("source", "is", "10.0.0.0/8"), not(rule("source", "is", "10.1.0.0/16"))]],
    ["two values of a header (it may come twice)", [header("X-Env", "is", "a"), header("X-Env", "is", "b")]],
    ["absent headers of different names", [header("X-A", "exists", null, true), header("X-B", "exists", null)]],
    ["expressions (another engine's syntax)", [rule("uri", "matches", "^/a"), rule("uri", "matches", "^/b")]],
  ])("finds none for %s", (_what, rules) => {
    expect(conflict(rules)).toBeUndefined();
  });

  it("leaves out rules that never match on their own (they are reported by themselves)", () => {
    expect(conflict([rule("host", "is", "https://a.example.com"), rule("host", "is", "b.example.com")])).toBeUndefined();
  });
});

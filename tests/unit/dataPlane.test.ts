/**
 * The data plane's pure decisions (emulator/dataplane): balancing, port expansion and bindings, option checks, rule
 * matching, redirect variables, frontend headers, certificate names, and the certificates the data plane's CA issues.
 * Exact outputs; traffic itself is proven in tests/emulator/dataPlane*.test.ts.
 */
import { X509Certificate } from "crypto";
import { expandTarget } from "../../emulator/dataplane/answers";
import { byHash, leastConnections, newRoundRobin, roundRobin } from "../../emulator/dataplane/balance";
import { expandPorts, MAX_PORTS_PER_FRONTEND, wantedBindings } from "../../emulator/dataplane/bindings";
import { frontendHeader } from "../../emulator/dataplane/headers";
import { requestedPort, resolveDataPlane } from "../../emulator/dataplane/options";
import { ruleMatches } from "../../emulator/dataplane/routing";
import { sourceAllowed } from "../../emulator/dataplane/sources";
import { covers } from "../../emulator/dataplane/tls";
import { createAuthority } from "../../emulator/dataplane/x509";
import type { Config } from "../../emulator/store";

describe("data plane: balancing", () => {
  it("gives each server exactly its weight over a cycle, in the smooth order, and restarts when the set changes", () => {
    const state = newRoundRobin();
    const servers = [{ id: 1, weight: 1 }, { id: 2, weight: 2 }, { id: 3, weight: 3 }];
    expect(Array.from({ length: 12 }, () => roundRobin(servers, state)!.id)).toEqual([3, 2, 1, 3, 2, 3, 3, 2, 1, 3, 2, 3]);
    roundRobin(servers, state);
    expect(roundRobin(servers.slice(0, 2), state)!.id).toBe(2); // a new set starts from zero scores
    expect(roundRobin([], state)).toBeUndefined();
  });

  it("hashes a key onto weighted slots, the same key always on the same server", () => {
    const servers = [{ id: 1, weight: 1 }, { id: 2, weight: 3 }];
    const picks = ["a", "b", "c", "d", "e", "f", "g", "h"].map((k) => byHash(servers, k)!.id);
    expect(picks).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"].map((k) => byHash(servers, k)!.id));
    expect(new Set(picks)).toEqual(new Set([1, 2]));
    expect(byHash([], "a")).toBeUndefined();
  });

  it("prefers the fewest active connections per weight, round robin among equals", () => {
    const active = new Map([[1, 2], [2, 1], [3, 1]]);
    const servers = [{ id: 1, weight: 2 }, { id: 2, weight: 1 }, { id: 3, weight: 1 }];
    const state = newRoundRobin();
    expect([1, 2, 3].map(() => leastConnections(servers, (id) => active.get(id)!, state)!.id)).toEqual([1, 2, 3]);
  });
});

describe("data plane: listeners and options", () => {
  it("expands port lists and ranges, up to the limit", () => {
    expect(expandPorts("80,443,8000-8002")).toEqual({ ports: [80, 443, 8000, 8001, 8002], more: false });
    expect(expandPorts("1-49151").ports).toHaveLength(MAX_PORTS_PER_FRONTEND);
    expect(expandPorts("1-49151").more).toBe(true);
  });

  it("binds enabled HTTP/TCP frontends of the running config, the lower id first, and says what it does not serve", () => {
    const fe = (type: string, port: string, more = {}) => ({ type, data: { port, disabled: false, ...more } });
    const running = { gra: { farms: {}, servers: {}, frontends: { 7: fe("http", "80"), 5: fe("tcp", "80,81"), 9: fe("udp", "53"), 11: fe("http", "82", { disabled: true }) } } } as unknown as Record<string, Config>;
    const { bindings, unserved } = wantedBindings(running, ["gra", "rbx"]);
    expect([...bindings.values()]).toEqual([
      { key: "gra:80", zone: "gra", port: 80, frontendId: 5, type: "tcp" },
      { key: "gra:81", zone: "gra", port: 81, frontendId: 5, type: "tcp" },
    ]);
    expect(unserved).toEqual([
      { zone: "gra", frontendId: 7, reason: "port 80 is served by frontend 5" },
      { zone: "gra", frontendId: 9, reason: "UDP frontends carry no traffic in the emulator" },
    ]);
  });

  it("asks for the mapped port, else base + port, else any port", () => {
    const options = resolveDataPlane({ basePort: 60000, ports: { "gra:80": 18080 } })!;
    expect([requestedPort(options, "gra", 80), requestedPort(options, "rbx", 80), requestedPort(options, "gra", 8000)]).toEqual([18080, 60080, 0]);
    expect(resolveDataPlane(true)).toEqual({ basePort: 10000, ports: {} });
    expect(resolveDataPlane(false)).toBeUndefined();
    expect(() => resolveDataPlane({ ports: { gra: 1 } })).toThrow('dataPlane.ports keys are "zone:port" (e.g. "gra:80"), got "gra"');
    expect(() => resolveDataPlane({ basePort: 70000 })).toThrow("dataPlane.basePort must be an integer in 0..65535, got 70000");
  });
});

describe("data plane: requests", () => {
  const facts = { source: "127.0.0.9", protocol: "http", uri: "/a/b", headers: { "x-team": "ops" }, cookies: new Map([["opt", "1"]]), query: new URLSearchParams("v=2&v=3") };

  it.each([
    [{ field: "source", match: "in", pattern: "10.0.0.0/8, 127.0.0.8/31" }, true],
    [{ field: "uri", match: "matches", pattern: "^/a/" }, true],
    [{ field: "uri", match: "matches", pattern: "(" }, false],
    [{ field: "header", subField: "X-Team", match: "in", pattern: "dev, ops" }, true],
    [{ field: "cookie", subField: "opt", match: "exists" }, true],
    [{ field: "cookie", subField: "other", match: "is", pattern: "1", negate: true }, true],
    [{ field: "param", subField: "v", match: "is", pattern: "3" }, false],
    [{ field: "host", match: "contains", pattern: "x" }, false],
  ])("matches the rule %j: %s", (rule, expected) => {
    expect(ruleMatches(rule, facts)).toBe(expected);
  });

  it("fills in the redirect variables of the routes guide", () => {
    const target = "${protocol}://${domain}:${port}${path}${arguments}|${host}|${unknown}";
    expect(expandTarget(target, { protocol: "http", host: "www.example.test:8080", port: 10080, path: "/p", arguments: "?q=1" }))
      .toBe("http://www.example.test:10080/p?q=1|www.example.test:8080|${unknown}");
  });

  it("reads httpHeader entries with a colon or a space, substituting %ci and %cp", () => {
    const client = { address: "127.0.0.9", port: 4242 };
    expect(frontendHeader("X-Real-IP: %ci", client)).toEqual(["X-Real-IP", "127.0.0.9"]);
    expect(frontendHeader("X-Client %ci:%cp", client)).toEqual(["X-Client", "127.0.0.9:4242"]);
    expect(frontendHeader(": nameless", client)).toBeUndefined();
  });

  it("judges sources against allowedSource and deniedSource", () => {
    expect(sourceAllowed({ allowedSource: ["127.0.0.0/30"] }, "127.0.0.3")).toBe(true);
    expect(sourceAllowed({ allowedSource: ["127.0.0.0/30"] }, "127.0.0.4")).toBe(false);
    expect(sourceAllowed({ deniedSource: ["127.0.0.4/32"] }, "127.0.0.4")).toBe(false);
    expect(sourceAllowed({ allowedSource: null, deniedSource: [] }, "127.0.0.4")).toBe(true);
  });
});

describe("data plane: certificates", () => {
  it("covers a name exactly or by a one-label wildcard", () => {
    expect([covers("www.example.test", "WWW.example.test"), covers("*.example.test", "a.example.test"), covers("*.example.test", "a.b.example.test"), covers("*.example.test", "example.test")])
      .toEqual([true, true, false, false]);
  });

  it("issues server certificates for names and addresses under its own CA", () => {
    const authority = createAuthority("unit");
    const ca = new X509Certificate(authority.certPem);
    const leaf = new X509Certificate(authority.issue(["shop.example.test", "127.0.0.1"], 90).cert);
    expect([ca.ca, ca.subject, leaf.ca, leaf.subject, leaf.subjectAltName]).toEqual([true, "CN=unit data-plane CA", false, "CN=shop.example.test", "DNS:shop.example.test, IP Address:127.0.0.1"]);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    const days = (new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()) / 86_400_000;
    expect(Math.round(days * 24)).toBe(90 * 24 + 1); // notBefore an hour back, for clocks a little behind
  });
});

/** The allow-list arithmetic of the policies (policy/policies/net.ts) and the preview-aware reader (values.ts). */
import { containing, isUnderDomain, parseAll, parseCidr, parsePortRange } from "../../policy/policies/net";
import { Reader, UNKNOWN } from "../../policy/policies/values";
import { policyProps } from "./harness";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", { first: 0x0a000000, last: 0x0affffff }],
    ["10.1.2.3/8", { first: 0x0a000000, last: 0x0affffff }],
    ["203.0.113.7", { first: 0xcb007107, last: 0xcb007107 }],
    ["0.0.0.0/0", { first: 0, last: 0xffffffff }],
  ])("reads %s as its whole range", (text, range) => {
    expect(parseCidr(text)).toMatchObject(range);
  });

  it.each(["10.0.0.0/33", "10.0.0/8", "256.0.0.1", "10.0.0.1/8/9", "fe80::1", "", "10.0.0.01"])("refuses %j", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it("finds the allow-list entry containing a whole block", () => {
    const allowed = parseAll(["10.0.0.0/8", "bogus", "192.0.2.0/28"], parseCidr);
    expect(allowed.invalid).toEqual(["bogus"]);
    expect(containing(parseCidr("192.0.2.15")!, allowed.parsed)?.text).toBe("192.0.2.0/28");
    expect(containing(parseCidr("192.0.2.0/27")!, allowed.parsed)).toBeUndefined();
  });
});

describe("parsePortRange", () => {
  it.each([["80", 80, 80], ["8000-8999", 8000, 8999], [" 443 ", 443, 443]])("reads %j", (text, min, max) => {
    expect(parsePortRange(text)).toMatchObject({ min, max });
  });
  it.each(["", "80-", "9-8", "http", "1-2-3"])("refuses %j", (text) => {
    expect(parsePortRange(text)).toBeUndefined();
  });
});

describe("isUnderDomain", () => {
  it.each([
    ["example.com", "example.com", true],
    ["WWW.Example.COM.", "example.com", true],
    ["a.b.example.com", ".example.com", true],
    ["a.example.com", "*.example.com", true],
    ["badexample.com", "example.com", false],
    ["example.com.evil.org", "example.com", false],
    ["example.com", "", false],
  ])("%s under %j: %s", (name, suffix, expected) => {
    expect(isUnderDomain(name, suffix)).toBe(expected);
  });
});

describe("Reader", () => {
  const props = policyProps({ known: 1, later: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", nested: { port: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } });

  it("reads known values and tells unknown ones apart without throwing", () => {
    const read = new Reader();
    expect([read.get(props, "known"), read.get(props, "absent"), read.get(props, "later")]).toEqual([1, undefined, UNKNOWN]);
    expect(read.get(read.get(props, "nested"), "port")).toBe(UNKNOWN);
  });

  it("throws @pulumi/policy's own error from finish() once an unknown value was read, and not for a peek", () => {
    const peeked = new Reader();
    peeked.peek(props, "later");
    expect(() => peeked.finish()).not.toThrow();
    const read = new Reader();
    read.get(props, "later");
    expect(() => read.finish()).toThrow("string value at .later can't be known during preview");
  });
});

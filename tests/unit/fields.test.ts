import * as fields from "../../provider/models/fields";

const fail = (property: string, reason: string) => ({ property, reason });

describe("checkers", () => {
  it.each([
    ["a listed value", "roundrobin", []],
    ["another value", "fastest", [fail("balance", '"fastest" is not one of first, leastconn, roundrobin, source, uri')]],
    ["a number", 3, [fail("balance", "3 is not one of first, leastconn, roundrobin, source, uri")]],
    ["a different case", "RoundRobin", [fail("balance", '"RoundRobin" is not one of first, leastconn, roundrobin, source, uri')]],
  ])("enumOf accepts only the listed values: %s", (_what, value, expected) => {
    expect(fields.enumOf(["first", "leastconn", "roundrobin", "source", "uri"])("balance", value)).toEqual(expected);
  });

  it.each([
    [1, []],
    [49151, []],
    [0, [fail("port", "0 is out of range 1..49151")]],
    [70000, [fail("port", "70000 is out of range 1..49151")]],
    ["80", [fail("port", '"80" is not an integer (allowed: 1..49151)')]],
    [80.5, [fail("port", "80.5 is not an integer (allowed: 1..49151)")]],
    [Number.NaN, [fail("port", "NaN is not an integer (allowed: 1..49151)")]],
    [true, [fail("port", "true is not an integer (allowed: 1..49151)")]],
  ])("intRange(1, 49151) on %p", (value, expected) => {
    expect(fields.intRange(1, 49151)("port", value)).toEqual(expected);
  });

  it("intRange without a maximum only enforces the minimum", () => {
    expect(fields.intRange(0)("vrackNetworkId", 2 ** 40)).toEqual([]);
    expect(fields.intRange(0)("vrackNetworkId", -1)).toEqual([fail("vrackNetworkId", "-1 is less than 0")]);
    expect(fields.intRange(1)("farmId", "12")).toEqual([fail("farmId", '"12" is not an integer (allowed: 1 or more)')]);
  });

  it.each(["10.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.1.10"])("ipv4 accepts %s", (value) => {
    expect(fields.ipv4("address", value)).toEqual([]);
  });

  it.each([
    ["10.0.0.300", '"10.0.0.300"'],
    ["10.0.0", '"10.0.0"'],
    ["010.0.0.1", '"010.0.0.1"'],
    ["10.0.0.1/32", '"10.0.0.1/32"'],
    [" 10.0.0.1", '" 10.0.0.1"'],
    ["2001:db8::1", '"2001:db8::1"'],
    [167772161, "167772161"],
  ])("ipv4 rejects %p", (value, shown) => {
    expect(fields.ipv4("address", value)).toEqual([fail("address", `${shown} is not an IPv4 address`)]);
  });

  it.each([
    [true, []],
    [false, []],
    ["true", [fail("ssl", '"true" is not a boolean')]],
    [1, [fail("ssl", "1 is not a boolean")]],
  ])("bool on %p", (value, expected) => {
    expect(fields.bool("ssl", value)).toEqual(expected);
  });

  it.each([
    ["a string", "web", {}, []],
    ["a number", 5, {}, [fail("p", "5 is not a string")]],
    ["an object", { a: 1 }, {}, [fail("p", "an object is not a string")]],
    ["an array", ["a"], {}, [fail("p", "an array is not a string")]],
    ["an empty string where one is required", "", { nonEmpty: true }, [fail("p", "must not be empty")]],
    ["a string over the maximum", "abcd", { maxLength: 3 }, [fail("p", "is 4 characters long, more than 3")]],
    ["a string off the pattern", "GRA", { pattern: { re: /^[a-z]+$/, hint: "is not lower-case" } }, [fail("p", '"GRA" is not lower-case')]],
    // With a pattern, its hint says what is allowed, also for an empty string or another type.
    ["an empty string with a pattern", "", { nonEmpty: true, pattern: { re: /^[a-z]+$/, hint: "is not lower-case" } }, [fail("p", '"" is not lower-case')]],
    ["an array with a pattern", ["gra"], { pattern: { re: /^[a-z]+$/, hint: "is not lower-case" } }, [fail("p", "an array is not lower-case")]],
  ])("str on %s", (_what, value, rules, expected) => {
    expect(fields.str(rules)("p", value)).toEqual(expected);
  });

  it("shortens long strings in messages", () => {
    expect(fields.formatValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(57)}...`));
  });
});

describe("checkFields", () => {
  const rules: fields.RuleTable = {
    name: { check: fields.str({ nonEmpty: true }), required: true },
    port: { check: fields.intRange(1, 49151), nullable: true },
    ssl: { check: fields.bool },
  };

  it("accepts a valid object and keys whose value is undefined", () => {
    expect(fields.checkFields({ name: "a", port: 80, ssl: true, extra: undefined }, rules)).toEqual([]);
  });

  it("reports every failure together: unknown fields first, then fields in table order", () => {
    expect(fields.checkFields({ wieght: 1, port: "80", ssl: null }, rules)).toEqual([
      fail("wieght", "unknown field; allowed fields: name, port, ssl"),
      fail("name", "a value is required"),
      fail("port", '"80" is not an integer (allowed: 1..49151)'),
      fail("ssl", "null is not a boolean"),
    ]);
  });

  it("refuses null on fields that are not nullable with the checker's own reason, which names what is allowed", () => {
    const table: fields.RuleTable = {
      status: { check: fields.enumOf(["active", "inactive"]), required: true },
      port: { check: fields.intRange(1, 49151), required: true },
      zone: { check: fields.str({ nonEmpty: true, pattern: { re: /^[a-z]+$/, hint: "is not a zone name" } }), required: true },
    };
    expect(fields.checkFields({ status: null, port: null, zone: null }, table)).toEqual([
      fail("status", "null is not one of active, inactive"),
      fail("port", "null is not an integer (allowed: 1..49151)"),
      fail("zone", "null is not a zone name"),
    ]);
  });

  it("allows null on nullable fields, because null means clear it", () => {
    expect(fields.checkFields({ name: "a", port: null }, rules)).toEqual([]);
  });

  it("skips values that are still unknown during preview", () => {
    expect(fields.checkFields({ name: fields.UNKNOWN, port: fields.UNKNOWN }, rules)).toEqual([]);
  });

  it("refuses fields of other object types with their own reason, and ignores them when null", () => {
    const opts = { unsupported: { stickiness: "UDP farms have no stickiness" } };
    expect(fields.checkFields({ name: "a", stickiness: "sourceIp" }, rules, opts)).toEqual([
      fail("stickiness", "UDP farms have no stickiness"),
    ]);
    expect(fields.checkFields({ name: "a", stickiness: null }, rules, opts)).toEqual([]);
  });

  it("leaves pass-through keys such as __provider alone", () => {
    expect(fields.checkFields({ name: "a", __provider: "exports.handler = ..." }, rules, { passThrough: ["__provider"] })).toEqual([]);
  });

  it("prefixes nested properties", () => {
    expect(fields.checkFields({ name: "", port: 0 }, rules, { prefix: "probe" })).toEqual([
      fail("probe.name", "must not be empty"),
      fail("probe.port", "0 is out of range 1..49151"),
    ]);
  });
});

describe("diffFields, updateBody and createBody", () => {
  const table: fields.FieldTable = {
    serviceName: { change: "replace" },
    weight: { change: "update", effective: (v) => v ?? 1 },
    label: { change: "update" },
    backup: { change: "update", cleared: false },
    cookie: { change: "update", unmanagedWhenAbsent: true },
    nested: { change: "update", effective: (v) => ({ a: 1, b: 2, ...(v as object) }) },
    adopt: { change: "ignore" },
  };
  const live = { serviceName: "lb-1", weight: 1, label: "old", backup: true, cookie: "c1", nested: null, adopt: 3 };

  it("reports nothing when the effective values match, whatever the ignored and unmanaged fields say", () => {
    const desired = { serviceName: "lb-1", label: "old", backup: true, nested: { a: 1 }, adopt: 9 };
    expect(fields.diffFields(table, desired, live)).toEqual({ changes: false, replaces: [], diffs: [], detailedDiff: {} });
    expect(fields.updateBody(table, desired, live)).toEqual({});
  });

  it("marks replace fields as update-replace and lists them in replaces", () => {
    const desired = { serviceName: "lb-2", label: "old", backup: true };
    expect(fields.diffFields(table, desired, live)).toEqual({
      changes: true,
      replaces: ["serviceName"],
      diffs: ["serviceName"],
      detailedDiff: { serviceName: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("classifies add, delete and update, and details nested objects key by key", () => {
    const desired = { serviceName: "lb-1", weight: 0, cookie: "c2", nested: { b: 3 } };
    const before = { ...live, nested: { a: 1, b: 2 } };
    expect(fields.diffFields(table, desired, before)).toEqual({
      changes: true,
      replaces: [],
      diffs: ["weight", "label", "backup", "cookie", "nested"],
      detailedDiff: {
        weight: { kind: "update", inputDiff: true },
        label: { kind: "delete", inputDiff: true },
        backup: { kind: "delete", inputDiff: true },
        cookie: { kind: "update", inputDiff: true },
        "nested.b": { kind: "update", inputDiff: true },
      },
    });
    expect(fields.updateBody(table, desired, before)).toEqual({ weight: 0, label: null, backup: false, cookie: "c2", nested: { b: 3 } });
  });

  it("treats a value unknown during preview as a change (a replace for replace fields)", () => {
    const desired = { serviceName: fields.UNKNOWN, label: "old", backup: true };
    expect(fields.diffFields(table, desired, live).replaces).toEqual(["serviceName"]);
  });

  it("goneDiff replaces the object through its id field", () => {
    expect(fields.goneDiff("farmId")).toEqual({
      changes: true,
      replaces: ["farmId"],
      diffs: ["farmId"],
      detailedDiff: { farmId: { kind: "update-replace", inputDiff: true } },
    });
  });

  it("createBody keeps set values, 0 and false included, and leaves out null and absent ones", () => {
    const body = fields.createBody(table, ["weight", "label", "backup", "cookie"], { weight: 0, label: null, backup: false });
    expect(body).toEqual({ weight: 0, backup: false });
  });
});

describe("deepEqual", () => {
  it.each([
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [[1, 2], [2, 1], false],
    [null, {}, false],
    [0, false, false],
  ])("compares %p and %p", (a, b, expected) => {
    expect(fields.deepEqual(a, b)).toBe(expected);
  });
});

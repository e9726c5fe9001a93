import * as zones from "../../provider/models/zones";

describe("touchedZones", () => {
  it.each([
    ["all", ["rbx", "gra"], ["gra", "rbx"]],
    ["all", ["gra", "gra"], ["gra"]],
    ["all", [], []],
    ["gra", ["gra", "rbx"], ["gra"]],
    ["sbg", ["gra"], ["sbg"]],
  ])("a change in zone %p of a service in %p touches %p", (zone, serviceZones, expected) => {
    expect(zones.touchedZones(zone, serviceZones)).toEqual(expected);
  });
});

describe("unionZones", () => {
  it("unionZones sorts and removes duplicates, so each zone is refreshed once", () => {
    expect(zones.unionZones(["rbx", "gra"], ["gra"], [])).toEqual(["gra", "rbx"]);
  });
});

describe("pending changes", () => {
  const pending = [{ zone: "rbx", number: 2 }, { zone: "gra", number: 1 }, { zone: "sbg", number: 0 }];

  it("pendingZones lists the zones with staged changes", () => {
    expect(zones.pendingZones(pending)).toEqual(["gra", "rbx"]);
    expect(zones.pendingZones([])).toEqual([]);
  });

  it("zonesToRefresh keeps the touched zones that have staged changes", () => {
    expect(zones.zonesToRefresh(["sbg", "gra", "bhs"], pending)).toEqual(["gra"]);
    expect(zones.zonesToRefresh(["gra"], [])).toEqual([]);
  });
});

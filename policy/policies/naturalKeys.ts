// Objects that OVH cannot tell apart. The provider recognises an object an interrupted deployment left (the host
// killed after OVH made it, before its id reached the state) by its natural key, and takes it over only when exactly
// one object has that key (provider/changes/adoptOrCreate.ts): two resources of a stack with the same key defeat that,
// so an interrupted `up` followed by another leaves a duplicate. They are rarely meant anyway: two servers with one
// address and port double that backend's share of the traffic; two farms with one displayName in one zone cannot be
// told apart in the console or the API.
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "./define";
import { label, Membership, serverLabel } from "./resources";
import { Reader, str, UNKNOWN } from "./values";

// Values not known yet (preview) are not judged, and not reported as "could not run" either: an unknown address or
// farm only means this warning may come in the next preview. So keys are peeked at, and servers are related to their
// farms through a Reader of their own, whose unknown reads are never reported.

/** Groups of two or more resources with the same key; resources whose key is not known (yet) are left out. */
function duplicates(resources: PolicyResource[], key: (r: PolicyResource) => string | undefined): PolicyResource[][] {
  const groups = new Map<string, PolicyResource[]>();
  for (const r of resources) {
    const k = key(r);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** A key made of known values; undefined when one of them is unknown. */
function known(read: Reader, r: PolicyResource, fields: string[]): string | undefined {
  const values = fields.map((f) => read.peek(r.props, f));
  return values.includes(UNKNOWN) ? undefined : JSON.stringify(values.map((v) => v ?? null));
}

const names = (rs: PolicyResource[]) => rs.map((r) => `"${r.name}"`).join(", ");

export const uniqueNaturalKeys = stackPolicy<Record<string, never>>({
  name: "iplb-unique-natural-keys",
  description: "No two servers of a farm share an address and port, and no two farms of a zone share a displayName.",
  enforcementLevel: "advisory",
  defaults: {},
  check: (resources, _config, read, report) => {
    const m = new Membership(resources, new Reader());
    for (const farm of m.farms) {
      for (const group of duplicates(m.serversOf(farm), (s) => known(read, s, ["address", "port"]))) {
        const port = read.peek(group[0].props, "port");
        const where = `${str(read.peek(group[0].props, "address"))}${typeof port === "number" ? `:${port}` : " (the farm's port)"}`;
        report(
          `${serverLabel(group[0], farm)} and ${names(group.slice(1))} all send traffic to ${where}: that backend gets ` +
            `${group.length} times its share, and if a deployment is interrupted while creating them, the next one cannot ` +
            `tell which OVH already made and creates duplicates. Keep one server per address and port.`,
          farm.urn,
        );
      }
    }
    // Farms of each protocol are a collection of their own, as in the API; farms without a displayName are left alone
    // (identical unnamed farms are normal, e.g. blue/green farms before their servers differ).
    const named = m.farms.filter((f) => typeof read.peek(f.props, "displayName") === "string");
    const farmKey = (f: PolicyResource) => {
      const key = known(read, f, ["serviceName", "zone", "displayName"]);
      return key === undefined ? undefined : `${f.type}|${key}`;
    };
    for (const group of duplicates(named, farmKey)) {
      report(
        `${label(group[0])} and ${names(group.slice(1))} have the same displayName "${str(read.peek(group[0].props, "displayName"))}" ` +
          `in zone ${str(read.peek(group[0].props, "zone"))}: nothing tells them apart in the OVH console or API, and if a ` +
          `deployment is interrupted while creating them, the next one creates duplicates. Give each farm its own displayName.`,
        group[0].urn,
      );
    }
  },
});

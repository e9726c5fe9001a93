// The policy pack that `pulumi preview --policy-pack ./policy` runs. Constructing a PolicyPack starts the analyzer's
// gRPC server (and reads ./package.json for its version), so this file does nothing else; the policies live in
// ./policies, which tests and other packs import instead.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("ovh-iplb", {
  description: "Guardrails for OVHcloud IP Load Balancer stacks built with pulumi-ovh-iplb: health probes, redundancy, bounds, stickiness, allowed addresses and names, route targets and rules, certificate expiry and secret keys.",
  policies,
});

/**
 * Bad inputs of the VrackNetwork family: the subnet a private IPv4 block written as its network address, natIp a block
 * inside it, vlan 0..4094, farmId a list of farm ids. Each is refused by check(), naming the field and what is allowed,
 * before any API call (the corpus's load balancer is not even attached to a vRack: nothing reaches the API to tell).
 */
import * as iplb from "../../sdk";
import type { BadInputCase, CorpusContext } from "./corpus";

/** What an untyped JavaScript caller may pass where TypeScript would object. */
const untyped = (value: unknown): any => value;
const network = (ctx: CorpusContext, over: Record<string, unknown>) =>
  new iplb.VrackNetwork("bad", { serviceName: ctx.serviceName, subnet: "10.0.0.0/16", natIp: "10.0.255.0/27", ...over } as iplb.VrackNetworkArgs);

const BLOCK = "is not an IPv4 block (a.b.c.d/n with n 0..32, e.g. 10.0.0.0/16)";
const PRIVATE = "is not a private block (allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)";
const INSIDE = "(natIp is a block of the subnet reserved for the load balancer)";
const FARM_ID = "is not a farm id (an integer, 1 or more: the farmId of an HttpFarm, TcpFarm or UdpFarm)";

export const vrackCases: BadInputCase[] = [
  { name: "VrackNetwork subnet without prefix", resource: "VrackNetwork", build: (c) => network(c, { subnet: "10.0.0.0" }),
    field: "subnet", message: `subnet: "10.0.0.0" ${BLOCK}` },
  { name: "VrackNetwork subnet /33", resource: "VrackNetwork", build: (c) => network(c, { subnet: "10.0.0.0/33" }),
    field: "subnet", message: `subnet: "10.0.0.0/33" ${BLOCK}` },
  { name: "VrackNetwork subnet empty", resource: "VrackNetwork", build: (c) => network(c, { subnet: "" }),
    field: "subnet", message: `subnet: "" ${BLOCK}` },
  { name: "VrackNetwork subnet not a network address", resource: "VrackNetwork", build: (c) => network(c, { subnet: "10.0.3.7/16" }),
    field: "subnet", message: 'subnet: "10.0.3.7/16" is not a network address; the block is "10.0.0.0/16"' },
  { name: "VrackNetwork subnet public", resource: "VrackNetwork", build: (c) => network(c, { subnet: "203.0.113.0/24", natIp: "203.0.113.0/27" }),
    field: "subnet", message: `subnet: "203.0.113.0/24" ${PRIVATE}` },
  { name: "VrackNetwork subnet wider than a private block", resource: "VrackNetwork", build: (c) => network(c, { subnet: "192.168.0.0/15", natIp: "192.168.0.0/27" }),
    field: "subnet", message: `subnet: "192.168.0.0/15" ${PRIVATE}` },
  { name: "VrackNetwork natIp outside the subnet", resource: "VrackNetwork", build: (c) => network(c, { natIp: "10.1.0.0/27" }),
    field: "natIp", message: `natIp: "10.1.0.0/27" is not inside the subnet "10.0.0.0/16" ${INSIDE}` },
  { name: "VrackNetwork natIp larger than the subnet", resource: "VrackNetwork", build: (c) => network(c, { natIp: "10.0.0.0/15" }),
    field: "natIp", message: `natIp: "10.0.0.0/15" is not inside the subnet "10.0.0.0/16" ${INSIDE}` },
  { name: "VrackNetwork natIp not a network address", resource: "VrackNetwork", build: (c) => network(c, { natIp: "10.0.255.9/27" }),
    field: "natIp", message: 'natIp: "10.0.255.9/27" is not a network address; the block is "10.0.255.0/27"' },
  { name: "VrackNetwork natIp as a number (untyped)", resource: "VrackNetwork", build: (c) => network(c, { natIp: untyped(167837440) }),
    field: "natIp", message: `natIp: 167837440 ${BLOCK}` },
  { name: "VrackNetwork vlan 4095", resource: "VrackNetwork", build: (c) => network(c, { vlan: 4095 }),
    field: "vlan", message: "vlan: 4095 is out of range 0..4094" },
  { name: "VrackNetwork vlan -1", resource: "VrackNetwork", build: (c) => network(c, { vlan: -1 }),
    field: "vlan", message: "vlan: -1 is out of range 0..4094" },
  { name: "VrackNetwork vlan 1.5", resource: "VrackNetwork", build: (c) => network(c, { vlan: 1.5 }),
    field: "vlan", message: "vlan: 1.5 is not an integer (allowed: 0..4094)" },
  { name: "VrackNetwork farmId not a list (untyped)", resource: "VrackNetwork", build: (c) => network(c, { farmId: untyped(12) }),
    field: "farmId", message: "farmId: 12 is not a list of farm ids (the farmId of HttpFarm, TcpFarm or UdpFarm resources)" },
  { name: "VrackNetwork farmId 0", resource: "VrackNetwork", build: (c) => network(c, { farmId: [0] }),
    field: "farmId", message: `farmId: 0 ${FARM_ID}` },
  { name: "VrackNetwork farmId a name (untyped)", resource: "VrackNetwork", build: (c) => network(c, { farmId: untyped(["web"]) }),
    field: "farmId", message: `farmId: "web" ${FARM_ID}` },
  { name: "VrackNetwork displayName with CR/LF", resource: "VrackNetwork", build: (c) => network(c, { displayName: "backends\r\nX: 1" }),
    field: "displayName", message: "displayName: contains a control character (U+000D); one line of text is allowed" },
  { name: "VrackNetwork unknown field vlanId (untyped)", resource: "VrackNetwork", build: (c) => network(c, { vlanId: 3 }),
    field: "vlanId", message: "vlanId: unknown field; allowed fields: serviceName, subnet, natIp, vlan, displayName, farmId, adoptVrackNetworkId" },
];

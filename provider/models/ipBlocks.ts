// Lists of IPv4 blocks (`ipBlock[]` in the schema): a frontend's `dedicatedIpfo`, `allowedSource` and `deniedSource`.
// - A bare address means that one address: "203.0.113.7" is "203.0.113.7/32", the form the API reports.
// - A block must be a network address ("10.0.0.0/24"): "10.0.0.5/24" is refused with the block it probably means,
//   because an API that stores the network address would otherwise diff forever against what the program says.
// - Order and repeats mean nothing (each list is a set of addresses the frontend listens on, admits or refuses), and
//   an empty list is the same as none ("No restriction if null", schema): the diff compares sorted, de-duplicated
//   lists, with [] as null, and a cleared list is sent as null.
// IPv6 blocks are not accepted: the IPLB's failover IPs and the emulator are IPv4 only.
import * as fields from "./fields";
import { ipv4ToNumber, numberToIpv4, OCTET } from "./ipv4";

const BLOCK = new RegExp(`^${OCTET}(\\.${OCTET}){3}(/(3[0-2]|[12]?\\d))?$`);

/** "203.0.113.7" -> "203.0.113.7/32"; a block is kept; undefined when the value is not an IPv4 address or block. */
export function normalizeBlock(value: unknown): string | undefined {
  if (typeof value !== "string" || !BLOCK.test(value)) return undefined;
  return value.includes("/") ? value : `${value}/32`;
}

/** The network address of a block, "10.0.0.5/24" -> "10.0.0.0/24". */
export function networkOf(block: string): string {
  const [address, bits] = block.split("/");
  const size = 2 ** (32 - Number(bits));
  return `${numberToIpv4(Math.floor((ipv4ToNumber(address) ?? 0) / size) * size)}/${bits}`;
}

function checkBlock(property: string, value: unknown): fields.CheckFailure[] {
  const block = normalizeBlock(value);
  if (block === undefined) return [fields.failure(property, `${fields.formatValue(value)} is not an IPv4 address or block (a.b.c.d, or a.b.c.d/n with n 0..32)`)];
  const network = networkOf(block);
  return network === block ? [] : [fields.failure(property, `${fields.formatValue(value)} is not a network address; the block is "${network}"`)];
}

/** A `Checker` for an ipBlock list: every bad entry is reported. */
export const checkBlockList: fields.Checker = (property, value) => {
  if (!Array.isArray(value)) return [fields.failure(property, `${fields.formatValue(value)} is not a list of IPv4 addresses or blocks`)];
  return value.flatMap((item) => (fields.containsUnknown(item) ? [] : checkBlock(property, item)));
};

/** The list as the API should get it: bare addresses as /32, each once, in the user's order; an empty list as null. */
export function blockListBody(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return [...new Set(value.map((item) => normalizeBlock(item) ?? String(item)))];
}

/** What the diff compares: the set of blocks (sorted, de-duplicated, /32 written out), or null for none. */
export function effectiveBlockList(value: unknown): string[] | null {
  const body = blockListBody(value);
  return body === null ? null : body.slice().sort();
}

/** True when the list restricts something: set, known, and not empty. */
export function isSetList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

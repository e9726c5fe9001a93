// IPv4 addresses, once for the models and the policy pack: dotted quads without leading zeros (the schema's `ipv4`).

/** One octet, 0..255, without leading zeros. */
export const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** A dotted-quad IPv4 address as a 32-bit unsigned number, or undefined. */
export function ipv4ToNumber(address: string): number | undefined {
  if (!IPV4.test(address)) return undefined;
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

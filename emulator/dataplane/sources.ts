/**
 * Client addresses against ipBlocks: a frontend's `allowedSource` / `deniedSource` ("Restrict [Deny] IP Load Balancing
 * access to these ip block. No restriction if null", schema) and routes' `source` rules. The client address is the
 * loopback address the connection came from (a test client picks one with `localAddress`, e.g. 127.0.0.7).
 */
import { isIpBlock } from "../validate";
import { rangeOf } from "../models/vrack";

/** `::ffff:127.0.0.1` (an IPv4 client seen by a dual-stack socket) -> `127.0.0.1`. */
export const clientAddress = (remote: string | undefined): string => (remote ?? "").replace(/^::ffff:/, "");

export function inBlock(address: string, block: string): boolean {
  if (!isIpBlock(block) || !isIpBlock(address)) return false;
  const a = rangeOf(address);
  const b = rangeOf(block.trim());
  return a.first >= b.first && a.first < b.first + b.size;
}

export const inAnyBlock = (address: string, blocks: readonly string[]): boolean => blocks.some((b) => inBlock(address, b.trim()));

/** Whether the frontend lets this client in: inside `allowedSource` when set, outside `deniedSource` when set. */
export function sourceAllowed(frontend: Record<string, unknown>, address: string): boolean {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
  const allowed = list(frontend.allowedSource);
  if (allowed.length > 0 && !inAnyBlock(address, allowed)) return false;
  return !inAnyBlock(address, list(frontend.deniedSource));
}

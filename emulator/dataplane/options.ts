/**
 * The `dataPlane` option of the emulator: `true`, or where the frontends' listeners go. Off (absent or false) by
 * default, so an emulator without it listens on nothing but its API port.
 */

export interface DataPlaneOptions {
  /**
   * A frontend port P listens on 127.0.0.1:(basePort + P) when that is at most 65535, else on a free port
   * (default 10000: frontend port 80 -> 10080). A port already taken falls back to a free one too.
   */
  basePort?: number;
  /** Explicit local ports by `zone:port`, e.g. `{ "gra:80": 18080 }`; they win over `basePort`. */
  ports?: Record<string, number>;
}

export type DataPlaneOption = boolean | DataPlaneOptions;

export interface ResolvedDataPlane {
  basePort: number;
  ports: Readonly<Record<string, number>>;
}

export const DEFAULT_BASE_PORT = 10000;
const KEY = /^[a-z0-9-]+:\d{1,5}$/;

function localPort(name: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > 65535) {
    throw new Error(`${name} must be an integer in ${min}..65535, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** The option checked (a mistake names the field and what it takes); undefined when the data plane is off. */
export function resolveDataPlane(option: DataPlaneOption | undefined): ResolvedDataPlane | undefined {
  if (option === undefined || option === false) return undefined;
  const given: DataPlaneOptions = option === true ? {} : option;
  const basePort = given.basePort === undefined ? DEFAULT_BASE_PORT : localPort("dataPlane.basePort", given.basePort, 0);
  const ports: Record<string, number> = {};
  for (const [key, value] of Object.entries(given.ports ?? {})) {
    if (!KEY.test(key)) throw new Error(`dataPlane.ports keys are "zone:port" (e.g. "gra:80"), got ${JSON.stringify(key)}`);
    ports[key] = localPort(`dataPlane.ports["${key}"]`, value, 1);
  }
  return { basePort, ports };
}

/** The local port a frontend's (zone, port) asks for: the explicit mapping, else basePort + port, else 0 (any). */
export function requestedPort(options: ResolvedDataPlane, zone: string, port: number): number {
  const explicit = options.ports[`${zone}:${port}`];
  if (explicit !== undefined) return explicit;
  return options.basePort + port <= 65535 ? options.basePort + port : 0;
}

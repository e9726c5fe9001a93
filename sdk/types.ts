/**
 * String unions shared by the args of every resource. Each is backed by the `as const` list the provider validates
 * against, so `check()`, error messages, policies and these types never disagree.
 */
import type * as farm from "../provider/models/farm";
import type * as farmServer from "../provider/models/farmServer";
import type * as wire from "../provider/api/wire";

export type FarmType = farm.FarmType;
/** `roundrobin` when absent. */
export type HttpBalance = farm.HttpBalance;
export type TcpBalance = farm.TcpBalance;
/** `cookie` inserts a cookie naming the server; `sourceIp` hashes the client address. Absent = no stickiness. */
export type HttpStickiness = farm.HttpStickiness;
export type TcpStickiness = farm.TcpStickiness;
export type ProbeType = farm.ProbeType;
export type ProbeMethod = farm.ProbeMethod;
export type ProbeMatch = farm.ProbeMatch;
export type ServerStatus = farmServer.ServerStatus;
export type ProxyProtocolVersion = farmServer.ProxyProtocolVersion;
export type OnMarkedDownAction = farmServer.OnMarkedDownAction;

/**
 * The farm's health check (`ipLoadbalancing.BackendProbe`). It runs only for servers whose `probe` is true.
 * Absent on a farm = the API default: a TCP connect on the server port every 30 s.
 */
export interface ProbeArgs {
  /** `tcp` when absent; `http` for HTTP checks; `smtp`, `mysql`, `pgsql`, `oco` check those protocols. */
  type?: ProbeType;
  /** Port to probe (1..49151); the server's port when absent. Ignored by `oco` (port 79). */
  port?: number | null;
  /** Seconds between checks, 30..3600; 30 when absent. */
  interval?: number | null;
  /** HTTP probes only: `OPTIONS` when absent (OVH's default, in HTTP/1.0, which many servers refuse: set `GET`). */
  method?: ProbeMethod | null;
  /** HTTP probes only: `[host]/path`, e.g. `www.example.com/health` (a host part sends HTTP/1.1 with Host). `/` when absent. */
  url?: string | null;
  /**
   * How the answer is judged: `default` (HTTP: any 2xx/3xx; TCP: the connection), `status` (HTTP only; `pattern` lists
   * the accepted codes, comma-separated), `contains` (substring), `matches` (regular expression, first 16 KB).
   */
  match?: ProbeMatch | null;
  /** What `match` compares with (required for `status`, `contains`, `matches`). */
  pattern?: string | null;
  /** Inverts `match`; requires `match`. */
  negate?: boolean | null;
  /** Probe over TLS even if the farm is plain. */
  forceSsl?: boolean | null;
}

/**
 * One load-balancer instance's view of a server (`ipLoadbalancing.ServerState`): `status` is `UP`, `DOWN`, or
 * `no check` when no probe runs; `checkStatus` the HAProxy result (`L4OK`, `L7OK`, `L4CON` refused, `L7STS` wrong
 * status, `L4TOUT` timeout, ...); `checkCode` the HTTP status of the last check, when there was one.
 */
export type ServerState = wire.ServerState;

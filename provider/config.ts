/**
 * Provider settings: the official OVH provider's stack config keys (`ovh:endpoint`, `ovh:applicationKey`,
 * `ovh:applicationSecret`, `ovh:consumerKey`) or the usual `OVH_*` variables, plus our own `ovh-iplb:*` tuning keys.
 *
 * Read inside provider methods (from `configure()` or the environment of the dynamic-provider host), never at module
 * scope: whatever a serialized provider closure captures is written in plain text into `__provider` in the state.
 */

/** Where the API is: an `ovh` client endpoint preset, or an explicit URL (e.g. the emulator's). */
export type Endpoint = { kind: "preset"; name: string } | { kind: "url"; host: string; port: number; basePath: string };

export interface ClientConfig {
  endpoint: Endpoint;
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
  /** CA certificate (PEM file) to trust for a URL endpoint, e.g. the emulator's `caFile`. */
  caFile?: string;
  /** Per-request socket timeout. */
  requestTimeoutMs: number;
  /** How long to wait for one refresh (or IP / certificate task) before failing. */
  taskTimeoutMs: number;
  /** First wait before retrying a failed call (then doubled each time); unset = the client's default (500 ms). */
  retryBaseMs?: number;
}

/**
 * How often a task is polled (changes/tasks.ts `nextPollDelay`): the first poll 250 ms after the task was posted, each
 * wait then as long as the task has run so far, at most 10 s. Calls per task, from `pollsUntil`
 * (tests/unit/pollCadence.test.ts holds the bounds):
 *
 * | task takes | polls | seen done at |
 * |---:|---:|---:|
 * | 1 s | 3 | 1 s |
 * | 3 s | 5 | 4 s |
 * | 30 s (a refresh) | 9 | 36 s |
 * | 60 s (an IP move) | 12 | 66 s |
 * | 90 s (a certificate order) | 15 | 96 s |
 *
 * So a task costs a handful of GETs while it is young and one per 10 s after 16 s: a refresh of 30 s is 9 GETs, where
 * waits of an eighth of the time elapsed (from 100 ms, at most 3 s) made 30. OVH says a client under 60 calls a minute
 * per consumer key "should be ok" (github.com/ovh/python-ovh issue 81); one task's polls stay at 6 a minute or fewer
 * after its first 16 s. The price: a task is seen done up to its own duration late while short (a 1.1 s refresh at 2
 * s), and up to 10 s late once long.
 */
export const POLL_DEFAULTS = { minIntervalMs: 250, maxIntervalMs: 10_000 } as const;

/**
 * `OVH_IPLB_POLL_TIME_SCALE` of the host's environment: multiplies the poll bounds above, for a benchmark that runs
 * the emulator's realistic profile time-compressed (emulator/profiles.ts `timeScale`) and must count the calls of the
 * full-scale run. Not a stack setting: no user needs it. A value that is not a positive number is ignored (1), since
 * the real cadence is the safe one.
 */
export function pollTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.OVH_IPLB_POLL_TIME_SCALE);
  return env.OVH_IPLB_POLL_TIME_SCALE && Number.isFinite(n) && n > 0 ? n : 1;
}

/**
 * `OVH_IPLB_REFRESH_EACH_WRITE=true` in the host's environment: every write posts a refresh of its own zones as soon as
 * it is written, one after the other, instead of sharing one with the writes beside it (changes/writeWindow.ts). It
 * is the naive provider the benchmark compares with (bench/sessions.ts, "sessions broken per deployment"), and no user
 * wants it: each refresh closes the zone's open connections and empties its sourceIp tables. Not a stack setting, for
 * the same reason as the poll scale above; anything but `true` leaves the shared refreshes on.
 */
export function refreshEachWrite(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OVH_IPLB_REFRESH_EACH_WRITE === "true";
}

/** Endpoint presets of the `ovh` client 2.0.3 (lib/endpoints.js). */
export const ENDPOINT_PRESETS = [
  "ovh-eu", "ovh-ca", "ovh-us", "sys-eu", "sys-ca", "soyoustart-eu", "soyoustart-ca", "ks-eu", "ks-ca", "kimsufi-eu", "kimsufi-ca",
] as const;

/** Each setting: its stack config key and its environment variable. */
export const SETTINGS = {
  endpoint: { key: "ovh:endpoint", env: "OVH_ENDPOINT" },
  applicationKey: { key: "ovh:applicationKey", env: "OVH_APPLICATION_KEY" },
  applicationSecret: { key: "ovh:applicationSecret", env: "OVH_APPLICATION_SECRET" },
  consumerKey: { key: "ovh:consumerKey", env: "OVH_CONSUMER_KEY" },
  caFile: { key: "ovh-iplb:caFile", env: "OVH_CA_FILE" },
  requestTimeoutSeconds: { key: "ovh-iplb:requestTimeoutSeconds", env: "OVH_IPLB_REQUEST_TIMEOUT_SECONDS" },
  taskTimeoutSeconds: { key: "ovh-iplb:taskTimeoutSeconds", env: "OVH_IPLB_TASK_TIMEOUT_SECONDS" },
  retryBaseMs: { key: "ovh-iplb:retryBaseMs", env: "OVH_IPLB_RETRY_BASE_MS" },
} as const;

export type SettingName = keyof typeof SETTINGS;

/** A source of raw settings: the dynamic provider's `configure` config, with the environment as fallback. */
export type Lookup = (name: SettingName) => string | undefined;

export function lookupFrom(config: { get(key: string): string | undefined } | undefined, env: NodeJS.ProcessEnv): Lookup {
  return (name) => {
    const fromConfig = config?.get(SETTINGS[name].key);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    const fromEnv = env[SETTINGS[name].env];
    return fromEnv === "" ? undefined : fromEnv;
  };
}

/**
 * Messages about a setting never echo its value: a secret put in the wrong variable (or in a URL's user info) would end
 * in a log. A URL is shown by its scheme and host at most.
 */
export function parseEndpoint(value: string): Endpoint {
  if ((ENDPOINT_PRESETS as readonly string[]).includes(value)) return { kind: "preset", name: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `ovh:endpoint: the value is neither an endpoint name (${ENDPOINT_PRESETS.join(", ")}) nor an https:// URL (the value is not shown: it could be a secret)`,
    );
  }
  const shown = `${url.protocol}//${url.hostname}`;
  if (url.protocol !== "https:") throw new Error(`ovh:endpoint: ${shown} must use https:// (the ovh client speaks HTTPS only)`);
  if (url.username || url.password) {
    throw new Error(
      `ovh:endpoint: ${shown} carries a user name or password, which the ovh client ignores; put credentials in ovh:applicationKey, ovh:applicationSecret and ovh:consumerKey`,
    );
  }
  const basePath = url.pathname.replace(/\/+$/, "") || "/1.0";
  return { kind: "url", host: url.hostname, port: url.port ? Number(url.port) : 443, basePath };
}

function seconds(lookup: Lookup, name: SettingName, fallback: number): number {
  const raw = lookup(name);
  if (raw === undefined) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${SETTINGS[name].key}: the value is not a positive number of seconds (e.g. ${fallback})`);
  return Math.round(n * 1000);
}

function milliseconds(lookup: Lookup, name: SettingName): number | undefined {
  const raw = lookup(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${SETTINGS[name].key}: the value is not a positive number of milliseconds (e.g. 500)`);
  return Math.round(n);
}

/**
 * Builds the client settings, or throws an error naming every missing setting by key and variable
 * (never by value: a message must not carry a secret).
 */
export function resolveConfig(lookup: Lookup): ClientConfig {
  const required = ["applicationKey", "applicationSecret", "consumerKey"] as const;
  const missing = required.filter((name) => lookup(name) === undefined);
  if (missing.length > 0) {
    const names = missing.map((n) => `${SETTINGS[n].key} (or ${SETTINGS[n].env})`).join(", ");
    throw new Error(
      `OVH credentials are missing: set ${names}. Use \`pulumi config set --secret\` for the secret ones.`,
    );
  }
  return {
    endpoint: parseEndpoint(lookup("endpoint") ?? "ovh-eu"),
    applicationKey: lookup("applicationKey") as string,
    applicationSecret: lookup("applicationSecret") as string,
    consumerKey: lookup("consumerKey") as string,
    caFile: lookup("caFile"),
    requestTimeoutMs: seconds(lookup, "requestTimeoutSeconds", 60),
    taskTimeoutMs: seconds(lookup, "taskTimeoutSeconds", 600),
    retryBaseMs: milliseconds(lookup, "retryBaseMs"),
  };
}

/**
 * The state file (`--state-file`): the store and the credentials, loaded at start-up and saved after changes. Saves
 * are debounced: a burst of writes (a deployment's servers) is one save, not one per request.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import type { Credentials } from "./auth";
import type { EmulatorOptions } from "./runtime";
import { seed } from "./seed";
import type { StoreData } from "./store";

/** The file: the store, the credentials it accepts, and the port it listened on (kept across restarts). */
export interface StoredFile extends StoreData {
  credentials?: Credentials;
  port?: number;
}

/** The saved state when the file exists, else a seeded load balancer. A file that cannot be read is named. */
export function loadState(options: EmulatorOptions): { data: StoreData; credentials?: Credentials; port?: number } {
  const file = options.stateFile;
  if (!file || !fs.existsSync(file)) return { data: seed({ serviceName: options.serviceName, zones: options.zones, vrack: options.vrack }) };
  try {
    const { credentials, port, ...data } = JSON.parse(fs.readFileSync(file, "utf8")) as StoredFile;
    if (typeof data.services !== "object" || data.services === null) throw new Error("it has no services");
    return { data, credentials, port };
  } catch (e) {
    throw new Error(`ovh-iplb-emulator: cannot read the state file ${file}: ${(e as Error).message}; fix it or delete it to start from the seed`);
  }
}

/** Credentials given in the options win, then the saved ones; random ones otherwise. */
export function makeCredentials(options: EmulatorOptions, saved?: Credentials): Credentials {
  const random = (n: number) => randomBytes(n).toString("hex");
  return {
    applicationKey: options.credentials?.applicationKey ?? saved?.applicationKey ?? random(8),
    applicationSecret: options.credentials?.applicationSecret ?? saved?.applicationSecret ?? random(16),
    consumerKey: options.credentials?.consumerKey ?? saved?.consumerKey ?? random(16),
  };
}

export interface Saver {
  /** The state changed: save soon. */
  changed(): void;
  /** Save now (start-up, credentials rotated, close). */
  saveNow(): void;
  /** Drop a pending save (the caller saves now or never). */
  cancel(): void;
}

/**
 * Writes the file whole (a temporary file renamed over it: a crash never leaves half a state) and private (mode 0600:
 * it holds the credentials).
 */
function writePrivately(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600); // the mode above is masked by the umask; this is not
  fs.renameSync(temporary, file);
}

/** Saves what `snapshot` returns to `stateFile`; does nothing without a file. */
export function saver(stateFile: string | undefined, snapshot: () => StoredFile): Saver {
  let timer: NodeJS.Timeout | undefined;
  const saveNow = () => {
    if (stateFile) writePrivately(stateFile, JSON.stringify(snapshot(), null, 2));
  };
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    changed: () => {
      if (!stateFile || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        saveNow();
      }, 20);
    },
    saveNow,
    cancel,
  };
}

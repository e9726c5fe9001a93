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

interface StoredFile extends StoreData {
  credentials?: Credentials;
}

/** The saved state when the file exists, else a seeded load balancer. */
export function loadState(options: EmulatorOptions): { data: StoreData; credentials?: Credentials } {
  if (options.stateFile && fs.existsSync(options.stateFile)) {
    const { credentials, ...data } = JSON.parse(fs.readFileSync(options.stateFile, "utf8")) as StoredFile;
    return { data, credentials };
  }
  return { data: seed({ serviceName: options.serviceName, zones: options.zones }) };
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

/** Saves what `snapshot` returns to `stateFile`; does nothing without a file. */
export function saver(stateFile: string | undefined, snapshot: () => StoreData & { credentials: Credentials }): Saver {
  let timer: NodeJS.Timeout | undefined;
  const saveNow = () => {
    if (stateFile) fs.writeFileSync(stateFile, JSON.stringify(snapshot(), null, 2));
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

// Reading resource properties during preview without losing the whole policy to one unknown value.
//
// @pulumi/policy hands policies `props` wrapped in a proxy (proxy.js `unknownCheckingProxy`) that throws an
// UnknownValueError when a value that is not known yet (an Output of a resource not created yet, during preview) is
// read; the policy server then reports "can't run policy X during preview" as an advisory instead of running it. That
// is the contract we keep, but only for values a policy really needs: `Reader.get` looks at the raw value first, so
// the policy goes on with everything that is known (and reports what is already wrong), and `finish()` then reads the
// first unknown value through the proxy, which throws the framework's own error for the server to report.
//
// The sentinels are the wire constants of unknown values (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go
// `UnknownStringValue` ..., the same in @pulumi/policy proxy.js); Node programs only produce the string one.
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (and what Node programs send for any unknown)
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** What `Reader.get` returns for a value that is not known yet. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

export class Reader {
  private readonly unknownReads: (() => unknown)[] = [];

  /** `obj[key]`, or UNKNOWN (remembered for `finish`) when the value is not known yet; undefined when absent. */
  get(obj: unknown, key: string | number): unknown {
    const value = this.peek(obj, key);
    if (value === UNKNOWN) this.unknownReads.push(() => (obj as Record<string | number, unknown>)[key]);
    return value;
  }

  /** Like `get`, without remembering an unknown value: for values that may turn out not to matter. */
  peek(obj: unknown, key: string | number): unknown {
    if (obj === null || typeof obj !== "object") return undefined;
    // The proxy has no getOwnPropertyDescriptor trap: this sees the raw value without tripping the unknown check.
    const raw: unknown = Object.getOwnPropertyDescriptor(obj, key)?.value;
    if (isUnknownSentinel(raw)) return UNKNOWN;
    return raw === undefined ? undefined : (obj as Record<string | number, unknown>)[key];
  }

  /** true once any value read was unknown: the policy could not judge everything. */
  get sawUnknown(): boolean {
    return this.unknownReads.length > 0;
  }

  /**
   * Re-reads the first unknown value through @pulumi/policy's proxy, which throws its UnknownValueError ("string value
   * at .farmId can't be known during preview"): the server reports it as an advisory after the violations already
   * reported. A no-op when everything was known, or when the props are not proxied (a plain object in a unit test).
   */
  finish(): void {
    for (const read of this.unknownReads) read();
  }
}

/** A string value, or undefined when absent, unknown or of another type. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A number value, or undefined when absent, unknown or of another type. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

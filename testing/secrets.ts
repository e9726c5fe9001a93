/**
 * Errors of the Pulumi CLI as the Automation API reports them carry the command line, and `pulumi config set-all`
 * takes its values there (`--secret ovh:consumerKey=...`): such an error would print the credentials in a test's
 * output. Every error the kit passes on from the CLI goes through `scrubbed` first.
 */

const MASK = "[secret]";

/** `text` with every occurrence of each hidden value replaced by `[secret]`. */
export function scrub(text: string, hidden: readonly string[]): string {
  return hidden.reduce((out, value) => (value ? out.split(value).join(MASK) : out), text);
}

/**
 * A new Error saying `what` failed, with the original message and stack scrubbed; the original (which holds the
 * values, also in fields such as `commandResult`) is not kept as `cause`.
 */
export function scrubbed(what: string, error: unknown, hidden: readonly string[]): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const out = new Error(`${what}: ${scrub(original.message, hidden)}`);
  out.name = original.name;
  const frames = (original.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  out.stack = [`${out.name}: ${out.message}`, ...frames.map((line) => scrub(line, hidden))].join("\n");
  return out;
}

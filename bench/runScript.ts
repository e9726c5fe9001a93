/**
 * How a benchmark script ends: exit 0 once `main` resolved (open handles such as a forked emulator's channel must not
 * keep it alive), or its error's stack on stderr and exit 1.
 */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}

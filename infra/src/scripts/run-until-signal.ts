/** What each standalone `npm run start:*` script does around its server: a prefixed log, Ctrl-C, a failed start. */

/** Writes `<prefix> │ <line>` to stdout, as the launcher shows its children's lines. */
export const prefixedLog =
  (prefix: string) =>
  (line: string): void => {
    process.stdout.write(`${prefix} │ ${line}\n`);
  };

/** On SIGINT/SIGTERM: `stop()` once, then "stopped" and exit 0. */
export function stopOnSignal(stop: () => Promise<unknown>, log: (line: string) => void): void {
  let stopping = false;
  const handle = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => {
      log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/** Runs the script's main; a failure is one prefixed line on stderr and exit 1. */
export function runScript(prefix: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${prefix} │ ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

// Entry point. `--version` is answered before anything else loads: it is on the speed budget (1.3x `node -e 0`).
import { VERSION } from "../version.js";

/**
 * A reader that goes away (`dbdoctor check | head`, a pager closed early) makes the next write to standard output
 * fail with EPIPE. That ends the run quietly with exit code 2 (the report was not delivered: "dbdoctor could not
 * do its job"), never with a stack trace. Standard error going away is ignored.
 */
function quietOnClosedPipe(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") {
      try {
        process.stderr.write(`dbdoctor: error: cannot write the report to standard output (${err.code ?? "error"})\n`);
      } catch {
        // nobody to tell
      }
    }
    process.exit(2);
  });
  process.stderr.on("error", () => undefined);
}

/**
 * The process ends as soon as its report is written: the run's sockets are closed by then, but an uncancellable
 * getaddrinfo on the thread pool (a DNS server that does not answer) would otherwise hold it for its own timeouts.
 * Writes to pipes and files are synchronous on Linux; the empty write's callback orders the exit after them.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  // A failed write reaches this callback before the stream's 'error' event: the report did not get out, exit 2.
  process.stdout.write("", (err) => process.exit(err ? 2 : code));
}

quietOnClosedPipe();
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import("./app.js");
  exitWith(await main(argv));
}

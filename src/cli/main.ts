// Entry point. `--version` is answered before anything else loads: it is on the speed budget (1.3x `node -e 0`).
import { VERSION } from "../version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import("./app.js");
  process.exitCode = await main(argv);
}

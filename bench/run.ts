// npm run bench: every speed budget of DESIGN.md, measured on this machine. Prints; never fails a build.
import { benchCheck } from "./check.js";
import { benchVersion } from "./version.js";

console.log(benchVersion().line);
console.log((await benchCheck()).lines.join("\n"));
console.log("audit: see npm run bench:audit");

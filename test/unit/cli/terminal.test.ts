// Colour precedence (README "Output formats") and the width --help wraps at.
import { describe, expect, it } from "vitest";
import { closest } from "../../../src/cli/suggest.js";
import { helpWidth, resolveColor } from "../../../src/cli/terminal.js";

describe("resolveColor: --color/--no-color, FORCE_COLOR, NO_COLOR, TERM=dumb, then a terminal", () => {
  it.each([
    // [flag, env, isTTY, colour]
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [undefined, { TERM: "dumb" }, true, false],
    [undefined, { TERM: "xterm-256color" }, true, true],
    [true, { TERM: "dumb" }, true, true],
    [true, { TERM: "dumb" }, false, true],
    [false, { FORCE_COLOR: "1" }, true, false],
    [undefined, { FORCE_COLOR: "1", TERM: "dumb" }, false, true],
    [undefined, { FORCE_COLOR: "", TERM: "dumb" }, false, true],
    [undefined, { FORCE_COLOR: "0" }, true, false],
    [undefined, { FORCE_COLOR: "false" }, true, false],
    [undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
    [undefined, { NO_COLOR: "1" }, true, false],
    [undefined, { NO_COLOR: "" }, true, true],
    [undefined, { NO_COLOR: "", TERM: "dumb" }, true, false],
    [true, { NO_COLOR: "1" }, false, true],
  ] as Array<[boolean | undefined, NodeJS.ProcessEnv, boolean, boolean]>)(
    "flag %s, env %j, tty %s -> %s",
    (flag, env, tty, colour) => {
      expect(resolveColor(flag, env, tty)).toBe(colour);
    },
  );
});

describe("helpWidth", () => {
  it.each([
    // [stdout columns, stderr columns, COLUMNS, width]
    [100, undefined, undefined, 100],
    [undefined, 70, undefined, 70],
    [undefined, undefined, "60", 60],
    [90, 70, "60", 90],
    [undefined, undefined, undefined, 80],
    [undefined, undefined, "wide", 80],
    [undefined, undefined, "0", 80],
    [300, undefined, undefined, 120],
    [20, undefined, undefined, 40],
  ] as Array<[number | undefined, number | undefined, string | undefined, number]>)(
    "stdout %s, stderr %s, COLUMNS %s -> %i",
    (out, err, columns, width) => {
      expect(helpWidth(out, err, columns === undefined ? {} : { COLUMNS: columns })).toBe(width);
    },
  );
});

describe("closest: did-you-mean for names on the command line", () => {
  const options = ["env-file", "var", "format", "output", "fail-on", "verbose", "offline", "timeout", "libpq"];
  it.each([
    ["env-flie", "env-file"],
    ["envfile", "env-file"],
    ["ENV_FILE", "env-file"],
    ["fromat", "format"],
    ["verb", "verbose"],
    ["ofline", "offline"],
    ["libqp", "libpq"],
    ["vra", undefined], // 2 edits in a 3-letter word is another word
    ["xyz", undefined],
    ["", undefined],
    ["o", undefined], // prefix of output and offline: ambiguous and too short
  ] as Array<[string, string | undefined]>)("%s -> %s", (typed, meant) => {
    expect(closest(typed, options)).toBe(meant);
  });
});

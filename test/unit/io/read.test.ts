// The one capped, non-blocking reader: every kind of path a user may name, answered without blocking.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFailure, listDirCapped, readCapped, readTextOrNull } from "../../../src/io/read.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dbdoctor-read-"));
  execFileSync("mkfifo", [join(dir, "fifo")]);
  mkdirSync(join(dir, "d"));
  for (let i = 0; i < 30; i++) writeFileSync(join(dir, "d", `f${i}`), "");
  writeFileSync(join(dir, "small"), "hello");
  writeFileSync(join(dir, "huge"), "");
  truncateSync(join(dir, "huge"), 1024 * 1024 * 1024);
  symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
  symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readCapped", () => {
  it("reads a small file whole", () => {
    const r = readCapped(join(dir, "small"), 100);
    expect(r.status === "ok" && r.data.toString()).toBe("hello");
    expect(r.status === "ok" && r.truncated).toBe(false);
  });

  it("refuses a FIFO, a device and a directory without opening them (no hang, no endless read)", () => {
    const fifo = readCapped(join(dir, "fifo"), 100);
    expect(fifo.status).toBe("not-regular");
    expect(fifo.status === "not-regular" && fifo.what).toBe("a named pipe (FIFO)");
    const zero = readCapped("/dev/zero", 100);
    expect(zero.status === "not-regular" && zero.what).toBe("a character device");
    expect(readCapped(join(dir, "d"), 100).status).toBe("not-regular");
  });

  it("stops at the cap and says the file was longer", () => {
    const r = readCapped(join(dir, "huge"), 4096);
    expect(r.status).toBe("ok");
    expect(r.status === "ok" && r.data.length).toBe(4096);
    expect(r.status === "ok" && r.truncated).toBe(true);
    expect(readTextOrNull(join(dir, "huge"), 4096)).toBeNull();
  });

  it("names a link loop and a missing file", () => {
    const loop = readCapped(join(dir, "loop-a"), 100);
    expect(loop.status === "unreadable" && loop.errno).toBe("ELOOP");
    expect(loop.status === "unreadable" && describeFailure(loop)).toMatch(/symbolic links/);
    expect(readCapped(join(dir, "nope"), 100).status).toBe("missing");
  });
});

describe("listDirCapped", () => {
  it("lists at most the cap, sorted, and refuses what is not a directory", () => {
    const r = listDirCapped(join(dir, "d"), 10);
    expect(r.status === "ok" && r.entries.length).toBe(10);
    expect(r.status === "ok" && r.truncated).toBe(true);
    expect(listDirCapped(join(dir, "fifo")).status).toBe("not-directory");
    expect(listDirCapped("/dev/zero").status).toBe("not-directory");
    expect(listDirCapped(join(dir, "nope")).status).toBe("missing");
    const loop = listDirCapped(join(dir, "loop-a"));
    expect(loop.status === "unreadable" && loop.directory).toBe(false);
  });
});

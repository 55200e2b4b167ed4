// Acceptance (issue 21, last item): the project's Dockerfile, built on a Docker engine (the lab's own where none
// answers) against a locally assembled stand-in for node:20-alpine (scripts/lab/node-image.ts: the host's node and
// npm, BusyBox, glibc), and the built image run as users run it: `dbdoctor --version` and `check --offline`, as
// uid 1000, with nothing of the build's devDependencies inside. Skips with the reason where no engine can be had;
// CI (DBDOCTOR_LAB_REQUIRE_DOCKER=1) fails instead. Slow on a cold machine: the build stage's `npm ci`.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DockerEngine,
  ensureDockerEngine,
  START_DOCKERD_ENV,
  stopDockerEngine,
} from "../../scripts/lab/engine.js";
import { buildProjectImage, type NodeBaseImage, nodeBaseImage } from "../../scripts/lab/node-image.js";
import { runCli } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const MINUTES = 60_000;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};

// As the docker lab's tests: here the lab may start its own engine (root only; never for a user).
process.env[START_DOCKERD_ENV] ??= "1";

let engine: DockerEngine | undefined;
let reason = "";
try {
  engine = await ensureDockerEngine();
} catch (err) {
  reason = err instanceof Error ? err.message : String(err);
  console.warn(`skipping the Docker image test: ${reason}`);
}

afterAll(async () => {
  // Containers are --rm and awaited; an engine the lab started stops here (and on signals, through engine.ts).
  await stopDockerEngine();
});

describe("Docker image: availability", () => {
  it("an engine answers or the lab started one; otherwise the reason is given", () => {
    if (process.env.DBDOCTOR_LAB_REQUIRE_DOCKER === "1") expect(reason).toBe("");
    if (!engine) expect(reason.length).toBeGreaterThan(10);
  });
});

interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(engine === undefined)("the Dockerfile, built on a locally assembled node base", () => {
  let base: NodeBaseImage;
  let image = "";
  let home = "";

  /** `docker run --rm --network host IMAGE ARGS` (the entry point is dbdoctor), with its exit status. */
  async function docker(args: string[]): Promise<RunResult> {
    try {
      const { stdout, stderr } = await run("docker", args, {
        encoding: "utf8",
        timeout: 5 * MINUTES,
        env: { ...process.env, DOCKER_HOST: engine?.dockerHost ?? "" },
      });
      return { status: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
      if (typeof e.code !== "number") throw err;
      return { status: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }
  const inImage = (args: string[], opts: string[] = []) =>
    docker(["run", "--rm", "--network", "host", "-e", "NO_COLOR=1", ...opts, image, ...args]);

  beforeAll(async () => {
    base = await nodeBaseImage();
    const built = await buildProjectImage(ROOT, base.ref);
    image = built.ref;
    console.log(
      `node base ${base.ref}: ${base.source} (assembled ${base.buildMs} ms, imported ${base.importMs} ms, ` +
        `ready ${base.readyMs} ms); docker build ${built.buildMs} ms`,
    );
    home = mkdtempSync(join(tmpdir(), "dbdoctor-image-home-"));
  }, 30 * MINUTES);

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("keeps node:20-alpine as the Dockerfile's default base, and the built image's user and entry point", async () => {
    expect(readFileSync(join(ROOT, "Dockerfile"), "utf8")).toMatch(/^ARG BASE=node:20-alpine$/m);
    const info = JSON.parse((await docker(["image", "inspect", image])).stdout) as {
      Config: { User: string; Entrypoint: string[]; WorkingDir: string };
    }[];
    expect(info[0]?.Config.User).toBe("1000:1000");
    expect(info[0]?.Config.Entrypoint).toEqual(["dbdoctor"]);
    expect(info[0]?.Config.WorkingDir).toBe("/work");
  });

  it("prints the package version, as uid 1000", async () => {
    const v = await inImage(["--version"]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toBe(`${pkg.version}\n`);
    const id = await inImage(["-c", "id -u; id -g"], ["--entrypoint", "sh"]);
    expect(id.stdout.split("\n").slice(0, 2)).toEqual(["1000", "1000"]);
  });

  it("runs check --offline with the report and exit code the host's build gives", async () => {
    const args = ["check", "--offline", "--format", "json", "host=db sslmode=verify-full"];
    const inside = await inImage(args);
    // The same command from the host's build, with an empty home as the image's /home/node is.
    const host = runCli(args, { env: { HOME: home, NO_COLOR: "1" } });
    assertValidReport(inside.stdout);
    const ids = (out: string) =>
      ((JSON.parse(out) as { findings: { id: string }[] }).findings ?? []).map((f) => f.id).sort();
    expect(ids(inside.stdout).length).toBeGreaterThan(0);
    expect(ids(inside.stdout)).toEqual(ids(host.stdout));
    expect(inside.status, inside.stderr).toBe(host.status);
    expect([1, 0]).toContain(inside.status);
    // And as text, the default format.
    const text = await inImage(["check", "--offline", "host=db sslmode=verify-full"]);
    expect(text.status).toBe(inside.status);
    expect(text.stdout).toContain("db");
  });

  it("holds the installed package alone: no devDependency, no build stage", async () => {
    // Every package directory under any node_modules, except npm's own (the base's, as in node:20-alpine).
    const r = await inImage(
      [
        "-c",
        "find / -xdev -path /proc -prune -o -path /usr/local/lib/node_modules/npm -prune -o " +
          "-type f -name package.json -path '*/node_modules/*' -print",
      ],
      ["--entrypoint", "sh"],
    );
    expect(r.status, r.stderr).toBe(0);
    const packages = r.stdout.split("\n").filter((l) => l !== "");
    expect(packages).toEqual(["/usr/local/lib/node_modules/dbdoctor/package.json"]);
    // (So none of the build stage's devDependencies came along, e.g. esbuild, which built dist/ there.)
    for (const name of Object.keys(pkg.devDependencies)) {
      expect(packages.some((p) => p.endsWith(`/node_modules/${name}/package.json`))).toBe(false);
    }
    const src = await inImage(
      ["-c", "ls -A /src /pkg 2>&1; ls -A /usr/local/lib/node_modules"],
      ["--entrypoint", "sh"],
    );
    expect(src.stdout).toMatch(/\/src: No such file/);
    expect(src.stdout.trim().split("\n").slice(-2)).toEqual(["dbdoctor", "npm"]);
  });
});

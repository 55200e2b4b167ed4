// dbdoctor audit --live through the built CLI against the lab's real PostgreSQL servers and a recording socket
// on 127.0.0.1: identical endpoints are probed once, findings land on every setting that names the server,
// and no credential ever reaches a server (the audit never authenticates).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, type Lab, startLab } from "../../scripts/lab/index.js";
import { CLI, runCliAsync } from "../helpers/cli.js";
import { auditSchemaErrors } from "../unit/audit/helpers.js";

let lab: Lab | undefined;
let labError: string | undefined;
const tree = mkdtempSync(join(tmpdir(), "dbdoctor-audit-live-"));
const received: Buffer[] = [];
const sockets = new Set<Socket>();
// Answers every SSLRequest with 'N' (no SSL) like a server with ssl=off, and keeps every byte it is sent.
const recorder = createServer((s) => {
  sockets.add(s);
  s.on("close", () => sockets.delete(s));
  s.on("error", () => undefined);
  s.on("data", (d) => {
    received.push(Buffer.from(d));
    if (d.length === 8 && d.readUInt32BE(4) === 80877103) s.write("N");
  });
});
let recorderPort = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  const addr = recorder.address();
  recorderPort = typeof addr === "object" && addr ? addr.port : 0;
  try {
    lab = await startLab(["good", "ssl-off"]);
  } catch (err) {
    labError = err instanceof Error ? err.message : String(err);
  }
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => recorder.close(() => resolve()));
  await lab?.stop();
  rmSync(tree, { recursive: true, force: true });
});

const ready = () => existsSync(CLI) && lab?.servers.has("good") === true && lab.servers.has("ssl-off");

describe("dbdoctor audit --live", () => {
  it("probes each distinct server once, attaches its findings to every setting, sends no credential", async (ctx) => {
    if (!ready()) {
      console.warn(
        `audit-live skipped: ${!existsSync(CLI) ? "the CLI is not built" : `the lab did not start (${labError ?? "scenarios missing"})`}`,
      );
      ctx.skip();
    }
    const good = lab?.servers.get("good")?.port;
    const off = lab?.servers.get("ssl-off")?.port;
    const root = certPath("root-ca.crt");
    mkdirSync(join(tree, "a"));
    mkdirSync(join(tree, "b"));
    writeFileSync(
      join(tree, "a", ".env"),
      `DATABASE_URL=postgresql://app:livepass-one@localhost:${good}/app?sslmode=verify-full&sslrootcert=${root}\n` +
        `SKILLFLAW_DATABASE_URL=postgresql://app:livepass-rec@127.0.0.1:${recorderPort}/app?sslmode=prefer\n`,
    );
    writeFileSync(
      join(tree, "b", ".env"),
      `DATABASE_URL=postgresql://other:livepass-two@localhost:${good}/app?sslmode=verify-full&sslrootcert=${root}\n` +
        `REPORTS_URL=postgresql://app:livepass-off@127.0.0.1:${off}/app?sslmode=require\n`,
    );
    const r = await runCliAsync(
      ["audit", tree, "--live", "--timeout", "2s", "--format", "json", "--concurrency", "2"],
      {
        killAfterMs: 60_000,
      },
    );
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a terminal
    const report = JSON.parse(r.stdout) as {
      settings: Array<{ id: number; variable: string; location: { file: string }; findings: Array<{ code: string }> }>;
      servers: Array<{ host: string; port: number; settings: number[]; result: { status: string } }>;
    };
    expect(auditSchemaErrors(report)).toEqual([]);
    expect(report.servers.map((s) => `${s.host}:${s.port}`).sort()).toEqual(
      [`localhost:${good}`, `127.0.0.1:${recorderPort}`, `127.0.0.1:${off}`].sort(),
    );
    const goodServer = report.servers.find((s) => s.port === good);
    expect(goodServer?.settings).toHaveLength(2);
    expect(goodServer?.result.status).toBe("completed");
    const off_ = report.settings.find((s) => s.variable === "REPORTS_URL");
    expect(off_?.findings.map((f) => f.code)).toContain("server.ssl-not-supported");
    // Under sslmode=prefer an 'N' is libpq's silent plaintext fallback: no server finding (sslmode.weak says it).
    const rec = report.settings.find((s) => s.variable === "SKILLFLAW_DATABASE_URL");
    expect(rec?.findings.map((f) => f.code)).not.toContain("server.ssl-not-supported");
    const recServer = report.servers.find((s) => s.port === recorderPort) as unknown as {
      result: { status: string; value: { endpoints: Array<{ sslRequest?: { reply: string } }> } };
    };
    expect(recServer.result.value.endpoints[0]?.sslRequest?.reply).toBe("N");
    expect(r.status).toBe(1);
    // The recording server saw SSLRequests and nothing that carries a user or a password.
    const seen = Buffer.concat(received).toString("latin1");
    expect(received.length).toBeGreaterThan(0);
    for (const secret of ["livepass-one", "livepass-two", "livepass-rec", "livepass-off"]) {
      expect(seen).not.toContain(secret);
      expect(r.stdout).not.toContain(secret);
    }
    expect(seen).not.toContain("user");
  });
});

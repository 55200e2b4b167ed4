// Connection-slot arithmetic and the capacity, version, schema and clients rules on hand-built facts.
import { describe, expect, it } from "vitest";
import { computeCapacity, judgeCapacity } from "../../../src/ops/capacity.js";
import type { ClientsFacts, SchemaFacts } from "../../../src/ops/types.js";
import { capacityRules, clientsRules, schemaRules, versionRules } from "../../../src/rules/ops.js";

const slots = { maxConnections: 100, superuserReserved: 3, reserved: 0, inUse: 10, sameUserInUse: 4 };

describe("computeCapacity", () => {
  it("available = max - reserved - other users' sessions; SkillFlaw's own sessions are replaced by its pools", () => {
    const c = computeCapacity(slots, 1, 1, 50);
    expect(c.available).toBe(100 - 3 - (10 - 4));
    expect(c.perInstance).toBe(50);
    expect(c.demand).toBe(50);
    expect(judgeCapacity(c)).toBe("ok");
  });
  it("reserved_connections (16+) counts too", () => {
    expect(computeCapacity({ ...slots, reserved: 5 }, 1, 1, 50).available).toBe(86);
  });
  it("2 instances × 1 worker × 50 = 100 > 91: a warning, not an error", () => {
    const c = computeCapacity(slots, 2, 1, 50);
    expect(c.demand).toBe(100);
    expect(judgeCapacity(c)).toBe("warning");
    const [f] = capacityRules(c, "db:5432");
    expect(f?.code).toBe("ops.capacity-warning");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("2 instances × 1 worker × 50 (pool_size + max_overflow) = 100");
    expect(f?.message).toContain("= 91 available");
    expect(f?.message).toContain("sorry, too many clients already");
    expect(f?.hint).toContain("at or below 45 per process");
    expect(f?.hint).toContain("at least 109");
  });
  it("one instance with 2 workers × 50 = 100 > 91: an error", () => {
    const c = computeCapacity(slots, 1, 2, 50);
    expect(judgeCapacity(c)).toBe("exceeded");
    const [f] = capacityRules(c, "db:5432");
    expect(f?.code).toBe("ops.capacity-exceeded");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("2 × 50 = 100");
  });
  it("exactly full is still ok; one more is not", () => {
    expect(judgeCapacity(computeCapacity(slots, 1, 1, 91))).toBe("ok");
    expect(judgeCapacity(computeCapacity(slots, 1, 1, 92))).toBe("exceeded");
  });
  it("an unbounded pool cannot be compared: info, no verdict", () => {
    const c = computeCapacity(slots, 3, 2, null);
    expect(c.demand).toBeNull();
    expect(judgeCapacity(c)).toBe("unknown");
    const [f] = capacityRules(c, "db", "poolclass NullPool opens one connection per session");
    expect(f?.code).toBe("ops.capacity-unknown");
    expect(f?.message).toContain("NullPool");
  });
  it("never negative when the server is already over-full", () => {
    expect(computeCapacity({ ...slots, inUse: 200, sameUserInUse: 0 }, 1, 1, 1).available).toBe(0);
  });
});

describe("version, schema and clients rules", () => {
  it("below 15 is an error with SkillFlaw's own text", () => {
    const [f] = versionRules({ num: 140011, text: "14.11", minimumMajor: 15, ok: false }, "db");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("Running PostgreSQL 14.11. SkillFlaw requires PostgreSQL 15 or higher");
    expect(versionRules({ num: 150000, text: "15.0", minimumMajor: 15, ok: true }, "db")).toEqual([]);
  });
  const schema = (s: Partial<SchemaFacts>): SchemaFacts => ({
    schema: "public",
    alembicTable: true,
    alembicVersions: ["abc123"],
    present: [],
    missing: [],
    state: "complete",
    ...s,
  });
  it("complete: nothing; empty: info; partial: an error naming the missing tables", () => {
    expect(schemaRules(schema({}), "db")).toEqual([]);
    const [empty] = schemaRules(schema({ alembicTable: false, alembicVersions: [], state: "empty" }), "db");
    expect(empty?.code).toBe("ops.schema-not-initialized");
    expect(empty?.severity).toBe("info");
    expect(empty?.message).toContain("SkillFlaw has not run against this database yet");
    const [partial] = schemaRules(schema({ missing: ["message", "vertex_build"], state: "partial" }), "db");
    expect(partial?.code).toBe("ops.schema-partial");
    expect(partial?.severity).toBe("error");
    expect(partial?.message).toContain("message, vertex_build are missing");
    const [norow] = schemaRules(schema({ alembicVersions: [], state: "partial" }), "db");
    expect(norow?.message).toContain("alembic_version has no row");
  });
  const clients = (c: Partial<ClientsFacts>): ClientsFacts => ({
    database: "skillflaw",
    groups: [],
    total: 0,
    hiddenSessions: 0,
    canReadAllStats: false,
    migrationLock: [],
    ...c,
  });
  it("hidden sessions are info only for a role without pg_read_all_stats", () => {
    const hidden = clients({ total: 3, hiddenSessions: 2 });
    expect(clientsRules(hidden).map((f) => f.code)).toEqual(["ops.clients-hidden"]);
    expect(clientsRules({ ...hidden, canReadAllStats: true })).toEqual([]);
  });
  it("unencrypted TCP clients are a warning; unix-socket and hidden rows are not judged", () => {
    const g = { usename: "app", applicationName: "", state: "idle", sslVersion: null, count: 2, hidden: false };
    const f = clientsRules(
      clients({
        groups: [
          { ...g, clientAddr: "10.0.0.5", ssl: false },
          { ...g, clientAddr: null, ssl: false },
          { ...g, clientAddr: null, ssl: null, hidden: true },
          { ...g, clientAddr: "10.0.0.6", ssl: true, sslVersion: "TLSv1.3" },
        ],
      }),
    );
    expect(f.map((x) => x.code)).toEqual(["ops.clients-unencrypted"]);
    expect(f[0]?.message).toContain("2 TCP sessions");
    expect(f[0]?.message).toContain("10.0.0.5 (app)");
  });
  it("the migration lock holder is named", () => {
    const [f] = clientsRules(
      clients({ migrationLock: [{ pid: 4242, granted: true, clientAddr: "10.0.0.7", applicationName: "" }] }),
    );
    expect(f?.code).toBe("ops.migration-lock-held");
    expect(f?.message).toContain("pid 4242 from 10.0.0.7");
  });
});

// Several SkillFlaw instances in one tree ("one PostgreSQL database for multiple SkillFlaw instances"): on one machine
// each needs its own port (SKILLFLAW_PORT, default 7860: the second process cannot bind it) and its own configuration
// directory (SKILLFLAW_CONFIG_DIR, default the user's cache directory: secret_key, logs and the alembic log would be
// shared and overwritten); and every instance reaching the same database should protect the connection the same way,
// or one of them is the weak one.
import type { AppInstance } from "../../audit/types.js";
import { defineRule } from "../rule.js";

const MODE_RANK: Readonly<Record<string, number>> = {
  disable: 0,
  allow: 1,
  prefer: 2,
  require: 3,
  "verify-ca": 4,
  "verify-full": 5,
};

function groupBy<T>(items: readonly T[], key: (t: T) => string | null): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    m.set(k, [...(m.get(k) ?? []), it]);
  }
  return [...m.values()].filter((g) => g.length > 1);
}

const named = (i: AppInstance) => `${i.label} (${i.file}:${i.line})`;

export default defineRule({
  id: "audit/instances",
  family: "audit",
  codes: {
    "audit.instance-port-clash": {
      severity: "error",
      title: "Two SkillFlaw instances on one machine use the same port",
      description:
        "Two SkillFlaw instances that run on one machine (.env files of one directory, docker-compose services publishing ports) listen on the same port: SKILLFLAW_PORT (default 7860) or the same published host port. The second one cannot start (address already in use).",
      hint: "Give each instance its own SKILLFLAW_PORT (or its own published host port).",
    },
    "audit.instance-config-dir-clash": {
      severity: "error",
      title: "Two SkillFlaw instances on one machine share a configuration directory",
      description:
        "Two SkillFlaw instances on one machine use the same SKILLFLAW_CONFIG_DIR (unset, both use the user's cache directory; in containers, a mount of the same volume). SkillFlaw writes its secret_key, logs and alembic log there: the instances overwrite each other's files.",
      hint: "Give each instance its own SKILLFLAW_CONFIG_DIR (and SKILLFLAW_SECRET_KEY identical on all of them, as the docs require).",
    },
    "audit.instance-tls-mismatch": {
      severity: "warning",
      title: "Instances reach the same database with different TLS settings",
      description:
        "Several SkillFlaw instances connect to the same database (host, port and database name) with different sslmodes or CA files. One of them protects the connection less than the others, or uses a CA the others do not trust: whatever the database requires, one instance is the weak or the broken one.",
      hint: "Use the same sslmode (verify-full) and the same sslrootcert in every instance's SKILLFLAW_DATABASE_URL.",
    },
  },
  check({ audit }, { report }) {
    const instances = audit?.tree?.instances;
    if (!instances || instances.length < 2) return;

    const byPort = instances.flatMap((i) => i.ports.map((p) => ({ i, p })));
    for (const group of groupBy(byPort, ({ i, p }) => (i.host === null ? null : `${i.host}\u0000${p.value}`))) {
      const instancesHere = [...new Set(group.map((g) => g.i))];
      if (instancesHere.length < 2) continue;
      for (const { i, p } of group) {
        const others = instancesHere.filter((o) => o !== i).map(named);
        report(
          "audit.instance-port-clash",
          `${i.prefix}PORT`,
          `${named(i)} listens on port ${p.value}${p.explicit ? "" : ` (the default, ${i.prefix}PORT is not set)`}, like ${others.join(", ")} on the same machine: only one of them can bind it.`,
          {
            location: { file: i.file, line: p.line, column: p.column },
            evidence: { setting: i.setting, port: p.value, others },
          },
        );
      }
    }

    for (const group of groupBy(instances, (i) =>
      i.host === null || i.configDir === null ? null : `${i.host}\u0000${i.configDir.value}`,
    )) {
      for (const i of group) {
        const dir = i.configDir as NonNullable<AppInstance["configDir"]>;
        const others = group.filter((o) => o !== i).map(named);
        report(
          "audit.instance-config-dir-clash",
          `${i.prefix}CONFIG_DIR`,
          `${named(i)} uses the configuration directory ${dir.value}${dir.explicit ? "" : ` (${i.prefix}CONFIG_DIR is not set)`}, like ${others.join(", ")} on the same machine: their secret_key and logs collide.`,
          { location: { file: i.file, line: dir.line, column: dir.column }, evidence: { setting: i.setting, others } },
        );
      }
    }

    for (const group of groupBy(instances, (i) => i.database)) {
      const known = group.filter((i) => i.sslmode !== null);
      const best = Math.max(...known.map((i) => MODE_RANK[i.sslmode as string] ?? -1));
      const strongest = known.filter((i) => (MODE_RANK[i.sslmode as string] ?? -1) === best);
      for (const i of known) {
        const rank = MODE_RANK[i.sslmode as string] ?? -1;
        const weaker = rank < best;
        const otherCa = strongest.find((o) => o !== i && o.sslrootcert !== i.sslrootcert);
        if (!weaker && otherCa === undefined) continue;
        const ref = weaker ? strongest[0] : otherCa;
        if (ref === undefined) continue;
        const what = weaker
          ? `sslmode=${i.sslmode} while ${named(ref)} uses sslmode=${ref.sslmode}`
          : `sslrootcert=${i.sslrootcert ?? "(none)"} while ${named(ref)} uses sslrootcert=${ref.sslrootcert ?? "(none)"}`;
        report(
          "audit.instance-tls-mismatch",
          "sslmode",
          `${named(i)} reaches ${i.database} with ${what}: the instances sharing this database do not protect it the same way.`,
          {
            location: { file: i.file, line: i.line, column: i.column },
            evidence: { setting: i.setting, database: i.database },
          },
        );
      }
    }
  },
});

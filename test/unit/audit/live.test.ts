import { describe, expect, it } from "vitest";
import { mapLimit, planProbes } from "../../../src/audit/live.js";
import type { ProbeTarget } from "../../../src/audit/pipeline.js";
import type { EffectiveParam } from "../../../src/conninfo/types.js";

const p = (value: string): EffectiveParam => ({ value, source: "connstring" });

describe("--live planning", () => {
  it("probes identical host:port with the same TLS settings once, and a socket never", () => {
    const targets = new Map<number, ProbeTarget>([
      [
        0,
        { hosts: [{ host: "db", port: "5432", kind: "dns" }], effective: { sslmode: p("verify-full"), user: p("a") } },
      ],
      [
        1,
        { hosts: [{ host: "db", port: "5432", kind: "dns" }], effective: { sslmode: p("verify-full"), user: p("b") } },
      ],
      [2, { hosts: [{ host: "db", port: "5432", kind: "dns" }], effective: { sslmode: p("require") } }],
      [
        3,
        {
          hosts: [
            { host: "db", port: "5433", kind: "dns" },
            { host: "/tmp", port: "5432", kind: "unix-socket" },
          ],
          effective: {},
        },
      ],
    ]);
    const jobs = planProbes(targets);
    expect(jobs.map((j) => [j.host.host, j.host.port, j.settings])).toEqual([
      ["db", "5432", [0, 1]],
      ["db", "5432", [2]],
      ["db", "5433", [3]],
    ]);
    expect(jobs[0]?.effective.user).toBeUndefined(); // only TLS-relevant parameters reach the probe
  });

  it("keeps at most `limit` jobs in flight and the results in input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([50, 10, 30, 20, 40, 5, 15], 3, async (ms) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([100, 20, 60, 40, 80, 10, 30]);
  });
});

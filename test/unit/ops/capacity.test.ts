// Connection-slot arithmetic (the capacity rule's judgment is tested in test/unit/rules/ops/capacity.test.ts).
import { describe, expect, it } from "vitest";
import { computeCapacity } from "../../../src/ops/capacity.js";

const slots = { maxConnections: 100, superuserReserved: 3, reserved: 0, inUse: 10, sameUserInUse: 4 };

describe("computeCapacity", () => {
  it("available = max - reserved - other users' sessions; SkillFlaw's own sessions are replaced by its pools", () => {
    const c = computeCapacity(slots, 1, 1, 50);
    expect(c.available).toBe(100 - 3 - (10 - 4));
    expect(c.perInstance).toBe(50);
    expect(c.demand).toBe(50);
  });
  it("reserved_connections (16+) counts too", () => {
    expect(computeCapacity({ ...slots, reserved: 5 }, 1, 1, 50).available).toBe(86);
  });
  it("instances × workers × per process", () => {
    const c = computeCapacity(slots, 2, 3, 50);
    expect(c.perInstance).toBe(150);
    expect(c.demand).toBe(300);
    expect(c).toMatchObject({ instances: 2, workers: 3, perProcess: 50 });
  });
  it("an unbounded pool has no demand", () => {
    const c = computeCapacity(slots, 3, 2, null);
    expect(c.perInstance).toBeNull();
    expect(c.demand).toBeNull();
  });
  it("never negative when the server is already over-full", () => {
    expect(computeCapacity({ ...slots, inUse: 200, sameUserInUse: 0 }, 1, 1, 1).available).toBe(0);
  });
});

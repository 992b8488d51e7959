import { describe, expect, test } from "bun:test";
import { randomId } from "../../ui/src/random-id.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomId", () => {
  test("is a v4 UUID, also where crypto.randomUUID is missing (plain http on a LAN address)", () => {
    expect(randomId()).toMatch(UUID_V4);
    const original = crypto.randomUUID;
    try {
      (crypto as { randomUUID?: unknown }).randomUUID = undefined;
      const ids = new Set(Array.from({ length: 100 }, () => randomId()));
      expect(ids.size).toBe(100);
      for (const id of ids) expect(id).toMatch(UUID_V4);
    } finally {
      crypto.randomUUID = original;
    }
  });
});

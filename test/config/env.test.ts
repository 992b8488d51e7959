import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { convertEnvText } from "../../src/config/env.ts";
import { configLeaves, envVarName, typeLabel } from "../../src/config/fields.ts";

describe("convertEnvText", () => {
  test("numbers, and text that is not one", () => {
    expect(convertEnvText(z.number(), " 42 ")).toEqual({ ok: true, value: 42 });
    expect(convertEnvText(z.number(), "-1.5e3")).toEqual({ ok: true, value: -1500 });
    expect(convertEnvText(z.number().int().min(1), "12abc")).toEqual({ ok: false, reason: "expected integer, at least 1" });
    expect(convertEnvText(z.number(), "0x10").ok).toBe(false);
  });

  test("booleans in the usual spellings", () => {
    for (const text of ["true", "TRUE", "1", "yes", "on"]) expect(convertEnvText(z.boolean(), text)).toEqual({ ok: true, value: true });
    for (const text of ["false", "0", "no", "Off"]) expect(convertEnvText(z.boolean(), text)).toEqual({ ok: true, value: false });
    expect(convertEnvText(z.boolean(), "maybe")).toEqual({ ok: false, reason: "expected true or false" });
  });

  test("looks through optional and default wrappers", () => {
    expect(convertEnvText(z.number().optional(), "3")).toEqual({ ok: true, value: 3 });
    expect(convertEnvText(z.boolean().default(false), "yes")).toEqual({ ok: true, value: true });
  });

  test("a union takes the first member that the text converts to and validates as", () => {
    const schema = z.union([z.literal("auto"), z.number().int().min(0).max(256)]);
    expect(convertEnvText(schema, "auto")).toEqual({ ok: true, value: "auto" });
    expect(convertEnvText(schema, "0")).toEqual({ ok: true, value: 0 });
    expect(convertEnvText(schema, "300")).toEqual({ ok: true, value: 300 });
    expect(convertEnvText(schema, "lots")).toEqual({ ok: false, reason: 'expected "auto" or integer from 0 to 256' });
  });

  test("lists: comma-separated or JSON", () => {
    const schema = z.array(z.number());
    expect(convertEnvText(schema, "1, 2,,3")).toEqual({ ok: true, value: [1, 2, 3] });
    expect(convertEnvText(schema, "[4, 5]")).toEqual({ ok: true, value: [4, 5] });
    expect(convertEnvText(schema, "1,two")).toEqual({ ok: false, reason: "item 2: expected number" });
    expect(convertEnvText(schema, "[1,")).toMatchObject({ ok: false, reason: expect.stringContaining("JSON list") });
    expect(convertEnvText(schema, '{"a":1}').ok).toBe(false);
  });
});

describe("schema introspection", () => {
  test("env-var names come from the key path", () => {
    expect(envVarName(["auth", "jwt_secret"])).toBe("AGENTD_AUTH__JWT_SECRET");
    expect(envVarName(["data_dir"])).toBe("AGENTD_DATA_DIR");
    const variables = configLeaves().map((leaf) => leaf.envVar);
    expect(variables).toContain("AGENTD_LLM__AZURE__ENDPOINT");
    expect(new Set(variables).size).toBe(variables.length);
  });

  test("type labels", () => {
    expect(typeLabel(z.number().positive())).toBe("number, greater than 0");
    expect(typeLabel(z.number().int().lt(10))).toBe("integer, at most 9");
    expect(typeLabel(z.number().min(0).max(2))).toBe("number from 0 to 2");
    expect(typeLabel(z.string().min(3))).toBe("string of at least 3 characters");
    expect(typeLabel(z.url())).toBe("URL (http or https)");
    expect(typeLabel(z.enum(["a", "b"]).default("a"))).toBe("one of: a, b");
  });
});

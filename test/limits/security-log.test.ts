import { expect, spyOn, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonLinesSecurityLog } from "../../src/security/json-lines.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

test("a file log appends one JSON line per event with the time, only the known fields, bounded", () => {
  const dir = mkdtempSync(join(tmpdir(), "agentd-seclog-"));
  try {
    const clock = new FakeClock(Date.UTC(2031, 4, 6, 7, 8, 9));
    const file = join(dir, "nested", "security.log");
    const log = new JsonLinesSecurityLog(file, clock);
    log.record({ kind: "auth.failure", ip: "192.0.2.1", reason: "wrong username or password" });
    log.record({ kind: "rate_limit.hit", userId: "u1", conversationId: "c1", ruleId: "x".repeat(500), body: "secret" } as never);
    log.close();
    const lines = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ time: "2031-05-06T07:08:09.000Z", log: "security", kind: "auth.failure", ip: "192.0.2.1", reason: "wrong username or password" });
    expect(lines[1].ruleId).toHaveLength(200);
    expect(lines[1].body).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without a file the lines go to stdout, tagged security; a failing write is reported, never thrown", () => {
  const write = spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    new JsonLinesSecurityLog(undefined).record({ kind: "connection.refused", ruleId: "allowed_origins" });
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ log: "security", kind: "connection.refused" });
    write.mockImplementation(() => {
      throw new Error("EPIPE");
    });
    const errors: unknown[] = [];
    new JsonLinesSecurityLog(undefined, undefined, (error) => errors.push(error)).record({ kind: "auth.failure" });
    expect(errors).toHaveLength(1);
  } finally {
    write.mockRestore();
  }
});

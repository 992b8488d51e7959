import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { verifyPassword } from "../../src/auth/passwords.ts";
import { SqliteAppStore } from "../../src/storage/sqlite/app-store.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agentd-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { AGENTD_DATA_DIR: join(dir, "data") },
    cwd: dir,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

async function withStore<T>(use: (store: SqliteAppStore) => Promise<T>): Promise<T> {
  const store = SqliteAppStore.open(join(dir, "data", "agentd.db"));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe("agentd user", () => {
  test("add with --password-stdin stores an argon2id hash of that password", async () => {
    expect((await cli(["user", "add", "carol", "--admin", "--password-stdin"], "s3cret-passw0rd\n")).code).toBe(0);
    const user = await withStore((store) => store.users.findByUsername("carol"));
    expect(user?.role).toBe("admin");
    expect(user?.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword("s3cret-passw0rd", user!.passwordHash)).toBe(true);
  });

  test("add without a password prints a generated one that works", async () => {
    const result = await cli(["user", "add", "dave"]);
    expect(result.code).toBe(0);
    const password = /password: (\S+)/.exec(result.stdout)![1]!;
    const user = await withStore((store) => store.users.findByUsername("dave"));
    expect(await verifyPassword(password, user!.passwordHash)).toBe(true);
  });

  test("a taken name, a bad name or a short password fails with a sentence and no change", async () => {
    expect(await cli(["user", "add", "carol", "--password-stdin"], "another-password")).toMatchObject({ code: 1 });
    expect((await cli(["user", "add", "bad name!"])).stderr).toContain("username");
    expect((await cli(["user", "add", "erin", "--password-stdin"], "short")).stderr).toContain("at least 8");
    expect(await withStore((store) => store.users.findByUsername("erin"))).toBeNull();
  });

  test("disable ends the user's sessions; enable lets them log in again; list shows the state", async () => {
    const userId = (await withStore((store) => store.users.findByUsername("carol")))!.id;
    const sessionId = (
      await withStore((store) => store.sessions.create({ userId, familyId: "f", tokenHash: "h", expiresAt: new Date(Date.now() + 60_000) }))
    ).id;
    expect((await cli(["user", "disable", "carol"])).code).toBe(0);
    expect((await withStore((store) => store.sessions.findById(sessionId)))?.revokedAt).not.toBeNull();
    expect((await cli(["user", "list"])).stdout).toMatch(/carol\tadmin\tdisabled/);
    expect((await cli(["user", "enable", "carol"])).code).toBe(0);
    expect((await cli(["user", "list"])).stdout).toMatch(/carol\tadmin\tactive/);
  });

  test("passwd sets a new password", async () => {
    expect((await cli(["user", "passwd", "dave", "--password-stdin"], "brand-new-password\n")).code).toBe(0);
    const user = await withStore((store) => store.users.findByUsername("dave"));
    expect(await verifyPassword("brand-new-password", user!.passwordHash)).toBe(true);
  });

  test("usage errors exit 2; an unknown user exits 1", async () => {
    expect((await cli(["user"])).code).toBe(2);
    expect((await cli(["user", "frob"])).code).toBe(2);
    expect((await cli(["user", "add"])).code).toBe(2);
    expect((await cli(["user", "disable", "x", "--admin"])).code).toBe(2);
    expect((await cli(["user", "disable", "nobody"])).code).toBe(1);
  });
});

describe("agentd", () => {
  test("--help and --version; an unknown command exits 2", async () => {
    expect((await cli(["--help"])).stdout).toContain("agentd user");
    expect((await cli(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await cli(["nope"])).code).toBe(2);
  });

  test("serve with a bad config exits 2 naming the key", async () => {
    const result = await runCli(["serve"], {
      stdout: () => {},
      stderr: (text) => void (bad += text),
      env: { AGENTD_SERVER__PORT: "not-a-port" },
      cwd: dir,
      readStdin: async () => "",
    });
    expect(result).toBe(2);
    expect(bad).toContain("server.port");
  });
});
let bad = "";

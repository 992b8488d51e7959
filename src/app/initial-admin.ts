import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatePassword, hashPassword } from "../auth/passwords.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { UserStore } from "../storage/app-store.ts";

export const INITIAL_PASSWORD_FILE = "initial-admin-password";

/**
 * On the very first start (no accounts at all) creates `admin` with a generated password, logs it
 * once and keeps it in `dataDir/initial-admin-password` (mode 0600), so a fresh install can be
 * logged into without reading any docs. Change it with `agentd user passwd admin`.
 */
export async function ensureInitialAdmin(users: UserStore, dataDir: string, log: Logger): Promise<void> {
  if ((await users.list()).length > 0) return;
  const password = generatePassword();
  try {
    await users.create({ username: "admin", passwordHash: await hashPassword(password), role: "admin" });
  } catch (error) {
    // Another node sharing the database created it first; its password file is on that node.
    if (error instanceof AppError && error.code === "conflict") return;
    throw error;
  }
  const file = join(dataDir, INITIAL_PASSWORD_FILE);
  writeFileSync(file, password + "\n", { mode: 0o600 });
  log.warn("created the first account: log in as admin with the password in the file named here, then change it", {
    username: "admin",
    passwordFile: file,
  });
}

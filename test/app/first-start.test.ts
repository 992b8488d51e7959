import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { INITIAL_PASSWORD_FILE } from "../../src/app/initial-admin.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
beforeAll(async () => {
  agentd = await startTestAgentd({ auth: { jwt_secret: undefined } });
});
afterAll(() => agentd.close());

describe("first start on an empty data dir", () => {
  test("creates admin with a generated password kept in a 0600 file, and it logs in", async () => {
    const file = join(agentd.dataDir, INITIAL_PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    const { token } = await agentd.login("admin", password);
    expect(await (await agentd.api("/api/me", { token })).json()).toMatchObject({ username: "admin", role: "admin" });
  });

  test("generates the JWT secret once, 0600, and keeps it across restarts (tokens stay valid)", async () => {
    const secretFile = join(agentd.dataDir, "jwt-secret");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, "utf8");
    const { token } = await agentd.login("admin", readFileSync(join(agentd.dataDir, INITIAL_PASSWORD_FILE), "utf8").trim());
    await agentd.restart();
    expect(readFileSync(secretFile, "utf8")).toBe(secret);
    expect((await agentd.api("/api/me", { token })).status).toBe(200);
    expect((await agentd.server.store.users.list()).map((u) => u.username)).toEqual(["admin"]);
  });
});

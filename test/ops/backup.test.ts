import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import type { ConversationWithMessages } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import type { TestSocket } from "../helpers/ws.ts";

let dir: string;
let agentd: TestAgentd;
let token: string;

async function cli(args: string[], dataDir: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { AGENTD_DATA_DIR: dataDir },
    cwd: dir,
    readStdin: async () => "",
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "agentd-backup-test-"));
  agentd = await startTestAgentd();
  await agentd.addUser("bea");
  ({ token } = await agentd.login("bea"));
});
afterAll(async () => {
  await agentd.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("agentd backup while chats stream, then agentd restore", () => {
  test("the backup opens on a fresh server and holds every conversation completed before it", async () => {
    // Conversations whose replies completed before the backup.
    const completed = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const id = await agentd.createConversation(token, { title: `done ${i}` });
      const socket = await agentd.connect(id, token);
      agentd.model.script({ text: ["reply", " number", ` ${i}`] });
      await sendAndCollect(socket, `question ${i}`);
      completed.set(id, `reply number ${i}`);
      socket.close();
    }

    // While the backup runs: one slow reply mid-stream, and three conversations chatting nonstop.
    const heldId = await agentd.createConversation(token, { title: "slow" });
    const held = await agentd.connect(heldId, token);
    agentd.model.script({ text: ["still", " streaming", " during", " the", " backup"], gapMs: 100 });
    held.send({ type: "message.send", clientMessageId: "slow", content: "long one" });
    await held.next("message.delta");

    let chatting = true;
    const busy: TestSocket[] = [];
    const started: Promise<void>[] = [];
    const loops = [0, 1, 2].map(async (n) => {
      let firstTurn!: () => void;
      started.push(new Promise<void>((resolve) => (firstTurn = resolve)));
      const socket = await agentd.connect(await agentd.createConversation(token, { title: `busy ${n}` }), token);
      busy.push(socket);
      let turns = 0;
      while (chatting) {
        await sendAndCollect(socket, `busy ${n} turn ${turns++}`);
        firstTurn();
      }
      return turns;
    });
    await Promise.all(started);
    const out = join(dir, "backups", "agentd.tar.gz");
    const backup = await cli(["backup", "--out", out], agentd.dataDir);
    chatting = false;
    const turns = await Promise.all(loops);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(out);
    expect(turns.every((count) => count > 1)).toBe(true);
    expect(held.frames.some((frame) => frame.type === "message.end")).toBe(false);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "backups"))).toEqual(["agentd.tar.gz"]);
    for (const socket of [...busy, held]) socket.close();

    // Restore into an empty data dir and serve it.
    const restoredDir = join(dir, "restored");
    const restore = await cli(["restore", "--from", out], restoredDir);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    const restored = await startTestAgentd({ workers: { threads: 0 } }, { dataDir: restoredDir, model: agentd.model });
    try {
      const { token: restoredToken } = await restored.login("bea");
      for (const [id, reply] of completed) {
        const response = await restored.api(`/api/conversations/${id}`, { token: restoredToken });
        expect(response.status).toBe(200);
        const conversation = (await response.json()) as ConversationWithMessages;
        expect(conversation.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
        expect(conversation.messages[1]!.content).toBe(reply);
      }
      // The reply that was mid-stream is a conversation without an answer yet, not a broken one.
      expect((await restored.api(`/api/conversations/${heldId}`, { token: restoredToken })).status).toBe(200);
    } finally {
      await restored.close();
    }
  });

  test("restore refuses to overwrite data unless --force, which moves the old data aside", async () => {
    const out = join(dir, "second.tar.gz");
    expect((await cli(["backup", "--out", out], agentd.dataDir)).code).toBe(0);
    const target = join(dir, "occupied");
    expect((await cli(["restore", "--from", out], target)).code).toBe(0);
    const again = await cli(["restore", "--from", out], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds data");
    expect(again.stderr).toContain("--force");
    const forced = await cli(["restore", "--from", out, "--force"], target);
    expect(forced.code).toBe(0);
    const aside = readdirSync(target).find((name) => name.startsWith("pre-restore-"))!;
    expect(existsSync(join(target, aside, "agentd.db"))).toBe(true);
    expect(existsSync(join(target, "agentd.db"))).toBe(true);
  });

  test("a file that is no agentd backup is refused with a reason, and nothing is written", async () => {
    const bogus = join(dir, "bogus.tar.gz");
    writeFileSync(bogus, "this is not a tarball");
    const target = join(dir, "untouched");
    const result = await cli(["restore", "--from", bogus], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/agentd restore: .+/);
    expect(existsSync(join(target, "agentd.db"))).toBe(false);

    const manifest = JSON.stringify({ format: 1, agentdVersion: "0", createdAt: "x", files: ["agentd.db", "checkpoints.db"] });
    const damaged = join(dir, "damaged.tar.gz");
    await Bun.write(damaged, await new Bun.Archive({ "backup.json": manifest, "agentd.db": "", "checkpoints.db": "" }, { compress: "gzip" }).bytes());
    const refused = await cli(["restore", "--from", damaged], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("damaged: agentd.db");
    expect(existsSync(join(target, "agentd.db"))).toBe(false);
  });

  test("usage errors exit 2; backup of a data dir without databases exits 1 naming the file", async () => {
    expect((await cli(["backup"], agentd.dataDir)).code).toBe(2);
    expect((await cli(["backup", "--out", "x", "--bogus"], agentd.dataDir)).code).toBe(2);
    expect((await cli(["restore", "--help"], agentd.dataDir)).stdout).toContain("--force");
    const empty = await cli(["backup", "--out", join(dir, "none.tar.gz")], join(dir, "no-data"));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("agentd.db does not exist");
  });
});

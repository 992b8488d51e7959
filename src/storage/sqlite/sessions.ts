import type { Database } from "bun:sqlite";
import type { SessionStore } from "../app-store.ts";
import type { SessionRecord } from "../types.ts";
import { now } from "./open.ts";

interface SessionRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
}

const toRecord = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  familyId: row.family_id,
  tokenHash: row.token_hash,
  expiresAt: row.expires_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
});

export class SqliteSessionStore implements SessionStore {
  constructor(private readonly db: Database) {}

  async create(input: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<SessionRecord> {
    const record: SessionRecord = {
      id: Bun.randomUUIDv7(),
      userId: input.userId,
      familyId: input.familyId,
      tokenHash: input.tokenHash,
      expiresAt: input.expiresAt.toISOString(),
      rotatedAt: null,
      revokedAt: null,
    };
    this.db
      .query("INSERT INTO sessions (id, user_id, family_id, token_hash, expires_at) VALUES (?, ?, ?, ?, ?)")
      .run(record.id, record.userId, record.familyId, record.tokenHash, record.expiresAt);
    return record;
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.db.query("SELECT * FROM sessions WHERE token_hash = ?").get(tokenHash) as SessionRow | null;
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const row = this.db.query("SELECT * FROM sessions WHERE id = ?").get(id) as SessionRow | null;
    return row ? toRecord(row) : null;
  }

  async markRotated(id: string): Promise<boolean> {
    const result = this.db
      .query("UPDATE sessions SET rotated_at = ? WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL")
      .run(now(), id);
    return result.changes === 1;
  }

  async revoke(id: string): Promise<void> {
    this.db.query("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now(), id);
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.db.query("UPDATE sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL").run(now(), familyId);
  }

  async revokeAllForUser(userId: string): Promise<void> {
    this.db.query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").run(now(), userId);
  }
}

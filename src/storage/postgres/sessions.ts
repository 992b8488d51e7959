import type postgres from "postgres";
import type { SessionStore } from "../app-store.ts";
import type { SessionRecord } from "../types.ts";
import { iso } from "./connect.ts";

interface SessionRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

const toRecord = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  familyId: row.family_id,
  tokenHash: row.token_hash,
  expiresAt: iso(row.expires_at),
  rotatedAt: iso(row.rotated_at),
  revokedAt: iso(row.revoked_at),
});

export class PostgresSessionStore implements SessionStore {
  constructor(private readonly sql: postgres.Sql) {}

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
    await this.sql`INSERT INTO sessions (id, user_id, family_id, token_hash, expires_at)
      VALUES (${record.id}, ${record.userId}, ${record.familyId}, ${record.tokenHash}, ${record.expiresAt})`;
    return record;
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const [row] = await this.sql<SessionRow[]>`SELECT * FROM sessions WHERE token_hash = ${tokenHash}`;
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const [row] = await this.sql<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`;
    return row ? toRecord(row) : null;
  }

  /** One UPDATE with the condition in its WHERE: of two nodes rotating the same token at once, exactly one wins. */
  async markRotated(id: string): Promise<boolean> {
    const result = await this.sql`UPDATE sessions SET rotated_at = ${new Date().toISOString()}
      WHERE id = ${id} AND rotated_at IS NULL AND revoked_at IS NULL`;
    return result.count === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.sql`UPDATE sessions SET revoked_at = ${new Date().toISOString()} WHERE id = ${id} AND revoked_at IS NULL`;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.sql`UPDATE sessions SET revoked_at = ${new Date().toISOString()} WHERE family_id = ${familyId} AND revoked_at IS NULL`;
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.sql`UPDATE sessions SET revoked_at = ${new Date().toISOString()} WHERE user_id = ${userId} AND revoked_at IS NULL`;
  }
}

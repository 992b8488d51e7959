import type { Database } from "bun:sqlite";
import type { ProjectStore } from "../app-store.ts";
import type { ProjectFields, ProjectRecord, ProjectType } from "../types.ts";
import { now } from "./open.ts";

interface ProjectRow {
  id: string;
  owner_id: string;
  title: string;
  description: string;
  type: ProjectType;
  tags: string;
  links: string;
  showcase: number;
  created_at: string;
  updated_at: string;
}

const toRecord = (row: ProjectRow): ProjectRecord => ({
  id: row.id,
  ownerId: row.owner_id,
  title: row.title,
  description: row.description,
  type: row.type,
  tags: JSON.parse(row.tags),
  links: JSON.parse(row.links),
  showcase: row.showcase === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class SqliteProjectStore implements ProjectStore {
  constructor(private readonly db: Database) {}

  async create(ownerId: string, fields: ProjectFields): Promise<ProjectRecord> {
    const at = now();
    const id = Bun.randomUUIDv7();
    this.db
      .query(
        `INSERT INTO projects (id, owner_id, title, description, type, tags, links, showcase, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ownerId, fields.title, fields.description, fields.type, JSON.stringify(fields.tags), JSON.stringify(fields.links), fields.showcase ? 1 : 0, at, at);
    return { id, ownerId, ...fields, createdAt: at, updatedAt: at };
  }

  async findOwned(ownerId: string, id: string): Promise<ProjectRecord | null> {
    const row = this.db.query("SELECT * FROM projects WHERE id = ? AND owner_id = ?").get(id, ownerId) as ProjectRow | null;
    return row ? toRecord(row) : null;
  }

  async updateOwned(ownerId: string, id: string, changes: Partial<ProjectFields>): Promise<ProjectRecord | null> {
    // Read and write with no await between them (one transaction), so concurrent partial updates do not undo each other.
    return this.db.transaction(() => {
      const row = this.db.query("SELECT * FROM projects WHERE id = ? AND owner_id = ?").get(id, ownerId) as ProjectRow | null;
      if (!row) return null;
      const next = { ...toRecord(row), ...changes, updatedAt: now() };
      this.db
        .query(
          `UPDATE projects SET title = ?, description = ?, type = ?, tags = ?, links = ?, showcase = ?, updated_at = ?
           WHERE id = ? AND owner_id = ?`,
        )
        .run(next.title, next.description, next.type, JSON.stringify(next.tags), JSON.stringify(next.links), next.showcase ? 1 : 0, next.updatedAt, id, ownerId);
      return next;
    }).immediate();
  }

  async listOwned(ownerId: string): Promise<ProjectRecord[]> {
    return (this.db.query("SELECT * FROM projects WHERE owner_id = ? ORDER BY created_at DESC, id DESC").all(ownerId) as ProjectRow[]).map(toRecord);
  }

  async countCreatedSince(ownerId: string, since: Date): Promise<number> {
    const row = this.db.query("SELECT COUNT(*) AS n FROM projects WHERE owner_id = ? AND created_at >= ?").get(ownerId, since.toISOString()) as { n: number };
    return row.n;
  }
}

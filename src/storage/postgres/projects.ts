import type postgres from "postgres";
import type { ProjectStore } from "../app-store.ts";
import type { ProjectFields, ProjectRecord, ProjectType } from "../types.ts";
import { iso } from "./connect.ts";

interface ProjectRow {
  id: string;
  owner_id: string;
  title: string;
  description: string;
  type: ProjectType;
  tags: string[];
  links: string[];
  showcase: boolean;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: ProjectRow): ProjectRecord => ({
  id: row.id,
  ownerId: row.owner_id,
  title: row.title,
  description: row.description,
  type: row.type,
  tags: row.tags,
  links: row.links,
  showcase: row.showcase,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export class PostgresProjectStore implements ProjectStore {
  constructor(private readonly sql: postgres.Sql) {}

  async create(ownerId: string, fields: ProjectFields): Promise<ProjectRecord> {
    const at = new Date().toISOString();
    const id = Bun.randomUUIDv7();
    await this.sql`INSERT INTO projects (id, owner_id, title, description, type, tags, links, showcase, created_at, updated_at)
      VALUES (${id}, ${ownerId}, ${fields.title}, ${fields.description}, ${fields.type}, ${this.sql.json(fields.tags)},
        ${this.sql.json(fields.links)}, ${fields.showcase}, ${at}, ${at})`;
    return { id, ownerId, ...fields, createdAt: at, updatedAt: at };
  }

  async findOwned(ownerId: string, id: string): Promise<ProjectRecord | null> {
    const [row] = await this.sql<ProjectRow[]>`SELECT * FROM projects WHERE id = ${id} AND owner_id = ${ownerId}`;
    return row ? toRecord(row) : null;
  }

  /** Read and write in one transaction with the row locked, so concurrent partial updates do not undo each other. */
  async updateOwned(ownerId: string, id: string, changes: Partial<ProjectFields>): Promise<ProjectRecord | null> {
    return (await this.sql.begin(async (tx) => {
      const [row] = await tx<ProjectRow[]>`SELECT * FROM projects WHERE id = ${id} AND owner_id = ${ownerId} FOR UPDATE`;
      if (!row) return null;
      const next: ProjectRecord = { ...toRecord(row), ...changes, updatedAt: new Date().toISOString() };
      await tx`UPDATE projects SET title = ${next.title}, description = ${next.description}, type = ${next.type},
          tags = ${tx.json(next.tags)}, links = ${tx.json(next.links)}, showcase = ${next.showcase}, updated_at = ${next.updatedAt}
        WHERE id = ${id} AND owner_id = ${ownerId}`;
      return next;
    })) as ProjectRecord | null;
  }

  async listOwned(ownerId: string): Promise<ProjectRecord[]> {
    return (await this.sql<ProjectRow[]>`SELECT * FROM projects WHERE owner_id = ${ownerId} ORDER BY created_at DESC, id DESC`).map(toRecord);
  }

  async countCreatedSince(ownerId: string, since: Date): Promise<number> {
    const [row] = await this.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects WHERE owner_id = ${ownerId} AND created_at >= ${since.toISOString()}`;
    return row!.n;
  }
}

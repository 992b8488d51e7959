import type postgres from "postgres";
import { AppError } from "../../errors.ts";
import type { UserStore } from "../app-store.ts";
import type { Role, User } from "../types.ts";
import { iso } from "./connect.ts";

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  active: boolean;
  created_at: Date;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  active: row.active,
  createdAt: iso(row.created_at),
});

/** Usernames are unique regardless of case, as in the SQLite store (`lower(username)` index). */
export class PostgresUserStore implements UserStore {
  constructor(private readonly sql: postgres.Sql) {}

  async create(input: { username: string; passwordHash: string; role: Role }): Promise<User> {
    const user: User = { id: Bun.randomUUIDv7(), ...input, active: true, createdAt: new Date().toISOString() };
    try {
      await this.sql`INSERT INTO users (id, username, password_hash, role, active, created_at)
        VALUES (${user.id}, ${user.username}, ${user.passwordHash}, ${user.role}, TRUE, ${user.createdAt})`;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new AppError("conflict", `The username "${input.username}" is taken.`);
      throw error;
    }
    return user;
  }

  async findById(id: string): Promise<User | null> {
    const [row] = await this.sql<UserRow[]>`SELECT * FROM users WHERE id = ${id}`;
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const [row] = await this.sql<UserRow[]>`SELECT * FROM users WHERE lower(username) = lower(${username})`;
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    return (await this.sql<UserRow[]>`SELECT * FROM users ORDER BY lower(username), username`).map(toUser);
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.sql`UPDATE users SET active = ${active} WHERE id = ${id}`;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${id}`;
  }
}

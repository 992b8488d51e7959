import type { Database } from "bun:sqlite";
import { AppError } from "../../errors.ts";
import type { UserStore } from "../app-store.ts";
import type { Role, User } from "../types.ts";
import { now } from "./open.ts";

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  active: number;
  created_at: string;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  active: row.active === 1,
  createdAt: row.created_at,
});

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: Database) {}

  async create(input: { username: string; passwordHash: string; role: Role }): Promise<User> {
    const user: User = { id: Bun.randomUUIDv7(), ...input, active: true, createdAt: now() };
    try {
      this.db
        .query("INSERT INTO users (id, username, password_hash, role, active, created_at) VALUES (?, ?, ?, ?, 1, ?)")
        .run(user.id, user.username, user.passwordHash, user.role, user.createdAt);
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw new AppError("conflict", `The username "${input.username}" is taken.`);
      throw error;
    }
    return user;
  }

  async findById(id: string): Promise<User | null> {
    const row = this.db.query("SELECT * FROM users WHERE id = ?").get(id) as UserRow | null;
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = this.db.query("SELECT * FROM users WHERE username = ?").get(username) as UserRow | null;
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    return (this.db.query("SELECT * FROM users ORDER BY username").all() as UserRow[]).map(toUser);
  }

  async setActive(id: string, active: boolean): Promise<void> {
    this.db.query("UPDATE users SET active = ? WHERE id = ?").run(active ? 1 : 0, id);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    this.db.query("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
  }
}

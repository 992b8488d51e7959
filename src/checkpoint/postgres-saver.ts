import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";

export { PostgresSaver };

/** The official saver, plus a health check on its pool. */
export class PooledPostgresSaver extends PostgresSaver {
  constructor(
    private readonly connections: pg.Pool,
    options: { schema: string },
  ) {
    super(connections, undefined, options);
    this.schema = options.schema;
  }

  private readonly schema: string;

  /** The threads (conversations) with the newest checkpoints, newest first: what a cache warms up with. */
  async recentThreadIds(limit: number): Promise<string[]> {
    const { rows } = await this.connections.query(
      `SELECT thread_id FROM "${this.schema}".checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id ORDER BY max(checkpoint_id) DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row: { thread_id: string }) => row.thread_id);
  }

  /** Throws when the pool cannot reach the server. */
  async ping(): Promise<void> {
    await this.connections.query("SELECT 1");
  }
}

export interface PostgresSaverOptions {
  url: string;
  /** Schema holding the checkpoint tables (created when missing). */
  schema: string;
  poolMin: number;
  poolMax: number;
  /** Default 5000. */
  connectTimeoutMs?: number;
}

/**
 * LangGraph's official Postgres checkpointer on its own `pg` pool, set up under a session advisory
 * lock: upstream `setup()` reads the version and applies steps without one, so two nodes starting
 * together could both apply a step. Here the second waits, then finds nothing to do.
 * Throws what `pg` throws when the server cannot be reached.
 */
export async function openPostgresSaver(options: PostgresSaverOptions): Promise<PooledPostgresSaver> {
  const lock = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 });
  await lock.connect();
  const pool = new pg.Pool({ connectionString: options.url, min: options.poolMin, max: options.poolMax, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 });
  // An idle client that loses its server emits here; without a listener that would crash the process.
  pool.on("error", () => {});
  const saver = new PooledPostgresSaver(pool, { schema: options.schema });
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext($1))", [`agentd:checkpoint-migrations:${options.schema}`]);
    await saver.setup();
  } catch (error) {
    await pool.end();
    throw error;
  } finally {
    // Ending the session releases the advisory lock.
    await lock.end().catch(() => {});
  }
  return saver;
}

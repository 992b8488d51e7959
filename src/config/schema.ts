import { z } from "zod";
import { guard } from "./schema-guard.ts";
import { cidr, duration, httpUrl, perWindow, port } from "./schema-types.ts";

export { duration, durationMs } from "./schema-types.ts";

/**
 * The single source of agentd's configuration: keys, defaults, validation and the text that
 * `agentd config defaults` and config/agentd.example.yaml print. Every leaf can also be set from
 * the environment as AGENTD_ + its path in capitals with `__` between levels
 * (AGENTD_AUTH__JWT_SECRET). Unknown keys are errors.
 */

const server = z
  .strictObject({
    host: z.string().default("0.0.0.0").describe("Address to listen on."),
    port: port.default(8080).describe("TCP port for HTTP and WebSocket; 0 picks a free one."),
    secure_cookies: z
      .enum(["auto", "always", "never"])
      .default("auto")
      .describe("Mark auth cookies Secure: auto = when the request arrived over TLS (or X-Forwarded-Proto: https from a trusted proxy)."),
    shutdown_timeout_ms: z
      .number().int().min(0).default(10_000)
      .describe("On SIGTERM/SIGINT, how long in-flight replies may run before sockets close with 1001."),
    max_payload_bytes: z
      .number().int().min(1024).default(1_048_576)
      .describe("Hard cap on one WebSocket frame; a larger frame closes the socket with 1009."),
    idle_timeout_s: z
      .number().int().min(0).max(960).default(120)
      .describe("Close a WebSocket that sent nothing (not even a ping) for this many seconds; 0 = never."),
    backpressure_bytes: z
      .number().int().min(1024).default(1_048_576)
      .describe("Most bytes waiting to reach one slow client (its pending deltas are merged meanwhile); past it the socket closes with 1013 and the client resumes."),
    ping_interval_ms: z.number().int().positive().default(30_000).describe("How often the server pings each WebSocket client."),
    client_timeout_ms: z.number().int().positive().default(60_000).describe("Drop a WebSocket client that sent nothing (not even a pong) for this long."),
    trusted_proxies: z
      .array(cidr()).default([])
      .describe("Reverse proxies (IPs or CIDR blocks) whose X-Forwarded-For and X-Forwarded-Proto are believed. The client's IP is then the right-most X-Forwarded-For address that is not a trusted proxy. Empty = use the socket's address."),
    allowed_origins: z
      .array(z.string().regex(/^https?:\/\/[^/\s]+$/, "expected an origin such as https://chat.example.com")).default([])
      .describe("Origins (scheme://host[:port]) whose pages may open WebSockets; an upgrade from another Origin gets HTTP 403. Empty = only pages served by this server's own host."),
    tls: z
      .strictObject({
        cert: z.string().optional().describe("PEM certificate file (with the chain). Set cert and key to serve https:// and wss:// directly; auth cookies become Secure and HSTS is sent."),
        key: z.string().optional().describe("PEM private key file of tls.cert."),
        hsts_max_age_s: z
          .number().int().min(0).default(31_536_000)
          .describe("With TLS on, send Strict-Transport-Security with this max-age (seconds); 0 = send none."),
      })
      .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), "set both server.tls.cert and server.tls.key, or neither")
      .prefault({})
      .describe("TLS without a reverse proxy (Bun's own TLS)."),
    websocket_compression: z
      .boolean().default(false)
      .describe("Compress WebSocket frames (permessage-deflate) for clients that offer it: less bandwidth, more CPU and memory per socket (see BENCHMARKS.md)."),
  })
  .prefault({})
  .describe("The HTTP and WebSocket listener.");

const auth = z
  .strictObject({
    jwt_secret: z
      .string().min(32, "must be at least 32 bytes").optional()
      .describe("HS256 signing secret (32+ bytes). When unset, one is generated on first start and kept in data_dir/jwt-secret (mode 0600)."),
    token_ttl: duration().default("1h").describe("Lifetime of an access token."),
    session_max_age: duration().default("7d").describe("Lifetime of a login session (the refresh cookie); rotated on every use."),
    issuer: z.string().default("agentd").describe("`iss` claim written into and required of access tokens."),
    audience: z.string().default("agentd").describe("`aud` claim written into and required of access tokens."),
    revocation_check: duration()
      .default("5s")
      .describe("How often open WebSockets are checked against disabled users and ended logins (e.g. `agentd user disable` run by another process); those sockets close with 4001."),
    external: z
      .strictObject({
        algorithms: z
          .array(z.enum(["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]))
          .default(["RS256", "ES256"])
          .describe("Asymmetric algorithms accepted from the external issuer."),
        jwks_url: httpUrl().optional().describe("JWKS URL of an external token issuer (RS256/ES256)."),
        public_key: z.string().optional().describe("PEM public key (SPKI) of an external token issuer, instead of jwks_url."),
        issuer: z.string().optional().describe("`iss` required of external tokens (default: auth.issuer)."),
        audience: z.string().optional().describe("`aud` required of external tokens (default: auth.audience)."),
      })
      .prefault({})
      .describe("Accept tokens signed by an outside identity provider as well; their `sub` must name an agentd user."),
  })
  .prefault({})
  .describe("Logins, sessions and access tokens (HS256 JWTs that agentd signs itself).");

const llmFields = {
    provider: z.enum(["openai", "azure"]).default("openai").describe("`openai` = any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, LM Studio); `azure` = Azure OpenAI."),
    base_url: httpUrl().optional().describe("Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 for Ollama. Unset = OpenAI's own."),
    api_key: z.string().optional().describe("API key; OPENAI_API_KEY (or AZURE_OPENAI_API_KEY for azure) is used when unset."),
    model: z.string().optional().describe("Model name (for azure: the deployment's model). Chat needs this set."),
    temperature: z.number().min(0).max(2).optional().describe("Sampling temperature; unset = the provider's default."),
    timeout_ms: z.number().int().positive().default(30_000).describe("Timeout of one model request."),
    max_retries: z.number().int().min(0).default(2).describe("Retries of a failed model request inside the client library."),
    azure: z
      .strictObject({
        endpoint: httpUrl().optional().describe("Azure OpenAI endpoint, https://NAME.openai.azure.com."),
        deployment: z.string().optional().describe("Azure deployment name."),
        api_version: z.string().default("2024-10-21").describe("Azure OpenAI API version."),
      })
      .prefault({})
      .describe("Azure OpenAI; read only when llm.provider is azure."),
};

const llm = z
  .strictObject({
    ...llmFields,
    fallback: z
      .strictObject(llmFields)
      .optional()
      .describe("Another model (same keys as llm) that answers while llm's circuit breaker is open, e.g. a local Ollama."),
  })
  .prefault({})
  .describe("The chat model that agents call.");

const workers = z
  .strictObject({
    threads: z
      .union([z.literal("auto"), z.number().int().min(0).max(256)])
      .default("auto")
      .describe("Worker threads that run agents: auto = one per CPU core but one, which is left to the sockets (0 on one core: agents run on the main thread); 0 = run on the main thread."),
    concurrency: z
      .number().int().positive().default(256)
      .describe("Most replies generated at once on this node. A reply mostly waits on the model, so this is far above the core count; 256 matches Bun's default cap on concurrent HTTP requests (BUN_CONFIG_MAX_HTTP_REQUESTS)."),
    nice: z
      .number().int().min(0).max(19).default(10)
      .describe("Scheduling niceness of the worker threads (Linux; 0 = the same priority as the socket thread, 19 = lowest). When the machine is busy the socket thread gets the CPU first, so accepting messages and delivering tokens stay fast while agent runs wait their turn."),
  })
  .prefault({})
  .describe("Where agent runs execute and how many at once.");

const queue = z
  .strictObject({
    backend: z.enum(["sqlite", "memory"]).default("sqlite").describe("Where accepted tasks wait: sqlite = data_dir/queue.db, survives a crash; memory = lost on restart (the task store re-queues them). Ignored with redis.url and postgres.url: the queue is then shared, on Redis."),
    lease_ms: z.number().int().positive().default(8_000).describe("How long a node holds a task without renewing it; a crashed node's tasks run again after this."),
    heartbeat_ms: z.number().int().positive().default(2_000).describe("How often a node renews the leases of the tasks it runs."),
    reaper_ms: z.number().int().positive().default(1_000).describe("How often expired leases are given back to the queue."),
    reconcile_ms: z
      .number().int().positive().default(30_000)
      .describe("Multi-node (shared queue on Redis): how often each node queues again the tasks Postgres holds as queued or running that the queue lost (Redis restarted without its data, or was unreachable when they were accepted)."),
    tasks_per_minute: z.number().int().positive().default(100).describe("Most tasks this node starts per minute (bursts up to this many)."),
    max_retries: z.number().int().min(0).default(3).describe("Runs again of a task that failed retryably (429, 5xx, network) or whose node died."),
    retry_base_ms: z.number().int().positive().default(1_000).describe("First retry delay; doubled on each retry, with jitter."),
    soft_timeout_ms: z.number().int().positive().default(240_000).describe("Stop the model call of a reply running this long; the turn ends with reason timeout."),
    hard_timeout_ms: z.number().int().positive().default(300_000).describe("Abandon a reply running this long; the turn ends with reason failed."),
    double_texting: z
      .enum(["enqueue", "reject", "interrupt"])
      .default("enqueue")
      .describe("A message sent while a reply runs in the same conversation: enqueue = answered after it; reject = error conversation_busy; interrupt = cancel the running reply."),
  })
  .prefault({})
  .describe("Durable task queue: leases, retries, timeouts.");

const events = z
  .strictObject({
    backend: z.enum(["sqlite", "memory"]).default("sqlite").describe("Where recent conversation events are kept for resume: sqlite = data_dir/events.db, survives restarts; memory = a restart starts a new epoch. Ignored with redis.url: the log is then shared, on Redis Streams."),
    max_per_conversation: z.number().int().positive().default(2_000).describe("Events kept per conversation for resume (a reply still running is always kept whole)."),
    max_age_ms: z.number().int().positive().default(3_600_000).describe("Events older than this are dropped (a reply still running is always kept whole)."),
  })
  .prefault({})
  .describe("The event log that lets a client resume a conversation with ?lastSeq=.");

const breaker = z
  .strictObject({
    failures: z.number().int().positive().default(5).describe("Consecutive failed model calls that open the breaker."),
    open_ms: z.number().int().positive().default(60_000).describe("How long the breaker stays open before trial calls."),
    successes: z.number().int().positive().default(2).describe("Consecutive successful trial calls that close it again."),
  })
  .prefault({})
  .describe("Circuit breaker around each model: while open, llm.fallback answers, or turns end with model_unavailable.");

const limits = z
  .strictObject({
    max_message_chars: z.number().int().positive().default(5000).describe("Longest user message, in Unicode code points."),
    max_frame_bytes: z
      .number().int().positive().default(65_536)
      .describe("Largest WebSocket frame handled; a larger one gets error bad_request and the socket stays open."),
    messages_per_hour: perWindow(50).describe("Messages one user may send per hour (window from the first one); the next gets error rate_limited. 0 = no limit."),
    projects_per_hour: perWindow(10).describe("Projects one user may create per rolling hour with the project agent (counted in the projects table, so every thread and node agrees). 0 = no limit."),
    anonymous_per_hour: perWindow(20)
      .describe("Unauthenticated API requests (answered 401) and failed WebSocket authentications per client IP per hour; past it they get 429 / close 4008. Static files and the login itself are not counted. 0 = no limit."),
    login_failures: perWindow(5)
      .describe("Failed logins per client IP, and per IP and username, within login_failures_window; past it logins from there get 429 with Retry-After. Past it per username alone (from any IP), each attempt is only delayed (1 s, doubling, at most 30 s), so nobody can lock a user out. 0 = no limit."),
    login_failures_window: duration().default("15m").describe("The window of limits.login_failures."),
    llm_requests_per_minute: z
      .number().int().positive().optional()
      .describe("Calls to the model provider per minute, all users and threads together, to protect the provider quota. A call over the cap waits for the next minute (up to a minute); unset = no cap."),
    sockets_per_user: perWindow(5).describe("Open WebSockets per user; see sockets_per_user_policy. 0 = no limit."),
    sockets_per_user_policy: z
      .enum(["replace", "refuse"])
      .default("replace")
      .describe("When a user opens one socket too many: replace = close their oldest with 4009 (a reconnect is never locked out by dead sockets); refuse = close the new one with 4008."),
    sockets_per_ip: perWindow(50).describe("Open WebSockets per client IP; the next is closed with 4008. 0 = no limit."),
    connects_per_ip_per_minute: perWindow(60).describe("WebSocket connection attempts per client IP per minute; past it they are closed with 4008. 0 = no limit."),
  })
  .prefault({})
  .describe("What a client may send, how often, and how many connections it may hold.");

const log = z
  .strictObject({
    level: z.enum(["debug", "info", "warn", "error"]).default("info").describe("Lowest level written."),
    security_file: z
      .string().optional()
      .describe("File the security event log (JSON lines: auth failures, blocks, rate-limit hits, refused connections) is appended to; unset = stdout, each line tagged \"log\":\"security\"."),
    format: z
      .enum(["auto", "json", "pretty"])
      .default("auto")
      .describe("json = one JSON object a line; pretty = readable lines for people; auto = pretty when stdout is a terminal, else json."),
  })
  .prefault({})
  .describe("Logging.");

const redis = z
  .strictObject({
    url: z
      .string()
      .regex(/^(rediss?|redis-sentinel|redis-cluster):\/\/.+/, "expected redis://, rediss://, redis-sentinel:// or redis-cluster://")
      .optional()
      .describe(
        "Redis shared by every node; setting it moves the shared parts to Redis (docs/deployment.md). One server: redis://[user:password@]host:6379[/db] " +
          "(rediss:// for TLS). Sentinel: redis-sentinel://[user:password@]host1:26379,host2:26379/MASTER_NAME[/db][?sentinel_password=…]. " +
          "Cluster: redis-cluster://[user:password@]host1:6379,host2:6379.",
      ),
    key_prefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{0,64}$/, "letters, digits and : _ . - (at most 64)")
      .default("agentd:")
      .describe("Put before every Redis key and channel name, so several deployments can share one Redis."),
  })
  .prefault({})
  .describe("Multi-node: Redis (unset = single node, everything in memory).");

const postgres = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "expected a postgres:// or postgresql:// URL")
      .optional()
      .describe(
        "PostgreSQL shared by every node, e.g. postgres://agentd:secret@db:5432/agentd; setting it moves app data (users, conversations, " +
          "projects, tasks) and LangGraph checkpoints from the SQLite files to Postgres. Unreachable at start = agentd exits 1.",
      ),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case SQL identifier")
      .default("public")
      .describe("Schema holding agentd's tables (created when missing); deployments may share a database under different schemas."),
    pool_min: z.number().int().min(0).default(1).describe("Connections each pool opens at start and keeps (one app pool and one checkpoint pool per thread)."),
    pool_max: z.number().int().min(1).default(10).describe("Most connections of each pool."),
    connect_timeout_ms: z
      .number().int().min(100).default(5000)
      .describe("Give up on a connection attempt after this long (it is retried); also how long a stalled reconnect can hold requests after an outage."),
  })
  .refine((value) => value.pool_min <= value.pool_max, { message: "pool_min must not exceed pool_max", path: ["pool_min"] })
  .prefault({})
  .describe("Multi-node: PostgreSQL (unset = single node on SQLite under data_dir).");

const cache = z
  .strictObject({
    enabled: z
      .boolean().default(true)
      .describe("Multi-node (postgres.url and redis.url): keep recently used checkpoints (conversation history) in Redis in front of Postgres. Not used with redis-cluster:// URLs."),
    ttl: duration().default("15m").describe("How long a conversation's cached checkpoints stay in Redis after their last read or write (every access starts it again)."),
    warm_conversations: z
      .number().int().min(0).default(100)
      .describe("At start, how many of the most recently active conversations get their latest checkpoint loaded into the cache; 0 = none."),
  })
  .prefault({})
  .describe("Checkpoint hot cache (multi-node): a read cache in Redis, written through, invalidated on every write and delete.");

/** The built-in tools an agent declared in config may use. */
export const TOOL_NAMES = ["create_project", "update_project", "list_my_projects"] as const;

const agentDefinition = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _, starting with a letter"),
  description: z.string().default(""),
  system_prompt: z.string().optional(),
  model: z.string().optional(),
  tools: z.array(z.enum(TOOL_NAMES)).default([]),
  module: z.string().optional(),
  /** Overrides of the input guard for this agent's conversations; unset keys keep `guard.*`. */
  guard: z
    .strictObject({
      enabled: z.boolean().optional(),
      max_special_char_ratio: z.number().min(0).max(1).optional(),
      block_threshold: z.number().gt(0).max(1).optional(),
      actions: z.record(z.string(), z.enum(["score", "block", "sanitize", "allow"])).optional(),
    })
    .optional(),
});

export type AgentDefinitionConfig = z.infer<typeof agentDefinition>;

const agents = z
  .array(agentDefinition)
  .default([])
  .describe(
    "Agents besides the built-in `assistant` and `project` (an entry with a built-in's name replaces it): name, description, " +
      "system_prompt, model, tools, guard overrides, or a TypeScript module. See docs/agents.md. As an env var: JSON.",
  );

const ui = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Serve the web UI at /. false = the HTTP API and WebSockets only."),
    websocket_url: z
      .url({ protocol: /^wss?$/, error: "expected a ws:// or wss:// URL" })
      .optional()
      .describe(
        "Base URL the web page opens chat sockets on (it appends /ws/chat/ID), e.g. wss://chat.example.com. Unset = the page's own host. Another origin gets no cookie (SameSite=Strict), so the page sends its access token as ?token=.",
      ),
  })
  .prefault({})
  .describe("The web UI.");
const LISTEN = /^(\[[0-9a-fA-F:.]+\]|[^\s:]+):(\d{1,5})$/;

/** Host and port of a `HOST:PORT` listen address (`[::1]:9464` for IPv6). */
export function parseListen(value: string): { host: string; port: number } {
  const match = LISTEN.exec(value);
  if (!match) throw new Error(`not a HOST:PORT address: ${value}`);
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

const metrics = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Serve Prometheus metrics at GET /metrics."),
    listen: z
      .string()
      .regex(LISTEN, "expected HOST:PORT, e.g. 127.0.0.1:9464")
      .optional()
      .describe("Serve /metrics on this separate HOST:PORT (e.g. 127.0.0.1:9464) instead of the main listener."),
    token: z
      .string().min(16, "must be at least 16 characters").optional()
      .describe("Require `Authorization: Bearer <token>` on /metrics. Unset = no token (keep /metrics off the public internet then)."),
  })
  .prefault({})
  .describe("Prometheus metrics. Labels are low-cardinality (agent, model, outcome), never a user or conversation; per-user usage is at GET /api/admin/usage.");

export const ConfigSchema = z.strictObject({
  server,
  data_dir: z.string().default("./data").describe("Directory for the SQLite databases and the generated JWT secret; a relative path is taken from the working directory."),
  auth,
  llm,
  workers,
  limits,
  log,
  agents,
  guard,
  queue,
  events,
  breaker,
  ui,
  metrics,
  redis,
  postgres,
  cache,
});

export type Config = z.infer<typeof ConfigSchema>;
/** What a YAML file or the environment may say: every key optional. */
export type ConfigInput = z.input<typeof ConfigSchema>;

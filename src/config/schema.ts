import { z } from "zod";

/**
 * The single source of agentd's configuration: keys, defaults, validation and the text that
 * `agentd config defaults` and config/agentd.example.yaml print. Every leaf can also be set from
 * the environment as AGENTD_ + its path in capitals with `__` between levels
 * (AGENTD_AUTH__JWT_SECRET). Unknown keys are errors.
 */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** A duration such as `90s`, `15m`, `1h`, `7d`. */
export const duration = () =>
  z.string().regex(DURATION, "expected a duration such as 30s, 15m, 1h or 7d");

/** Milliseconds in a duration string accepted by `duration()`. */
export function durationMs(value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

const port = z.number().int().min(0).max(65535);

/**
 * An http(s) URL. Plain `z.url()` accepts any scheme, so a typo such as `localhost:11434/v1`
 * (scheme "localhost:") would pass validation and only fail at the first request.
 */
const httpUrl = () => z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

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

const llm = z
  .strictObject({
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
  })
  .prefault({})
  .describe("The chat model that agents call.");

const workers = z
  .strictObject({
    threads: z
      .union([z.literal("auto"), z.number().int().min(0).max(256)])
      .default("auto")
      .describe("Worker threads that run agents: auto = one per CPU core; 0 = run on the main thread."),
    concurrency: z.number().int().positive().default(32).describe("Most replies generated at once on this node."),
  })
  .prefault({})
  .describe("Where agent runs execute and how many at once.");

const limits = z
  .strictObject({
    max_message_chars: z.number().int().positive().default(5000).describe("Longest user message, in Unicode code points."),
    max_frame_bytes: z
      .number().int().positive().default(65_536)
      .describe("Largest WebSocket frame handled; a larger one gets error bad_request and the socket stays open."),
  })
  .prefault({})
  .describe("Sizes a client may send.");

const log = z
  .strictObject({
    level: z.enum(["debug", "info", "warn", "error"]).default("info").describe("Lowest level written."),
  })
  .prefault({})
  .describe("Logging.");

export const ConfigSchema = z.strictObject({
  server,
  data_dir: z.string().default("./data").describe("Directory for the SQLite databases and the generated JWT secret; a relative path is taken from the working directory."),
  auth,
  llm,
  workers,
  limits,
  log,
});

export type Config = z.infer<typeof ConfigSchema>;
/** What a YAML file or the environment may say: every key optional. */
export type ConfigInput = z.input<typeof ConfigSchema>;

import type { Server } from "bun";
import indexHtml from "../../ui/index.html";
import { modelConfigProblem } from "../agents/model.ts";
import { CheckpointHistory } from "../agents/history.ts";
import { AuthService } from "../auth/auth-service.ts";
import { loadOrCreateSecret } from "../auth/secret.ts";
import { TokenService } from "../auth/tokens.ts";
import { ChatService } from "../chat/chat-service.ts";
import { ChatSession } from "../chat/chat-session.ts";
import { ConversationService } from "../chat/conversation-service.ts";
import { admitSocket } from "../chat/socket-auth.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { MemoryEventLog } from "../events/memory.ts";
import { createHttpApp } from "../http/create-http-app.ts";
import { createLogger, resolveLogFormat, type Logger } from "../log.ts";
import type { PrometheusMetrics } from "../metrics/prometheus.ts";
import { CloseCode } from "../protocol/index.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import { MemoryTaskQueue } from "../queue/memory.ts";
import type { AppStore } from "../storage/app-store.ts";
import { BunWebSocketTransport } from "../transport/ws/bun-websocket.ts";
import { Dispatcher } from "../work/dispatcher.ts";
import type { TaskExecutor } from "../work/executor.ts";
import { InlineExecutor } from "../work/inline-executor.ts";
import { WorkerPoolExecutor } from "../work/worker-pool.ts";
import { observeTaskEnd } from "../work/task-end-observer.ts";
import { AGENT_NAMES, createAgentRuntime } from "./agent-runtime.ts";
import { openAppStore } from "./app-store.ts";
import { ensureInitialAdmin } from "./initial-admin.ts";
import { createServerMetrics, serveMetricsSeparately } from "./metrics.ts";
import { readTls } from "./tls.ts";
import { dataPaths } from "./paths.ts";
import { workerEntryUrl } from "./worker-url.ts";

export interface StartOptions {
  logger?: Logger;
  /** Label the model as a demo model in /api/info and the UI. */
  demo?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  store: AppStore;
  /** Where /metrics is served when `metrics.listen` is set. */
  metricsUrl?: string;
  /** Graceful stop: refuse new work, let replies finish up to server.shutdown_timeout_ms, close sockets with 1001. */
  stop(): Promise<void>;
}

const CHAT_PATH = /^\/ws\/chat\/([^/]+)$/;

/** The composition root: builds every part for a single node from the validated config and starts serving. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.log.level, undefined, resolveLogFormat(config.log.format));
  const paths = dataPaths(config);
  const tls = readTls(config);
  const store = openAppStore(config);
  const checkpointer = SqliteSaver.fromPath(paths.checkpoints);
  checkpointer.setup();

  const secret = loadOrCreateSecret(config.auth.jwt_secret, paths.dir);
  await ensureInitialAdmin(store.users, paths.dir, log);
  const auth = new AuthService(store.users, store.sessions, new TokenService(secret, config.auth), config.auth);
  const events = new MemoryEventLog();
  const pubsub = new MemoryPubSub();
  const queue = new MemoryTaskQueue();
  const conversations = new ConversationService(store.conversations, new CheckpointHistory(checkpointer), events, AGENT_NAMES);
  const modelProblem = () => modelConfigProblem(config.llm);
  const chat = new ChatService({ tasks: store.tasks, conversations: store.conversations, queue, limits: config.limits, modelProblem });

  // Read at scrape time only, once the server is up.
  const metrics = createServerMetrics({ openSockets: () => transport.size, queue, runningTasks: () => dispatcher.running });
  const executor = await createExecutor(config, log, metrics);
  const dispatcher = new Dispatcher({
    queue,
    executor,
    tasks: store.tasks,
    events,
    pubsub,
    concurrency: config.workers.concurrency,
    onError: (error, task) => log.error("task failed", { taskId: task.taskId, conversationId: task.conversationId, userId: task.userId, error }),
    onTaskEnd: observeTaskEnd({ metrics, usage: store.usage, log }),
  });
  const recovered = await chat.recover(async (id) => (await store.conversations.findById(id))?.agent ?? null);
  if (recovered.requeued || recovered.failed) log.info("recovered tasks from the previous run", recovered);
  dispatcher.start();

  const http = createHttpApp(
    {
      config,
      auth,
      conversations,
      readiness: {
        storage: async () => (await store.ping(), null),
        model: async () => modelProblem(),
      },
      info: () => ({ demo: options.demo ?? false, modelConfigured: modelProblem() === null, model: config.llm.model }),
      usage: store.usage,
      metrics: config.metrics.enabled && !config.metrics.listen ? metrics : undefined,
      logger: log,
    },
    (error, fields) => log.error("request failed", { ...fields, error }),
  );
  const transport = new BunWebSocketTransport({
    maxPayloadBytes: config.server.max_payload_bytes,
    idleTimeoutSeconds: config.server.idle_timeout_s,
  });
  const metricsServer = serveMetricsSeparately(config, metrics, log);
  let draining = false;

  const server: Server<any> = Bun.serve({
    hostname: config.server.host,
    port: config.server.port,
    development: false,
    tls,
    routes: { "/": indexHtml },
    websocket: transport.handlers,
    fetch: async (request, server) => {
      const match = CHAT_PATH.exec(new URL(request.url).pathname);
      if (!match || request.headers.get("upgrade")?.toLowerCase() !== "websocket") return http.fetch(request);
      if (draining) {
        metrics.inc("agentd_ws_connections_refused_total", { reason: "shutting_down" });
        return new Response("shutting down", { status: 503 });
      }
      const admission = await admitSocket(request, decodeURIComponent(match[1]!), auth, conversations);
      const upgraded = transport.upgrade(request, server, (connection) => {
        if (!admission.admitted) {
          metrics.inc("agentd_ws_connections_refused_total", { reason: admission.closeCode === CloseCode.notFound ? "not_found" : "unauthorized" });
          connection.close(admission.closeCode, admission.reason);
          return { receive() {}, close() {} };
        }
        const openedAt = performance.now();
        const session = new ChatSession(connection, admission.user, admission.conversation, {
          chat,
          pubsub,
          events,
          limits: config.limits,
          log: (error) => log.error("socket handler failed", { conversationId: admission.conversation.id, userId: admission.user.id, error }),
        });
        void session.open().catch((error) => {
          log.error("socket open failed", { conversationId: admission.conversation.id, userId: admission.user.id, error });
          connection.close(CloseCode.goingAway, "internal error");
        });
        const close = () => {
          metrics.observe("agentd_ws_connection_seconds", {}, (performance.now() - openedAt) / 1000);
          void session.close();
        };
        return { receive: (raw) => session.receive(raw), close };
      });
      return upgraded ? undefined : new Response("WebSocket upgrade failed", { status: 400 });
    },
  });

  const scheme = config.server.tls.cert ? "https" : "http";
  const url = `${scheme}://${config.server.host === "0.0.0.0" ? "127.0.0.1" : config.server.host}:${server.port}`;
  log.info("agentd listening", { url, dataDir: paths.dir, model: config.llm.model ?? null, demo: options.demo ?? false });
  if (options.demo) log.warn("DEMO MODE: replies come from a scripted demo model, not an AI");
  const problem = modelProblem();
  if (problem) log.warn("chat is off until a model is configured", { reason: problem });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      draining = true;
      dispatcher.stop();
      const drained = await dispatcher.drain(config.server.shutdown_timeout_ms);
      if (!drained) log.warn("shutdown deadline passed with replies still running", { running: dispatcher.running });
      transport.closeAll(CloseCode.goingAway, "server shutting down");
      await server.stop(true);
      await metricsServer?.stop(true);
      await executor.close();
      await Promise.all([queue.close(), pubsub.close(), events.close()]);
      checkpointer.db.close();
      await store.close();
      log.info("agentd stopped");
    })());

  const metricsUrl = metricsServer ? `http://${metricsServer.hostname === "0.0.0.0" ? "127.0.0.1" : metricsServer.hostname}:${metricsServer.port}/metrics` : undefined;
  return { url, port: server.port!, store, metricsUrl, stop };
}

async function createExecutor(config: Config, log: Logger, metrics: PrometheusMetrics): Promise<TaskExecutor> {
  const threads = config.workers.threads === "auto" ? navigator.hardwareConcurrency : config.workers.threads;
  if (threads === 0) return new InlineExecutor(createAgentRuntime(config, metrics));
  const pool = new WorkerPoolExecutor(() => new Worker(workerEntryUrl()), config, threads, (observations) => metrics.apply(observations));
  await pool.ready();
  log.debug("worker threads ready", { threads, entry: workerEntryUrl() });
  return pool;
}

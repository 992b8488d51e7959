import type { Server } from "bun";
import { LiveSockets } from "../chat/live-sockets.ts";
import { systemClock, type Clock } from "../clock.ts";
import { MemoryTokenDenyList } from "../deny-list/memory.ts";
import { originAllowed } from "../http/security-headers.ts";
import { createMemoryRateLimiter } from "../limits/memory.ts";
import { createProviderGate } from "../limits/provider-gate.ts";
import { RateLimits } from "../limits/rate-limits.ts";
import { ClientIpResolver } from "../net/client-ip.ts";
import { JsonLinesSecurityLog } from "../security/json-lines.ts";
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
import { durationMs, type Config } from "../config/schema.ts";
import { MemoryCircuitBreakers } from "../breaker/memory.ts";
import { TaskService } from "../chat/task-service.ts";
import { parseResumeQuery } from "../chat/resume.ts";
import { RecentBlocks } from "../guard/recent-blocks.ts";
import { GuardReportService } from "../guard/report-service.ts";
import { createHttpApp } from "../http/create-http-app.ts";
import { createLazyStaticFiles } from "../http/static-files.ts";
import { createLogger, resolveLogFormat, type Logger } from "../log.ts";
import { CloseCode } from "../protocol/index.ts";
import type { Interruptible } from "../pubsub/pubsub.ts";
import type { AppStore } from "../storage/app-store.ts";
import { BunWebSocketTransport } from "../transport/ws/bun-websocket.ts";
import { Dispatcher } from "../work/dispatcher.ts";
import { publishCancel } from "../work/task-control.ts";
import { agentNames, loadAgentModules } from "./agent-runtime.ts";
import { createExecutor } from "./executor.ts";
import { createEventLog, createQueue, openNodeAppStore, openNodeCheckpointer, startWalThread } from "./local-state.ts";
import { agentSpecs } from "../agents/registry.ts";
import { observeTaskEnd, recordTaskUsage } from "../work/task-end-observer.ts";
import { createAgentInputGuards } from "./input-guard.ts";
import { openPubSub } from "./pubsub.ts";
import { openSharedState } from "./shared-state.ts";
import { recoverTasks, startTaskReconciler } from "./task-recovery.ts";
import { readWithin, withTimeout } from "./readiness.ts";
import { ensureInitialAdmin } from "./initial-admin.ts";
import { createServerMetrics, serveMetricsSeparately } from "./metrics.ts";
import { countSecurityEvents, refusalReason } from "./security-metrics.ts";
import { readTls } from "./tls.ts";
import { dataPaths } from "./paths.ts";
import { loadUiFiles } from "./ui-files.ts";

export interface StartOptions {
  logger?: Logger;
  /** Label the model as a demo model in /api/info and the UI. */
  demo?: boolean;
  /** The clock of every time rule (leases, breakers, rate windows, token expiry, revocation checks); tests pass a fake one. */
  clock?: Clock;
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

/**
 * The composition root: builds every part from the validated config and starts serving. A single
 * node uses SQLite and memory; `postgres.url` switches app data and checkpoints to Postgres,
 * `redis.url` switches pub/sub between nodes and the event log to Redis, and both together the
 * task queue (see shared-state.ts).
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.log.level, undefined, resolveLogFormat(config.log.format));
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  // Read at scrape time only, once the server is up.
  const metrics = createServerMetrics({
    openSockets: () => transport.size,
    queueDepth: () => queue.depth(),
    runningTasks: () => dispatcher.inFlight,
    breakers: () => breakers.snapshot(),
  });
  const shared = await openSharedState(config, log, clock);
  const securityFile = new JsonLinesSecurityLog(config.log.security_file, clock, (error) => log.error("security log write failed", { error }));
  const security = countSecurityEvents(securityFile, metrics);
  const rateLimits = new RateLimits(config.limits, shared?.rateLimiter ?? ((rule) => createMemoryRateLimiter(rule, clock)), security, clock);
  const ips = new ClientIpResolver(config.server.trusted_proxies);
  const paths = dataPaths(config);
  const tls = readTls(config);
  const store = await openNodeAppStore(config).catch(async (error: unknown) => {
    await shared?.close();
    throw error;
  });
  const checkpoints = await openNodeCheckpointer(config).catch(async (error: unknown) => {
    await store.close();
    await shared?.close();
    throw error;
  });
  const checkpointer = checkpoints.saver;

  const secret = loadOrCreateSecret(config.auth.jwt_secret, paths.dir);
  if (config.postgres.url && !config.auth.jwt_secret) {
    log.warn("postgres.url is set but auth.jwt_secret is not: this node signs tokens with its own generated secret, so other nodes refuse them. Set the same auth.jwt_secret on every node.");
  }
  await ensureInitialAdmin(store.users, paths.dir, log);
  const { pubsub, readiness: pubsubReadiness } = await openPubSub(config, log);
  const denyList = shared?.denyList ?? new MemoryTokenDenyList(clock);
  const auth = new AuthService(store.users, store.sessions, new TokenService(secret, config.auth, now), config.auth, now, denyList);
  const sockets = new LiveSockets({
    clock,
    security,
    socketsPerUser: config.limits.sockets_per_user,
    policy: config.limits.sockets_per_user_policy,
    socketsPerIp: config.limits.sockets_per_ip,
    revalidateEveryMs: durationMs(config.auth.revocation_check),
    authenticate: async (token) => {
      const { user, ...identity } = await auth.authenticate(token);
      return { userId: user.id, ...identity };
    },
    revoked: (identity) => auth.revoked(identity),
    slots: await shared?.openSocketSlots(pubsub),
    onError: (error) => log.error("socket bookkeeping failed", { error }),
  });
  auth.onRevoke((userId) => void sockets.revalidate(userId).catch((error) => log.error("socket revalidation failed", { error })));
  sockets.start();
  const events = shared?.events ?? createEventLog(config, clock, log);
  const sharedQueue = (await shared?.openQueue(pubsub)) ?? null;
  const queue = sharedQueue ?? createQueue(config, clock);
  const wal = await startWalThread(config, { events: Boolean(shared?.events), queue: sharedQueue !== null }, log);
  const breakers = shared?.breakers ?? new MemoryCircuitBreakers(
    { failures: config.breaker.failures, openMs: config.breaker.open_ms, successes: config.breaker.successes },
    clock,
  );
  const history = new CheckpointHistory(checkpointer);
  const conversations = new ConversationService(store.conversations, history, events, agentNames(config), store.tasks);
  const modelProblem = () => modelConfigProblem(config.llm);
  const guardBlocks = new RecentBlocks(durationMs(config.guard.report_window));
  const guardReports = new GuardReportService({
    reports: store.guardReports,
    blocks: guardBlocks,
    retentionMs: durationMs(config.guard.report_retention),
    windowMs: durationMs(config.guard.report_window),
  });
  await guardReports.purgeExpired();
  const purgeGuardReports = setInterval(() => void guardReports.purgeExpired().catch((error) => log.error("guard report purge failed", { error })), 3_600_000);
  purgeGuardReports.unref();
  const chat = new ChatService({
    tasks: store.tasks,
    conversations: store.conversations,
    queue,
    history,
    limits: config.limits,
    modelProblem,
    rateLimits,
    guardFor: createAgentInputGuards(config),
    blocks: guardBlocks,
    security,
    cancelTask: (taskId) => publishCancel(pubsub, taskId),
    doubleTexting: config.queue.double_texting,
  });
  const tasks = new TaskService({ tasks: store.tasks, queue, conversations: store.conversations });

  await loadAgentModules(config); // a broken agent module stops the start, naming its file
  const providerGate = createProviderGate(rateLimits.llm, clock, security);
  const executor = await createExecutor(config, log, providerGate, metrics);
  const dispatcher = new Dispatcher({
    queue,
    executor,
    tasks: store.tasks,
    events,
    pubsub,
    breakers,
    clock,
    owner: `${process.pid}-${Bun.randomUUIDv7()}`,
    concurrency: config.workers.concurrency,
    tasksPerMinute: config.queue.tasks_per_minute,
    heartbeatMs: config.queue.heartbeat_ms,
    reaperMs: config.queue.reaper_ms,
    maxRetries: config.queue.max_retries,
    retryBaseMs: config.queue.retry_base_ms,
    softTimeoutMs: config.queue.soft_timeout_ms,
    hardTimeoutMs: config.queue.hard_timeout_ms,
    hasFallback: config.llm.fallback !== undefined,
    onError: (error) => log.error("task failed", { error }),
    onTaskEnd: observeTaskEnd({ metrics, log }),
    recordUsage: recordTaskUsage({ usage: store.usage, log }),
    onRerun: () => metrics.inc("agentd_task_retries_total", {}),
    onRedactions: (redactions, task) => {
      log.warn("secrets redacted from model output", { taskId: task.taskId, conversationId: task.conversationId, userId: task.userId, redactions });
      for (const [kind, count] of Object.entries(redactions)) {
        security.record({ kind: "output.redacted", userId: task.userId, conversationId: task.conversationId, ruleId: kind, count });
      }
    },
  });
  if (config.postgres.url && !sharedQueue) {
    // The tasks table is shared but the queue is not: the queued and running tasks in it may be other
    // live nodes' work, which the single-node recovery would fail or run a second time.
    log.warn("postgres.url without redis.url: tasks left by a node that stopped are not recovered (that needs the shared queue on Redis)");
  } else {
    // On the shared queue this is safe: a task another node holds is still leased there, so queueing it again does nothing.
    await recoverTasks(chat, store, log);
  }
  const stopReconciler = sharedQueue ? startTaskReconciler(chat, store, log, config.queue.reconcile_ms) : undefined;
  await dispatcher.start();
  void checkpoints.warm?.().then(
    (count) => count > 0 && log.info("checkpoint cache warmed", { conversations: count }),
    (error) => log.warn("checkpoint cache warm-up failed", { error }),
  );
  const pruner = setInterval(() => void events.prune().catch((error) => log.error("event log prune failed", { error })), 60_000);

  // The UI's files, served through the HTTP app (so the security headers apply), compressed and cached.
  const ui = createLazyStaticFiles(async () => (config.ui.enabled ? loadUiFiles(indexHtml) : []));
  const http = createHttpApp(
    {
      config,
      auth,
      conversations,
      readiness: {
        storage: withTimeout(async () => (await store.ping(), null)),
        checkpoints: withTimeout(async () => (await checkpoints.ping(), null)),
        ...(pubsubReadiness ? { redis: withTimeout(async () => (await pubsubReadiness()) ?? (await shared?.readiness()) ?? null) } : {}),
        model: async () => modelProblem(),
      },
      info: () => ({ demo: options.demo ?? false, modelConfigured: modelProblem() === null, model: config.llm.model, websocketUrl: config.ui.websocket_url }),
      agents: agentSpecs(config.agents).map((spec) => ({ name: spec.name, description: spec.description, tools: spec.tools })),
      projects: store.projects,
      tasks,
      readinessDetails: async () => ({ breakers: await readWithin(() => breakers.snapshot(), {}) }),
      rateLimits,
      security,
      ui: (request) => ui.respond(request),
      now,
      guardReports,
      usage: store.usage,
      metrics: config.metrics.enabled && !config.metrics.listen ? metrics : undefined,
      logger: log,
    },
    (error, fields) => log.error("request failed", { ...fields, error }),
  );
  const transport = new BunWebSocketTransport({
    maxPayloadBytes: config.server.max_payload_bytes,
    idleTimeoutSeconds: config.server.idle_timeout_s,
    backpressureBytes: config.server.backpressure_bytes,
    pingIntervalMs: config.server.ping_interval_ms,
    clientTimeoutMs: config.server.client_timeout_ms,
    compression: config.server.websocket_compression,
  });
  transport.start();
  // Several nodes: events published while Redis pub/sub was cut were missed live; the clients resume from the log.
  if ("onResumed" in pubsub) (pubsub as Interruptible).onResumed(() => transport.closeOpen(CloseCode.tryAgainLater, "events may have been missed; resume with lastSeq"));
  const metricsServer = serveMetricsSeparately(config, metrics, log);
  let draining = false;

  const server: Server<any> = Bun.serve({
    hostname: config.server.host,
    port: config.server.port,
    development: false,
    tls,
    websocket: transport.handlers,
    fetch: async (request, server) => {
      const url = new URL(request.url);
      const peer = server.requestIP(request)?.address;
      const clientIp = ips.resolve(peer, request.headers);
      const match = CHAT_PATH.exec(url.pathname);
      if (!match || request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return http.fetch(request, { clientIp, secure: ips.isSecure(peer, request) });
      }
      if (draining) {
        metrics.inc("agentd_ws_connections_refused_total", { reason: "shutting_down" });
        return new Response("shutting down", { status: 503 });
      }
      const conversationId = decodeURIComponent(match[1]!);
      const forwardedHost = ips.isTrusted(peer) ? request.headers.get("x-forwarded-host") : null;
      if (!originAllowed(request, config.server.allowed_origins, forwardedHost)) {
        security.record({ kind: "connection.refused", ip: clientIp, conversationId, ruleId: "allowed_origins" });
        return new Response("This page's origin may not open agentd WebSockets.", { status: 403 });
      }
      const admission = await admitChatSocket(request, clientIp, conversationId).catch((error: unknown) => {
        // The shared state (Redis) or the database cannot be reached: the client is told to come back.
        log.error("socket admission failed", { conversationId, error });
        return { admitted: false as const, closeCode: CloseCode.tryAgainLater, reason: "the server cannot take connections right now; retry shortly" };
      });
      const upgraded = transport.upgrade(request, server, (connection) => {
        if (!admission.admitted) {
          // 4008 refusals are counted by their rule from the security log (security-metrics.ts).
          const reason = refusalReason(admission.closeCode);
          if (reason) metrics.inc("agentd_ws_connections_refused_total", { reason });
          connection.close(admission.closeCode, admission.reason);
          return { receive() {}, close() {} };
        }
        const opened = sockets.open(connection, admission.identity, clientIp, conversationId, admission.reservation);
        if ("refused" in opened) {
          connection.close(opened.refused.code, opened.refused.reason);
          return { receive() {}, close() {} };
        }
        const openedAt = performance.now();
        const session = new ChatSession(connection, admission.user, admission.conversation, {
          chat,
          pubsub,
          events,
          limits: config.limits,
          log: (error) => log.error("socket handler failed", { conversationId: admission.conversation.id, userId: admission.user.id, error }),
          backpressureBytes: config.server.backpressure_bytes,
          onBackpressureClose: () => metrics.inc("agentd_ws_backpressure_closes_total", {}),
          clientIp,
          refreshAuth: (token) => sockets.refresh(opened.socket, token),
          guardReports,
        });
        void session.open(parseResumeQuery(url.searchParams)).catch((error) => {
          log.error("socket open failed", { error });
          connection.close(CloseCode.goingAway, "internal error");
        });
        const close = () => {
          metrics.observe("agentd_ws_connection_seconds", {}, (performance.now() - openedAt) / 1000);
          sockets.remove(opened.socket);
          void session.close();
        };
        return { receive: (raw) => session.receive(raw), close, drain: () => session.drain() };
      });
      return upgraded ? undefined : new Response("WebSocket upgrade failed", { status: 400 });
    },
  });

  /**
   * The connection rules before a socket opens, as close codes (browsers hide upgrade answers):
   * attempts per IP per minute and sockets per IP → 4008; bad credentials → 4001, or 4008 once
   * the IP used up `limits.anonymous_per_hour`.
   */
  async function admitChatSocket(request: Request, ip: string, conversationId: string) {
    const refuse = (ruleId: string, reason: string) => {
      security.record({ kind: "connection.refused", ip, conversationId, ruleId });
      return { admitted: false as const, closeCode: CloseCode.policy, reason };
    };
    const attempt = await rateLimits.connectAttempt(ip);
    if (attempt && !attempt.allowed) return refuse("connects_per_ip_per_minute", `too many connection attempts; retry in ${Math.ceil(attempt.retryAfterMs / 1000)} s`);
    if (await sockets.ipFull(ip)) return refuse("sockets_per_ip", "too many connections from your address");
    const admission = await admitSocket(request, conversationId, auth, conversations);
    if (admission.admitted) {
      // Several nodes: the socket caps are checked and its place taken across them before the upgrade.
      const reservation = await sockets.reserve(admission.identity, ip, conversationId);
      if (reservation && "refused" in reservation) return { admitted: false as const, closeCode: reservation.refused.code, reason: reservation.refused.reason };
      return { ...admission, reservation };
    }
    if (admission.closeCode === CloseCode.unauthenticated) {
      security.record({ kind: "auth.failure", ip, conversationId, reason: "socket not authenticated" });
      const failures = await rateLimits.anonymousFailure(ip);
      if (failures && !failures.allowed) return { ...admission, closeCode: CloseCode.policy, reason: "too many failed authentications; retry later" };
    }
    return admission;
  }

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
      clearInterval(purgeGuardReports);
      dispatcher.stop();
      const drained = await dispatcher.drain(config.server.shutdown_timeout_ms);
      if (!drained) log.warn("shutdown deadline passed with replies still running; they run again on the next start", { running: dispatcher.inFlight });
      await dispatcher.release();
      clearInterval(pruner);
      stopReconciler?.();
      transport.closeAll(CloseCode.goingAway, "server shutting down");
      sockets.stop();
      await server.stop(true);
      securityFile.close();
      await metricsServer?.stop(true);
      await executor.close();
      await wal.stop();
      await Promise.all([queue.close(), pubsub.close(), events.close()]);
      await shared?.close();
      await checkpoints.close();
      await store.close();
      log.info("agentd stopped");
    })());

  const metricsUrl = metricsServer ? `http://${metricsServer.hostname === "0.0.0.0" ? "127.0.0.1" : metricsServer.hostname}:${metricsServer.port}/metrics` : undefined;
  return { url, port: server.port!, store, metricsUrl, stop };
}

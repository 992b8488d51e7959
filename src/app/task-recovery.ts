import type { ChatService } from "../chat/chat-service.ts";
import type { Logger } from "../log.ts";
import type { AppStore } from "../storage/app-store.ts";

/**
 * Queues again the tasks the task store holds as queued or running that the queue does not know
 * (queueing is idempotent: one still queued or leased is left as it is). Logs instead of throwing,
 * so a queue that cannot be reached at start (Redis down) does not stop the node.
 */
export async function recoverTasks(chat: ChatService, store: AppStore, log: Logger): Promise<void> {
  try {
    const recovered = await chat.recover(async (id) => (await store.conversations.findById(id))?.agent ?? null);
    if (recovered.requeued || recovered.failed) log.info("recovered tasks", recovered);
  } catch (error) {
    log.error("task recovery failed; it runs again later", { error });
  }
}

/**
 * The shared queue's reconciler: every `everyMs` it runs `recoverTasks`, so a task the store
 * accepted but the queue lost (Redis restarted without its data, or an enqueue that failed while
 * Redis was unreachable) is queued again. Returns the function that stops it.
 */
export function startTaskReconciler(chat: ChatService, store: AppStore, log: Logger, everyMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void recoverTasks(chat, store, log).finally(() => (running = false));
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

import type { ConversationHistory } from "../agents/history.ts";
import { AppError } from "../errors.ts";
import type { EventLog } from "../events/event-log.ts";
import type { Conversation, ConversationPage, ConversationWithMessages } from "../protocol/index.ts";
import type { ConversationStore, TaskStore } from "../storage/app-store.ts";
import type { ConversationRecord } from "../storage/types.ts";

export const DEFAULT_TITLE = "New conversation";
const PAGE_SIZE = 50;

const notFound = () => new AppError("not_found", "That conversation does not exist.");

const toWire = (record: ConversationRecord): Conversation => ({
  id: record.id,
  title: record.title,
  agent: record.agent,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

/**
 * Conversations as their owner sees them. A conversation of another user is reported exactly like
 * a missing one (`not_found`), so its existence never leaks.
 */
export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly history: ConversationHistory,
    private readonly events: EventLog,
    private readonly agents: readonly string[],
    /** The tasks, for the replies still running; absent = none listed. */
    private readonly tasks?: Pick<TaskStore, "listUnfinished">,
  ) {}

  async create(ownerId: string, input: { agent?: string; title?: string }): Promise<Conversation> {
    const agent = input.agent ?? "assistant";
    if (!this.agents.includes(agent)) {
      throw new AppError("bad_request", `There is no agent named "${agent}". Known agents: ${this.agents.join(", ")}.`);
    }
    return toWire(await this.store.create({ ownerId, agent, title: input.title ?? DEFAULT_TITLE }));
  }

  /** The conversation if `ownerId` owns it; throws `not_found` otherwise. */
  async owned(ownerId: string, id: string): Promise<ConversationRecord> {
    const record = await this.store.findById(id);
    if (!record || record.ownerId !== ownerId) throw notFound();
    return record;
  }

  async list(ownerId: string, cursor?: string): Promise<ConversationPage> {
    const page = await this.store.listByOwner(ownerId, { limit: PAGE_SIZE, cursor });
    return { conversations: page.items.map(toWire), nextCursor: page.nextCursor };
  }

  /**
   * The conversation with its history, and where its chat socket should resume: read before the
   * history, so a reply that ends meanwhile is in the history or replayed (the client keeps the
   * history's copy of a message it has), never missing.
   */
  async get(ownerId: string, id: string): Promise<ConversationWithMessages> {
    const record = await this.owned(ownerId, id);
    const [epoch, lastSeq] = await Promise.all([this.events.epoch(id), this.events.settledSeq(id)]);
    const [messages, pendingConfirmations, unfinished] = await Promise.all([
      this.history.messages(id),
      this.history.pendingConfirmations(id),
      this.tasks?.listUnfinished(id) ?? [],
    ]);
    const activeReplies = unfinished.map((task) => ({ messageId: task.messageId, taskId: task.id }));
    return { ...toWire(record), messages, epoch, lastSeq, pendingConfirmations, activeReplies };
  }

  async rename(ownerId: string, id: string, title: string): Promise<Conversation> {
    await this.owned(ownerId, id);
    await this.store.rename(id, title);
    return toWire((await this.store.findById(id))!);
  }

  async delete(ownerId: string, id: string): Promise<void> {
    await this.owned(ownerId, id);
    await this.history.delete(id);
    await this.store.delete(id);
    await this.events.drop(id);
  }
}

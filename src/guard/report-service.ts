import { AppError } from "../errors.ts";
import type { GuardReportStore } from "../storage/app-store.ts";
import type { GuardReportRecord, Page } from "../storage/types.ts";
import type { RecentBlocks } from "./recent-blocks.ts";

export interface GuardReportServiceDeps {
  reports: GuardReportStore;
  blocks: RecentBlocks;
  /** How long a report is kept, in milliseconds. */
  retentionMs: number;
  /** How long after a block it can be reported, in milliseconds (for the error message). */
  windowMs: number;
  now?: () => number;
}

/** "Blocked in error?": users report false positives of the input guard, admins review them. */
export class GuardReportService {
  private readonly now: () => number;

  constructor(private readonly deps: GuardReportServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Stores the report of `userId`'s own blocked message (its text and verdict). Idempotent.
   * Throws AppError `not_found` when no such message was blocked in the report window.
   */
  async report(userId: string, conversationId: string, clientMessageId: string): Promise<GuardReportRecord> {
    const block = this.deps.blocks.find(userId, conversationId, clientMessageId);
    if (!block) {
      const minutes = Math.round(this.deps.windowMs / 60_000);
      throw new AppError(
        "not_found",
        `There is no blocked message with this id in this conversation to report; a block can be reported for ${minutes} minutes.`,
      );
    }
    return this.deps.reports.createOrGet({
      userId,
      conversationId,
      clientMessageId,
      text: block.text,
      category: block.verdict.category ?? "unknown",
      score: block.verdict.score,
      patternIds: block.verdict.matches.map((match) => (match.via ? `${match.via}:${match.patternId}` : match.patternId)),
      blockedAt: new Date(block.blockedAt).toISOString(),
      reportedAt: new Date(this.now()).toISOString(),
    });
  }

  /** Reports for admins, newest first; expired ones are deleted first. */
  async list(cursor?: string): Promise<Page<GuardReportRecord>> {
    await this.purgeExpired();
    return this.deps.reports.list({ limit: 50, cursor });
  }

  /** Deletes reports older than the retention; resolves how many. */
  purgeExpired(): Promise<number> {
    return this.deps.reports.deleteReportedBefore(new Date(this.now() - this.deps.retentionMs));
  }
}

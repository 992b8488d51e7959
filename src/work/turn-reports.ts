import type { WorkerReport } from "./thread-messages.ts";

/**
 * The reports of one event-loop turn. A delta joins its run's delta already waiting when nothing
 * of that run came after it: tokens that arrive in one turn reach the client together anyway, and
 * as one delta they cost the main thread one event-log entry, one publish and one frame instead of
 * one each (a model that answers at once sends a whole reply in one turn).
 */
export class TurnReports {
  private reports: WorkerReport[] = [];
  private readonly lastOfRun = new Map<number, number>();

  /** Adds `report`; true when it is the turn's first (the caller schedules the post). */
  add(report: WorkerReport): boolean {
    if (report.type === "event") {
      const at = this.lastOfRun.get(report.runId);
      const earlier = at === undefined ? undefined : this.reports[at];
      if (report.event.kind === "delta" && earlier?.type === "event" && earlier.event.kind === "delta") {
        this.reports[at!] = { ...earlier, event: { kind: "delta", text: earlier.event.text + report.event.text } };
        return false;
      }
      this.lastOfRun.set(report.runId, this.reports.length);
    }
    this.reports.push(report);
    return this.reports.length === 1;
  }

  /** The turn's reports, in order; starts the next turn. */
  take(): WorkerReport[] {
    const reports = this.reports;
    this.reports = [];
    this.lastOfRun.clear();
    return reports;
  }
}

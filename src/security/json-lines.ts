import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { systemClock, type Clock } from "../clock.ts";
import type { SecurityEvent, SecurityLog } from "./security-log.ts";

const FIELDS = ["kind", "userId", "ip", "conversationId", "ruleId", "reason", "count"] as const;
/** Bounds every text field, so no caller can smuggle a body or a token into the log by accident. */
const MAX_FIELD = 200;

/**
 * Writes each event as one JSON line `{time, log:"security", kind, …}`: appended to a file
 * (opened once, written synchronously so a crash loses nothing recorded), or to stdout.
 */
export class JsonLinesSecurityLog implements SecurityLog {
  private fd?: number;

  constructor(
    private readonly file: string | undefined,
    private readonly clock: Clock = systemClock,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      this.fd = openSync(file, "a", 0o600);
    }
  }

  record(event: SecurityEvent): void {
    const line: Record<string, unknown> = { time: new Date(this.clock.now()).toISOString(), log: "security" };
    for (const field of FIELDS) {
      const value = event[field];
      if (value === undefined) continue;
      line[field] = typeof value === "string" ? value.slice(0, MAX_FIELD) : value;
    }
    try {
      const text = JSON.stringify(line) + "\n";
      if (this.fd !== undefined) writeSync(this.fd, text);
      else process.stdout.write(text);
    } catch (error) {
      this.onError(error);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

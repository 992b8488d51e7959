/**
 * Structured log lines on stdout (stderr for warn/error): one JSON object a line, or readable
 * lines for a person at a terminal. Fields name what a line is about (`requestId`,
 * `conversationId`, `taskId`, `userId`); never pass message bodies or secrets.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel = "info",
  write: (line: string, level: LogLevel) => void = defaultWrite,
  format: LogFormat = "json",
): Logger {
  const at = (lineLevel: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    const time = new Date().toISOString();
    const data = serializable(fields);
    write(format === "pretty" ? prettyLine(time, lineLevel, msg, data) : JSON.stringify({ time, level: lineLevel, msg, ...data }), lineLevel);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** `auto` resolved: pretty when stdout is a terminal, else JSON. */
export function resolveLogFormat(format: "auto" | LogFormat, isTty: boolean = process.stdout.isTTY === true): LogFormat {
  return format === "auto" ? (isTty ? "pretty" : "json") : format;
}

/** A logger that adds `fields` to every line (the line's own fields win). */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  const bind = (level: LogLevel) => (msg: string, more: Record<string, unknown> = {}) => log[level](msg, { ...fields, ...more });
  return { debug: bind("debug"), info: bind("info"), warn: bind("warn"), error: bind("error") };
}

function serializable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

const LEVEL_LABEL: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO ", warn: "WARN ", error: "ERROR" };

/** `12:08:51.123 INFO  agentd listening url=http://127.0.0.1:8080 demo=false` */
function prettyLine(time: string, level: LogLevel, msg: string, fields: Record<string, unknown>): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  return [time.slice(11, 23), LEVEL_LABEL[level], msg, ...pairs].join(" ");
}

function defaultWrite(line: string, level: LogLevel): void {
  if (level === "warn" || level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/** Lines written together once the event-loop turn ends; `flush` writes them now. */
export interface LineBatcher {
  write(line: string): void;
  flush(): void;
}

/** Flush sooner than the end of the turn past this many characters. */
const BATCH_CHARS = 64 * 1024;

/**
 * Collects lines and hands them to `out` in one write per event-loop turn: a write (a system call)
 * per line was ~7% of the socket thread's time under load, one "reply ended" line per reply
 * (BENCHMARKS.md, "burst"). The caller flushes before anything that must come after them (an
 * error line on the other stream, exiting). A process killed outright loses at most one turn's lines.
 */
export function batchLines(out: (text: string) => void): LineBatcher {
  let pending: string[] = [];
  let chars = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    chars = 0;
    out(text);
  };
  return {
    write(line: string) {
      pending.push(line);
      chars += line.length;
      if (chars >= BATCH_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

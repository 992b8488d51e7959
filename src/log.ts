/** Structured JSON log lines on stdout (stderr for warn/error). Never pass message bodies or secrets. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = "info", write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const at = (lineLevel: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...serializable(fields) }), lineLevel);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function serializable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

function defaultWrite(line: string, level: LogLevel): void {
  if (level === "warn" || level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

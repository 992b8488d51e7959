import type { OutputRedactorFactory } from "../../src/guard/output/output-redactor.ts";
import { PatternRedactor } from "../../src/guard/output/pattern-redactor.ts";
import { secretRules } from "../../src/guard/output/rules.ts";

/**
 * Secrets and near misses shared by the output guard's tests. Every key here is fake. A redactor
 * under test treats DATA_DIR and INSTALL_DIR as the server's own directories.
 */

export const DATA_DIR = "/srv/agentd/data";
export const INSTALL_DIR = "/opt/agentd";
export const rules = secretRules({ directories: [DATA_DIR, INSTALL_DIR] });
export const newRedactor = () => new PatternRedactor(rules);

/** The text in pieces that end at `cuts` (none: one push), through a fresh redactor from `create`. */
export function redactPieces(create: OutputRedactorFactory, text: string, cuts: readonly number[] = []): string {
  const redactor = create();
  let shown = "";
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    shown += redactor.push(text.slice(from, cut));
    from = cut;
  }
  return shown + redactor.end();
}

export const OPENAI_KEY = "sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd";
export const AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
export const GITHUB_TOKEN = "ghp_aB3dEfGhIjKlMnOpQrStUvWxYz0123456789";
export const GITHUB_PAT = "github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN";
export const SLACK_TOKEN = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
export const GOOGLE_KEY = "AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU-v";
export const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
export const PEM_KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
  "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
  "-----END RSA PRIVATE KEY-----",
].join("\n");

export interface RedactionCase {
  kind: string;
  /** The secret as the model writes it. */
  text: string;
  /** What it must read as; default `[REDACTED:kind]`. */
  shown?: string;
}

export const SECRET_CASES: RedactionCase[] = [
  { kind: "openai_key", text: OPENAI_KEY },
  { kind: "openai_key", text: "sk-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4" },
  { kind: "aws_access_key", text: AWS_KEY },
  { kind: "aws_access_key", text: "ASIAY34FZKBOKMUTVV7A" },
  { kind: "github_token", text: GITHUB_TOKEN },
  { kind: "github_token", text: GITHUB_PAT },
  { kind: "slack_token", text: SLACK_TOKEN },
  { kind: "google_api_key", text: GOOGLE_KEY },
  { kind: "jwt", text: JWT },
  { kind: "private_key", text: PEM_KEY },
  { kind: "private_key", text: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----" },
  { kind: "password", text: "password=hunter2", shown: "password=[REDACTED:password]" },
  { kind: "password", text: "DB_PASSWORD=Tr0ub4dor&3", shown: "DB_PASSWORD=[REDACTED:password]" },
  { kind: "password", text: '"password": "s3cr3t pass!"', shown: '"password": "[REDACTED:password]"' },
  { kind: "password", text: "PASSWORD: correcthorse", shown: "PASSWORD: [REDACTED:password]" },
  { kind: "password", text: "passwd := 'x9!x9'", shown: "passwd := '[REDACTED:password]'" },
  { kind: "password", text: "mysql --password=S3cret", shown: "mysql --password=[REDACTED:password]" },
  { kind: "password", text: "postgres://app:S3cr3t@db:5432/app", shown: "postgres://app:[REDACTED:password]@db:5432/app" },
  { kind: "path", text: `${DATA_DIR}/agentd.db`, shown: "[REDACTED:path]" },
  { kind: "path", text: `${DATA_DIR}/jwt-secret`, shown: "[REDACTED:path]" },
  { kind: "path", text: DATA_DIR, shown: "[REDACTED:path]" },
  { kind: "path", text: `${INSTALL_DIR}/agentd`, shown: "[REDACTED:path]" },
  { kind: "path", text: `file://${DATA_DIR}/checkpoints.db`, shown: "file://[REDACTED:path]" },
];

/** Text that looks close to a secret and must pass unchanged. */
export const NEAR_MISSES: string[] = [
  "skeleton",
  "task-force",
  "sk-learn-tutorial-for-beginners-2024",
  "ask-me-anything-about-the-weather-today",
  "sk-short",
  "AKIAIOSFODNN7EXAMPL",
  "AKIAIOSFODNN7EXAMPLEX",
  "XAKIAIOSFODNN7EXAMPLE",
  "ghp_short",
  "the ghp_ prefix",
  "github_pat_tooshort",
  "xoxo kisses",
  "xoxb-short",
  "AIzaShort",
  "eyJhbGciOiJIUzI1NiJ9 is a header",
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1L\n-----END PUBLIC KEY-----",
  "-----BEGIN CERTIFICATE-----",
  "--- a markdown rule ---",
  "password: string;",
  "password?: string",
  "connect(user=user, password=password, host=host)",
  "password = getpass.getpass()",
  'password = input("Password: ")',
  "password: ${DB_PASSWORD}",
  "password: process.env.DB_PASSWORD",
  'password = os.environ["DB_PASSWORD"]',
  "password=********",
  '"password": ""',
  "the password is strong",
  "passwords: []",
  "password_hash = bcrypt(x)",
  "const MIN_PASSWORD = 12;",
  "const password = /password: (\\S+)/.exec(stdout)",
  "password=/run/secrets/db_password",
  "https://example.com:8080/path",
  "http://localhost:3000/api",
  "/etc/passwd",
  "/srv/agentd/data2/x",
  "/home/you/srv/agentd/data",
  "/opt/agentd-old/bin",
  "data/agentd.db (relative)",
  "[REDACTED:openai_key] and password=[REDACTED:password]",
];

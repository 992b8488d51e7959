import { redactionMarker } from "./output-redactor.ts";
import { literalSteps, prefixesOf, type SecretRule } from "./secret-rule.ts";

/**
 * Secrets with a recognisable shape: vendor API keys and tokens, JWTs, PEM private keys. Each
 * starts at a word boundary and ends where its character class ends; runs are bounded so a held
 * tail stays small.
 */

const WORD_START = String.raw`(?<![\w-])`;
const WORD_END = String.raw`(?![\w-])`;

const pending = (lookbehind: string, ...alternatives: string[][]) =>
  new RegExp(`${lookbehind}(?:${alternatives.map(prefixesOf).join("|")})$`, "g");

/** OpenAI (and lookalike) keys: sk-…, sk-proj-…; the body mixes upper case, lower case and digits. */
const openaiKey: SecretRule = {
  kind: "openai_key",
  pattern: new RegExp(String.raw`${WORD_START}sk-[\w-]{20,256}${WORD_END}`, "g"),
  pending: pending(WORD_START, [...literalSteps("sk-"), String.raw`[\w-]{0,256}`]),
  // `sk-learn-tutorial-2024` has the shape but not the randomness of a key.
  replace: (match) => (isRandomLooking(match[0].slice(3)) ? redactionMarker("openai_key") : null),
};

/** AWS access key ids: AKIA (long-term) or ASIA (temporary) and 16 upper-case letters or digits. */
const awsAccessKey: SecretRule = {
  kind: "aws_access_key",
  pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  pending: pending("(?<![A-Za-z0-9])", ["A", "[KS]", "I", "A", "[A-Z0-9]{0,16}"]),
};

/** GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_). */
const githubToken: SecretRule = {
  kind: "github_token",
  pattern: new RegExp(String.raw`${WORD_START}(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_\w{22,251})${WORD_END}`, "g"),
  pending: pending(WORD_START, ["g", "h", "[pousr]", "_", "[A-Za-z0-9]{0,251}"], [...literalSteps("github_pat_"), String.raw`\w{0,251}`]),
};

/** Slack tokens: xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-. */
const slackToken: SecretRule = {
  kind: "slack_token",
  pattern: new RegExp(String.raw`${WORD_START}xox[abposr]-[A-Za-z0-9-]{10,251}${WORD_END}`, "g"),
  pending: pending(WORD_START, [...literalSteps("xox"), "[abposr]", "-", "[A-Za-z0-9-]{0,251}"]),
};

/** Google API keys: AIza and 35 more characters. */
const googleApiKey: SecretRule = {
  kind: "google_api_key",
  pattern: new RegExp(String.raw`${WORD_START}AIza[\w-]{35}${WORD_END}`, "g"),
  pending: pending(WORD_START, [...literalSteps("AIza"), String.raw`[\w-]{0,35}`]),
};

/** JSON Web Tokens: base64url header and payload that both start as JSON objects (eyJ), and a signature. */
const jwt: SecretRule = {
  kind: "jwt",
  pattern: new RegExp(String.raw`${WORD_START}eyJ[\w-]{8,4096}\.eyJ[\w-]{8,8192}\.[\w-]{0,4096}${WORD_END}`, "g"),
  pending: pending(WORD_START, [
    ...literalSteps("eyJ"),
    String.raw`[\w-]{0,4096}`,
    String.raw`\.`,
    ...literalSteps("eyJ"),
    String.raw`[\w-]{0,8192}`,
    String.raw`\.`,
    String.raw`[\w-]{0,4096}`,
  ]),
};

const PEM_LABEL = "(?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----";

/** PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP): the whole block, header to footer. */
const privateKey: SecretRule = {
  kind: "private_key",
  pattern: new RegExp(`-----BEGIN ${PEM_LABEL}`, "g"),
  pending: pending("", [...literalSteps("-----BEGIN "), "[A-Z0-9 ]{0,80}", ...literalSteps("-----")]),
  until: new RegExp(`-----END ${PEM_LABEL}`, "g"),
};

/** The vendor-shaped secrets, in the order they win a tie. */
export const TOKEN_RULES: readonly SecretRule[] = [privateKey, jwt, openaiKey, awsAccessKey, githubToken, slackToken, googleApiKey];

/** A key body, not a word: it mixes upper case, lower case and digits. */
function isRandomLooking(body: string): boolean {
  return /[A-Z]/.test(body) && /[a-z]/.test(body) && /\d/.test(body);
}

import type { InputPattern } from "./pattern.ts";
import { ENCODING_PATTERNS } from "./encoding.ts";
import { EXTRACTION_PATTERNS } from "./extraction.ts";
import { FRAMING_PATTERNS } from "./framing.ts";
import { HARMFUL_PATTERNS } from "./harmful.ts";
import { OVERRIDE_PATTERNS } from "./override.ts";
import { PERSONA_PATTERNS } from "./persona.ts";
import { REFUSAL_PATTERNS } from "./refusal.ts";
import { ROLE_PATTERNS } from "./role.ts";
import { SUFFIX_PATTERNS } from "./suffix.ts";
import { TOKEN_PATTERNS } from "./tokens.ts";
import { TOOL_PATTERNS } from "./tool.ts";

export type { InputPattern } from "./pattern.ts";
export { SIGNALS, type InputSignal } from "./signals.ts";

/** Every regex rule of the input guard, one table per category family. */
export const INPUT_PATTERNS: readonly InputPattern[] = [
  ...OVERRIDE_PATTERNS,
  ...ROLE_PATTERNS,
  ...TOKEN_PATTERNS,
  ...PERSONA_PATTERNS,
  ...EXTRACTION_PATTERNS,
  ...TOOL_PATTERNS,
  ...ENCODING_PATTERNS,
  ...REFUSAL_PATTERNS,
  ...FRAMING_PATTERNS,
  ...HARMFUL_PATTERNS,
  ...SUFFIX_PATTERNS,
];

import { pattern } from "./pattern.ts";

/** Optimized adversarial suffixes that are word salad rather than symbol noise (GCG and kin). */
export const SUFFIX_PATTERNS = [
  pattern("suffix.punctuation-run", "adversarial_suffix", "medium", /(?:^|\s)(?:[!?.*] ){5,}/),
  pattern(
    "suffix.gcg-fragments",
    "adversarial_suffix",
    "high",
    /similarlynow|oppositeley|\\!--two|revert with "\\|describing\.\s?\\ \+|\(\{\\\w+|\bsure\s?\\",?\s?here\b|!\s?!\s?!\s?!\s?!\s?!|riskously|israelously|\(=\s?\w*footnote|\/inst\]\s?\w*ously|\\\(\)\s?(?:const|so)\s*$/,
  ),
];

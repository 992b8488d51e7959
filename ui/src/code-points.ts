/**
 * Length of `text` in Unicode code points, the unit of `limits.maxMessageChars`
 * (same count as `[...text].length`, without building the array).
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

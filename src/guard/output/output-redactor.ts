/**
 * The output guard: secrets in what the model writes are replaced by `[REDACTED:kind]` before the
 * text leaves the server or is stored. One redactor serves one message, fed as it streams.
 */
export interface OutputRedactor {
  /**
   * Takes the next piece of the message and returns the text that is now safe to show, redacted
   * ("" when everything is still held). Holds back only a tail that could still be the start of a
   * secret, so a secret split over any number of pieces is still redacted.
   */
  push(text: string): string;
  /** The message is complete: returns the held-back rest, redacted. Call once, after the last push. */
  end(): string;
  /** Redactions made so far, per kind (`openai_key`, `password`, …). */
  readonly counts: Readonly<Record<string, number>>;
}

/** Makes a fresh redactor for each message. */
export type OutputRedactorFactory = () => OutputRedactor;

/**
 * The redacted form of a whole text. A redactor's output never depends on how the text was split,
 * so this equals what streaming the same text through a redactor showed.
 */
export function redactText(create: OutputRedactorFactory, text: string): string {
  const redactor = create();
  return redactor.push(text) + redactor.end();
}

/** What a redacted secret reads as. */
export const redactionMarker = (kind: string) => `[REDACTED:${kind}]`;

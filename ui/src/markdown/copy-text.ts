export type CopyState = "idle" | "copied" | "failed";

/** How long "Copied" (or the fallback hint) stays on the button. */
export const COPY_FEEDBACK_MS = 2_000;

/**
 * Copies `text` to the clipboard; true when it worked. Where the Clipboard API is missing or
 * refused (a page on plain http), selects `element`'s text instead so that Ctrl+C copies it.
 */
export async function copyText(text: string, element: { ownerDocument: Document } | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (element) {
      const range = element.ownerDocument.createRange();
      range.selectNodeContents(element as unknown as Node);
      const selection = element.ownerDocument.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

/**
 * The Copy button's behaviour: copy, show "copied" or "failed", back to "idle" after 2 s (a new
 * click restarts the wait). `dispose` cancels a pending reset.
 */
export function createCopyAction(show: (state: CopyState) => void, timers: Pick<typeof globalThis, "setTimeout" | "clearTimeout"> = globalThis) {
  let reset: ReturnType<typeof setTimeout> | undefined;
  const dispose = () => timers.clearTimeout(reset);
  return {
    async copy(text: string, element: { ownerDocument: Document } | null): Promise<void> {
      show((await copyText(text, element)) ? "copied" : "failed");
      dispose();
      reset = timers.setTimeout(() => show("idle"), COPY_FEEDBACK_MS);
    },
    dispose,
  };
}

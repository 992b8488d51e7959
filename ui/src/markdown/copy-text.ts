/**
 * Copies `text` to the clipboard; true when it worked. Falls back to selecting `element`'s text
 * (so that Ctrl+C copies it) where the Clipboard API is missing or refused (plain http).
 */
export async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (element) {
      const selection = window.getSelection();
      const range = document.createRange();
      range.selectNodeContents(element);
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

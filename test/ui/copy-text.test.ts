import { afterEach, describe, expect, test } from "bun:test";
import { COPY_FEEDBACK_MS, copyText, createCopyAction, type CopyState } from "../../ui/src/markdown/copy-text.ts";
import { FakeTimers } from "./fakes.ts";

const realClipboard = Object.getOwnPropertyDescriptor(navigator, "clipboard");
afterEach(() => {
  if (realClipboard) Object.defineProperty(navigator, "clipboard", realClipboard);
  else delete (navigator as { clipboard?: unknown }).clipboard;
});

function clipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
}

/** The few Document pieces the fallback uses, recording what it selected. */
function fakeElement() {
  const selected: unknown[] = [];
  const element = {
    ownerDocument: {
      createRange: () => ({ selectNodeContents: (node: unknown) => selected.push(node) }),
      getSelection: () => ({ removeAllRanges: () => selected.push("cleared"), addRange: () => selected.push("range") }),
    } as unknown as Document,
  };
  return { element, selected };
}

describe("copy", () => {
  test("writes to the clipboard", async () => {
    const written: string[] = [];
    clipboard(async (text) => void written.push(text));
    expect(await copyText("npm i", null)).toBe(true);
    expect(written).toEqual(["npm i"]);
  });

  test("refused (plain http): selects the code so Ctrl+C copies it", async () => {
    clipboard(async () => {
      throw new Error("NotAllowedError");
    });
    const { element, selected } = fakeElement();
    expect(await copyText("x", element)).toBe(false);
    expect(selected).toEqual([element, "cleared", "range"]);
    expect(await copyText("x", null)).toBe(false);
  });

  test("the button says Copied, then Copy again after 2 s; dispose cancels the reset", async () => {
    clipboard(async () => {});
    const timers = new FakeTimers();
    const states: CopyState[] = [];
    const action = createCopyAction((state) => states.push(state), timers as never);
    await action.copy("a", null);
    expect(states).toEqual(["copied"]);
    timers.advance(COPY_FEEDBACK_MS);
    expect(states).toEqual(["copied", "idle"]);
    await action.copy("a", null);
    action.dispose();
    timers.advance(COPY_FEEDBACK_MS);
    expect(states).toEqual(["copied", "idle", "copied"]);
  });
});

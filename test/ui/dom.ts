import { parseHTML } from "linkedom";
import { render, type ComponentChild } from "preact";

/** Lets Preact (and signal-driven re-renders) settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Renders `node` into a linkedom document; `click`, `type` and `submit` drive it like a user. */
export async function mount(node: ComponentChild) {
  const { document, window } = parseHTML("<!doctype html><html><body><div id=root></div></body></html>");
  const root = document.getElementById("root")! as unknown as HTMLElement;
  const Event = (window as unknown as typeof globalThis).Event;
  render(node, root);
  await settle();
  const find = (testId: string) => root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  const get = (testId: string) => {
    const element = find(testId);
    if (!element) throw new Error(`no [data-testid=${testId}] in ${root.innerHTML}`);
    return element;
  };
  return {
    root,
    find,
    get,
    text: (testId: string) => get(testId).textContent ?? "",
    async click(testId: string) {
      get(testId).dispatchEvent(new Event("click"));
      await settle();
    },
    async type(testId: string, value: string) {
      const input = get(testId) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input"));
      await settle();
    },
    /** A keydown with `key` (and Shift when `shift`), as a keyboard would send it. */
    async key(testId: string, key: string, shift = false) {
      const event = Object.assign(new Event("keydown", { bubbles: true, cancelable: true }), { key, shiftKey: shift, isComposing: false, keyCode: 0 });
      get(testId).dispatchEvent(event);
      await settle();
    },
    async submit(testId: string) {
      const form = get(testId).closest("form")!;
      form.dispatchEvent(new Event("submit"));
      await settle();
    },
    unmount: () => render(null, root),
  };
}

import { describe, expect, test } from "bun:test";
import { parseHTML } from "linkedom";
import { render } from "preact";
import { ErrorBoundary } from "../../ui/src/components/error-boundary.tsx";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ErrorBoundary", () => {
  test("a rendering fault shows a recoverable message instead of a blank page; Try again renders the part again", async () => {
    const { document } = parseHTML("<!doctype html><html><body><div id=root></div></body></html>");
    const root = document.getElementById("root")! as unknown as HTMLElement;
    let broken = true;
    function Fragile() {
      if (broken) throw new Error("bad token");
      return <p id="ok">fine now</p>;
    }
    const logged: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      render(
        <ErrorBoundary label="This message could not be shown.">
          <Fragile />
        </ErrorBoundary>,
        root,
      );
      await settle();
      const alert = root.querySelector("[data-testid=render-error]")!;
      expect(alert.getAttribute("role")).toBe("alert");
      expect(alert.textContent).toContain("This message could not be shown.");
      expect(logged).toHaveLength(1);

      broken = false;
      const tryAgain = [...root.querySelectorAll("button")].find((button) => button.textContent === "Try again")!;
      tryAgain.dispatchEvent(new (document.defaultView as unknown as typeof globalThis).Event("click"));
      await settle();
      expect(root.querySelector("#ok")?.textContent).toBe("fine now");
      expect(root.querySelector("[data-testid=render-error]")).toBeNull();
    } finally {
      console.error = error;
      render(null, root);
    }
  });
});

import { useEffect, useRef, useState } from "preact/hooks";
import { copyText } from "./copy-text.ts";

type CopyState = "idle" | "copied" | "failed";

/** A fenced code block with its language and a Copy button. */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const codeRef = useRef<HTMLElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);

  async function copy() {
    const copied = await copyText(code, codeRef.current);
    setState(copied ? "copied" : "failed");
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }

  const label = state === "copied" ? "Copied" : state === "failed" ? "Press Ctrl+C to copy" : "Copy";
  return (
    <div class="md-code-block" data-testid="code-block">
      <div class="md-code-header">
        <span class="md-code-language">{language || "text"}</span>
        <button type="button" class="md-code-copy" onClick={() => void copy()} aria-live="polite" data-testid="copy-code">
          {label}
        </button>
      </div>
      <pre>
        <code ref={codeRef} class={language ? `language-${language}` : undefined}>
          {code}
        </code>
      </pre>
    </div>
  );
}

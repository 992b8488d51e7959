import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createCopyAction, type CopyState } from "./copy-text.ts";

const labels: Record<CopyState, string> = { idle: "Copy", copied: "Copied", failed: "Press Ctrl+C to copy" };

/** A fenced code block with its language and a Copy button. */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const codeRef = useRef<HTMLElement>(null);
  const action = useMemo(() => createCopyAction(setState), []);
  useEffect(() => action.dispose, [action]);

  return (
    <div class="md-code-block" data-testid="code-block">
      <div class="md-code-header">
        <span class="md-code-language">{language || "text"}</span>
        <button type="button" class="md-code-copy" onClick={() => void action.copy(code, codeRef.current)} aria-live="polite" data-testid="copy-code">
          {labels[state]}
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

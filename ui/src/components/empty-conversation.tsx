/** Prompts offered on an empty conversation; choosing one sends it. */
export const EXAMPLE_PROMPTS = [
  "Explain WebSockets in two short paragraphs.",
  "Write a haiku about SQLite.",
  "Give me a checklist for a code review.",
  "What can you help me with?",
] as const;

/** A new conversation: a short welcome and example prompts. */
export function EmptyConversation({ onExample }: { onExample: (prompt: string) => void }) {
  return (
    <section class="welcome" aria-labelledby="welcome-title" data-testid="empty-conversation">
      <h3 id="welcome-title" class="welcome-title">
        How can I help?
      </h3>
      <p class="muted">Ask anything. Replies stream in as they are written; Enter sends, Shift+Enter adds a line.</p>
      <ul class="welcome-prompts">
        {EXAMPLE_PROMPTS.map((prompt) => (
          <li key={prompt}>
            <button type="button" class="welcome-prompt" onClick={() => onExample(prompt)} data-testid="example-prompt">
              {prompt}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

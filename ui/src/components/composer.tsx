import type { TargetedEvent, TargetedKeyboardEvent } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ChatModel } from "../models/chat.ts";

/** The counter appears once the draft reaches this share of the limit. */
const COUNTER_FROM = 0.8;

/** Message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ chat }: { chat: ChatModel }) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const conversationId = chat.conversationId.value;
  const live = chat.status.value.state === "live";
  const max = chat.maxMessageChars.value;
  const length = chat.draftLength();
  const empty = chat.draft.value.trim() === "";
  const over = max !== null && length > max;
  const showCounter = max !== null && length >= max * COUNTER_FROM;
  const limited = chat.rateLimit.limited.value;
  const canSend = live && !empty && !over && !limited;
  const notice = chat.notice.value;
  const countdown = chat.rateLimit.countdownNote.value;
  const budget = chat.rateLimit.budgetNote.value;
  const stoppable = chat.stoppable.value !== null;

  // On a pointer device, land in the box when a conversation opens; on touch this would pop the keyboard.
  useEffect(() => {
    if (globalThis.matchMedia?.("(pointer: fine)").matches) textareaRef.current?.focus();
  }, [conversationId]);

  function submit(event?: TargetedEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (canSend) chat.send();
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLTextAreaElement>) {
    // keyCode 229: Safari reports Enter that confirms an IME composition this way.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  }

  const describedBy = ["composer-hint", showCounter ? "composer-counter" : "", notice ? "composer-notice" : "", countdown || budget ? "composer-limit" : ""]
    .filter(Boolean)
    .join(" ");

  return (
    <form class="composer" onSubmit={submit}>
      {notice && (
        <p id="composer-notice" class="composer-notice" role="alert" data-testid="chat-notice">
          {notice}
        </p>
      )}
      {(countdown || budget) && (
        <p id="composer-limit" class={`composer-limit${countdown ? " composer-limit--blocked" : ""}`} role="status" data-testid={countdown ? "rate-limit-countdown" : "rate-limit-left"}>
          {countdown ?? budget}
        </p>
      )}
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">
          Message
        </label>
        <span id="composer-hint" class="visually-hidden">
          Enter sends; Shift+Enter starts a new line.
        </span>
        <textarea
          id="composer-input"
          ref={textareaRef}
          class="composer-input"
          rows={1}
          placeholder={live ? "Message" : "Message (waiting for the connection…)"}
          value={chat.draft.value}
          onInput={(event) => (chat.draft.value = event.currentTarget.value)}
          onKeyDown={onKeyDown}
          aria-invalid={over}
          aria-describedby={describedBy || undefined}
          data-testid="composer-input"
        />
        {stoppable && (
          <button type="button" class="button composer-stop" onClick={chat.stop} disabled={!live} data-testid="stop-button">
            <span class="stop-square" aria-hidden="true" />
            Stop
          </button>
        )}
        <button type="submit" class="button button--primary composer-send" disabled={!canSend} data-testid="send-button">
          Send
        </button>
      </div>
      {showCounter && (
        <p
          id="composer-counter"
          class={`composer-counter${over ? " composer-counter--over" : ""}`}
          data-testid="composer-counter"
        >
          {over ? `${length - max} over the limit (${length} / ${max})` : `${length} / ${max}`}
        </p>
      )}
    </form>
  );
}

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatModel } from "../models/chat.ts";
import { EmptyConversation } from "./empty-conversation.tsx";
import { ErrorBoundary } from "./error-boundary.tsx";
import { MessageItem } from "./message-item.tsx";

/** How close to the bottom (px) still counts as "following" the conversation. */
const FOLLOW_THRESHOLD_PX = 48;
/** How close to the top (px) loads older messages. */
const LOAD_OLDER_THRESHOLD_PX = 200;

/**
 * The messages, in a polite live region so that a streaming reply is announced. It keeps the newest
 * text in view while the reader is at the bottom, leaves the scroll alone once they scroll up (with
 * a button back down), and loads older messages when they reach the top, keeping their place.
 */
export function MessageList({ chat, onExample }: { chat: ChatModel; onExample: (prompt: string) => void }) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const messages = chat.messages.value;
  const olderHidden = chat.olderHidden.value;
  const newerHidden = chat.newerHidden.value;
  // Where the first message sat before older ones were put in front of it.
  const anchor = useRef<{ id: string; top: number } | null>(null);

  useEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const onScroll = () => {
      following.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= FOLLOW_THRESHOLD_PX;
      setShowJump(!following.current);
      if (scroller.scrollTop <= LOAD_OLDER_THRESHOLD_PX && chat.olderHidden.peek() > 0 && !chat.loadingOlder.peek()) {
        const first = content.querySelector<HTMLElement>("[data-testid=message]");
        anchor.current = first ? { id: first.dataset.messageId ?? "", top: first.offsetTop - scroller.scrollTop } : null;
        void chat.loadOlder();
      }
    };
    // Streaming text updates the DOM without re-rendering this component, so watch the size instead.
    const observer = new ResizeObserver(() => {
      if (following.current) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(content);
    scroller.addEventListener("scroll", onScroll, { passive: true });
    scroller.scrollTop = scroller.scrollHeight;
    return () => {
      observer.disconnect();
      scroller.removeEventListener("scroll", onScroll);
    };
  }, []);

  // After older messages went in front, put the message the reader was looking at back where it was.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const saved = anchor.current;
    if (!scroller || !saved) return;
    const element = scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(saved.id)}"]`);
    if (!element) return;
    scroller.scrollTop = element.offsetTop - saved.top;
    anchor.current = null;
  }, [messages]);

  function jumpToLatest() {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    following.current = true;
    setShowJump(false);
    scroller.scrollTop = scroller.scrollHeight;
  }

  return (
    <div class="message-list-frame">
      <div
        ref={scrollerRef}
        class="message-list"
        role="log"
        aria-live="polite"
        aria-label="Messages"
        tabIndex={0}
        data-testid="message-list"
      >
        <div ref={contentRef} class="message-list-content">
          {olderHidden > 0 && (
            <button type="button" class="button button--ghost button--small load-older" disabled={chat.loadingOlder.value} onClick={() => void chat.loadOlder()} data-testid="load-older">
              {chat.loadingOlder.value ? "Loading…" : `Load older messages (${olderHidden})`}
            </button>
          )}
          {messages.length === 0 && olderHidden === 0 && <EmptyConversation onExample={onExample} />}
          {messages.map((message) => (
            <ErrorBoundary key={message.id} label="This message could not be shown.">
              <MessageItem message={message} chat={chat} />
            </ErrorBoundary>
          ))}
          {newerHidden > 0 && (
            <button type="button" class="button button--ghost button--small load-older" onClick={() => void chat.showNewest()} data-testid="show-newest">
              Show the newest messages ({newerHidden})
            </button>
          )}
        </div>
      </div>
      {showJump && (
        <button type="button" class="jump-to-latest" onClick={jumpToLatest} aria-label="Scroll to the latest message" data-testid="jump-to-latest">
          ↓
        </button>
      )}
    </div>
  );
}

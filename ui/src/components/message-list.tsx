import { useEffect, useRef } from "preact/hooks";
import type { ChatModel } from "../models/chat.ts";
import { MessageItem } from "./message-item.tsx";

/** How close to the bottom (px) still counts as "following" the conversation. */
const FOLLOW_THRESHOLD_PX = 48;

/**
 * The messages, in a polite live region so that a streaming reply is announced. It keeps the newest
 * text in view while the reader is at the bottom, and leaves the scroll alone once they scroll up.
 */
export function MessageList({ chat }: { chat: ChatModel }) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const messages = chat.messages.value;

  useEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const onScroll = () => {
      following.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= FOLLOW_THRESHOLD_PX;
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

  return (
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
        {messages.length === 0 && <p class="muted message-list-empty">No messages yet. Say hello.</p>}
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </div>
    </div>
  );
}

/** Where a chat socket resumes: the epoch of its event history and the last seq applied. */
export interface ResumePosition {
  epoch: string;
  lastSeq: number;
}

/**
 * `url` with `?lastSeq=&epoch=` set (docs/protocol.md, Resuming), so the server replays exactly
 * the events after `lastSeq`; `url` unchanged without a position.
 */
export function withResumePosition(url: string, position: ResumePosition | null): string {
  if (!position) return url;
  const resumed = new URL(url);
  resumed.searchParams.set("lastSeq", String(position.lastSeq));
  resumed.searchParams.set("epoch", position.epoch);
  return resumed.href;
}

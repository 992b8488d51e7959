/** Where a reconnecting client left off: `?lastSeq=N&epoch=E` on the chat socket URL. */
export type ResumeRequest = { lastSeq: number; epoch: string } | { invalid: string };

/** Reads the resume point of a chat socket URL; null when the client did not ask to resume. */
export function parseResumeQuery(params: URLSearchParams): ResumeRequest | null {
  const lastSeq = params.get("lastSeq");
  const epoch = params.get("epoch");
  if (lastSeq === null && epoch === null) return null;
  if (lastSeq === null || !/^\d{1,15}$/.test(lastSeq)) return { invalid: "`lastSeq` must be a whole number (the seq of the last event you applied)." };
  if (!epoch) return { invalid: "`epoch` is required with `lastSeq` (it comes from session.ready)." };
  return { lastSeq: Number(lastSeq), epoch };
}

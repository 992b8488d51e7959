import type { AuthService } from "../auth/auth-service.ts";
import { ACCESS_COOKIE } from "../auth/cookies.ts";
import { AppError } from "../errors.ts";
import { CloseCode } from "../protocol/index.ts";
import type { ConversationRecord, User } from "../storage/types.ts";
import type { ConversationService } from "./conversation-service.ts";
import type { SocketIdentity } from "./live-sockets.ts";

export type SocketAdmission =
  | { admitted: true; user: User; conversation: ConversationRecord; identity: SocketIdentity }
  | { admitted: false; closeCode: number; reason: string };

/** The access token of a WebSocket upgrade: the cookie first, then `?token=`, then `Authorization: Bearer`. */
export function tokenFromUpgrade(request: Request): string | undefined {
  const cookie = request.headers.get("cookie");
  const fromCookie = cookie
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === ACCESS_COOKIE)?.[1];
  if (fromCookie) return decodeURIComponent(fromCookie);
  const fromQuery = new URL(request.url).searchParams.get("token");
  if (fromQuery) return fromQuery;
  const header = request.headers.get("authorization");
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
}

/**
 * Decides whether a socket may open on a conversation. Failures become close codes rather than
 * HTTP errors so browsers (which hide upgrade responses) learn why: 4001 not authenticated,
 * 4004 the conversation is missing or another user's.
 */
export async function admitSocket(
  request: Request,
  conversationId: string,
  auth: AuthService,
  conversations: ConversationService,
): Promise<SocketAdmission> {
  const token = tokenFromUpgrade(request);
  if (!token) return { admitted: false, closeCode: CloseCode.unauthenticated, reason: "not authenticated" };
  let user: User;
  let identity: SocketIdentity;
  try {
    const { user: authenticated, ...rest } = await auth.authenticate(token);
    user = authenticated;
    identity = { userId: user.id, ...rest };
  } catch (error) {
    const reason = error instanceof AppError ? error.message : "not authenticated";
    return { admitted: false, closeCode: CloseCode.unauthenticated, reason: reason.slice(0, 120) };
  }
  try {
    return { admitted: true, user, identity, conversation: await conversations.owned(user.id, conversationId) };
  } catch {
    return { admitted: false, closeCode: CloseCode.notFound, reason: "conversation not found" };
  }
}

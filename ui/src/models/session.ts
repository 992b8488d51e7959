import { signal } from "@preact/signals";
import { ApiError, type Api, type CurrentUser } from "../api.ts";

export type SessionPhase = "loading" | "unreachable" | "signed-out" | "signed-in";

export interface SessionHooks {
  onSignedIn(): void;
  onSignedOut(): void;
}

/** Who is signed in, and the login / logout / expiry transitions. */
export function createSessionModel(api: Pick<Api, "me" | "login" | "logout">, hooks: SessionHooks) {
  const phase = signal<SessionPhase>("loading");
  const user = signal<CurrentUser | null>(null);
  /** Shown on the login screen: why the user is there again, or why the last attempt failed. */
  const loginError = signal<string | null>(null);
  const loginPending = signal(false);
  /** Why the server could not be reached at startup. */
  const startupError = signal<string | null>(null);

  function signedIn(current: CurrentUser): void {
    user.value = current;
    loginError.value = null;
    phase.value = "signed-in";
    hooks.onSignedIn();
  }

  function signedOut(message: string | null): void {
    const wasSignedIn = phase.peek() === "signed-in";
    user.value = null;
    loginError.value = message;
    phase.value = "signed-out";
    if (wasSignedIn) hooks.onSignedOut();
  }

  /** Decides between the login screen and the app (`GET /api/me`, after one refresh attempt). */
  async function start(): Promise<void> {
    phase.value = "loading";
    startupError.value = null;
    try {
      signedIn(await api.me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        signedOut(null);
      } else {
        startupError.value = error instanceof Error ? error.message : String(error);
        phase.value = "unreachable";
      }
    }
  }

  async function login(username: string, password: string): Promise<void> {
    if (loginPending.peek()) return;
    loginPending.value = true;
    loginError.value = null;
    try {
      await api.login({ username, password });
      signedIn(await api.me());
    } catch (error) {
      loginError.value =
        error instanceof ApiError && error.status === 401
          ? "Wrong username or password."
          : error instanceof Error
            ? error.message
            : String(error);
    } finally {
      loginPending.value = false;
    }
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // The cookies may already be gone; signing out locally is what the user asked for.
    }
    signedOut(null);
  }

  /** The session ended underneath the app (refresh refused): back to the login screen. */
  function expire(): void {
    if (phase.peek() !== "signed-in") return;
    signedOut("Your session has ended. Please sign in again.");
  }

  return { phase, user, loginError, loginPending, startupError, start, login, logout, expire };
}

export type SessionModel = ReturnType<typeof createSessionModel>;

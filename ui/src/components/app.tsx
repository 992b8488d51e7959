import type { AppState } from "../app-state.ts";
import { ErrorBoundary } from "./error-boundary.tsx";
import { LoginScreen } from "./login-screen.tsx";
import { Shell } from "./shell.tsx";

/** Chooses the screen from the session phase. */
export function App({ state }: { state: AppState }) {
  const { session } = state;
  switch (session.phase.value) {
    case "loading":
      return (
        <div class="splash" role="status">
          Loading…
        </div>
      );
    case "unreachable":
      return (
        <div class="splash" role="alert">
          <p>Could not reach the server. {session.startupError.value}</p>
          <button type="button" class="button button--primary" onClick={() => void session.start()}>
            Try again
          </button>
        </div>
      );
    case "signed-out":
      return <LoginScreen session={session} />;
    case "signed-in":
      return (
        <ErrorBoundary label="Something went wrong showing this page. Your conversations are safe on the server.">
          <Shell state={state} />
        </ErrorBoundary>
      );
  }
}

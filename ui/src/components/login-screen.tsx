import type { TargetedSubmitEvent } from "preact";
import type { SessionModel } from "../models/session.ts";

/** Username and password form. */
export function LoginScreen({ session }: { session: SessionModel }) {
  const pending = session.loginPending.value;
  const error = session.loginError.value;

  function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void session.login(String(form.get("username") ?? ""), String(form.get("password") ?? ""));
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} data-testid="login-form" aria-describedby={error ? "login-error" : undefined}>
        <h1 class="login-title">agentd</h1>
        <p class="login-subtitle">Sign in to continue</p>
        <label class="field">
          <span class="field-label">Username</span>
          <input
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxLength={64}
            autoFocus
            data-testid="login-username"
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxLength={1024}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p id="login-error" class="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--wide" disabled={pending} data-testid="login-submit">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

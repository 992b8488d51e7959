import type {
  Conversation,
  ConversationPage,
  ConversationWithMessages,
  CreateConversationRequest,
  LoginRequest,
  LoginResponse,
  Project,
} from "../../src/protocol/index.ts";

export type { CurrentUser, ServerInfo } from "../../src/protocol/http.ts";
import type { CurrentUser, ServerInfo } from "../../src/protocol/http.ts";

/** An agent a conversation can be created with (`GET /api/agents`). */
export interface AgentChoice {
  name: string;
  description?: string;
  tools?: string[];
}

/** A failed API call: the server's `{error: {code, message}}`, or a local `network` / `bad_response`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** On a 401, renew the session once and repeat the request (default true). */
  refreshOnUnauthorized?: boolean;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Runs `task` while holding the lock `name` (across the tabs of this origin when the browser can). */
export type LockLike = <T>(name: string, task: () => Promise<T>) => Promise<T>;

/**
 * The Web Locks API where there is one: two tabs must never present the same refresh cookie at
 * once (the server takes a reused refresh token for a stolen one and ends the whole login).
 */
export const browserLock: LockLike = (name, task) => {
  const locks = (globalThis.navigator as { locks?: { request<T>(name: string, task: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  return locks ? locks.request(name, task) : task();
};

/**
 * The HTTP API, authenticated by the session cookie. A 401 triggers one shared
 * `POST /api/auth/refresh` and one retry; if that fails too, `onSessionLost` runs.
 */
export class Api {
  /** Called when the session is gone for good (refresh refused). */
  onSessionLost: (() => void) | null = null;
  /**
   * The access token of the last login or refresh (also in the HttpOnly cookie). Only a socket to
   * another origin (`ui.websocket_url`) needs it, as `?token=`, since the cookie does not go there.
   */
  accessToken: string | null = null;
  /** When `accessToken` expires (ISO 8601), from the last login or refresh; null when unknown. */
  expiresAt: string | null = null;
  /** Called with every new access token (login or refresh). */
  onToken: ((token: string, expiresAt: string) => void) | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly lock: LockLike;

  constructor(fetchImpl: FetchLike = (input, init) => fetch(input, init), lock: LockLike = browserLock) {
    this.fetchImpl = fetchImpl;
    this.lock = lock;
  }

  /**
   * Renews the session cookie and the access token; concurrent callers share one request, and
   * tabs take turns. Never throws.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.lock("agentd-auth-refresh", () =>
      this.request<LoginResponse>("/api/auth/refresh", { method: "POST", refreshOnUnauthorized: false }),
    )
      .then(
        (answer) => {
          this.adopt(answer);
          return true;
        },
        () => false,
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  async login(credentials: LoginRequest): Promise<LoginResponse> {
    const answer = await this.request<LoginResponse>("/api/auth/login", { method: "POST", body: credentials, refreshOnUnauthorized: false });
    this.adopt(answer);
    return answer;
  }

  logout(): Promise<void> {
    this.accessToken = null;
    this.expiresAt = null;
    return this.request("/api/auth/logout", { method: "POST", refreshOnUnauthorized: false });
  }

  /** Records a new access token from a login or refresh answer and tells `onToken`. */
  private adopt(answer: LoginResponse | undefined): void {
    this.accessToken = answer?.token ?? null;
    this.expiresAt = answer?.expiresAt ?? null;
    if (answer?.token && answer.expiresAt) this.onToken?.(answer.token, answer.expiresAt);
  }

  me(): Promise<CurrentUser> {
    return this.request("/api/me");
  }

  info(): Promise<ServerInfo> {
    return this.request("/api/info", { refreshOnUnauthorized: false });
  }

  /** The agents to choose from; null when the server has no `GET /api/agents` (one agent only). */
  async listAgents(): Promise<AgentChoice[] | null> {
    try {
      return (await this.request<{ agents: AgentChoice[] }>("/api/agents")).agents;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** The user's projects, newest first (`GET /api/projects`). */
  async listProjects(): Promise<Project[]> {
    return (await this.request<{ projects: Project[] }>("/api/projects")).projects;
  }

  listConversations(cursor?: string): Promise<ConversationPage> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    return this.request(`/api/conversations${query}`);
  }

  createConversation(request: CreateConversationRequest = {}): Promise<Conversation> {
    return this.request("/api/conversations", { method: "POST", body: request });
  }

  getConversation(id: string): Promise<ConversationWithMessages> {
    return this.request(`/api/conversations/${encodeURIComponent(id)}`);
  }

  renameConversation(id: string, title: string): Promise<Conversation> {
    return this.request(`/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", body: { title } });
  }

  deleteConversation(id: string): Promise<void> {
    return this.request(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
  }

  /** @throws ApiError for any non-2xx answer or a network failure. */
  private async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { method = "GET", body, refreshOnUnauthorized = true } = options;
    const init: RequestInit = {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    let response = await this.send(path, init);
    if (response.status === 401 && refreshOnUnauthorized) {
      if (await this.refresh()) response = await this.send(path, init);
      if (response.status === 401) this.onSessionLost?.();
    }
    return readBody<T>(response);
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(path, init);
    } catch {
      throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
    }
  }
}

async function readBody<T>(response: Response): Promise<T> {
  const text = await response.text().catch(() => "");
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (response.ok) return json as T;
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    throw new ApiError(response.status, error.code, error.message);
  }
  throw new ApiError(response.status, "bad_response", `The server answered ${response.status} ${response.statusText}.`.trim());
}

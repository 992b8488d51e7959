/** Names and paths of the auth cookies (HttpOnly; the UI never reads them). */
export const ACCESS_COOKIE = "agentd_token";
export const REFRESH_COOKIE = "agentd_refresh";
export const REFRESH_COOKIE_PATH = "/api/auth";

export * from "./client.ts";
export * from "./server.ts";
export * from "./close-codes.ts";
export * from "./http.ts";

/**
 * `bun run demo`: agentd with the scripted demo model from the test fixtures, so anyone can watch
 * replies stream without an API key. Data goes to ./data-demo; log in as demo / demo-password.
 */
import { existsSync } from "node:fs";
import { demoReply, startFixtureModel } from "../test/fixtures/openai-fixture.ts";

const port = process.env.PORT ?? "8080";
const dataDir = "./data-demo";
const model = await startFixtureModel({ defaultReply: demoReply() });
const env = {
  ...process.env,
  AGENTD_DATA_DIR: dataDir,
  AGENTD_SERVER__PORT: port,
  AGENTD_LLM__BASE_URL: model.url,
  AGENTD_LLM__MODEL: "demo-model",
  AGENTD_LLM__API_KEY: "demo",
};
const agentd = (args: string[], stdin?: string) =>
  Bun.spawn([process.execPath, "src/main.ts", ...args], { env, stdin: stdin ? new Blob([stdin]) : "inherit", stdout: "inherit", stderr: "inherit" });

if (!existsSync(`${dataDir}/agentd.db`)) await agentd(["user", "add", "demo", "--password-stdin"], "demo-password\n").exited;
console.log(`\n  DEMO MODE: replies come from a scripted demo model, not an AI.\n  Open http://127.0.0.1:${port} and log in as demo / demo-password\n`);
const server = agentd(["serve", "--demo"]);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
const code = await server.exited;
await model.close();
process.exit(code);

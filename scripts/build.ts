/**
 * `bun run build`: compiles agentd into one executable, `dist/agentd`, with the UI and the worker
 * threads' entries (agent worker, WAL checkpoints) embedded. The binary runs from any directory with no node_modules beside it.
 */
import { rmSync } from "node:fs";

const outfile = process.argv[2] ?? "dist/agentd";
rmSync(outfile, { force: true });
const result = await Bun.build({
  entrypoints: ["./src/main.ts", "./src/app/worker-main.ts", "./src/storage/sqlite/wal-thread.ts"],
  compile: { outfile },
  minify: true,
  sourcemap: "linked",
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`built ${outfile}`);

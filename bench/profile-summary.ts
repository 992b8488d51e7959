#!/usr/bin/env bun
/**
 * Summarizes a `.cpuprofile` written by `bun run bench ... --profile DIR` by samples (where the
 * thread actually ran), not by the time between samples, which also counts idle gaps:
 *
 *   bun bench/profile-summary.ts DIR/CPU.*.cpuprofile [--top 25]
 *
 * Prints the functions with the most self samples, then the share of samples spent inside each
 * package (node_modules) or agentd source file, callees included.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: bun bench/profile-summary.ts FILE.cpuprofile [--top N]");
  process.exit(2);
}
const top = Number(rest[rest.indexOf("--top") + 1] ?? 25) || 25;
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const where = (url: string) => (url.includes("node_modules/") ? url.split("node_modules/")[1]! : url.includes("/src/") ? `src/${url.split("/src/")[1]}` : url);
const moduleOf = (url: string): string | undefined => {
  if (url.includes("node_modules/")) {
    const parts = url.split("node_modules/")[1]!.split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return url.includes("/src/") ? `src/${url.split("/src/")[1]}` : undefined;
};

const counts = new Map<number, number>();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const total = profile.samples.length;
const self = new Map<string, number>();
const inside = new Map<string, number>();
for (const [id, count] of counts) {
  const frame = nodes.get(id)!.callFrame;
  const key = `${frame.functionName || "(anonymous)"}  ${frame.url ? `${where(frame.url)}:${frame.lineNumber + 1}` : "[native]"}`;
  self.set(key, (self.get(key) ?? 0) + count);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const module = moduleOf(nodes.get(at)!.callFrame.url);
    if (module && !seen.has(module)) {
      seen.add(module);
      inside.set(module, (inside.get(module) ?? 0) + count);
    }
  }
}
const pct = (count: number) => `${((100 * count) / total).toFixed(1).padStart(5)}%`;
const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${total} samples\n\nself samples:`);
for (const [key, count] of ranked(self)) console.log(`${pct(count)}  ${key}`);
console.log("\ninside (callees included):");
for (const [key, count] of ranked(inside)) console.log(`${pct(count)}  ${key}`);

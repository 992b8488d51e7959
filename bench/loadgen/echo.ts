/**
 * The transport limit: the same clients against a bare Bun WebSocket echo server, each sending its
 * next frame (the size and shape of a `message.delta`) as soon as the previous one came back.
 */
import { sampleProcess } from "../lib/proc.ts";
import { distribution, type Distribution } from "../lib/stats.ts";
import { CloseCodes, inBatches } from "./agentd-session.ts";
import { sleep } from "./closed-loop.ts";
import type { EchoJob } from "./jobs.ts";

export interface EchoResult {
  clients: number;
  windowMs: number;
  frames: number;
  framesPerSecond: number;
  roundTripMs: Distribution;
  wrongEcho: number;
  closeCodes: Record<string, number>;
  server: { cpuMs: number; cores: number; rssEndBytes: number };
  client: { cpuMs: number; cores: number };
}

const MESSAGE_ID = "0197a3c2-6f1e-7a55-9d1c-3f0b8e2a4c11";
const frameFor = (seq: number) => JSON.stringify({ type: "message.delta", seq, messageId: MESSAGE_ID, text: " streaming" });

export async function runEcho(job: EchoJob): Promise<EchoResult> {
  const closeCodes = new CloseCodes();
  let stopping = false;
  let measuring = false;
  let frames = 0;
  let wrongEcho = 0;
  const roundTrips: number[] = [];
  const sockets = await inBatches(Array.from({ length: job.clients }, (_, i) => i), 100, async () => {
    const ws = new WebSocket(job.url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("echo socket failed to open"));
    });
    let seq = 0;
    let sentAt = 0;
    let sent = "";
    const next = () => {
      if (stopping) return;
      sent = frameFor(++seq);
      sentAt = performance.now();
      ws.send(sent);
    };
    ws.onmessage = (event) => {
      if (String(event.data) !== sent) wrongEcho++;
      if (measuring) {
        frames++;
        roundTrips.push(performance.now() - sentAt);
      }
      next();
    };
    ws.onclose = (event) => {
      if (!stopping) closeCodes.add(event.code);
    };
    return { ws, start: next };
  });
  for (const socket of sockets) socket.start();
  await sleep(job.warmupMs);
  const start = { at: performance.now(), cpu: process.cpuUsage(), server: sampleProcess(job.serverPid) };
  measuring = true;
  await sleep(job.windowMs);
  measuring = false;
  const end = { at: performance.now(), cpu: process.cpuUsage(), server: sampleProcess(job.serverPid) };
  stopping = true;
  for (const { ws } of sockets) ws.close(1000);
  const seconds = (end.at - start.at) / 1000;
  const clientCpuMs = (end.cpu.user + end.cpu.system - start.cpu.user - start.cpu.system) / 1000;
  const serverCpuMs = end.server.cpuMs - start.server.cpuMs;
  return {
    clients: job.clients,
    windowMs: end.at - start.at,
    frames,
    framesPerSecond: frames / seconds,
    roundTripMs: distribution(roundTrips),
    wrongEcho,
    closeCodes: closeCodes.counts,
    server: { cpuMs: serverCpuMs, cores: serverCpuMs / 1000 / seconds, rssEndBytes: end.server.rssBytes },
    client: { cpuMs: clientCpuMs, cores: clientCpuMs / 1000 / seconds },
  };
}

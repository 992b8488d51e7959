/**
 * Acceptance speed: messages offered at a fixed rate (open loop, spread over the clients' sockets)
 * to a model that answers at once. Measures how many agentd accepts per second and how long each
 * `message.accepted` takes; then waits for every reply and checks its text.
 */
import { expectedReplyFor, messageContent } from "../lib/expected.ts";
import { sampleProcess, threadCpu } from "../lib/proc.ts";
import { distribution, type Distribution } from "../lib/stats.ts";
import { CloseCodes, chatSocketUrl, inBatches, seatClients } from "./agentd-session.ts";
import { sleep } from "./closed-loop.ts";
import type { BurstJob } from "./jobs.ts";

interface Sent {
  content: string;
  sentAt: number;
  acceptedAt?: number;
  messageId?: string;
  text: string;
  endAt?: number;
  outcome?: string;
}

export interface BurstResult {
  clients: number;
  offeredPerSecond: number;
  sent: number;
  accepted: number;
  /** Accepted messages over the time from the first send to the last acceptance. */
  acceptedPerSecond: number;
  acceptMs: Distribution;
  /** Per 100 ms of sending: [ms since start, messages, p50, max accept ms]. */
  timeline?: number[][];
  /** Time from the first send until every reply had ended. */
  drainSeconds: number;
  repliesCompleted: number;
  failures: Record<string, number>;
  wrongText: number;
  unfinished: number;
  closeCodes: Record<string, number>;
  server: { cpuMs: number; cores: number; rssEndBytes: number; threadCores?: Record<string, number> };
  client: { cores: number };
}

const TICK_MS = 2;

export async function runBurst(job: BurstJob): Promise<BurstResult> {
  const expected = expectedReplyFor(job.pacing);
  const closeCodes = new CloseCodes();
  const all: Sent[] = [];
  let stopping = false;
  const seats = await seatClients(job.url, job.users, job.clients);
  const sockets = await inBatches(seats, 100, async (seat) => {
    const ws = new WebSocket(chatSocketUrl(job.url, seat.conversationId), { headers: { authorization: `Bearer ${seat.token}` } } as unknown as string[]);
    const byClientId = new Map<string, Sent>();
    const byMessageId = new Map<string, Sent>();
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data));
        const now = performance.now();
        if (frame.type === "session.ready") return resolve();
        if (frame.type === "message.accepted") {
          const sent = byClientId.get(frame.clientMessageId);
          if (!sent) return;
          sent.acceptedAt = now;
          sent.messageId = frame.messageId;
          byMessageId.set(frame.messageId, sent);
        } else if (frame.type === "message.delta") {
          const sent = byMessageId.get(frame.messageId);
          if (sent) sent.text += frame.text;
        } else if (frame.type === "message.end") {
          const sent = byMessageId.get(frame.messageId);
          if (!sent) return;
          sent.endAt = now;
          sent.outcome = frame.reason === "completed" ? "completed" : `end:${frame.reason}:${frame.error?.code ?? ""}`;
        } else if (frame.type === "error") {
          const sent = byClientId.get(frame.clientMessageId);
          if (!sent) return;
          sent.endAt = now;
          sent.outcome = `error:${frame.code}`;
        }
      };
      ws.onclose = (event) => {
        if (!stopping) closeCodes.add(event.code);
        reject(new Error(`socket closed: ${event.code}`));
        for (const sent of byClientId.values()) if (!sent.outcome) sent.outcome = `closed:${event.code}`;
      };
    });
    return {
      send(content: string) {
        const clientMessageId = crypto.randomUUID();
        const sent: Sent = { content, sentAt: performance.now(), text: "" };
        byClientId.set(clientMessageId, sent);
        all.push(sent);
        ws.send(JSON.stringify({ type: "message.send", clientMessageId, content }));
      },
      close: () => ws.close(1000),
    };
  });

  let next = 0;
  /** Offers `rate`/s for `ms`, each message to the next socket in turn. */
  const offer = async (ms: number) => {
    const total = next + Math.round((job.rate * ms) / 1000);
    const start = performance.now();
    const first = next;
    while (next < total) {
      const due = Math.min(total, first + Math.floor(((performance.now() - start) * job.rate) / 1000) + 1);
      for (; next < due; next++) sockets[next % sockets.length]!.send(messageContent(next % sockets.length, Math.floor(next / sockets.length)));
      await sleep(TICK_MS);
    }
  };
  if (job.warmupMs > 0) {
    await offer(job.warmupMs);
    const warmDeadline = performance.now() + job.drainMs;
    while (all.some((sent) => !sent.outcome) && performance.now() < warmDeadline) await sleep(20);
    all.length = 0; // the warm-up's messages are not measured
  }

  const startCpu = process.cpuUsage();
  const serverStart = sampleProcess(job.serverPid);
  const threadsStart = threadCpu(job.serverPid);
  const start = performance.now();
  await offer(job.windowMs);
  const deadline = performance.now() + job.drainMs;
  while (all.some((sent) => sent.acceptedAt === undefined && !sent.outcome) && performance.now() < deadline) await sleep(10);
  const serverEnd = sampleProcess(job.serverPid);
  const threadsEnd = threadCpu(job.serverPid);
  const endCpu = process.cpuUsage();
  const lastAccepted = all.reduce((last, sent) => Math.max(last, sent.acceptedAt ?? 0), start);
  while (all.some((sent) => !sent.outcome) && performance.now() < deadline) await sleep(20);
  const drained = performance.now();
  stopping = true;
  for (const socket of sockets) socket.close();

  const accepted = all.filter((sent) => sent.acceptedAt !== undefined);
  const failures: Record<string, number> = {};
  let wrongText = 0;
  for (const sent of all) {
    if (sent.outcome && sent.outcome !== "completed") failures[sent.outcome] = (failures[sent.outcome] ?? 0) + 1;
    else if (sent.outcome === "completed" && sent.text !== expected(sent.content)) wrongText++;
  }
  const acceptSeconds = (lastAccepted - start) / 1000;
  const serverCpuMs = serverEnd.cpuMs - serverStart.cpuMs;
  return {
    clients: job.clients,
    offeredPerSecond: job.rate,
    sent: all.length,
    accepted: accepted.length,
    acceptedPerSecond: accepted.length / acceptSeconds,
    acceptMs: distribution(accepted.map((sent) => sent.acceptedAt! - sent.sentAt)),
    drainSeconds: (drained - start) / 1000,
    repliesCompleted: all.filter((sent) => sent.outcome === "completed").length,
    failures,
    wrongText,
    unfinished: all.filter((sent) => !sent.outcome).length,
    closeCodes: closeCodes.counts,
    server: {
      cpuMs: serverCpuMs,
      cores: serverCpuMs / (serverEnd.at - serverStart.at),
      rssEndBytes: serverEnd.rssBytes,
      // While accepting, by thread: is the socket thread ("main") the one that is full?
      threadCores: Object.fromEntries(
        Object.entries(threadsEnd).map(([name, ms]) => [name, Math.round(((ms - (threadsStart[name] ?? 0)) / (serverEnd.at - serverStart.at)) * 1000) / 1000]),
      ),
    },
    timeline: timeline(accepted, start),
    client: { cores: (endCpu.user + endCpu.system - startCpu.user - startCpu.system) / 1000 / (serverEnd.at - serverStart.at) },
  };
}

function timeline(accepted: Sent[], start: number): number[][] {
  const buckets = new Map<number, number[]>();
  for (const sent of accepted) {
    const key = Math.floor((sent.sentAt - start) / 100) * 100;
    const list = buckets.get(key) ?? [];
    list.push(sent.acceptedAt! - sent.sentAt);
    buckets.set(key, list);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([at, list]) => {
    list.sort((a, b) => a - b);
    return [at, list.length, Math.round(list[Math.floor(list.length / 2)]!), Math.round(list[list.length - 1]!)];
  });
}

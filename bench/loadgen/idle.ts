/**
 * Memory per open socket: many authenticated sockets that stay silent (as idle browser tabs do),
 * opened in steps, the server's RSS read at each step. At the end every socket must still answer
 * a `ping`, so the count is of live sessions, not of half-dead ones.
 */
import { sampleProcess } from "../lib/proc.ts";
import { CloseCodes, chatSocketUrl, inBatches, seatClients } from "./agentd-session.ts";
import { sleep } from "./closed-loop.ts";
import type { IdleJob } from "./jobs.ts";

export interface IdleStep {
  sockets: number;
  rssBytes: number;
}

export interface IdleResult {
  /** RSS of the started server before anything was asked of it. */
  emptyRssBytes: number;
  /** RSS once every conversation exists but before any socket opened: the baseline of `steps`. */
  seatedRssBytes: number;
  steps: IdleStep[];
  /** (RSS at the last step − baseline) per 1,000 sockets, in MB (10^6 bytes). */
  mbPer1000Sockets: number;
  opened: number;
  openFailures: number;
  openSeconds: number;
  /** Sockets that answered a ping after the hold. */
  pongs: number;
  /** Server CPU while holding the sockets open, as a share of one core. */
  holdCores: number;
  closeCodes: Record<string, number>;
}

const SETTLE_MS = 1_500;

export async function runIdle(job: IdleJob): Promise<IdleResult> {
  const total = job.steps.at(-1)!;
  const emptyRssBytes = sampleProcess(job.serverPid).rssBytes;
  const seats = await seatClients(job.url, job.users, total);
  await sleep(SETTLE_MS);
  const seatedRssBytes = sampleProcess(job.serverPid).rssBytes;
  const closeCodes = new CloseCodes();
  let stopping = false;
  const sockets: { ws: WebSocket; pong: Promise<boolean> }[] = [];
  const steps: IdleStep[] = [];
  let openFailures = 0;
  const openStarted = performance.now();
  let opened = 0;
  for (const step of job.steps) {
    const batch = seats.slice(opened, step);
    const results = await inBatches(batch, 200, (seat) => openReady(chatSocketUrl(job.url, seat.conversationId), seat.token));
    for (const ws of results) {
      if (!ws) {
        openFailures++;
        continue;
      }
      let answer!: (ok: boolean) => void;
      const pong = new Promise<boolean>((resolve) => (answer = resolve));
      ws.onmessage = (event) => {
        if (String(event.data).includes('"pong"')) answer(true);
      };
      ws.onclose = (event) => {
        answer(false);
        if (!stopping) closeCodes.add(event.code);
      };
      sockets.push({ ws, pong });
    }
    opened = step;
    await sleep(SETTLE_MS);
    steps.push({ sockets: sockets.length, rssBytes: sampleProcess(job.serverPid).rssBytes });
  }
  const openSeconds = (performance.now() - openStarted) / 1000 - (SETTLE_MS / 1000) * job.steps.length;
  const holdStart = sampleProcess(job.serverPid);
  await sleep(job.holdMs);
  const holdEnd = sampleProcess(job.serverPid);
  for (const { ws } of sockets) ws.send('{"type":"ping"}');
  const pongs = (await Promise.all(sockets.map(({ pong }) => Promise.race([pong, sleep(15_000).then(() => false)])))).filter(Boolean).length;
  stopping = true;
  for (const { ws } of sockets) ws.close(1000);
  const last = steps.at(-1)!;
  return {
    emptyRssBytes,
    seatedRssBytes,
    steps,
    mbPer1000Sockets: ((last.rssBytes - seatedRssBytes) / 1e6 / last.sockets) * 1000,
    opened: sockets.length,
    openFailures,
    openSeconds,
    pongs,
    holdCores: (holdEnd.cpuMs - holdStart.cpuMs) / (holdEnd.at - holdStart.at),
    closeCodes: closeCodes.counts,
  };
}

/** Opens a chat socket and resolves it once `session.ready` arrived, or null when it closed first. */
function openReady(url: string, token: string): Promise<WebSocket | null> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } } as unknown as string[]);
  return new Promise((resolve) => {
    ws.onmessage = (event) => {
      if (String(event.data).includes('"session.ready"')) resolve(ws);
    };
    ws.onclose = () => resolve(null);
  });
}

/** Closed-loop streaming chats against agentd or, for the denominator, the fixture model itself. */
import { CloseCodes, inBatches, seatClients } from "./agentd-session.ts";
import { AgentdDriver } from "./agentd-driver.ts";
import { runStreamLoop, type TurnDriver } from "./closed-loop.ts";
import type { StreamJob } from "./jobs.ts";
import { LimitDriver } from "./limit-driver.ts";
import { summarize, type StreamResult } from "./turns.ts";

export async function runStream(job: StreamJob): Promise<StreamResult> {
  const closeCodes = new CloseCodes();
  let drivers: TurnDriver[];
  let agentdDrivers: AgentdDriver[] = [];
  if (job.kind === "agentd") {
    const seats = await seatClients(job.url, job.users, job.clients);
    agentdDrivers = await inBatches(seats, 100, (seat) => AgentdDriver.open(job.url, seat, closeCodes));
    drivers = agentdDrivers;
  } else {
    drivers = Array.from({ length: job.clients }, () => new LimitDriver(job.url));
  }
  const { turns, window } = await runStreamLoop(drivers, job, job.serverPid);
  for (const driver of agentdDrivers) driver.close();
  return summarize(turns, window, job.clients, closeCodes.counts, job.pacing.tokens);
}

/** Getting N authenticated sockets onto agentd: log the pool's users in, give each client a conversation, open the sockets. */

export interface PoolUser {
  username: string;
  password: string;
}

export interface ClientSeat {
  token: string;
  conversationId: string;
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function postJson(url: string, body: unknown, token?: string): Promise<unknown> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Logs every pool user in once, then creates one conversation per client (client i belongs to user i mod pool). */
export async function seatClients(baseUrl: string, users: readonly PoolUser[], clients: number): Promise<ClientSeat[]> {
  const tokens = await inBatches(users, 8, async (user) => ((await postJson(`${baseUrl}/api/auth/login`, user)) as { token: string }).token);
  return inBatches(Array.from({ length: clients }, (_, i) => i), 50, async (i) => {
    const token = tokens[i % tokens.length]!;
    const conversation = (await postJson(`${baseUrl}/api/conversations`, { title: `bench ${i}` }, token)) as { id: string };
    return { token, conversationId: conversation.id };
  });
}

/** Counts close codes of sockets that closed while the run still wanted them open. */
export class CloseCodes {
  readonly counts: Record<string, number> = {};
  add(code: number): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
  }
}

/** The chat socket URL of a conversation. */
export function chatSocketUrl(baseUrl: string, conversationId: string): string {
  return `${baseUrl.replace(/^http/, "ws")}/ws/chat/${encodeURIComponent(conversationId)}`;
}

import { startTestAgentd } from "../test/helpers/agentd.ts";
import { startFixtureModel, demoReply } from "../test/fixtures/openai-fixture.ts";
const model = await startFixtureModel({ defaultReply: demoReply({ ttftMs: 100, gapMs: 20, tokens: 50 }) });
const agentd = await startTestAgentd({ workers: { threads: Number(process.env.T ?? 2), concurrency: 1000 } }, { model });
await agentd.addUser("u");
const { token } = await agentd.login("u");
const N = Number(process.env.N ?? 100);
const rows: { sent: number; accepted: number; first: number; client: string }[] = [];
const byContent = new Map<string, any>();
let stop = false;
await Promise.all(Array.from({ length: N }, async (_, i) => {
  const id = await agentd.createConversation(token);
  const s = await agentd.connect(id, token);
  await Bun.sleep(i * 10);
  for (let k = 0; !stop; k++) {
    const content = `c${i}k${k}`;
    const row: any = { sent: Date.now(), client: content };
    byContent.set(content, row);
    s.send({ type: "message.send", clientMessageId: content, content });
    await s.next("message.accepted", 60000); row.accepted = Date.now();
    await s.next("message.delta", 60000); row.first = Date.now();
    await s.next("message.end", 60000); row.end = Date.now();
    rows.push(row);
  }
}).concat([Bun.sleep(12000).then(() => { stop = true; })]));
for (const r of model.chatRequests) {
  const text = (r.body?.messages ?? []).filter((m: any) => m.role === "user").at(-1)?.content;
  const row = byContent.get(text); if (row) { row.req = r.receivedAt; row.tok0 = r.sentAt[0]; }
}
const late = rows.filter(r => r.sent > rows[0].sent + 4000 && r.req);
const p = (a: number[], q: number) => a.sort((x, y) => x - y)[Math.floor(q * (a.length - 1))];
for (const [name, f] of [["accept", (r: any) => r.accepted - r.sent], ["sent→model request", (r: any) => r.req - r.sent], ["model tok0→client delta", (r: any) => r.first - r.tok0], ["first delta", (r: any) => r.first - r.sent]] as const)
  console.log(name, "p50", p(late.map(f), 0.5), "p99", p(late.map(f), 0.99));
console.log("replies", late.length);
await agentd.close(); await model.close(); process.exit(0);

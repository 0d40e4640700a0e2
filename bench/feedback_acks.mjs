// feedback_acks: feedback acknowledgements per second and their latency,
// through web/replyd-client.js against a running replyd (whichever store
// its --db names). Each connection first gathers its suggestion ids, then
// keeps --inflight feedback frames outstanding until --count are acked;
// latency is from sending a frame to its ack, which comes after the commit.
//
//   node --experimental-websocket bench/feedback_acks.mjs --port 18080 \
//       --connections 10 --inflight 8 --count 4000
import { parseArgs } from 'node:util';

import { ReplydClient } from '../web/replyd-client.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    connections: { type: 'string', default: '10' },
    inflight: { type: 'string', default: '8' },
    count: { type: 'string', default: '4000' },
  },
});
const connections = Number(values.connections);
const inflight = Number(values.inflight);
const perConnection = Math.ceil(Number(values.count) / connections);
const ORDER = {
  id: 'E20261123001', status: 'paid', created_at: '2026-11-20T09:00:00+08:00',
  paid_at: '2026-11-20T09:05:00+08:00', amount: 129, stock: 'in_stock',
};

async function open() {
  const client = new ReplydClient({ url: `ws://127.0.0.1:${values.port}/ws` });
  await new Promise((resolve) => {
    client.addEventListener('statechange', (e) => {
      if (/** @type {CustomEvent} */ (e).detail.state === 'open') resolve(undefined);
    });
    client.connect();
  });
  return client;
}

const clients = await Promise.all(Array.from({ length: connections }, open));
const ids = await Promise.all(clients.map(async (client, c) => {
  const out = [];
  while (out.length < perConnection) {
    const answer = await client.suggest(`怎么还不发货 ${c} ${out.length}`, ORDER,
      { now: '2026-11-23T10:00:00+08:00' });
    out.push(...answer.suggestions.map((s) => s.suggestion_id));
  }
  return out.slice(0, perConnection);
}));

const latencies = [];
const start = performance.now();
await Promise.all(clients.map(async (client, c) => {
  let next = 0;
  const worker = async () => {
    while (next < ids[c].length) {
      const id = ids[c][next++];
      const sent = performance.now();
      await client.feedback(id, 'accepted');
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
}));
const seconds = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({
  acks: latencies.length, seconds: Number(seconds.toFixed(3)),
  acks_per_s: Math.round(latencies.length / seconds),
  p50_ms: Number(at(0.5).toFixed(2)), p99_ms: Number(at(0.99).toFixed(2)),
}));
for (const client of clients) client.close();

// The cluster of scripts/cluster.sh (PostgreSQL, two replyd, HAProxy, all
// Debian's), started by this test, with web/replyd-client.js in node as the
// clients: one replyd is killed with -9 while clients send suggestions and
// feedback through HAProxy; its clients reconnect through HAProxy to the
// other node, which takes feedback on the dead node's suggestions (signed
// ids); every acknowledged row is in PostgreSQL, once. Two shops on the same
// cluster each see only their own /stats. PostgreSQL stopped and started
// again under load: feedback is refused meanwhile, never acknowledged and
// lost.
//
//   ctest -L cluster --output-on-failure   (sets REPLYD)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { ReplydClient } from '../../web/replyd-client.js';
import { requireEnv, requireExecutable } from './prerequisites.mjs';
import { connectClient } from './replyd_clients.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPLYD = requireExecutable(requireEnv('REPLYD', 'the replyd binary (ctest passes it)'),
  'build it: cmake --build build');
for (const [path, hint] of [['/usr/sbin/haproxy', 'haproxy'], ['/usr/bin/psql', 'postgresql']]) {
  if (!existsSync(path)) {
    process.stderr.write(`\ncluster test: ${path} is missing: run scripts/setup.sh `
      + `(or apt-get install ${hint})\n\n`);
    process.exit(1);
  }
}
if (typeof globalThis.WebSocket !== 'function') {
  process.stderr.write('cluster test: no WebSocket in this node: use node 22+, or node 20 with '
    + '--experimental-websocket (ctest passes it)\n');
  process.exit(1);
}

const WAIT_MS = 60_000;
const TOKEN_A = 'cluster-test-token-shop-a-0123456789';
const TOKEN_B = 'cluster-test-token-shop-b-0123456789';
const ORDER = {
  id: 'E20261123001', status: 'paid', created_at: '2026-11-20T09:00:00+08:00',
  paid_at: '2026-11-20T09:05:00+08:00', amount: 129, stock: 'in_stock',
};
const NOW = '2026-11-23T10:00:00+08:00';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const work = mkdtempSync(join(tmpdir(), 'reply-cluster-test-'));
// PostgreSQL's user (nobody, when the test runs as root) goes through it.
chmodSync(work, 0o755);
/** @type {Record<string, string>} cluster.env */
let env = {};
/** @type {import('node:child_process').ChildProcess|undefined} */
let cluster;
let clusterExited = Promise.resolve();

// The bundled packs with two shops, a and b.
function writePacks() {
  const packs = join(work, 'packs');
  mkdirSync(join(packs, 'shops'), { recursive: true });
  for (const name of ['shop.yaml', 'intents', 'templates']) symlinkSync(join(ROOT, name), join(packs, name));
  writeFileSync(join(packs, 'shops', 'a.yaml'), 'policy:\n  promise_ship_hours: 48\n');
  writeFileSync(join(packs, 'shops', 'b.yaml'), 'policy:\n  promise_ship_hours: 72\n');
  writeFileSync(join(work, 'tokens'), `a ${TOKEN_A}\nb ${TOKEN_B}\n`);
  return packs;
}

before(async () => {
  const dir = join(work, 'cluster');
  cluster = spawn('bash', [join(ROOT, 'scripts', 'cluster.sh'), '--packs', writePacks(),
    '--tokens-file', join(work, 'tokens'), '--no-watch-packs', '--threads', '1',
    '--rate-limit', '100000', '--rate-burst', '100000'], {
    env: {
      ...process.env, REPLYD, REPLY_RUN_NO_BUILD: '1', REPLY_CLUSTER_PORT: '0', REPLY_CLUSTER_DIR: dir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  clusterExited = new Promise((resolve) => cluster?.on('exit', () => resolve(undefined)));
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(join(dir, 'cluster.env'))) {
    assert.ok(Date.now() < deadline, 'the cluster did not come up');
    assert.equal(cluster.exitCode, null, 'cluster.sh failed');
    await sleep(100);
  }
  for (const line of readFileSync(join(dir, 'cluster.env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1).replace(/^'|'$/g, '');
  }
});

after(async () => {
  cluster?.kill('SIGTERM');
  await clusterExited;
  rmSync(work, { recursive: true, force: true });
});

/** @param {string} sql */
function psql(sql) {
  return execFileSync('psql', [env.DB_URL, '-At', '-c', sql]).toString('utf8').trim();
}

/** @param {string} token */
function connect(token) {
  return connectClient(`ws://127.0.0.1:${env.HAPROXY_PORT}/ws`, { token, waitMs: WAIT_MS });
}

/**
 * `n` suggestion ids for `client`.
 * @param {ReplydClient} client
 * @param {number} n
 */
async function suggestionIds(client, n) {
  const ids = [];
  while (ids.length < n) {
    const answer = await client.suggest(`怎么还不发货 ${ids.length}`, ORDER, { now: NOW });
    ids.push(...answer.suggestions.map((s) => s.suggestion_id));
  }
  return ids.slice(0, n);
}

test('a node killed with -9 under load: clients move to the other node, every acked row is stored once', async () => {
  // leastconn spreads four clients over both nodes: some are on node1.
  const clients = [];
  // Closed however the test ends: a client left open keeps node running
  // until ctest's timeout.
  try {
    for (let i = 0; i < 4; i += 1) clients.push(await connect(TOKEN_A));
    await killANodeUnderLoad(clients);
  } finally {
    for (const client of clients) client.close();
  }
});

/** @param {ReplydClient[]} clients */
async function killANodeUnderLoad(clients) {
  const dropped = clients.map(() => false);
  clients.forEach((client, i) => client.addEventListener('statechange', (event) => {
    if (/** @type {CustomEvent} */ (event).detail.state === 'reconnecting') dropped[i] = true;
  }));
  const ids = await Promise.all(clients.map((client) => suggestionIds(client, 20)));
  // Half the feedback before the kill, half while it happens, with
  // suggestions in flight too.
  await Promise.all(clients.flatMap((client, c) => ids[c].slice(0, 10)
    .map((id) => client.feedback(id, 'accepted'))));
  const inFlight = clients.flatMap((client, c) => [
    ...ids[c].slice(10).map((id, i) => client.feedback(id, i % 2 ? 'rejected' : 'accepted')),
    ...[1, 2, 3].map((i) => client.suggest(`第${i}单怎么还不发货`, ORDER, { now: NOW })),
  ]);
  process.kill(Number(env.NODE1_PID), 'SIGKILL');
  const settled = await Promise.allSettled(inFlight);
  assert.deepEqual(settled.filter((s) => s.status === 'rejected'), [], 'every request answered');
  assert.ok(dropped.some(Boolean), 'no client was on the killed node');
  for (const client of clients) assert.equal(client.pendingFeedback, 0);

  // Every acknowledged row, once; the dead node's suggestions included.
  assert.equal(psql("SELECT count(*) FROM feedback WHERE shop = 'a'"), '80');
  assert.equal(psql("SELECT count(DISTINCT suggestion_id) FROM feedback WHERE shop = 'a'"), '80');
  // The survivor serves new suggestions and feedback.
  const [fresh] = await suggestionIds(clients[0], 1);
  await clients[0].feedback(fresh, 'accepted');
  assert.equal(psql("SELECT count(*) FROM feedback WHERE shop = 'a'"), '81');
}

test('two shops on the same cluster each see only their own stats', async () => {
  // Each shop's own feedback here, so the case does not lean on another's
  // rows: shop a 2 rows more, shop b 3.
  for (const [token, n] of [[TOKEN_A, 2], [TOKEN_B, 3]]) {
    const client = await connect(token);
    try {
      for (const id of await suggestionIds(client, n)) await client.feedback(id, 'rejected');
    } finally {
      client.close();
    }
  }
  /** @param {string} token */
  const stats = async (token) => {
    const response = await fetch(`http://127.0.0.1:${env.HAPROXY_PORT}/stats`,
      { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const report = await response.json();
    let answered = 0;
    for (const t of report.templates) answered += t.total;
    return answered;
  };
  /** @param {string} shop */
  const rows = (shop) => Number(psql(`SELECT count(*) FROM feedback WHERE shop = '${shop}'`));
  assert.ok(rows('a') >= 2 && rows('b') >= 3);
  assert.notEqual(rows('a'), rows('b'));
  assert.equal(await stats(TOKEN_A), rows('a'));
  assert.equal(await stats(TOKEN_B), rows('b'));
});

test('PostgreSQL stopped and restarted under load: no acknowledged row lost', async () => {
  const client = await connect(TOKEN_B);
  const ids = await suggestionIds(client, 60);
  const before = Number(psql('SELECT count(*) FROM feedback'));
  const pg = join(env.DIR, 'pg');
  const acked = [];
  const refused = [];
  const send = (from, to) => Promise.all(ids.slice(from, to).map((id) => client.feedback(id, 'accepted')
    .then(() => acked.push(id), (error) => refused.push([id, String(error)]))));
  const first = send(0, 20);
  execFileSync(join(ROOT, 'scripts', 'pg_local.sh'), ['stop', pg]);
  await first;
  await send(20, 40);  // the database is down: refused, not lost
  assert.ok(refused.length > 0, 'feedback acknowledged while PostgreSQL was down');
  for (const [, error] of refused) assert.match(error, /unreachable/);
  // Suggestions need no database.
  assert.ok((await suggestionIds(client, 1)).length === 1);
  execFileSync(join(ROOT, 'scripts', 'pg_local.sh'), ['start', pg]);
  await send(40, 60);
  // The refused ones, sent again, are taken now.
  const again = refused.splice(0).map(([id]) => id);
  await Promise.all(again.map((id) => client.feedback(id, 'accepted').then(() => acked.push(id))));
  assert.equal(acked.length, 60);
  assert.equal(Number(psql('SELECT count(*) FROM feedback')) - before, 60);
  client.close();
});

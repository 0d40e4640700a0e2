// web/replyd-client.js in node against real replyd processes that are
// stopped and restarted under it on the same port and the same feedback
// store: what an agent console lives through in a deploy. Feedback whose
// ack the restart swallowed is resent with its key and stored exactly once;
// requests in flight at a SIGTERM are all answered; and the one gap left (a
// server killed before its commit) is reported, not hidden.
//
//   ctest -R web_client_replyd --output-on-failure   (sets REPLYD, REPLY_PACKS)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { requireEnv, requireExecutable, requireSqlite3 } from './prerequisites.mjs';
import { connectClient, nextState } from './replyd_clients.mjs';
import { listeningPort } from './replyd_log.mjs';

const REPLYD = requireExecutable(requireEnv('REPLYD', 'the replyd binary (ctest passes it)'),
  'build it: cmake --build build');
const PACKS = requireEnv('REPLY_PACKS', 'the pack directory replyd serves');
const SQLITE3 = requireSqlite3();
if (typeof globalThis.WebSocket !== 'function') {
  process.stderr.write('web tests: no WebSocket in this node: use node 22+, or node 20 with '
    + '--experimental-websocket (ctest passes it)\n');
  process.exit(1);
}

// Generous: nothing waits this long unless it is failing.
const WAIT_MS = 30_000;
const work = mkdtempSync(join(tmpdir(), 'replyd-client-'));
after(() => rmSync(work, { recursive: true, force: true }));

const ORDER = {
  id: 'E20261123001', status: 'paid', created_at: '2026-11-20T09:00:00+08:00',
  paid_at: '2026-11-20T09:05:00+08:00', amount: 129, stock: 'in_stock',
};
const NOW = '2026-11-23T10:00:00+08:00';

/** @type {Set<import('node:child_process').ChildProcess>} killed however the test ends */
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** A replyd process on `port` (0: any) with the store `db`. */
class Replyd {
  /**
   * @param {string} db
   * @param {number} port
   * @param {string[]} extra flags
   * @returns {Promise<Replyd>} once it listens
   */
  static async start(db, port, extra = []) {
    const child = spawn(REPLYD, [
      '--listen', `127.0.0.1:${port}`, '--packs', PACKS, '--db', db, '--threads', '2',
      '--no-watch-packs', '--rate-limit', '100000', '--rate-burst', '100000', ...extra,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal);
    }));
    const listening = await listeningPort(child, join(work, 'replyd.log'), WAIT_MS);
    return new Replyd(child, listening, exited);
  }

  /**
   * @param {import('node:child_process').ChildProcess} child
   * @param {number} port
   * @param {Promise<number|string|null>} exited the exit code, or the signal
   */
  constructor(child, port, exited) {
    this.child = child;
    this.port = port;
    this.exited = exited;
  }
}

/**
 * @param {string} db
 * @param {string} sql
 * @returns {Array<Record<string, unknown>>}
 */
function query(db, sql) {
  const out = execFileSync(SQLITE3, ['-readonly', '-json', db, sql]).toString('utf8');
  return out.trim() === '' ? [] : JSON.parse(out);
}

/**
 * Holds the store's write lock (another process, as a backup job would):
 * no commit can happen until release().
 * @param {string} db
 */
async function lockDatabase(db) {
  const shell = spawn(SQLITE3, [db], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(shell);
  const exited = new Promise((resolve) => shell.on('exit', () => {
    children.delete(shell);
    resolve(undefined);
  }));
  await new Promise((resolve) => {
    let out = '';
    shell.stdout.on('data', (chunk) => {
      out += chunk.toString('utf8');
      if (out.includes('locked')) resolve(undefined);
    });
    shell.stdin.write('BEGIN EXCLUSIVE;\n.print locked\n');
  });
  return {
    async release() {
      shell.stdin.end('ROLLBACK;\n');
      await exited;
    },
  };
}

/**
 * A client connected to `port`, resolved once it is open.
 * @param {number} port
 */
function connect(port) {
  return connectClient(`ws://127.0.0.1:${port}/ws`, { waitMs: WAIT_MS });
}

/** @param {Promise<unknown>} promise */
async function isSettled(promise) {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('feedback whose ack a SIGTERM swallowed is resent after the restart and stored once', async () => {
  const db = join(work, 'swallowed.db');
  // The commit can wait out the whole shutdown (and more) for the lock.
  const flags = ['--shutdown-timeout-ms', '2000', '--db-busy-timeout-ms', '20000'];
  const first = await Replyd.start(db, 0, flags);
  const client = await connect(first.port);
  const answer = await client.suggest('怎么还不发货', ORDER, { now: NOW });
  const suggestionId = answer.suggestions[0].suggestion_id;

  const lock = await lockDatabase(db);
  const clicked = client.feedback(suggestionId, 'accepted');
  await sleep(200);  // received; its commit waits for the lock
  const dropped = nextState(client, 'reconnecting', WAIT_MS);
  first.child.kill('SIGTERM');
  // The server closes by its deadline without the ack it cannot give.
  assert.equal((await dropped).closeCode, 1001);
  assert.equal(await isSettled(clicked), false, 'acknowledged without a commit');
  assert.equal(client.pendingFeedback, 1);
  // The lock goes: the stopping server commits the row on its way out.
  await lock.release();
  assert.equal(await first.exited, 0);
  const stored = query(db, 'SELECT suggestion_id, feedback_key FROM feedback');
  assert.equal(stored.length, 1);
  assert.equal(stored[0].suggestion_id, suggestionId);

  // The same port, the same file: the client finds it and resends.
  const second = await Replyd.start(db, first.port, flags);
  assert.deepEqual(Object.keys(await clicked), ['type', 'id']);
  assert.equal(client.pendingFeedback, 0);
  assert.deepEqual(query(db, 'SELECT suggestion_id, feedback_key FROM feedback'), stored,
    'the resend was not stored a second time');
  client.close();
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('everything in flight at a SIGTERM is answered, and the client carries on after the restart', async () => {
  const db = join(work, 'in-flight.db');
  const first = await Replyd.start(db, 0);
  const client = await connect(first.port);
  // A suggestion of its own for each feedback: a suggestion takes one final action.
  const ids = [];
  while (ids.length < 60) {
    const answer = await client.suggest(`怎么还不发货 ${ids.length}`, ORDER, { now: NOW });
    ids.push(...answer.suggestions.map((s) => s.suggestion_id));
  }
  const requests = [];
  for (let i = 0; i < 60; i += 1) {
    requests.push(client.feedback(ids[i], i % 2 ? 'rejected' : 'accepted'));
    requests.push(client.suggest(`第${i}单怎么还不发货`, ORDER, { now: NOW }));
  }
  first.child.kill('SIGTERM');
  const dropped = nextState(client, 'reconnecting', WAIT_MS);
  const later = nextState(client, 'open', WAIT_MS);
  const settled = await Promise.allSettled(requests);
  const failed = settled.filter((s) => s.status === 'rejected');
  assert.deepEqual(failed, [], 'every request answered');
  assert.equal((await dropped).closeCode, 1001);
  assert.equal(await first.exited, 0);
  assert.equal(query(db, 'SELECT COUNT(*) AS n FROM feedback')[0].n, 60);

  const second = await Replyd.start(db, first.port);
  await later;
  const again = await client.suggest('怎么还不发货', ORDER, { now: NOW });
  assert.ok(again.suggestions.length > 0);
  client.close();
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('a server killed before its commit forgets the suggestion: the resend is refused, clearly', async () => {
  const db = join(work, 'killed.db');
  const first = await Replyd.start(db, 0, ['--db-busy-timeout-ms', '20000']);
  const client = await connect(first.port);
  const answer = await client.suggest('怎么还不发货', ORDER, { now: NOW });
  const lock = await lockDatabase(db);
  const clicked = client.feedback(answer.suggestions[0].suggestion_id, 'accepted');
  await sleep(200);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');
  await lock.release();
  const second = await Replyd.start(db, first.port);
  await assert.rejects(clicked, (error) => error.code === 'unknown_suggestion'
    && /restarted/.test(error.message));
  assert.equal(query(db, 'SELECT COUNT(*) AS n FROM feedback')[0].n, 0);
  client.close();
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

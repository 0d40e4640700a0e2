// web/replyd-client.js on its own: request/answer matching, timeouts, the
// queue while disconnected, reconnect backoff, close. A scripted WebSocket
// stands in for the server and node's mock timers for the clock, so every
// delay is exact and the suite takes milliseconds. The browser test
// (e2e.test.mjs) runs the same client against the real replyd.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ReplydClient, ReplydError } from '../../web/replyd-client.js';

/** A WebSocket the test plays the server side of. */
class FakeSocket {
  /** @type {FakeSocket[]} */
  static made = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    /** @type {string[]} */
    this.sent = [];
    this.closedByClient = null;
    FakeSocket.made.push(this);
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code) {
    this.closedByClient = code;
    this.readyState = 3;
  }

  // ---- the server's side ----
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }

  answer(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  frames() {
    return this.sent.map((s) => JSON.parse(s));
  }

  static last() {
    return FakeSocket.made.at(-1);
  }
}

function makeClient(t, options = {}) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  FakeSocket.made = [];
  const client = new ReplydClient({
    url: 'ws://replyd.test/ws', WebSocket: FakeSocket, random: () => 0, ...options,
  });
  const states = [];
  client.addEventListener('statechange', (e) => states.push(e.detail));
  client.connect();
  return { client, states };
}

/** Lets promise callbacks run (mock timers do not advance microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('connects to the given URL with the token in the query string', (t) => {
  makeClient(t, { token: 'shop-a-3f9d' });
  assert.equal(FakeSocket.last().url, 'ws://replyd.test/ws?token=shop-a-3f9d');
});

test('without a URL, connects back to the page host on /ws, wss for https pages', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  globalThis.location = { href: 'https://shop.example:8443/console/index.html', protocol: 'https:' };
  t.after(() => { delete globalThis.location; });
  FakeSocket.made = [];
  new ReplydClient({ WebSocket: FakeSocket, token: 't1' }).connect();
  assert.equal(FakeSocket.last().url, 'wss://shop.example:8443/ws?token=t1');
});

test('answers settle the request with the same id, in any order', async (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  const first = client.suggest('怎么还不发货', { status: 'paid' });
  const second = client.trigger({ status: 'paid', stock: 'out_of_stock' });
  const [a, b] = FakeSocket.last().frames();
  assert.equal(a.type, 'suggest');
  assert.equal(b.type, 'trigger');
  assert.notEqual(a.id, b.id);
  FakeSocket.last().answer({ type: 'suggestions', id: b.id, suggestions: [{ template: 'b' }] });
  FakeSocket.last().answer({ type: 'suggestions', id: a.id, suggestions: [{ template: 'a' }] });
  assert.equal((await first).suggestions[0].template, 'a');
  assert.equal((await second).suggestions[0].template, 'b');
});

test('suggest sends the engine fields given and leaves out the rest', (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  client.suggest('sao chưa giao hàng', { id: 'E1' }, {
    locale: 'vi', max: 2, conversationId: 'c-42', now: new Date('2026-11-23T02:00:00Z'),
  });
  client.suggest('在吗');
  const [full, bare] = FakeSocket.last().frames();
  assert.deepEqual(full, {
    type: 'suggest', id: full.id, message: 'sao chưa giao hàng', order: { id: 'E1' },
    locale: 'vi', max: 2, conversation_id: 'c-42', now: '2026-11-23T02:00:00.000Z',
  });
  assert.deepEqual(bare, { type: 'suggest', id: bare.id, message: '在吗' });
});

test('feedback carries final_text only when given', (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  client.feedback('9f2c', 'accepted');
  client.feedback('9f2c', 'edited', '今天发出');
  const [accepted, edited] = FakeSocket.last().frames();
  assert.deepEqual(accepted, { type: 'feedback', id: accepted.id, suggestion_id: '9f2c', action: 'accepted' });
  assert.equal(edited.final_text, '今天发出');
});

test('an error answer rejects with the server code', async (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  const request = client.suggest('x', { status: 'lost' });
  const { id } = FakeSocket.last().frames()[0];
  FakeSocket.last().answer({ type: 'error', id, code: 'bad_order', message: 'order.status: unknown' });
  await assert.rejects(request, (e) => e instanceof ReplydError && e.code === 'bad_order'
    && e.message === 'order.status: unknown' && e.requestId === id);
});

test('a request without an answer times out, and a late answer is ignored', async (t) => {
  const { client } = makeClient(t, { requestTimeoutMs: 1000 });
  FakeSocket.last().accept();
  const request = client.suggest('x', undefined, { timeoutMs: 200 });
  const { id } = FakeSocket.last().frames()[0];
  t.mock.timers.tick(199);
  await settle();
  let settled = false;
  request.then(() => { settled = true; }, () => { settled = true; });
  await settle();
  assert.equal(settled, false, 'settled before its timeout');
  t.mock.timers.tick(1);
  await assert.rejects(request, { code: 'timeout' });
  FakeSocket.last().answer({ type: 'suggestions', id, suggestions: [] });
  assert.equal(client.pending.size, 0);
});

test('requests made while connecting wait and go out once the socket opens', async (t) => {
  const { client } = makeClient(t);
  const request = client.suggest('在吗');
  assert.deepEqual(FakeSocket.last().sent, []);
  FakeSocket.last().accept();
  const [frame] = FakeSocket.last().frames();
  assert.equal(frame.message, '在吗');
  FakeSocket.last().answer({ type: 'suggestions', id: frame.id, suggestions: [] });
  assert.deepEqual((await request).suggestions, []);
});

test('a queued request survives a failed attempt and goes out on the next connection', async (t) => {
  const { client } = makeClient(t, { initialBackoffMs: 100 });
  const request = client.suggest('在吗');
  FakeSocket.last().drop(1006);  // refused: the server is down
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  const [frame] = FakeSocket.last().frames();
  assert.equal(frame.message, '在吗');
  FakeSocket.last().answer({ type: 'suggestions', id: frame.id, suggestions: [] });
  await request;
});

test('a queued request times out while it waits and is not sent later', async (t) => {
  const { client } = makeClient(t);
  const request = client.suggest('在吗', undefined, { timeoutMs: 300 });
  t.mock.timers.tick(300);
  await assert.rejects(request, { code: 'timeout' });
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().sent, []);
});

test('the queue is bounded', async (t) => {
  const { client } = makeClient(t, { maxQueued: 2 });
  client.suggest('a').catch(() => {});
  client.suggest('b').catch(() => {});
  await assert.rejects(client.suggest('c'), { code: 'queue_full' });
});

test('whileDisconnected: reject refuses at once instead of queueing', async (t) => {
  const { client } = makeClient(t, { whileDisconnected: 'reject' });
  await assert.rejects(client.suggest('在吗'), { code: 'not_connected' });
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().sent, []);
});

test('a drop rejects what was sent with connection_lost and never resends it', async (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  const inFlight = client.feedback('9f2c', 'accepted');
  FakeSocket.last().drop(1001);
  await assert.rejects(inFlight, { code: 'connection_lost' });
  const queued = client.suggest('在吗');
  t.mock.timers.tick(500);
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().frames().map((f) => f.type), ['suggest']);
  const { id } = FakeSocket.last().frames()[0];
  FakeSocket.last().answer({ type: 'suggestions', id, suggestions: [] });
  await queued;
});

test('reconnects with exponential backoff up to the cap', (t) => {
  const { states } = makeClient(t, { initialBackoffMs: 100, maxBackoffMs: 1000, backoffFactor: 2 });
  const delays = [];
  for (let i = 0; i < 6; i += 1) {
    const socket = FakeSocket.last();
    socket.drop();
    const { retryInMs } = states.at(-1);
    delays.push(retryInMs);
    t.mock.timers.tick(retryInMs - 1);
    assert.equal(FakeSocket.last(), socket, 'reconnected before the delay');
    t.mock.timers.tick(1);
    assert.notEqual(FakeSocket.last(), socket, 'did not reconnect after the delay');
  }
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
});

test('jitter cuts each delay by up to the given fraction', (t) => {
  let next = 0.999;
  const { states } = makeClient(t, {
    initialBackoffMs: 1000, jitter: 0.5, random: () => next,
  });
  FakeSocket.last().drop();
  assert.equal(states.at(-1).retryInMs, 500);  // 1000 × (1 − 0.5 × 0.999), rounded
  t.mock.timers.tick(500);
  next = 0;
  FakeSocket.last().drop();
  assert.equal(states.at(-1).retryInMs, 2000);
});

test('the backoff starts over only after a connection stayed up healthyAfterMs', (t) => {
  const { states } = makeClient(t, { initialBackoffMs: 100, healthyAfterMs: 5000 });
  const dropAfter = (upMs) => {
    FakeSocket.last().accept();
    t.mock.timers.tick(upMs);
    FakeSocket.last().drop();
    const { retryInMs } = states.at(-1);
    t.mock.timers.tick(retryInMs);
    return retryInMs;
  };
  // Accepted and dropped at once (a policy close): still growing.
  assert.deepEqual([dropAfter(10), dropAfter(10), dropAfter(10)], [100, 200, 400]);
  assert.equal(dropAfter(5000), 100);
});

test('state changes are announced in order', (t) => {
  const { states } = makeClient(t, { initialBackoffMs: 100 });
  FakeSocket.last().accept();
  FakeSocket.last().drop(1001);
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'open', 'reconnecting', 'connecting', 'open']);
  assert.equal(states[2].closeCode, 1001);
  assert.equal(states[2].retryInMs, 100);
});

test('close() stops reconnecting and rejects everything still waiting', async (t) => {
  const { client, states } = makeClient(t, { initialBackoffMs: 100 });
  FakeSocket.last().accept();
  const sent = client.suggest('a');
  const socket = FakeSocket.last();
  client.close();
  assert.equal(socket.closedByClient, 1000);
  await assert.rejects(sent, { code: 'closed' });
  await assert.rejects(client.suggest('b'), { code: 'closed' });
  socket.drop(1000);  // the close completing must not start a reconnect
  t.mock.timers.tick(60_000);
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(states.at(-1).state, 'closed');
});

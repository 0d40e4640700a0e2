// web/replyd-client.js on its own: request/answer matching, timeouts, the
// queue while disconnected, resending after a drop (feedback with its key
// until acknowledged), the server's going_away notice, reconnect backoff,
// close. A scripted WebSocket
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

  // A connection that could not be made, as Node 20's WebSocket reports it:
  // an error and no close.
  failWithoutClose() {
    this.onerror?.({});
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

test('suggest sends the conversation so far, and a sent suggestion joins it with its template',
  async (t) => {
    const { client } = makeClient(t);
    const socket = FakeSocket.last();
    socket.accept();
    const now = '2026-11-23T10:00:00+08:00';
    const first = client.suggest('怎么还不发货', { status: 'paid' }, { conversationId: 'c-1', now });
    const [ask1] = socket.frames();
    assert.equal(ask1.history, undefined, 'nothing before the first message');
    socket.answer({ type: 'suggestions', id: ask1.id, suggestions: [
      { suggestion_id: 'a1', intent: 'urge_shipment', template: 'urge_shipment.overdue_wait',
        text: '亲，真的非常抱歉', handoff: false },
      { suggestion_id: 'a2', intent: 'urge_shipment', template: 'urge_shipment.overdue_refund',
        text: '亲，可以退款', handoff: false }] });
    await first;
    client.feedback('a2', 'rejected');
    client.feedback('a1', 'edited', '亲，真的非常抱歉，今天发');
    client.suggest('还没发吗', { status: 'paid' }, { conversationId: 'c-1', now });
    client.suggest('在吗', undefined, { conversationId: 'c-2', now });
    const [, , , ask2, other] = socket.frames();
    assert.deepEqual(ask2.history, [
      { role: 'buyer', text: '怎么还不发货', at: now },
      { role: 'agent', text: '亲，真的非常抱歉，今天发', at: ask2.history[1].at,
        template: 'urge_shipment.overdue_wait' }]);
    assert.equal(other.history, undefined, 'conversations are kept apart');
    assert.equal(client.history('c-1').length, 3, 'the second ask is in the history now');
  });

test('an own reply is stored as own_reply feedback and joins the history without a template',
  (t) => {
    const { client } = makeClient(t);
    const socket = FakeSocket.last();
    socket.accept();
    client.suggest('发票怎么开', undefined, { conversationId: 'c-3' });
    client.ownReply('亲，我帮您问一下财务', { conversationId: 'c-3', intent: 'invoice' });
    client.ownReply('好的', {});
    const [, own, bare] = socket.frames();
    assert.deepEqual(own, { type: 'feedback', id: own.id, action: 'own_reply',
      final_text: '亲，我帮您问一下财务', intent: 'invoice', conversation_id: 'c-3', key: own.key });
    assert.match(own.key, UUID);
    assert.deepEqual(Object.keys(bare).sort(), ['action', 'final_text', 'id', 'key', 'type']);
    const history = client.history('c-3');
    assert.equal(history[1].role, 'agent');
    assert.equal(history[1].template, undefined);
  });

test('history keeps within 20 turns and 16 KiB, dropping the oldest', (t) => {
  const { client } = makeClient(t);
  const socket = FakeSocket.last();
  socket.accept();
  for (let i = 0; i < 25; i++) client.addTurn('c-4', { role: 'buyer', text: `第${i}次` });
  assert.equal(client.history('c-4').length, 20);
  assert.equal(client.history('c-4')[0].text, '第5次');
  // 3-byte characters: 8,192 bytes hold 2,730 of them; a longer turn is cut
  // at a character boundary, and two such turns fill the 16 KiB.
  const long = '好'.repeat(5_000);
  client.addTurn('c-4', { role: 'agent', text: long });
  client.addTurn('c-4', { role: 'agent', text: long });
  client.suggest('在吗', undefined, { conversationId: 'c-4' });
  const [ask] = socket.frames();
  const bytes = ask.history.reduce((n, turn) => n + Buffer.byteLength(turn.text), 0);
  assert.ok(bytes <= 16_384, `${bytes} bytes`);
  assert.equal(ask.history.at(-1).text, '好'.repeat(2_730));
  // 16,380 bytes: no room left for even the newest short turn before them.
  assert.equal(ask.history.length, 2, 'the newest turns that fit');
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('feedback carries a random key, and final_text only when given', (t) => {
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  client.feedback('9f2c', 'accepted');
  client.feedback('9f2c', 'edited', '今天发出');
  client.feedback('9f2c', 'rejected', undefined, { key: 'saved-before-reload-0001' });
  const [accepted, edited, own] = FakeSocket.last().frames();
  assert.deepEqual(accepted, {
    type: 'feedback', id: accepted.id, suggestion_id: '9f2c', action: 'accepted', key: accepted.key,
  });
  assert.match(accepted.key, UUID);
  assert.match(edited.key, UUID);
  assert.notEqual(accepted.key, edited.key);
  assert.equal(edited.final_text, '今天发出');
  assert.equal(own.key, 'saved-before-reload-0001');
});

test('without crypto.randomUUID (an http: page), the key is 32 random hex digits', (t) => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const real = globalThis.crypto;
  Object.defineProperty(globalThis, 'crypto', {
    configurable: true,
    value: { getRandomValues: (array) => real.getRandomValues(array) },
  });
  t.after(() => Object.defineProperty(globalThis, 'crypto', original));
  const { client } = makeClient(t);
  FakeSocket.last().accept();
  client.feedback('9f2c', 'accepted');
  client.feedback('9f2c', 'accepted');
  const [a, b] = FakeSocket.last().frames();
  assert.match(a.key, /^[0-9a-f]{32}$/);
  assert.notEqual(a.key, b.key);
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

/** Whether `promise` has settled, without waiting for it. */
async function settled(promise) {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  await settle();
  return done;
}

test('feedback sent when the connection drops goes out again with the same key until acked', async (t) => {
  const { client } = makeClient(t, { initialBackoffMs: 100, maxBackoffMs: 100 });
  FakeSocket.last().accept();
  const clicked = client.feedback('9f2c', 'accepted');
  const [first] = FakeSocket.last().frames();
  assert.equal(client.pendingFeedback, 1);
  // Dropped twice before an ack: the second connection never even opens.
  FakeSocket.last().drop(1006);
  t.mock.timers.tick(100);
  FakeSocket.last().drop(1006);
  t.mock.timers.tick(60_000);  // no timeout: it waits as long as it takes
  assert.equal(await settled(clicked), false);
  FakeSocket.last().accept();
  const resent = FakeSocket.last().frames();
  assert.equal(resent.length, 1);
  assert.deepEqual(resent[0], first, 'the same frame: same id, same key');
  FakeSocket.last().answer({ type: 'ack', id: first.id });
  assert.deepEqual(await clicked, { type: 'ack', id: first.id });
  assert.equal(client.pendingFeedback, 0);
});

test('feedback refused by the server is not sent again', async (t) => {
  const { client } = makeClient(t, { initialBackoffMs: 100 });
  FakeSocket.last().accept();
  const clicked = client.feedback('9f2c', 'accepted');
  const { id } = FakeSocket.last().frames()[0];
  FakeSocket.last().answer({ type: 'error', id, code: 'conflict', message: 'key: already stored' });
  await assert.rejects(clicked, { code: 'conflict' });
  FakeSocket.last().drop(1006);
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().sent, []);
});

test('a suggest in flight when the connection drops is asked again, within its timeout', async (t) => {
  const { client } = makeClient(t, { initialBackoffMs: 100, requestTimeoutMs: 1000 });
  FakeSocket.last().accept();
  const asked = client.suggest('在吗');
  const lost = client.suggest('还在吗');
  const [frame] = FakeSocket.last().frames();
  FakeSocket.last().drop(1006);
  const queued = client.trigger({ status: 'paid' });
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  const again = FakeSocket.last().frames();
  assert.deepEqual(again.map((f) => f.type), ['suggest', 'suggest', 'trigger'], 'in the order asked');
  assert.deepEqual(again[0], frame);
  FakeSocket.last().answer({ type: 'suggestions', id: frame.id, suggestions: [] });
  FakeSocket.last().answer({ type: 'suggestions', id: again[2].id, suggestions: [] });
  await asked;
  await queued;
  // Its timeout kept running across the reconnect.
  t.mock.timers.tick(900);
  await assert.rejects(lost, { code: 'timeout' });
});

test('other requests in flight fail with connection_lost and are not sent again', async (t) => {
  const { client } = makeClient(t, { initialBackoffMs: 100 });
  FakeSocket.last().accept();
  const reload = client.request({ type: 'reload' });
  FakeSocket.last().drop(1006);
  await assert.rejects(reload, { code: 'connection_lost' });
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().sent, []);
});

test('whileDisconnected: reject fails a suggest in flight, but keeps and resends feedback', async (t) => {
  const { client } = makeClient(t, { whileDisconnected: 'reject', initialBackoffMs: 100 });
  FakeSocket.last().accept();
  const asked = client.suggest('在吗');
  const clicked = client.feedback('9f2c', 'rejected');
  const feedback = FakeSocket.last().frames()[1];
  FakeSocket.last().drop(1006);
  await assert.rejects(asked, { code: 'connection_lost' });
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().frames(), [feedback]);
  FakeSocket.last().answer({ type: 'ack', id: feedback.id });
  await clicked;
});

test('going_away: the client says done_sending, holds new requests, and resends after the 1001', async (t) => {
  const { client, states } = makeClient(t, { initialBackoffMs: 100 });
  FakeSocket.last().accept();
  const answered = client.suggest('在吗');
  const clicked = client.feedback('9f2c', 'accepted');
  const old = FakeSocket.last();
  const [suggest, feedback] = old.frames();
  old.answer({ type: 'going_away', reason: 'shutdown', close_within_ms: 7500 });
  const done = old.frames()[2];
  assert.equal(done.type, 'done_sending');
  assert.equal(typeof done.id, 'string');
  // Asked after the notice: held for the next connection.
  const later = client.suggest('还在吗');
  assert.equal(old.sent.length, 3);
  // The server still answers what it had; the commit is stuck, so the
  // feedback's ack never comes before the close.
  old.answer({ type: 'suggestions', id: suggest.id, suggestions: [] });
  await answered;
  old.drop(1001);
  assert.equal(states.at(-1).closeCode, 1001);
  t.mock.timers.tick(100);
  FakeSocket.last().accept();
  const next = FakeSocket.last().frames();
  assert.deepEqual(next.map((f) => f.type), ['feedback', 'suggest']);
  assert.equal(next[0].key, feedback.key);
  FakeSocket.last().answer({ type: 'ack', id: next[0].id });
  FakeSocket.last().answer({ type: 'suggestions', id: next[1].id, suggestions: [] });
  await clicked;
  await later;
  // The new connection takes requests at once again.
  client.suggest('在');
  assert.equal(FakeSocket.last().frames().at(-1).message, '在');
});

test('a failed connection reported by an error alone (no close) is still retried', (t) => {
  const { states } = makeClient(t, { initialBackoffMs: 100 });
  const socket = FakeSocket.last();
  socket.failWithoutClose();
  t.mock.timers.tick(0);
  assert.equal(states.at(-1).state, 'reconnecting');
  assert.equal(states.at(-1).closeCode, 1006);
  t.mock.timers.tick(100);
  assert.notEqual(FakeSocket.last(), socket);
  // A close that comes late after all is not a second drop.
  socket.drop(1006);
  assert.equal(states.filter((s) => s.state === 'reconnecting').length, 1);
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
  const clicked = client.feedback('9f2c', 'accepted');
  const socket = FakeSocket.last();
  client.close();
  assert.equal(socket.closedByClient, 1000);
  await assert.rejects(sent, { code: 'closed' });
  await assert.rejects(clicked, { code: 'closed' });
  assert.equal(client.pendingFeedback, 0);
  await assert.rejects(client.suggest('b'), { code: 'closed' });
  socket.drop(1000);  // the close completing must not start a reconnect
  t.mock.timers.tick(60_000);
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(states.at(-1).state, 'closed');
});

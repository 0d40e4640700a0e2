// The demo page in a real browser against the real server: replyd (the built
// binary, an ephemeral port, a fresh SQLite store, --web pointing at web/,
// a shop token the page passes on in ?token=) and Debian's Chromium, driven
// by playwright-core (which never downloads a browser of its own).
//
// For each sample buyer: pick it, type the buyer's message, see the right
// suggestion (intent and template id on the card), send it with a shortcut
// or a click, see it in the buyer's chat and find the feedback row in the
// store. Then an edit, a reject, the handoff badge, a proactive trigger,
// and a server restart the page rides out. Every wait is on a condition.
//
//   ctest -L web --output-on-failure      (sets REPLYD, REPLY_PACKS, …)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ESCALATION, FIRST_MESSAGES, HANDOFF } from './expectations.mjs';
import {
  requireEnv, requireExecutable, requirePlaywright, requireSqlite3,
} from './prerequisites.mjs';
import { listeningPort } from './replyd_log.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REPLYD = requireExecutable(requireEnv('REPLYD', 'the replyd binary (ctest passes it)'),
  'build it: cmake --build build');
const PACKS = requireEnv('REPLY_PACKS', 'the pack directory replyd serves');
const CHROMIUM = requireExecutable(process.env.CHROMIUM ?? '/usr/bin/chromium',
  'apt-get install chromium (Debian\'s build; the test never downloads one)');
const SQLITE3 = requireSqlite3();
const { chromium } = await requirePlaywright();
const ARTIFACTS = process.env.REPLY_TEST_ARTIFACTS ?? join(REPO, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'web-e2e.png');

// Chromium in a closed network stalls on connections it makes for itself
// (updates, sync, QUIC probes) unless told not to make them.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// Generous: a loaded 2-core machine may take seconds where an idle one takes
// milliseconds. Nothing waits this long unless it is failing.
const WAIT_MS = 30_000;
const TOKEN = 'e2e-shop-token';

const work = mkdtempSync(join(tmpdir(), 'replyd-web-e2e-'));
const DB = join(work, 'feedback.db');

/** A replyd process, started and stopped by the test. */
class Replyd {
  /**
   * @param {number} port 0: any free port
   * @returns {Promise<Replyd>} once it listens
   */
  static async start(port = 0) {
    const args = [
      '--listen', `127.0.0.1:${port}`, '--packs', PACKS, '--db', DB, '--web', join(REPO, 'web'),
      '--token', TOKEN, '--threads', '2', '--no-watch-packs',
    ];
    const child = spawn(REPLYD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const replyd = new Replyd(child);
    replyd.port = await listeningPort(child, join(work, 'replyd.log'), WAIT_MS);
    return replyd;
  }

  /** @param {import('node:child_process').ChildProcess} child */
  constructor(child) {
    this.child = child;
    this.port = 0;
    this.exited = new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    running.add(this);
    this.exited.then(() => running.delete(this));
  }

  /** SIGTERM, and the exit status once it has drained. */
  async stop() {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), WAIT_MS);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** @type {Set<Replyd>} killed however the test ends */
const running = new Set();
process.on('exit', () => { for (const r of running) r.child.kill('SIGKILL'); });

/**
 * The feedback rows stored for one suggestion.
 * @param {string} suggestionId
 * @returns {Array<Record<string, string|number|null>>}
 */
function feedbackRows(suggestionId) {
  assert.match(suggestionId, /^s1\.[A-Za-z0-9_.-]+$/);  // signed; safe to quote in SQL
  const out = execFileSync(SQLITE3, ['-readonly', '-json', DB,
    'SELECT suggestion_id, conversation_id, intent, template, action, suggested_text, final_text,'
    + ` pack_version FROM feedback WHERE suggestion_id = '${suggestionId}'`]).toString('utf8');
  return out.trim() === '' ? [] : JSON.parse(out);
}

/** @type {Replyd} */
let replyd;
/** @type {import('playwright-core').BrowserContext} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** Page errors and console errors; the page must have none. */
const pageProblems = [];
/** The zh pack's labels as replyd serves them (GET /templates). */
const labels = { intents: new Map(), templates: new Map() };

before(async () => {
  replyd = await Replyd.start();
  const response = await fetch(`http://127.0.0.1:${replyd.port}/templates`,
    { headers: { Authorization: `Bearer ${TOKEN}` } });
  const zh = (await response.json()).locales.find((/** @type {any} */ l) => l.locale === 'zh');
  for (const i of zh.intents) labels.intents.set(i.intent, i.label);
  for (const t of zh.templates) labels.templates.set(t.template, t.label);
  browser = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,  // playwright adds --headless
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium reports each failed reconnect while replyd restarts; expected.
    const reconnecting = /WebSocket connection to .* failed/.test(message.text());
    if (message.type() === 'error' && !reconnecting) pageProblems.push(`console: ${message.text()}`);
  });
});

after(async () => {
  await browser?.close();
  for (const r of running) await r.stop();
  rmSync(work, { recursive: true, force: true });
});

// ---- the page, as a person uses it ----

/** @param {string} buyer a sample's key */
async function pickBuyer(buyer) {
  await page.selectOption('#buyer-select', buyer);
  await page.locator(`.chat-log[data-buyer="${buyer}"]`).waitFor({ state: 'visible' });
}

/**
 * Types a message as the buyer and sends it with Enter.
 * @param {string} message
 */
async function typeBuyerMessage(message) {
  const input = page.locator('#buyer-input');
  await input.click();
  await input.pressSequentially(message);
  await input.press('Enter');
}

/**
 * Does `action` (which asks for suggestions) and returns the turn it added
 * to the buyer's conversation, once that turn has its answer.
 * @param {string} buyer
 * @param {() => Promise<void>} action
 */
async function newTurn(buyer, action) {
  const turns = page.locator(`.turn-list[data-buyer="${buyer}"] > .turn`);
  const before = await turns.count();
  await action();
  // Newest first: once there is one more turn, the first one is the new one.
  await turns.nth(before).waitFor({ state: 'attached' });
  const turn = turns.first();
  await turn.locator('.card, .turn-error, .turn-empty').first().waitFor();
  const error = turn.locator('.turn-error');
  if (await error.count()) assert.fail(`the page shows an error: ${await error.textContent()}`);
  return turn;
}

/**
 * What a card shows and carries.
 * @param {import('playwright-core').Locator} card
 */
async function readCard(card) {
  return {
    intent: await card.getAttribute('data-intent'),
    template: await card.getAttribute('data-template'),
    suggestionId: /** @type {string} */ (await card.getAttribute('data-suggestion-id')),
    shownTemplate: await card.locator('.card-label').getAttribute('title'),
    shownIntent: await card.locator('.card-intent').getAttribute('title'),
    intentLabel: await card.locator('.card-intent').textContent(),
    templateLabel: await card.locator('.card-label').textContent(),
    text: /** @type {string} */ (await card.locator('.card-text').textContent()),
  };
}

/**
 * Waits until the card's feedback is answered and asserts it was stored.
 * @param {import('playwright-core').Locator} card
 */
async function feedbackStored(card) {
  const id = await card.getAttribute('data-suggestion-id');
  const settled = page.locator(
    `.card[data-suggestion-id="${id}"]:is([data-feedback="stored"], [data-feedback="failed"])`);
  await settled.waitFor();
  assert.equal(await settled.getAttribute('data-feedback'), 'stored',
    await card.locator('.card-status').textContent() ?? '');
}

/**
 * The shop replies in a buyer's chat, oldest first.
 * @param {string} buyer
 */
async function shopReplies(buyer) {
  return page.locator(`.chat-log[data-buyer="${buyer}"] .from-shop .bubble-text`).allTextContents();
}

/**
 * Asserts the single feedback row of a suggestion.
 * @param {string} suggestionId
 * @param {Record<string, string|null>} expected
 * @param {string} buyer
 */
function assertStored(suggestionId, expected, buyer) {
  // The card's final action; `shown` (sent for every card displayed) aside.
  const rows = feedbackRows(suggestionId).filter((row) => row.action !== 'shown');
  assert.equal(rows.length, 1, `feedback rows for ${suggestionId}`);
  const row = rows[0];
  for (const [column, value] of Object.entries(expected)) {
    assert.equal(row[column], value, `feedback.${column}`);
  }
  assert.match(String(row.conversation_id), new RegExp(`^demo-${buyer}-`));
}

// ---- the tests ----

test('the page loads from replyd and connects with the token from its URL', async () => {
  await page.goto(`http://127.0.0.1:${replyd.port}/?token=${TOKEN}`);
  await page.locator('#connection[data-state="open"]').waitFor();
  assert.equal(await page.title(), '回复建议演示 · replyd');
  const options = await page.locator('#buyer-select option').evaluateAll(
    (nodes) => nodes.map((node) => /** @type {HTMLOptionElement} */ (node).value));
  assert.deepEqual(options, FIRST_MESSAGES.map((e) => e.buyer));
});

for (const [index, expected] of FIRST_MESSAGES.entries()) {
  const how = index % 2 === 0 ? 'shortcut 1' : 'a click';
  test(`${expected.buyer}: "${expected.message}" gets ${expected.template}, sent with ${how}`,
    async () => {
      await pickBuyer(expected.buyer);
      const turn = await newTurn(expected.buyer, () => typeBuyerMessage(expected.message));
      const card = turn.locator('.card[data-rank="1"]');
      const shown = await readCard(card);
      assert.equal(shown.template, expected.template);
      assert.equal(shown.shownTemplate, `回复模板 ${expected.template}`);
      assert.equal(shown.intent, expected.intent);
      assert.equal(shown.shownIntent, `意图 ${expected.intent}`);
      // The zh pack's labels, for Vietnamese replies too (the agent reads Chinese).
      assert.equal(shown.intentLabel, labels.intents.get(expected.intent));
      assert.equal(shown.templateLabel, labels.templates.get(expected.template));
      assert.ok(shown.text.length > 10 && !shown.text.includes('{{'), shown.text);
      const detected = { Hans: '简体', Hant: '繁体', Latin: '拉丁字母' }[expected.script];
      assert.match(await turn.locator('.turn-meta').textContent() ?? '',
        new RegExp(`识别：${detected} · ${expected.locale}`));

      if (index % 2 === 0) await page.keyboard.press('1');
      else await card.getByRole('button', { name: '发送', exact: true }).click();

      await feedbackStored(card);
      assert.equal(await card.getAttribute('data-state'), 'accepted');
      assert.equal((await shopReplies(expected.buyer)).at(-1), shown.text);
      assertStored(shown.suggestionId, {
        action: 'accepted', intent: expected.intent, template: expected.template,
        suggested_text: shown.text, final_text: shown.text,
      }, expected.buyer);
    });
}

test('Traditional and Vietnamese buyers get replies in their own script', async () => {
  const traditional = (await shopReplies('traditional')).at(-1) ?? '';
  assert.match(traditional, /親|單號|聯繫/, 'a Traditional reply');
  assert.doesNotMatch(traditional, /亲|单号|联系/, 'no Simplified left in it');
  const vietnamese = (await shopReplies('vietnamese')).at(-1) ?? '';
  assert.match(vietnamese, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i,
    'a Vietnamese reply');
});

test('reject one suggestion with a click, then send another with its number', async () => {
  await pickBuyer('overdue');
  const turn = await newTurn('overdue', () => typeBuyerMessage('怎么还不发货'));
  const first = turn.locator('.card[data-rank="1"]');
  const second = turn.locator('.card[data-rank="2"]');
  const rejected = await readCard(first);
  const sent = await readCard(second);
  const repliesBefore = (await shopReplies('overdue')).length;

  await first.getByRole('button', { name: '不采用', exact: true }).click();
  await feedbackStored(first);
  assert.equal(await first.getAttribute('data-state'), 'rejected');
  assert.equal((await shopReplies('overdue')).length, repliesBefore, 'a rejection sends nothing');
  assertStored(rejected.suggestionId,
    { action: 'rejected', template: rejected.template, final_text: null }, 'overdue');

  await page.keyboard.press('2');
  await feedbackStored(second);
  assert.equal((await shopReplies('overdue')).at(-1), sent.text);
  assertStored(sent.suggestionId, { action: 'accepted', final_text: sent.text }, 'overdue');
  const third = turn.locator('.card[data-rank="3"]');
  assert.equal(await third.getAttribute('data-state'), 'unused');
  // Every card shown is recorded as shown, and the one left open as
  // ignored: /stats has a denominator.
  await turn.locator('.card[data-rank="3"][data-ignored="stored"]').waitFor();
  const unused = await readCard(third);
  assert.deepEqual(feedbackRows(unused.suggestionId).map((row) => row.action).sort(),
    ['ignored', 'shown']);
  for (const card of [rejected, sent]) {
    assert.ok(feedbackRows(card.suggestionId).some((row) => row.action === 'shown'));
  }
});

test('a handoff is flagged, and an edited suggestion is sent and stored as edited', async () => {
  await pickBuyer(HANDOFF.buyer);
  const turn = await newTurn(HANDOFF.buyer, () => typeBuyerMessage(HANDOFF.message));
  await turn.locator('.badge-handoff', { hasText: '需人工接手' }).waitFor({ state: 'visible' });
  const card = turn.locator('.card[data-rank="1"]');
  const shown = await readCard(card);
  assert.equal(shown.template, HANDOFF.template);
  assert.equal(await card.locator('.badge-handoff').textContent(), '转人工');

  await page.keyboard.press('e');
  const editor = card.locator('textarea');
  await editor.waitFor();
  assert.equal(await editor.inputValue(), shown.text, 'the editor starts from the suggestion');
  await page.keyboard.type('今天下午主管会给您打电话。');
  await page.keyboard.press('Enter');

  await feedbackStored(card);
  const finalText = `${shown.text}今天下午主管会给您打电话。`;
  assert.equal(await card.getAttribute('data-state'), 'edited');
  assert.equal((await shopReplies(HANDOFF.buyer)).at(-1), finalText);
  assertStored(shown.suggestionId, {
    action: 'edited', intent: HANDOFF.intent, template: HANDOFF.template,
    suggested_text: shown.text, final_text: finalText,
  }, HANDOFF.buyer);
});

test('a proactive trigger suggests what to tell an out-of-stock buyer', async () => {
  await pickBuyer('out_of_stock');
  const turn = await newTurn('out_of_stock',
    () => page.getByRole('button', { name: '主动提醒' }).click());
  assert.equal(await turn.getAttribute('data-kind'), 'trigger');
  const card = turn.locator('.card[data-rank="1"]');
  const shown = await readCard(card);
  assert.equal(shown.template, 'notify_out_of_stock.restock');
  await card.getByRole('button', { name: '发送', exact: true }).click();
  await feedbackStored(card);
  assertStored(shown.suggestionId, { action: 'accepted', template: shown.template },
    'out_of_stock');
});

test('screenshot of the agent console', async (t) => {
  await pickBuyer('overdue');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  t.diagnostic(`screenshot: ${SCREENSHOT}`);
  process.stdout.write(`web e2e screenshot: ${SCREENSHOT}\n`);
});

test('the page rides out a server restart and sends what was typed meanwhile', async () => {
  const port = replyd.port;
  assert.equal(await replyd.stop(), 0);
  await page.locator('#connection[data-state="reconnecting"]').waitFor();

  // Typed while the server is down: queued by the client, sent on reconnect.
  await pickBuyer('unpaid');
  const turn = await newTurn('unpaid', async () => {
    await typeBuyerMessage('在吗');
    // Nobody to answer: the request waits in the client's queue.
    const waiting = page.locator('.turn-list[data-buyer="unpaid"] > .turn').first();
    assert.equal(await waiting.getAttribute('aria-busy'), 'true');
    assert.equal(await waiting.locator('.turn-loading').textContent(), '连接断开，恢复后自动发送…');
    replyd = await Replyd.start(port);
    await page.locator('#connection[data-state="open"]').waitFor();
  });
  const card = turn.locator('.card[data-rank="1"]');
  const shown = await readCard(card);
  assert.equal(shown.intent, 'greeting');
  await page.keyboard.press('1');
  await feedbackStored(card);
  assertStored(shown.suggestionId, { action: 'accepted', intent: 'greeting' }, 'unpaid');
});

test('a buyer urges three times: three escalation levels, then a hand-off', async (t) => {
  // A fresh page: new conversations, so the asks are counted from the first.
  await page.goto(`http://127.0.0.1:${replyd.port}/?token=${TOKEN}`);
  await page.locator('#connection[data-state="open"]').waitFor();
  await pickBuyer(ESCALATION.buyer);
  const shown = [];
  for (const [index, step] of ESCALATION.steps.entries()) {
    const turn = await newTurn(ESCALATION.buyer, () => typeBuyerMessage(step.message));
    const card = turn.locator('.card[data-rank="1"]');
    const read = await readCard(card);
    assert.equal(read.template, step.template, `ask ${index + 1}: "${step.message}"`);
    // The console marks a card answering a repeated ask with its count.
    assert.equal(await card.getAttribute('data-ask'), step.ask);
    if (step.ask) {
      assert.equal(await card.locator('.badge-escalated').textContent(), `第 ${step.ask} 次询问`);
    }
    assert.ok(!shown.includes(read.text), 'never the text already sent');
    if (step.handoff) {
      await turn.locator('.badge-handoff', { hasText: '需人工接手' }).waitFor();
      break;
    }
    await page.keyboard.press('1');
    await feedbackStored(card);
    shown.push(read.text);
    // The conversation the next ask sends: each message and the reply sent.
    const history = page.locator('#conversation-turns > li');
    assert.equal(await history.count(), 2 * (index + 1));
    assert.equal(await history.last().locator('.card-template').textContent(), step.template);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-escalation.png');
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
});

test('cards show the packs\' labels, not ids', async (t) => {
  // Written in the packs (label:), served by GET /templates: none missing.
  assert.equal(labels.intents.get('urge_shipment'), '催发货');
  assert.equal(labels.templates.get('urge_shipment.overdue_wait'), '已超时：道歉、补偿、等');
  for (const [id, label] of [...labels.intents, ...labels.templates]) {
    assert.ok(typeof label === 'string' && label !== '', `${id} has a label`);
  }
  await pickBuyer('paid_within_promise');
  const turn = await newTurn('paid_within_promise', () => typeBuyerMessage('还没发货吗'));
  const card = turn.locator('.card[data-rank="1"]');
  assert.equal(await card.locator('.card-intent').textContent(), '催发货');
  assert.equal(await card.locator('.card-label').textContent(), '承诺时间内：告知最晚发货');
  // Within the promise: a deadline and the time left, no compensation owed.
  const derived = page.locator('#order-summary .order-derived');
  await derived.locator('[data-fact="hours_to_deadline"]').waitFor();
  assert.equal(await derived.locator('[data-fact="compensation"]').count(), 0);
  assert.equal(await card.locator('.card-head').evaluate((n) => n.textContent?.includes('urge_shipment')),
    false, 'no id on the card, only in its tooltips');
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-labels.png');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
});

test('the order panel shows the facts the engine derived, with how they were had', async (t) => {
  await pickBuyer('overdue');
  const derived = page.locator('#order-summary .order-derived');
  const overdue = derived.locator('[data-fact="hours_overdue"]');
  await overdue.waitFor();
  assert.match(await overdue.textContent() ?? '', /已超过发货承诺 \d+ 小时/);
  assert.equal(await overdue.getAttribute('data-alert'), 'true');
  assert.match(await derived.locator('[data-fact="ship_deadline"]').textContent() ?? '',
    /^最晚发货\d+月\d+日 \d{2}:\d{2}付款后 48 小时内$/);
  assert.equal(await derived.locator('[data-fact="compensation"] dd').textContent(),
    '6.45 元订单金额 129 元 × 5%（至少 1 元，至多 30 元）');
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-order-panel.png');
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);

  // Delivered 3 days ago: the return window left, from the shop's 7 days.
  await pickBuyer('delivered_3_days');
  const window = page.locator('#order-summary .order-derived [data-fact="within_return_window"]');
  await window.waitFor();
  assert.equal(await window.locator('dd').textContent(), '还剩 4 天签收后 7 天内可退换，已签收 3 天');
  // Shipped without a scan: the tracking age against the shop's grace.
  await pickBuyer('shipped_no_tracking');
  const tracking = page.locator('#order-summary .order-derived [data-fact="within_tracking_grace"]');
  await tracking.waitFor();
  assert.match(await tracking.textContent() ?? '', /还没有揽收记录.*发货后 24 小时内应有物流/);
});

test('the why panel: matched words highlighted, the rule and its facts, the arithmetic', async (t) => {
  await page.goto(`http://127.0.0.1:${replyd.port}/?token=${TOKEN}`);
  await page.locator('#connection[data-state="open"]').waitFor();
  await pickBuyer('overdue');
  const turn = await newTurn('overdue', () => typeBuyerMessage('怎么还不发货'));
  const card = turn.locator('.card[data-rank="1"]');
  assert.equal(await card.getAttribute('data-template'), 'urge_shipment.overdue_wait');
  await page.keyboard.press('w');
  const why = card.locator('.why-message');
  await why.waitFor();
  const marked = await why.locator('mark').allTextContents();
  assert.ok(marked.length > 0 && marked.every((m) => '怎么还不发货'.includes(m)), marked.join('|'));
  assert.equal(await why.textContent(), '怎么还不发货', 'the whole message, marks inside');
  assert.match(await card.locator('.why-when').textContent() ?? '', /overdue/);
  const tests = await card.locator('.why-tests li').allTextContents();
  assert.ok(tests.some((line) => /overdue 成立/.test(line)), tests.join('\n'));
  assert.equal(await card.locator('.why-amount').textContent(),
    '补偿金额 6.45 元 = 订单金额 129 元 × 5%');
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-why.png');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
  await page.keyboard.press('w');
  assert.equal(await card.locator('.why').count(), 0, 'W closes it again');
});

test('a Vietnamese reply comes with a Chinese gloss: the same template, the same order', async (t) => {
  await pickBuyer('vietnamese');
  const turn = await newTurn('vietnamese', () => typeBuyerMessage('sao chưa giao hàng'));
  const card = turn.locator('.card[data-rank="1"]');
  assert.equal(await card.getAttribute('data-template'), 'urge_shipment.overdue_wait');
  const gloss = card.locator('.card-gloss');
  await gloss.waitFor();
  const text = await gloss.textContent() ?? '';
  assert.match(text, /^中文对照：亲，真的非常抱歉/);
  assert.doesNotMatch(text, /\{\{/, 'filled in');
  // The amounts agree: the gloss quotes the compensation the reply quotes.
  const reply = await card.locator('.card-text').textContent() ?? '';
  const amount = /(\d+(?:[.,]\d+)?) tệ/.exec(reply);
  assert.ok(amount, reply);
  assert.ok(text.includes(amount[1].replace(',', '.')), `${reply} / ${text}`);
  assert.equal(await gloss.getAttribute('lang'), 'zh-Hans');
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-gloss.png');
  await gloss.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
});

/**
 * The feedback rows of one action with one final text.
 * @param {string} action
 * @param {string} finalText
 */
function rowsByText(action, finalText) {
  const quote = (/** @type {string} */ v) => `'${v.replaceAll("'", "''")}'`;
  const out = execFileSync(SQLITE3, ['-readonly', '-json', DB,
    'SELECT conversation_id, intent, template, suggestion_id, action, final_text FROM feedback'
    + ` WHERE action = ${quote(action)} AND final_text = ${quote(finalText)}`]).toString('utf8');
  return out.trim() === '' ? [] : JSON.parse(out);
}

test('the agent types their own reply: sent, in the history, stored as own_reply', async (t) => {
  await pickBuyer('out_of_stock');
  const turn = await newTurn('out_of_stock', () => typeBuyerMessage('什么时候有货'));
  const shownIntent = await turn.locator('.card[data-rank="1"]').getAttribute('data-intent');
  const reply = '亲，这款我帮您问一下仓库，十分钟内回复您';
  const input = page.locator('#reply-input');
  await input.click();
  await input.pressSequentially(reply);
  await input.press('Enter');

  await turn.locator('.turn-own-reply[data-feedback="stored"]').waitFor();
  assert.equal(await input.inputValue(), '', 'the box is emptied');
  assert.equal((await shopReplies('out_of_stock')).at(-1), reply);
  assert.equal(await turn.locator('.card[data-rank="1"]').getAttribute('data-state'), 'unused',
    'the suggestions can no longer be sent');
  // The suggestions it replaced are recorded as ignored.
  await turn.locator('.card[data-rank="1"][data-ignored="stored"]').waitFor();
  const last = page.locator('#conversation-turns > li').last();
  assert.equal(await last.getAttribute('data-role'), 'agent');
  assert.equal(await last.locator('.card-template').count(), 0, 'no template: the agent\'s own');
  const rows = rowsByText('own_reply', reply);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].intent, shownIntent);
  assert.equal(rows[0].suggestion_id, null);
  assert.match(String(rows[0].conversation_id), /^demo-out_of_stock-/);
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = join(ARTIFACTS, 'web-own-reply.png');
  await turn.locator('.turn-own-reply').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
});

test('template search by keyboard: / focuses it, words, intent and id find templates',
  async (t) => {
    await pickBuyer('delivered_3_days');
    await page.locator('body').click({ position: { x: 5, y: 5 } });  // focus out of any field
    await page.keyboard.press('/');
    const search = page.locator('#template-search');
    assert.ok(await search.evaluate((node) => node === document.activeElement), '/ focuses it');
    const results = page.locator('#template-results > .search-result');

    // By template id: the template named first.
    await page.keyboard.type('urge_shipment.overdue_wait');
    await results.first().waitFor();
    assert.equal(await results.first().getAttribute('data-template'), 'urge_shipment.overdue_wait');

    // By intent: its templates only.
    await search.fill('');
    await page.keyboard.type('wrong_size');
    await results.first().waitFor();
    const intents = await results.evaluateAll((nodes) => nodes.map((n) => n.dataset.template));
    assert.ok(intents.length > 1 && intents.every((id) => id?.startsWith('wrong_size.')), intents.join());

    // By words of the text, two of them: each result holds both.
    await search.fill('');
    await page.keyboard.type('退款 原路');
    await results.first().waitFor();
    for (const text of await results.locator('.search-result-text').allTextContents()) {
      assert.ok(text.includes('退款') && text.includes('原路'), text);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'web-template-search.png');
    await page.screenshot({ path: screenshot });
    t.diagnostic(`screenshot: ${screenshot}`);

    // ↓ then Enter puts the second result into the reply box, focused.
    const second = await results.nth(1).locator('.search-result-text').textContent();
    await page.keyboard.press('ArrowDown');
    assert.equal(await results.nth(1).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Enter');
    const reply = page.locator('#reply-input');
    assert.equal(await reply.inputValue(), second);
    assert.ok(await reply.evaluate((node) => node === document.activeElement));
    assert.equal(await search.inputValue(), '', 'the search is cleared');
    await reply.fill('');
  });

test('a card sent after a server restart says, in Chinese, that the restart forgot it',
  async (t) => {
    await pickBuyer('paid_within_promise');
    const turn = await newTurn('paid_within_promise', () => typeBuyerMessage('发货了吗'));
    const card = turn.locator('.card[data-rank="1"]');
    const shown = await readCard(card);
    const port = replyd.port;
    assert.equal(await replyd.stop(), 0);
    replyd = await Replyd.start(port);
    await page.locator('#connection[data-state="open"]').waitFor();

    await turn.focus();
    await page.keyboard.press('1');
    await page.locator(`.card[data-suggestion-id="${shown.suggestionId}"][data-feedback="failed"]`)
      .waitFor();
    assert.equal(await card.getAttribute('data-feedback-error'), 'unknown_suggestion');
    const status = await card.locator('.card-status').textContent() ?? '';
    assert.match(status, /服务器在这条建议给出后重启过/);
    assert.match(status, /回复已经发给买家，不用重发/);
    assert.doesNotMatch(status, /bad_request|3600|unknown/);
    assert.equal((await shopReplies('paid_within_promise')).at(-1), shown.text);
    assert.deepEqual(feedbackRows(shown.suggestionId).map((row) => row.action), ['shown'],
      'only the shown record from before the restart');
    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'web-restart.png');
  await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot });
    t.diagnostic(`screenshot: ${screenshot}`);
  });

test('nothing went wrong in the page, and the server log holds no buyer message', () => {
  assert.deepEqual(pageProblems, []);
  const log = readFileSync(join(work, 'replyd.log'), 'utf8');
  const typed = [...FIRST_MESSAGES.map((e) => e.message), HANDOFF.message, '在吗'];
  for (const message of typed) assert.ok(!log.includes(message), `the log quotes "${message}"`);
});

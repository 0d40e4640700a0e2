// The demo's sample orders keep their state at any time of day: for a clock
// pinned to every hour (and a few odd minutes) of a day, each sample's first
// message gets the suggestion meant for its state, and each sample's
// proactive trigger holds or stays silent as meant. Runs the real engine
// through `replyctl suggest --jsonl` on the packs replyd serves.
//
//   node --test tests/web/sample_orders.test.mjs   (REPLYCTL, REPLY_PACKS set)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { sampleBuyers } from '../../web/sample-orders.js';
import { FIRST_MESSAGES, TRIGGERS } from './expectations.mjs';
import { requireEnv } from './prerequisites.mjs';

const replyctl = requireEnv('REPLYCTL', 'the replyctl binary (ctest passes it)');
const packs = requireEnv('REPLY_PACKS', 'the pack directory replyd serves');

/** Every hour of one day in the shop's zone, at :00 and at odd minutes. */
function clocks() {
  const midnight = Date.parse('2026-11-23T00:00:00+08:00');
  const times = [];
  for (let hour = 0; hour < 24; hour += 1) {
    for (const minute of [0, 29, 59]) times.push(new Date(midnight + (hour * 60 + minute) * 60_000));
  }
  return times;
}

/**
 * @param {object[]} requests engine requests
 * @returns {any[]} the engine's responses, in order
 */
function runEngine(requests) {
  const output = execFileSync(replyctl, ['suggest', '--jsonl', '--packs', packs], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    maxBuffer: 64 * 1024 * 1024,
  });
  return output.toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
}

test('every sample buyer has an expectation and a ready-made first message', () => {
  const buyers = sampleBuyers(new Date());
  assert.deepEqual(buyers.map((b) => b.key), FIRST_MESSAGES.map((e) => e.buyer));
  for (const expectation of FIRST_MESSAGES) {
    const buyer = buyers.find((b) => b.key === expectation.buyer);
    assert.equal(buyer?.messages[0], expectation.message, expectation.buyer);
  }
});

test('each first message gets the suggestion for its order state, at any hour', () => {
  const requests = [];
  const cases = [];
  for (const now of clocks()) {
    const buyers = sampleBuyers(now);
    for (const expectation of FIRST_MESSAGES) {
      const buyer = buyers.find((b) => b.key === expectation.buyer);
      requests.push({ message: expectation.message, order: buyer.order, locale: buyer.locale,
        now: now.toISOString(), max: 3 });
      cases.push({ now, expectation });
    }
  }
  const answers = runEngine(requests);
  const wrong = [];
  answers.forEach((answer, i) => {
    const { now, expectation } = cases[i];
    const first = answer.suggestions?.[0];
    const got = answer.error ? `error ${answer.error.message}`
      : `${first?.template} ${answer.script}/${answer.locale}`;
    const want = `${expectation.template} ${expectation.script}/${expectation.locale}`;
    if (got !== want) wrong.push(`${expectation.buyer} at ${now.toISOString()}: ${got}, want ${want}`);
  });
  assert.deepEqual(wrong, []);
});

test('proactive triggers hold exactly for the samples meant to have one, at any hour', () => {
  const requests = [];
  const cases = [];
  for (const now of clocks()) {
    for (const buyer of sampleBuyers(now)) {
      requests.push({ trigger: true, order: buyer.order, locale: buyer.locale,
        now: now.toISOString(), max: 3 });
      cases.push({ now, key: buyer.key });
    }
  }
  const wrong = [];
  runEngine(requests).forEach((answer, i) => {
    const { now, key } = cases[i];
    const got = answer.error ? `error ${answer.error.message}` : answer.suggestions[0]?.template;
    const want = /** @type {Record<string, string>} */ (TRIGGERS)[key];
    if (got !== want) wrong.push(`${key} at ${now.toISOString()}: ${got}, want ${want}`);
  });
  assert.deepEqual(wrong, []);
});
